// The catalog: the one vocabulary of SIgeSS, read from a sealed CatalogRelease.
// A Catalog indexes a release for the look-ups every program needs: a code by system and
// code, its label in a language (falling back to Italian, and saying so), validation of a
// code an entity carries (unknown, or retired with its successor), the children of a tree
// node, the interventions and areas a kiosk need category maps to, the presidi of a
// municipio, the assessment forms. `diff` compares two releases for review.
//
// A release is sealed by `sealRelease`: its parts sorted deterministically and its
// `content_hash` set to the SHA-256 of its deterministic encoding with that field empty;
// loading checks the hash, so a damaged or hand-edited file is refused as Corrupt.
//
// Thread safety: a Catalog is immutable after loading; concurrent reads are safe. The
// pointers it returns point into the Catalog and live as long as it does.
#pragma once

#include "core/result.h"
#include "sigess/v1/catalog.pb.h"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sigess::core {

inline constexpr std::string_view kReferenceLanguage = "it";

// A text chosen for a language; `fellBack` is true when the language had no text and the
// Italian reference was chosen instead (the caller may want to say so, or list it).
struct LocalizedLabel {
    std::string_view text;
    std::string_view lang;
    bool fellBack = false;
};

// Picks the text in `lang` from a list of localized texts, else the Italian one.
LocalizedLabel pickLocalized(
    const google::protobuf::RepeatedPtrField<v1::LocalizedText> &texts, std::string_view lang);

// What a kiosk need category stands for: the intervention codes it maps to (LOCAL,
// SIUSS, ISTAT_SERVICE...) and its target areas (ISTAT_AREA, SIUSS_AREA), the latter
// taken from the need itself and from the interventions it maps to.
struct NeedMapping {
    const v1::CatalogCode *need = nullptr;
    std::vector<const v1::CatalogCode *> interventions;
    std::vector<const v1::CatalogCode *> areas;
};

// The names deploy/catalog/FORMAT.md gives to levels ("macro_area", "area", "item", and
// "" for a flat list) and urgencies ("routine", "priority", "urgent_discreet").
std::string_view levelName(v1::CodeLevel level);
std::optional<v1::CodeLevel> parseLevel(std::string_view name);
std::string_view urgencyName(v1::Urgency urgency);
std::optional<v1::Urgency> parseUrgency(std::string_view name);

// Where programs find the current release unless told otherwise: $SIGESS_CATALOG, else
// var/catalog/current.pb relative to the working directory (the repository root).
std::filesystem::path defaultReleasePath();

// The deterministic binary encoding of a release (the file format of a release).
std::string serializeRelease(const v1::CatalogRelease &release);

// SHA-256 (lower-case hex) of the release's encoding with `content_hash` empty.
std::string contentHash(const v1::CatalogRelease &release);

// Sorts codes by (system, code), presidi and forms by code, then sets `content_hash`.
void sealRelease(v1::CatalogRelease &release);

class Catalog {
public:
    // Parses and indexes a sealed release; Corrupt when the bytes do not parse, the hash
    // does not match, or a code repeats within its system.
    static Result<Catalog> fromBytes(std::string_view bytes);
    static Result<Catalog> fromFile(const std::filesystem::path &path);
    static Result<Catalog> fromRelease(v1::CatalogRelease release);

    const v1::CatalogRelease &release() const { return *m_release; }

    // nullptr when the code does not exist (retired codes are found).
    const v1::CatalogCode *find(std::string_view system, std::string_view code) const;

    // The code an entity may carry: NotFound "unknown code", or Invalid naming the
    // successor of a retired code.
    Result<const v1::CatalogCode *> validate(std::string_view system, std::string_view code) const;

    Result<LocalizedLabel> label(std::string_view system, std::string_view code, std::string_view lang) const;
    Result<LocalizedLabel> description(
        std::string_view system, std::string_view code, std::string_view lang) const;

    Result<NeedMapping> needCodes(std::string_view needCode) const;

    // The systems present, in name order, and the codes of one system in code order.
    std::vector<std::string_view> systems() const;
    std::vector<const v1::CatalogCode *> codes(std::string_view system) const;

    // The direct children of a tree node, in display order (sort, then code).
    std::vector<const v1::CatalogCode *> children(std::string_view system, std::string_view code) const;

    std::vector<const v1::PresidioInfo *> presidiIn(std::string_view municipio) const;
    const v1::AssessmentForm *form(std::string_view code) const;

private:
    using CodesByCode = std::map<std::string, const v1::CatalogCode *, std::less<>>;

    explicit Catalog(std::unique_ptr<v1::CatalogRelease> release);
    Status index();

    // Heap-held so that the indexes' pointers survive moving the Catalog.
    std::unique_ptr<v1::CatalogRelease> m_release;
    std::map<std::string, CodesByCode, std::less<>> m_codes;
    std::unordered_map<const v1::CatalogCode *, std::vector<const v1::CatalogCode *>> m_children;
    std::map<std::string, std::vector<const v1::PresidioInfo *>, std::less<>> m_presidiByMunicipio;
    std::map<std::string, const v1::AssessmentForm *, std::less<>> m_forms;
};

// One code that differs between two releases: `before` points into the older release,
// `after` into the newer (nullptr where the code is absent).
struct CodeChange {
    const v1::CatalogCode *before = nullptr;
    const v1::CatalogCode *after = nullptr;
};

struct CatalogDiff {
    std::vector<CodeChange> added; // only in the newer release
    std::vector<CodeChange> retired; // active before, retired now
    std::vector<CodeChange> relabelled; // a label in any language added, changed or dropped
    std::vector<CodeChange> removed; // gone without retirement (a breaking change)

    bool empty() const { return added.empty() && retired.empty() && relabelled.empty() && removed.empty(); }
};

CatalogDiff diff(const Catalog &before, const Catalog &after);

} // namespace sigess::core
