#include "core/catalog.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <sodium.h>
#include <sstream>
#include <stdexcept>
#include <tuple>

namespace sigess::core {

namespace {

bool isAreaSystem(std::string_view system)
{
    return system == "ISTAT_AREA" || system == "SIUSS_AREA";
}

std::string refText(std::string_view system, std::string_view code)
{
    std::string text(system);
    text += ':';
    text += code;
    return text;
}

bool sameTexts(const google::protobuf::RepeatedPtrField<v1::LocalizedText> &a,
    const google::protobuf::RepeatedPtrField<v1::LocalizedText> &b)
{
    auto asMap = [](const auto &texts) {
        std::map<std::string_view, std::string_view> byLang;
        for (const auto &text : texts)
            byLang.emplace(text.lang(), text.text());
        return byLang;
    };
    return asMap(a) == asMap(b);
}

} // namespace

LocalizedLabel pickLocalized(
    const google::protobuf::RepeatedPtrField<v1::LocalizedText> &texts, std::string_view lang)
{
    const v1::LocalizedText *reference = nullptr;
    for (const auto &text : texts) {
        if (text.lang() == lang && !text.text().empty())
            return { text.text(), text.lang(), false };
        if (text.lang() == kReferenceLanguage)
            reference = &text;
    }
    if (!reference)
        return { {}, kReferenceLanguage, true };
    return { reference->text(), reference->lang(), lang != kReferenceLanguage };
}

std::string_view levelName(v1::CodeLevel level)
{
    switch (level) {
    case v1::CODE_LEVEL_MACRO_AREA:
        return "macro_area";
    case v1::CODE_LEVEL_AREA:
        return "area";
    case v1::CODE_LEVEL_ITEM:
        return "item";
    default:
        return "";
    }
}

std::optional<v1::CodeLevel> parseLevel(std::string_view name)
{
    for (const auto level :
        { v1::CODE_LEVEL_UNSPECIFIED, v1::CODE_LEVEL_MACRO_AREA, v1::CODE_LEVEL_AREA, v1::CODE_LEVEL_ITEM }) {
        if (levelName(level) == name)
            return level;
    }
    return std::nullopt;
}

std::string_view urgencyName(v1::Urgency urgency)
{
    switch (urgency) {
    case v1::URGENCY_ROUTINE:
        return "routine";
    case v1::URGENCY_PRIORITY:
        return "priority";
    case v1::URGENCY_URGENT_DISCREET:
        return "urgent_discreet";
    default:
        return "";
    }
}

std::optional<v1::Urgency> parseUrgency(std::string_view name)
{
    for (const auto urgency : { v1::URGENCY_ROUTINE, v1::URGENCY_PRIORITY, v1::URGENCY_URGENT_DISCREET }) {
        if (urgencyName(urgency) == name)
            return urgency;
    }
    return std::nullopt;
}

std::filesystem::path defaultReleasePath()
{
    const char *configured = std::getenv("SIGESS_CATALOG");
    if (configured && *configured)
        return configured;
    return std::filesystem::path("var") / "catalog" / "current.pb";
}

std::string serializeRelease(const v1::CatalogRelease &release)
{
    // Unknown fields of a newer schema are re-encoded after the known ones; since new
    // fields only ever take higher numbers, an older reader re-encodes the same bytes and
    // its hash check still passes.
    std::string bytes;
    {
        google::protobuf::io::StringOutputStream stream(&bytes);
        google::protobuf::io::CodedOutputStream coded(&stream);
        coded.SetSerializationDeterministic(true);
        // proto3 has no required fields, so encoding cannot fail.
        release.SerializeToCodedStream(&coded);
    }
    return bytes;
}

std::string contentHash(const v1::CatalogRelease &release)
{
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium failed to initialise");
    v1::CatalogRelease unhashed = release;
    unhashed.clear_content_hash();
    const std::string bytes = serializeRelease(unhashed);
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest {};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char *>(bytes.data()), bytes.size());
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex {};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return std::string(hex.data(), crypto_hash_sha256_BYTES * 2);
}

void sealRelease(v1::CatalogRelease &release)
{
    auto *codes = release.mutable_codes();
    std::sort(codes->begin(), codes->end(), [](const v1::CatalogCode &a, const v1::CatalogCode &b) {
        return std::tie(a.system(), a.code()) < std::tie(b.system(), b.code());
    });
    auto *presidi = release.mutable_presidi();
    std::sort(presidi->begin(), presidi->end(),
        [](const v1::PresidioInfo &a, const v1::PresidioInfo &b) { return a.code() < b.code(); });
    auto *forms = release.mutable_forms();
    std::sort(forms->begin(), forms->end(),
        [](const v1::AssessmentForm &a, const v1::AssessmentForm &b) { return a.code() < b.code(); });
    release.set_content_hash(contentHash(release));
}

Catalog::Catalog(std::unique_ptr<v1::CatalogRelease> release)
    : m_release(std::move(release))
{
}

Result<Catalog> Catalog::fromBytes(std::string_view bytes)
{
    auto release = std::make_unique<v1::CatalogRelease>();
    if (!release->ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
        return makeError(ErrorCode::Corrupt, "catalog release is not a valid CatalogRelease encoding");
    return fromRelease(std::move(*release));
}

Result<Catalog> Catalog::fromFile(const std::filesystem::path &path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return makeError(ErrorCode::Unavailable, "cannot open catalog release " + path.string());
    std::ostringstream bytes;
    bytes << file.rdbuf();
    auto catalog = fromBytes(bytes.str());
    if (!catalog.ok()) {
        Error error = catalog.takeError();
        error.message = path.string() + ": " + error.message;
        return error;
    }
    return catalog;
}

Result<Catalog> Catalog::fromRelease(v1::CatalogRelease release)
{
    const std::string computed = contentHash(release);
    if (release.content_hash() != computed) {
        return makeError(ErrorCode::Corrupt,
            "catalog release " + std::to_string(release.number())
                + " fails its integrity check: content hash '" + release.content_hash() + "', computed '"
                + computed + "'");
    }
    Catalog catalog(std::make_unique<v1::CatalogRelease>(std::move(release)));
    SIGESS_TRY(catalog.index());
    return catalog;
}

Status Catalog::index()
{
    for (const auto &code : m_release->codes()) {
        auto &bySystem = m_codes[code.system()];
        if (!bySystem.emplace(code.code(), &code).second)
            return makeError(
                ErrorCode::Corrupt, "catalog release repeats code " + refText(code.system(), code.code()));
    }
    for (const auto &code : m_release->codes()) {
        if (code.parent().empty())
            continue;
        if (const auto *parent = find(code.system(), code.parent()))
            m_children[parent].push_back(&code);
    }
    for (auto &[parent, children] : m_children) {
        std::sort(children.begin(), children.end(), [](const v1::CatalogCode *a, const v1::CatalogCode *b) {
            return std::forward_as_tuple(a->sort_order(), a->code())
                < std::forward_as_tuple(b->sort_order(), b->code());
        });
    }
    for (const auto &presidio : m_release->presidi())
        m_presidiByMunicipio[presidio.municipio()].push_back(&presidio);
    for (const auto &form : m_release->forms())
        m_forms.emplace(form.code(), &form);
    return {};
}

const v1::CatalogCode *Catalog::find(std::string_view system, std::string_view code) const
{
    const auto bySystem = m_codes.find(system);
    if (bySystem == m_codes.end())
        return nullptr;
    const auto found = bySystem->second.find(code);
    return found == bySystem->second.end() ? nullptr : found->second;
}

Result<const v1::CatalogCode *> Catalog::validate(std::string_view system, std::string_view code) const
{
    const auto *found = find(system, code);
    if (!found)
        return makeError(ErrorCode::NotFound, "unknown code " + refText(system, code));
    if (found->retired()) {
        return makeError(ErrorCode::Invalid,
            "code " + refText(system, code) + " was retired; use " + refText(system, found->successor()));
    }
    return found;
}

Result<LocalizedLabel> Catalog::label(
    std::string_view system, std::string_view code, std::string_view lang) const
{
    const auto *found = find(system, code);
    if (!found)
        return makeError(ErrorCode::NotFound, "unknown code " + refText(system, code));
    return pickLocalized(found->labels(), lang);
}

Result<LocalizedLabel> Catalog::description(
    std::string_view system, std::string_view code, std::string_view lang) const
{
    const auto *found = find(system, code);
    if (!found)
        return makeError(ErrorCode::NotFound, "unknown code " + refText(system, code));
    return pickLocalized(found->descriptions(), lang);
}

Result<NeedMapping> Catalog::needCodes(std::string_view needCode) const
{
    NeedMapping mapping;
    mapping.need = find("NEED", needCode);
    if (!mapping.need)
        return makeError(ErrorCode::NotFound, "unknown need category " + std::string(needCode));
    auto addArea = [&mapping](const v1::CatalogCode *area) {
        if (std::find(mapping.areas.begin(), mapping.areas.end(), area) == mapping.areas.end())
            mapping.areas.push_back(area);
    };
    std::vector<const v1::CatalogCode *> targets;
    for (const auto &ref : mapping.need->mappings()) {
        const auto *target = find(ref.system(), ref.code());
        if (!target)
            return makeError(ErrorCode::Corrupt,
                "need category " + std::string(needCode) + " maps to unknown code "
                    + refText(ref.system(), ref.code()));
        targets.push_back(target);
    }
    // The need's own areas come first: they say what the need is about, while an
    // intervention's area only says whom that intervention usually serves.
    for (const auto *target : targets) {
        if (isAreaSystem(target->system()))
            addArea(target);
        else
            mapping.interventions.push_back(target);
    }
    for (const auto *intervention : mapping.interventions) {
        for (const auto &ref : intervention->mappings()) {
            if (!isAreaSystem(ref.system()))
                continue;
            if (const auto *area = find(ref.system(), ref.code()))
                addArea(area);
        }
    }
    return mapping;
}

std::vector<std::string_view> Catalog::systems() const
{
    std::vector<std::string_view> names;
    names.reserve(m_codes.size());
    for (const auto &[system, codes] : m_codes)
        names.push_back(system);
    return names;
}

std::vector<const v1::CatalogCode *> Catalog::codes(std::string_view system) const
{
    std::vector<const v1::CatalogCode *> found;
    const auto bySystem = m_codes.find(system);
    if (bySystem == m_codes.end())
        return found;
    found.reserve(bySystem->second.size());
    for (const auto &[code, entry] : bySystem->second)
        found.push_back(entry);
    return found;
}

std::vector<const v1::CatalogCode *> Catalog::children(std::string_view system, std::string_view code) const
{
    const auto *parent = find(system, code);
    if (!parent)
        return {};
    const auto found = m_children.find(parent);
    return found == m_children.end() ? std::vector<const v1::CatalogCode *> {} : found->second;
}

std::vector<const v1::PresidioInfo *> Catalog::presidiIn(std::string_view municipio) const
{
    const auto found = m_presidiByMunicipio.find(municipio);
    return found == m_presidiByMunicipio.end() ? std::vector<const v1::PresidioInfo *> {} : found->second;
}

const v1::AssessmentForm *Catalog::form(std::string_view code) const
{
    const auto found = m_forms.find(code);
    return found == m_forms.end() ? nullptr : found->second;
}

CatalogDiff diff(const Catalog &before, const Catalog &after)
{
    CatalogDiff changes;
    for (const auto &code : after.release().codes()) {
        if (!before.find(code.system(), code.code()))
            changes.added.push_back({ nullptr, &code });
    }
    for (const auto &old : before.release().codes()) {
        const auto *now = after.find(old.system(), old.code());
        if (!now) {
            changes.removed.push_back({ &old, nullptr });
            continue;
        }
        if (!old.retired() && now->retired())
            changes.retired.push_back({ &old, now });
        if (!sameTexts(old.labels(), now->labels()))
            changes.relabelled.push_back({ &old, now });
    }
    return changes;
}

} // namespace sigess::core
