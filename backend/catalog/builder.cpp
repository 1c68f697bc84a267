#include "catalog/builder.h"

#include "catalog/csv_reader.h"
#include "core/catalog.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>
#include <utility>

namespace sigess::catalog {

namespace {

namespace fs = std::filesystem;
using Columns = std::span<const std::string_view>;

constexpr std::array<std::string_view, 4> kCitizenFacingSystems { "NEED", "ACCESS_CHANNEL", "REFERRAL_SOURCE",
    "ACCESS_REASON" };

constexpr std::array<std::string_view, 2> kReleaseColumns { "number", "date" };
constexpr std::array<std::string_view, 3> kLanguageColumns { "lang", "name", "direction" };
constexpr std::array<std::string_view, 9> kSystemColumns { "code", "parent", "level", "title_it", "maps_to",
    "retired", "successor", "sort", "demo" };
constexpr std::array<std::string_view, 7> kNeedColumns { "code", "icon", "urgency", "maps_to", "title_it",
    "description_it", "sort" };
constexpr std::array<std::string_view, 4> kTranslationColumns { "system", "code", "label", "description" };
constexpr std::array<std::string_view, 7> kPresidioColumns { "code", "name", "municipio", "address", "hours",
    "desks", "demo" };
constexpr std::array<std::string_view, 4> kFormColumns { "kind", "code", "score", "label_it" };

std::string_view trim(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> parts;
    while (true) {
        const auto at = text.find(separator);
        parts.push_back(trim(text.substr(0, at)));
        if (at == std::string_view::npos)
            return parts;
        text.remove_prefix(at + 1);
    }
}

template <typename Number> std::optional<Number> parseNumber(std::string_view text)
{
    Number value {};
    const auto *end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc() || stop != end)
        return std::nullopt;
    return value;
}

bool isCodeText(std::string_view code)
{
    return std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.'
            || c == '_' || c == '-';
    });
}

bool isLanguageTag(std::string_view lang)
{
    return !lang.empty()
        && std::all_of(lang.begin(), lang.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
}

bool isIsoDate(std::string_view date)
{
    if (date.size() != 10 || date[4] != '-' || date[7] != '-')
        return false;
    const auto year = parseNumber<unsigned>(date.substr(0, 4));
    const auto month = parseNumber<unsigned>(date.substr(5, 2));
    const auto day = parseNumber<unsigned>(date.substr(8, 2));
    if (!year || !month || !day || *month < 1 || *month > 12 || *day < 1)
        return false;
    constexpr std::array<unsigned, 12> kDays { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    const bool leap = (*year % 4 == 0 && *year % 100 != 0) || *year % 400 == 0;
    return *day <= kDays[*month - 1] && !(*month == 2 && *day == 29 && !leap);
}

// "HH:MM", 00:00 to 23:59.
bool isClockTime(std::string_view time)
{
    if (time.size() != 5 || time[2] != ':')
        return false;
    const auto hours = parseNumber<unsigned>(time.substr(0, 2));
    const auto minutes = parseNumber<unsigned>(time.substr(3, 2));
    return hours && minutes && *hours < 24 && *minutes < 60;
}

std::string refText(std::string_view system, std::string_view code)
{
    std::string text(system);
    text += ':';
    text += code;
    return text;
}

// "an item", "a macro_area", "a flat-list code": the subject of a tree message.
std::string levelPhrase(v1::CodeLevel level)
{
    switch (level) {
    case v1::CODE_LEVEL_UNSPECIFIED:
        return "a flat-list code";
    case v1::CODE_LEVEL_AREA:
    case v1::CODE_LEVEL_ITEM:
        return "an " + std::string(core::levelName(level));
    default:
        return "a " + std::string(core::levelName(level));
    }
}

// A record of a file whose header matched its columns, read by column name.
class Row {
public:
    Row(const CsvFile &file, const CsvRecord &record)
        : m_file(file)
        , m_record(record)
    {
    }

    std::string_view operator[](std::string_view column) const
    {
        const auto at = std::find(m_file.header.begin(), m_file.header.end(), column);
        return trim(m_record.fields[static_cast<std::size_t>(at - m_file.header.begin())]);
    }
    const std::string &file() const { return m_file.path; }
    std::size_t line() const { return m_record.line; }

private:
    const CsvFile &m_file;
    const CsvRecord &m_record;
};

class Builder {
public:
    Builder(fs::path source, BuildOptions options)
        : m_source(std::move(source))
        , m_options(options)
    {
    }

    BuildResult run()
    {
        readRelease();
        readLanguages();
        readSystems();
        readNeeds();
        readPresidi();
        readForms();
        checkReferences();
        checkTrees();
        checkRetired();
        checkLocalItems();
        readTranslations();

        BuildResult result;
        for (auto &[key, entry] : m_codes)
            *m_release.add_codes() = std::move(entry.code);
        result.coverage = coverage();
        std::stable_sort(m_errors.begin(), m_errors.end(), [](const BuildIssue &a, const BuildIssue &b) {
            return std::tie(a.file, a.line) < std::tie(b.file, b.line);
        });
        if (m_errors.empty())
            core::sealRelease(m_release);
        result.release = std::move(m_release);
        result.errors = std::move(m_errors);
        return result;
    }

private:
    struct CodeEntry {
        v1::CatalogCode code;
        std::string file;
        std::size_t line = 0;
    };
    using CodeKey = std::pair<std::string, std::string>;

    struct PendingReference {
        std::string file;
        std::size_t line = 0;
        std::string from; // who refers, e.g. "LOCAL:L.A1.01 maps_to" or "presidio P01 municipio"
        v1::CodeRef target;
    };

    void fail(const std::string &file, std::size_t line, std::string_view rule, std::string message)
    {
        m_errors.push_back({ file, line, std::string(rule), std::move(message) });
    }
    void fail(const Row &row, std::string_view rule, std::string message)
    {
        fail(row.file(), row.line(), rule, std::move(message));
    }

    std::string display(const fs::path &relative) const { return (m_source / relative).string(); }

    // The file's rows that have the right shape; nullopt when the file is absent
    // (reported if `required`) or unusable.
    std::optional<CsvFile> open(const fs::path &relative, Columns columns, bool required)
    {
        const std::string path = display(relative);
        std::error_code error;
        if (!fs::is_regular_file(m_source / relative, error)) {
            if (required)
                fail(path, 0, "missing-file", "the file is missing");
            return std::nullopt;
        }
        auto parsed = readCsvFile(m_source / relative, path);
        if (const auto *syntax = std::get_if<CsvError>(&parsed)) {
            fail(path, syntax->line, "csv", syntax->reason);
            return std::nullopt;
        }
        CsvFile file = std::get<CsvFile>(std::move(parsed));
        if (!std::equal(file.header.begin(), file.header.end(), columns.begin(), columns.end())) {
            std::string expected;
            for (const auto column : columns)
                expected += (expected.empty() ? "" : ",") + std::string(column);
            fail(path, file.headerLine == 0 ? 1 : file.headerLine, "header",
                "the header must be '" + expected + "'");
            return std::nullopt;
        }
        std::erase_if(file.records, [&](const CsvRecord &record) {
            if (record.fields.size() == columns.size())
                return false;
            fail(path, record.line, "column-count",
                "expected " + std::to_string(columns.size()) + " fields, found "
                    + std::to_string(record.fields.size()));
            return true;
        });
        return file;
    }

    std::vector<fs::path> filesIn(const fs::path &folder) const
    {
        std::vector<fs::path> files;
        std::error_code error;
        for (fs::directory_iterator it(m_source / folder, error), end; !error && it != end;
             it.increment(error)) {
            if (it->is_regular_file() && it->path().extension() == ".csv")
                files.push_back(folder / it->path().filename());
        }
        std::sort(files.begin(), files.end());
        return files;
    }

    std::optional<bool> parseYes(const Row &row, std::string_view column)
    {
        const auto value = row[column];
        if (value.empty() || value == "yes")
            return value == "yes";
        fail(row, "unknown-value",
            std::string(column) + " '" + std::string(value) + "' must be 'yes' or empty");
        return std::nullopt;
    }

    std::uint32_t parseSort(const Row &row)
    {
        const auto value = row["sort"];
        if (value.empty())
            return 0;
        const auto sort = parseNumber<std::uint32_t>(value);
        if (!sort)
            fail(row, "bad-format", "sort '" + std::string(value) + "' is not a non-negative integer");
        return sort.value_or(0);
    }

    // Checks the text of a code; false (and reported) when it is empty or malformed.
    bool checkCode(const Row &row, std::string_view code, std::string_view what)
    {
        if (code.empty()) {
            fail(row, "required", std::string(what) + " is empty");
            return false;
        }
        if (!isCodeText(code)) {
            fail(row, "bad-format",
                std::string(what) + " '" + std::string(code)
                    + "' may hold only ASCII letters, digits, '.', '_', '-'");
            return false;
        }
        return true;
    }

    void parseMappings(const Row &row, const std::string &from, v1::CatalogCode &code)
    {
        const auto text = row["maps_to"];
        if (text.empty())
            return;
        for (const auto token : split(text, ' ')) {
            if (token.empty())
                continue;
            const auto colon = token.find(':');
            if (colon == std::string_view::npos || colon == 0 || colon + 1 == token.size()) {
                fail(row, "bad-format", "maps_to reference '" + std::string(token) + "' is not SYSTEM:CODE");
                continue;
            }
            auto *ref = code.add_mappings();
            ref->set_system(std::string(token.substr(0, colon)));
            ref->set_code(std::string(token.substr(colon + 1)));
            m_references.push_back({ row.file(), row.line(), from + " maps_to", *ref });
        }
    }

    void addCode(const Row &row, v1::CatalogCode code)
    {
        CodeKey key { code.system(), code.code() };
        const auto [existing, inserted] = m_codes.try_emplace(key);
        if (!inserted) {
            fail(row, "unique",
                "code " + refText(key.first, key.second) + " repeats line "
                    + std::to_string(existing->second.line));
            return;
        }
        existing->second = { std::move(code), row.file(), row.line() };
    }

    void addItalian(google::protobuf::RepeatedPtrField<v1::LocalizedText> &texts, std::string_view text)
    {
        auto *localized = texts.Add();
        localized->set_lang(std::string(core::kReferenceLanguage));
        localized->set_text(std::string(text));
    }

    bool requireItalian(const Row &row, std::string_view column, std::string_view what)
    {
        if (!row[column].empty())
            return true;
        fail(row, "italian-label", std::string(what) + " has an empty " + std::string(column));
        return false;
    }

    void readRelease()
    {
        const auto file = open("release.csv", kReleaseColumns, true);
        if (!file)
            return;
        if (file->records.size() != 1) {
            fail(file->path, file->headerLine, "required",
                "release.csv must hold exactly one data line, found " + std::to_string(file->records.size()));
        }
        if (file->records.empty())
            return;
        const Row row(*file, file->records.front());
        const auto number = parseNumber<std::uint32_t>(row["number"]);
        if (!number || *number == 0)
            fail(row, "bad-format", "number '" + std::string(row["number"]) + "' is not a positive integer");
        m_release.set_number(m_options.number.value_or(number.value_or(0)));
        if (!isIsoDate(row["date"]))
            fail(row, "bad-format",
                "date '" + std::string(row["date"]) + "' is not an ISO 8601 date (YYYY-MM-DD)");
        m_release.set_date(std::string(row["date"]));
    }

    void readLanguages()
    {
        const auto file = open("languages.csv", kLanguageColumns, true);
        if (!file)
            return;
        for (const auto &record : file->records) {
            const Row row(*file, record);
            const auto lang = row["lang"];
            if (!isLanguageTag(lang)) {
                fail(row, "bad-format", "lang '" + std::string(lang) + "' is not a lower-case language code");
                continue;
            }
            if (m_languages.contains(std::string(lang))) {
                fail(row, "unique", "language " + std::string(lang) + " is listed twice");
                continue;
            }
            if (m_release.languages().empty() && lang != core::kReferenceLanguage)
                fail(row, "required", "languages.csv must list Italian (it) first");
            if (row["name"].empty())
                fail(row, "required", "language " + std::string(lang) + " has an empty name");
            const auto direction = row["direction"];
            if (direction != "ltr" && direction != "rtl")
                fail(row, "unknown-value",
                    "direction '" + std::string(direction) + "' must be 'ltr' or 'rtl'");
            m_languages.emplace(lang);
            m_release.add_languages(std::string(lang));
            auto *info = m_release.add_language_info();
            info->set_lang(std::string(lang));
            info->set_name(std::string(row["name"]));
            info->set_right_to_left(direction == "rtl");
        }
        if (m_release.languages().empty())
            fail(file->path, file->headerLine, "required", "languages.csv must list Italian (it) first");
    }

    std::optional<v1::CodeLevel> parseLevel(const Row &row)
    {
        const auto level = core::parseLevel(row["level"]);
        if (!level)
            fail(row, "unknown-value",
                "level '" + std::string(row["level"]) + "' must be macro_area, area, item or empty");
        return level;
    }

    void readSystems()
    {
        for (const auto &relative : filesIn("systems")) {
            const std::string system = relative.stem().string();
            const auto file = open(relative, kSystemColumns, false);
            if (!file)
                continue;
            for (const auto &record : file->records) {
                const Row row(*file, record);
                if (!checkCode(row, row["code"], "code"))
                    continue;
                v1::CatalogCode code;
                code.set_system(system);
                code.set_code(std::string(row["code"]));
                const std::string self = refText(system, code.code());
                code.set_parent(std::string(row["parent"]));
                if (!code.parent().empty())
                    m_references.push_back(
                        { row.file(), row.line(), self + " parent", refOf(system, code.parent()) });
                code.set_level(parseLevel(row).value_or(v1::CODE_LEVEL_UNSPECIFIED));
                if (requireItalian(row, "title_it", self))
                    addItalian(*code.mutable_labels(), row["title_it"]);
                parseMappings(row, self, code);
                code.set_retired(parseYes(row, "retired").value_or(false));
                code.set_successor(std::string(row["successor"]));
                code.set_sort_order(parseSort(row));
                code.set_demo_data(parseYes(row, "demo").value_or(false));
                addCode(row, std::move(code));
            }
        }
    }

    static v1::CodeRef refOf(std::string_view system, std::string_view code)
    {
        v1::CodeRef ref;
        ref.set_system(std::string(system));
        ref.set_code(std::string(code));
        return ref;
    }

    std::optional<v1::Urgency> parseUrgency(const Row &row)
    {
        const auto urgency = core::parseUrgency(row["urgency"]);
        if (!urgency)
            fail(row, "unknown-value",
                "urgency '" + std::string(row["urgency"]) + "' must be routine, priority or urgent_discreet");
        return urgency;
    }

    void readNeeds()
    {
        const auto file = open("needs.csv", kNeedColumns, false);
        if (!file)
            return;
        for (const auto &record : file->records) {
            const Row row(*file, record);
            if (!checkCode(row, row["code"], "code"))
                continue;
            v1::CatalogCode code;
            code.set_system("NEED");
            code.set_code(std::string(row["code"]));
            const std::string self = refText("NEED", code.code());
            code.set_icon(std::string(row["icon"]));
            code.set_urgency(parseUrgency(row).value_or(v1::URGENCY_UNSPECIFIED));
            parseMappings(row, self, code);
            if (requireItalian(row, "title_it", self))
                addItalian(*code.mutable_labels(), row["title_it"]);
            if (!row["description_it"].empty())
                addItalian(*code.mutable_descriptions(), row["description_it"]);
            code.set_sort_order(parseSort(row));
            addCode(row, std::move(code));
        }
    }

    // "1-5 08:30-12:30; 2,4 14:30-17:00" -> one OpeningHours per weekday and group.
    void parseHours(const Row &row, v1::PresidioInfo &presidio)
    {
        const auto text = row["hours"];
        if (text.empty())
            return;
        auto bad = [&](std::string_view group, std::string_view why) {
            fail(row, "bad-format", "hours group '" + std::string(group) + "': " + std::string(why));
        };
        for (const auto group : split(text, ';')) {
            const auto space = group.find(' ');
            if (space == std::string_view::npos) {
                bad(group, "expected 'DAYS HH:MM-HH:MM'");
                continue;
            }
            const auto times = split(trim(group.substr(space + 1)), '-');
            if (times.size() != 2 || !isClockTime(times[0]) || !isClockTime(times[1])
                || times[0] >= times[1]) {
                bad(group, "expected an opening before a closing time, HH:MM-HH:MM");
                continue;
            }
            std::set<std::uint32_t> days;
            bool daysOk = true;
            for (const auto range : split(group.substr(0, space), ',')) {
                const auto bounds = split(range, '-');
                const auto first = parseNumber<std::uint32_t>(bounds.front());
                const auto last = parseNumber<std::uint32_t>(bounds.back());
                if (bounds.size() > 2 || !first || !last || *first < 1 || *last > 7 || *first > *last) {
                    daysOk = false;
                    break;
                }
                for (auto day = *first; day <= *last; ++day)
                    days.insert(day);
            }
            if (!daysOk) {
                bad(group, "days must be ISO weekdays 1-7, as N, N-M or a comma list");
                continue;
            }
            for (const auto day : days) {
                auto *hours = presidio.add_hours();
                hours->set_weekday(day);
                hours->set_opens(std::string(times[0]));
                hours->set_closes(std::string(times[1]));
            }
        }
        auto *hours = presidio.mutable_hours();
        std::sort(hours->begin(), hours->end(), [](const v1::OpeningHours &a, const v1::OpeningHours &b) {
            return std::forward_as_tuple(a.weekday(), a.opens())
                < std::forward_as_tuple(b.weekday(), b.opens());
        });
    }

    void readPresidi()
    {
        const auto file = open("presidi.csv", kPresidioColumns, false);
        if (!file)
            return;
        std::map<std::string, std::size_t, std::less<>> seen;
        for (const auto &record : file->records) {
            const Row row(*file, record);
            if (!checkCode(row, row["code"], "presidio code"))
                continue;
            const auto [first, inserted] = seen.emplace(row["code"], row.line());
            if (!inserted) {
                fail(row, "unique",
                    "presidio " + std::string(row["code"]) + " repeats line "
                        + std::to_string(first->second));
                continue;
            }
            v1::PresidioInfo presidio;
            presidio.set_code(std::string(row["code"]));
            presidio.set_name(std::string(row["name"]));
            if (presidio.name().empty())
                fail(row, "required", "presidio " + presidio.code() + " has an empty name");
            presidio.set_municipio(std::string(row["municipio"]));
            if (presidio.municipio().empty())
                fail(row, "required", "presidio " + presidio.code() + " has an empty municipio");
            else
                m_references.push_back({ row.file(), row.line(), "presidio " + presidio.code() + " municipio",
                    refOf("MUNICIPIO", presidio.municipio()) });
            presidio.set_address(std::string(row["address"]));
            parseHours(row, presidio);
            if (!row["desks"].empty()) {
                for (const auto desk : split(row["desks"], ';')) {
                    if (!desk.empty())
                        presidio.add_desks(std::string(desk));
                }
            }
            presidio.set_demo_data(parseYes(row, "demo").value_or(false));
            *m_release.add_presidi() = std::move(presidio);
        }
    }

    void readForm(const fs::path &relative)
    {
        const auto file = open(relative, kFormColumns, false);
        if (!file)
            return;
        v1::AssessmentForm form;
        form.set_code(relative.stem().string());
        form.set_scoring("sum");
        std::map<std::string, std::size_t, std::less<>> itemLines;
        for (const auto &record : file->records) {
            const Row row(*file, record);
            const auto kind = row["kind"];
            const auto code = row["code"];
            const bool labelled
                = requireItalian(row, "label_it", "form " + form.code() + " " + std::string(kind));
            if (kind == "title") {
                if (!form.titles().empty())
                    fail(row, "form-structure", "form " + form.code() + " has a second title");
                else if (labelled)
                    addItalian(*form.mutable_titles(), row["label_it"]);
            } else if (kind == "item") {
                if (!checkCode(row, code, "item code"))
                    continue;
                const auto [first, inserted] = itemLines.emplace(code, row.line());
                if (!inserted) {
                    fail(row, "unique",
                        "item " + std::string(code) + " repeats line " + std::to_string(first->second));
                    continue;
                }
                auto *item = form.add_items();
                item->set_code(std::string(code));
                if (labelled)
                    addItalian(*item->mutable_labels(), row["label_it"]);
            } else if (kind == "option") {
                if (form.items().empty()) {
                    fail(row, "form-structure", "an option must follow the item it answers");
                    continue;
                }
                if (code.empty()) {
                    fail(row, "required", "an option has an empty value in code");
                    continue;
                }
                const auto score = parseNumber<double>(row["score"]);
                if (!score)
                    fail(row, "bad-format", "score '" + std::string(row["score"]) + "' is not a number");
                auto *option = form.mutable_items()->rbegin()->add_options();
                option->set_value(std::string(code));
                option->set_score(score.value_or(0));
                if (labelled)
                    addItalian(*option->mutable_labels(), row["label_it"]);
            } else if (kind == "band") {
                const auto bounds = split(code, '-');
                const auto min = parseNumber<double>(bounds.front());
                const auto max = parseNumber<double>(bounds.back());
                if (bounds.size() != 2 || !min || !max || *min > *max) {
                    fail(row, "bad-format", "band '" + std::string(code) + "' is not a range MIN-MAX");
                    continue;
                }
                auto *band = form.add_bands();
                band->set_min(*min);
                band->set_max(*max);
                if (labelled)
                    addItalian(*band->mutable_labels(), row["label_it"]);
            } else {
                fail(row, "unknown-value",
                    "kind '" + std::string(kind) + "' must be title, item, option or band");
            }
        }
        if (form.titles().empty())
            fail(
                file->path, file->headerLine, "form-structure", "form " + form.code() + " has no title line");
        double maxScore = 0;
        for (const auto &item : form.items()) {
            double best = 0;
            for (const auto &option : item.options())
                best = std::max(best, option.score());
            maxScore += best;
        }
        form.set_max_score(maxScore);
        *m_release.add_forms() = std::move(form);
    }

    void readForms()
    {
        for (const auto &relative : filesIn("forms"))
            readForm(relative);
    }

    const CodeEntry *findCode(std::string_view system, std::string_view code) const
    {
        const auto found = m_codes.find(CodeKey { std::string(system), std::string(code) });
        return found == m_codes.end() ? nullptr : &found->second;
    }

    void checkReferences()
    {
        for (const auto &ref : m_references) {
            if (!findCode(ref.target.system(), ref.target.code()))
                fail(ref.file, ref.line, "unknown-reference",
                    ref.from + " points to unknown code " + refText(ref.target.system(), ref.target.code()));
        }
    }

    void checkTrees()
    {
        for (const auto &[key, entry] : m_codes) {
            const auto &code = entry.code;
            const auto level = code.level();
            const bool needsParent = level == v1::CODE_LEVEL_AREA || level == v1::CODE_LEVEL_ITEM;
            const std::string self = refText(key.first, key.second);
            if (!needsParent) {
                if (!code.parent().empty())
                    fail(entry.file, entry.line, "tree",
                        levelPhrase(level) + " has no parent, but " + self + " names " + code.parent());
                continue;
            }
            if (code.parent().empty()) {
                fail(entry.file, entry.line, "tree", levelPhrase(level) + " needs a parent: " + self);
                continue;
            }
            const auto *parent = findCode(key.first, code.parent());
            if (!parent)
                continue; // reported as unknown-reference
            const auto parentLevel = parent->code.level();
            if (parentLevel == v1::CODE_LEVEL_UNSPECIFIED || parentLevel >= level)
                fail(entry.file, entry.line, "tree",
                    self + ", " + levelPhrase(level) + ", cannot sit under "
                        + refText(key.first, code.parent()) + ", " + levelPhrase(parentLevel));
        }
    }

    void checkRetired()
    {
        for (const auto &[key, entry] : m_codes) {
            const auto &code = entry.code;
            const std::string self = refText(key.first, key.second);
            auto report = [&](std::string message) {
                this->fail(entry.file, entry.line, "retired-successor", std::move(message));
            };
            if (!code.retired()) {
                if (!code.successor().empty())
                    report(self + " names a successor but is not retired");
                continue;
            }
            if (code.successor().empty()) {
                report("retired code " + self + " names no successor");
                continue;
            }
            const auto *successor = findCode(key.first, code.successor());
            if (code.successor() == code.code())
                report("retired code " + self + " names itself as successor");
            else if (!successor)
                report("retired code " + self + " names unknown successor "
                    + refText(key.first, code.successor()));
            else if (successor->code.retired())
                report("retired code " + self + " names successor " + refText(key.first, code.successor())
                    + ", which is retired too");
        }
    }

    void checkLocalItems()
    {
        for (const auto &[key, entry] : m_codes) {
            if (key.first != "LOCAL" || entry.code.level() != v1::CODE_LEVEL_ITEM)
                continue;
            const auto areas = std::count_if(entry.code.mappings().begin(), entry.code.mappings().end(),
                [](const v1::CodeRef &ref) { return ref.system() == "ISTAT_AREA"; });
            if (areas != 1)
                fail(entry.file, entry.line, "local-istat-area",
                    "LOCAL item " + key.second + " maps to " + std::to_string(areas)
                        + " ISTAT_AREA codes; every local intervention maps to exactly one");
        }
    }

    void readTranslation(const std::string &lang, const fs::path &relative)
    {
        const auto file = open(relative, kTranslationColumns, false);
        if (!file)
            return;
        std::map<CodeKey, std::size_t> seen;
        for (const auto &record : file->records) {
            const Row row(*file, record);
            const CodeKey key { std::string(row["system"]), std::string(row["code"]) };
            const std::string self = refText(key.first, key.second);
            const auto found = m_codes.find(key);
            if (found == m_codes.end()) {
                fail(row, "unknown-reference", "translation of unknown code " + self);
                continue;
            }
            const auto [first, inserted] = seen.emplace(key, row.line());
            if (!inserted) {
                fail(row, "unique",
                    "translation of " + self + " repeats line " + std::to_string(first->second));
                continue;
            }
            if (row["label"].empty()) {
                fail(row, "required", "translation of " + self + " has an empty label");
                continue;
            }
            auto &code = found->second.code;
            auto *label = code.add_labels();
            label->set_lang(lang);
            label->set_text(std::string(row["label"]));
            if (!row["description"].empty()) {
                auto *description = code.add_descriptions();
                description->set_lang(lang);
                description->set_text(std::string(row["description"]));
            }
        }
    }

    void readTranslations()
    {
        for (const auto &lang : m_release.languages()) {
            if (lang != core::kReferenceLanguage)
                readTranslation(lang, fs::path("i18n") / (lang + ".csv"));
        }
        for (const auto &relative : filesIn("i18n")) {
            const std::string lang = relative.stem().string();
            if (lang == core::kReferenceLanguage)
                fail(display(relative), 0, "unknown-value",
                    "Italian lives in the title_it, description_it and label_it columns, not in i18n/");
            else if (!m_languages.contains(lang))
                fail(display(relative), 0, "unknown-value",
                    "language '" + lang + "' is not listed in languages.csv");
        }
    }

    std::vector<LanguageCoverage> coverage() const
    {
        std::vector<LanguageCoverage> report;
        for (const auto &lang : m_release.languages()) {
            if (lang == core::kReferenceLanguage)
                continue;
            LanguageCoverage language { lang, {} };
            for (const auto &code : m_release.codes()) {
                const bool citizenFacing
                    = std::find(kCitizenFacingSystems.begin(), kCitizenFacingSystems.end(), code.system())
                    != kCitizenFacingSystems.end();
                if (citizenFacing && !code.retired() && core::pickLocalized(code.labels(), lang).fellBack)
                    language.missing.push_back(refOf(code.system(), code.code()));
            }
            report.push_back(std::move(language));
        }
        return report;
    }

    fs::path m_source;
    BuildOptions m_options;
    v1::CatalogRelease m_release;
    std::vector<BuildIssue> m_errors;
    std::map<CodeKey, CodeEntry> m_codes;
    std::vector<PendingReference> m_references;
    std::set<std::string, std::less<>> m_languages;
};

} // namespace

std::string BuildIssue::describe() const
{
    std::string text = file;
    if (line != 0)
        text += ':' + std::to_string(line);
    return text + ": [" + rule + "] " + message;
}

std::span<const std::string_view> citizenFacingSystems()
{
    return kCitizenFacingSystems;
}

BuildResult buildCatalog(const std::filesystem::path &sourceDir, const BuildOptions &options)
{
    return Builder(sourceDir, options).run();
}

} // namespace sigess::catalog
