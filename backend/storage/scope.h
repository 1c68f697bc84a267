// Where a search or a list may look: the whole city, one municipio, or one presidio.
// A presidio belongs to the municipio recorded for it in the presidi table (filled from
// the catalog by PresidioRepository), so a municipio scope covers exactly the records
// of that municipio's presidi.
// Thread safety: value type.
#pragma once

#include <string>
#include <utility>

namespace sigess::storage {

struct Scope {
    enum class Kind { City, Municipio, Presidio };

    Kind kind = Kind::Presidio;
    std::string code;  // municipio or presidio catalog code; unused for City

    static Scope city() { return {Kind::City, {}}; }
    static Scope municipio(std::string code) { return {Kind::Municipio, std::move(code)}; }
    static Scope presidio(std::string code) { return {Kind::Presidio, std::move(code)}; }
};

} // namespace sigess::storage
