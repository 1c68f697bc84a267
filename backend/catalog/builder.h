// The catalog builder: compiles the reviewable source files of deploy/catalog/ (format
// and rules in deploy/catalog/FORMAT.md) into one sealed CatalogRelease. Every broken
// rule becomes a BuildIssue naming the file, the line and the rule; the builder goes on
// after an error so that one run reports all of them. It also reports, per kiosk
// language, the citizen-facing concepts that have no translation and will show Italian.
// Thread safety: pure function of the files it reads.
#pragma once

#include "sigess/v1/catalog.pb.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sigess::catalog {

struct BuildIssue {
    std::string file;
    std::size_t line = 0; // 0 when the issue concerns a whole file
    std::string rule; // a rule name of FORMAT.md, e.g. "unknown-reference"
    std::string message;

    // "deploy/catalog/systems/LOCAL.csv:12: [unknown-reference] LOCAL:X maps to ..."
    std::string describe() const;
};

struct LanguageCoverage {
    std::string lang;
    std::vector<v1::CodeRef> missing; // citizen-facing codes without a label in `lang`
};

struct BuildOptions {
    std::optional<std::uint32_t> number; // overrides release.csv's number
};

struct BuildResult {
    v1::CatalogRelease release; // sealed when there are no errors
    std::vector<BuildIssue> errors;
    std::vector<LanguageCoverage> coverage; // one per language other than Italian

    bool ok() const { return errors.empty(); }
};

// The code systems shown to citizens at the kiosk, which every kiosk language should cover.
std::span<const std::string_view> citizenFacingSystems();

// `sourceDir` is used as given in every issue's file name.
BuildResult buildCatalog(const std::filesystem::path &sourceDir, const BuildOptions &options = {});

} // namespace sigess::catalog
