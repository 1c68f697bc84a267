#include "catalog/builder.h"
#include "core/catalog.h"
#include "ctl/command.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string_view>
#include <system_error>

namespace sigess::ctl {

namespace {

namespace fs = std::filesystem;
using core::Catalog;

constexpr std::string_view kUsage
    = "usage: sigessctl catalog build [--source DIR] [--out FILE] [--number N]\n"
      "       sigessctl catalog show [--lang LANG] [--file FILE] [SYSTEM:CODE | CODE]\n"
      "       sigessctl catalog diff OLD_FILE NEW_FILE\n"
      "The release file defaults to $SIGESS_CATALOG, else var/catalog/current.pb.\n";

int usageError(CommandIo io, std::string_view problem)
{
    io.err << "sigessctl catalog: " << problem << '\n' << kUsage;
    return 2;
}

// Options of the form `--name VALUE` and positional arguments, in order.
struct ParsedArgs {
    std::map<std::string, std::string, std::less<>> options;
    std::vector<std::string> positional;
};

std::optional<ParsedArgs> parseArgs(
    const Args &args, std::size_t first, std::initializer_list<std::string_view> known, CommandIo io)
{
    ParsedArgs parsed;
    for (std::size_t i = first; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (!arg.starts_with("--")) {
            parsed.positional.push_back(arg);
            continue;
        }
        const std::string name = arg.substr(2);
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            usageError(io, "unknown option " + arg);
            return std::nullopt;
        }
        if (i + 1 >= args.size()) {
            usageError(io, "option " + arg + " needs a value");
            return std::nullopt;
        }
        parsed.options[name] = args[++i];
    }
    return parsed;
}

std::string option(const ParsedArgs &parsed, std::string_view name, std::string fallback)
{
    const auto found = parsed.options.find(name);
    return found == parsed.options.end() ? std::move(fallback) : found->second;
}

std::string refText(std::string_view system, std::string_view code)
{
    return std::string(system) + ':' + std::string(code);
}

std::string_view italian(const v1::CatalogCode &code)
{
    return core::pickLocalized(code.labels(), core::kReferenceLanguage).text;
}

void printHeader(const v1::CatalogRelease &release, std::ostream &out)
{
    out << "catalog release " << release.number() << " of " << release.date() << "\n"
        << "content hash " << release.content_hash() << '\n';
}

void printSummary(const Catalog &catalog, std::ostream &out)
{
    const auto &release = catalog.release();
    out << "codes per system:\n";
    for (const auto system : catalog.systems())
        out << "  " << system << ' ' << catalog.codes(system).size() << '\n';
    out << "presidi: " << release.presidi_size() << '\n';
    out << "forms: " << release.forms_size();
    for (const auto &form : release.forms())
        out << (&form == &release.forms(0) ? " (" : ", ") << form.code();
    out << (release.forms().empty() ? "\n" : ")\n");
    out << "languages: " << release.languages_size();
    for (const auto &lang : release.languages())
        out << (&lang == &release.languages(0) ? " (" : ", ") << lang;
    out << (release.languages().empty() ? "\n" : ")\n");
}

void printCoverage(const std::vector<catalog::LanguageCoverage> &coverage, std::ostream &out)
{
    out << "translation coverage of citizen-facing concepts:\n";
    for (const auto &language : coverage) {
        if (language.missing.empty()) {
            out << "  " << language.lang << ": complete\n";
            continue;
        }
        out << "  " << language.lang << ": " << language.missing.size() << " missing, shown in Italian:\n";
        for (const auto &ref : language.missing)
            out << "    " << refText(ref.system(), ref.code()) << '\n';
    }
}

// Writes beside the target and renames, so that a reader never sees half a release.
Status writeFileAtomically(const fs::path &path, const std::string &bytes)
{
    std::error_code error;
    if (path.has_parent_path())
        fs::create_directories(path.parent_path(), error);
    if (error)
        return makeError(
            ErrorCode::Unavailable, "cannot create " + path.parent_path().string() + ": " + error.message());
    fs::path temporary = path;
    temporary += ".tmp";
    {
        std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
        file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        file.close();
        if (!file)
            return makeError(ErrorCode::Unavailable, "cannot write " + temporary.string());
    }
    fs::rename(temporary, path, error);
    if (error)
        return makeError(ErrorCode::Unavailable, "cannot replace " + path.string() + ": " + error.message());
    return {};
}

int runBuild(const Args &args, CommandIo io)
{
    const auto parsed = parseArgs(args, 1, { "source", "out", "number" }, io);
    if (!parsed)
        return 2;
    if (!parsed->positional.empty())
        return usageError(io, "unexpected argument " + parsed->positional.front());
    catalog::BuildOptions options;
    if (const auto number = parsed->options.find("number"); number != parsed->options.end()) {
        const std::string &text = number->second;
        if (text.empty() || text.size() > 9
            || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })
            || std::stoul(text) == 0)
            return usageError(io, "--number must be a positive integer");
        options.number = static_cast<std::uint32_t>(std::stoul(text));
    }
    const fs::path source = option(*parsed, "source", (fs::path("deploy") / "catalog").string());
    const fs::path out = option(*parsed, "out", core::defaultReleasePath().string());

    const auto result = catalog::buildCatalog(source, options);
    if (!result.ok()) {
        for (const auto &issue : result.errors)
            io.err << issue.describe() << '\n';
        io.err << "sigessctl catalog: build of " << source.string() << " failed with " << result.errors.size()
               << " error(s); nothing written\n";
        return 1;
    }
    auto catalog = Catalog::fromRelease(result.release);
    if (!catalog.ok()) {
        io.err << "sigessctl catalog: " << catalog.error().describe() << '\n';
        return 1;
    }
    if (const auto written = writeFileAtomically(out, core::serializeRelease(result.release));
        !written.ok()) {
        io.err << "sigessctl catalog: " << written.error().describe() << '\n';
        return 1;
    }
    printHeader(result.release, io.out);
    io.out << "written to " << out.string() << '\n';
    printSummary(*catalog, io.out);
    printCoverage(result.coverage, io.out);
    return 0;
}

void printCode(const Catalog &catalog, const v1::CatalogCode &code, std::string_view lang, std::ostream &out)
{
    out << refText(code.system(), code.code());
    if (code.level() != v1::CODE_LEVEL_UNSPECIFIED)
        out << " (" << core::levelName(code.level()) << ')';
    out << '\n';
    if (!lang.empty()) {
        const auto label = core::pickLocalized(code.labels(), lang);
        out << "  label [" << lang << "]: " << label.text;
        if (label.fellBack)
            out << "  (no " << lang << " label: Italian shown)";
        out << '\n';
    }
    out << "  labels:\n";
    for (const auto &label : code.labels())
        out << "    " << label.lang() << ": " << label.text() << '\n';
    if (code.labels_size() < catalog.release().languages_size())
        out << "    (" << catalog.release().languages_size() - code.labels_size()
            << " other language(s) fall back to Italian)\n";
    for (const auto &description : code.descriptions())
        out << "  description [" << description.lang() << "]: " << description.text() << '\n';
    if (code.retired())
        out << "  retired; successor " << refText(code.system(), code.successor()) << '\n';
    if (!code.icon().empty())
        out << "  icon: " << code.icon() << '\n';
    if (code.urgency() != v1::URGENCY_UNSPECIFIED)
        out << "  urgency: " << core::urgencyName(code.urgency()) << '\n';
    if (code.demo_data())
        out << "  demo data\n";
    if (!code.parent().empty()) {
        const auto *parent = catalog.find(code.system(), code.parent());
        out << "  parent: " << refText(code.system(), code.parent()) << ' '
            << (parent ? italian(*parent) : "") << '\n';
    }
    if (!code.mappings().empty()) {
        out << "  maps to:\n";
        for (const auto &ref : code.mappings()) {
            const auto *target = catalog.find(ref.system(), ref.code());
            out << "    " << refText(ref.system(), ref.code()) << ' ' << (target ? italian(*target) : "")
                << '\n';
        }
    }
    const auto children = catalog.children(code.system(), code.code());
    if (!children.empty()) {
        out << "  children:\n";
        for (const auto *child : children)
            out << "    " << refText(child->system(), child->code()) << ' ' << italian(*child) << '\n';
    }
}

int runShow(const Args &args, CommandIo io)
{
    const auto parsed = parseArgs(args, 1, { "lang", "file" }, io);
    if (!parsed)
        return 2;
    if (parsed->positional.size() > 1)
        return usageError(io, "show takes at most one code");
    const std::string lang = option(*parsed, "lang", "");
    const fs::path file = option(*parsed, "file", core::defaultReleasePath().string());
    const auto catalog = Catalog::fromFile(file);
    if (!catalog.ok()) {
        io.err << "sigessctl catalog: " << catalog.error().describe() << '\n';
        return 1;
    }
    if (!lang.empty() && lang != core::kReferenceLanguage) {
        const auto &languages = catalog->release().languages();
        if (std::find(languages.begin(), languages.end(), lang) == languages.end())
            io.err << "note: " << lang << " is not a language of this release; labels fall back to Italian\n";
    }

    if (parsed->positional.empty()) {
        printHeader(catalog->release(), io.out);
        printSummary(*catalog, io.out);
        const std::string_view shown = lang.empty() ? core::kReferenceLanguage : std::string_view(lang);
        for (const auto &code : catalog->release().codes()) {
            const auto label = core::pickLocalized(code.labels(), shown);
            io.out << refText(code.system(), code.code()) << '\t' << label.text
                   << (code.retired() ? "\t(retired)" : "") << '\n';
        }
        return 0;
    }

    const std::string &wanted = parsed->positional.front();
    std::vector<const v1::CatalogCode *> matches;
    if (const auto colon = wanted.find(':'); colon != std::string::npos) {
        if (const auto *code = catalog->find(wanted.substr(0, colon), wanted.substr(colon + 1)))
            matches.push_back(code);
    } else {
        for (const auto system : catalog->systems()) {
            if (const auto *code = catalog->find(system, wanted))
                matches.push_back(code);
        }
    }
    if (matches.empty()) {
        io.err << "sigessctl catalog: unknown code " << wanted << '\n';
        return 1;
    }
    for (const auto *code : matches)
        printCode(*catalog, *code, lang, io.out);
    return 0;
}

void printLabelChanges(const v1::CatalogCode &before, const v1::CatalogCode &after, std::ostream &out)
{
    std::set<std::string_view> languages;
    for (const auto &label : before.labels())
        languages.insert(label.lang());
    for (const auto &label : after.labels())
        languages.insert(label.lang());
    for (const auto lang : languages) {
        auto textIn = [lang](const v1::CatalogCode &code) -> std::optional<std::string_view> {
            for (const auto &label : code.labels()) {
                if (label.lang() == lang)
                    return label.text();
            }
            return std::nullopt;
        };
        const auto old = textIn(before);
        const auto now = textIn(after);
        if (old == now)
            continue;
        out << "    " << lang << ": " << (old ? "'" + std::string(*old) + "'" : "(none)") << " -> "
            << (now ? "'" + std::string(*now) + "'" : "(none)") << '\n';
    }
}

int runDiff(const Args &args, CommandIo io)
{
    const auto parsed = parseArgs(args, 1, {}, io);
    if (!parsed)
        return 2;
    if (parsed->positional.size() != 2)
        return usageError(io, "diff needs two release files");
    const auto before = Catalog::fromFile(parsed->positional[0]);
    const auto after = Catalog::fromFile(parsed->positional[1]);
    for (const auto *loaded : { &before, &after }) {
        if (!loaded->ok()) {
            io.err << "sigessctl catalog: " << loaded->error().describe() << '\n';
            return 1;
        }
    }
    const auto changes = core::diff(*before, *after);
    io.out << "catalog diff: release " << before->release().number() << " of " << before->release().date()
           << " -> release " << after->release().number() << " of " << after->release().date() << '\n';
    if (changes.empty()) {
        io.out << "no code changes\n";
        return 0;
    }
    io.out << "added: " << changes.added.size() << '\n';
    for (const auto &change : changes.added)
        io.out << "  " << refText(change.after->system(), change.after->code()) << ' '
               << italian(*change.after) << '\n';
    io.out << "retired: " << changes.retired.size() << '\n';
    for (const auto &change : changes.retired)
        io.out << "  " << refText(change.after->system(), change.after->code()) << " -> successor "
               << refText(change.after->system(), change.after->successor()) << '\n';
    io.out << "relabelled: " << changes.relabelled.size() << '\n';
    for (const auto &change : changes.relabelled) {
        io.out << "  " << refText(change.after->system(), change.after->code()) << '\n';
        printLabelChanges(*change.before, *change.after, io.out);
    }
    io.out << "removed: " << changes.removed.size() << '\n';
    for (const auto &change : changes.removed)
        io.out << "  " << refText(change.before->system(), change.before->code()) << ' '
               << italian(*change.before) << '\n';
    return 0;
}

} // namespace

int runCatalog(const Args &args, CommandIo io)
{
    if (args.empty())
        return usageError(io, "missing action");
    const std::string &action = args.front();
    if (action == "build")
        return runBuild(args, io);
    if (action == "show")
        return runShow(args, io);
    if (action == "diff")
        return runDiff(args, io);
    return usageError(io, "unknown action '" + action + "'");
}

} // namespace sigess::ctl
