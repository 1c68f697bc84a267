#include "ctl/command_support.h"

#include <algorithm>
#include <ostream>

namespace sigess::ctl {

namespace {

bool listed(std::initializer_list<std::string_view> names, std::string_view name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

} // namespace

std::optional<std::string> ParsedArguments::option(std::string_view name) const
{
    const auto found = m_options.find(name);
    if (found == m_options.end())
        return std::nullopt;
    return found->second;
}

bool ParsedArguments::flag(std::string_view name) const
{
    return m_flags.contains(name);
}

Result<ParsedArguments> parseArguments(std::span<const std::string> args, const ArgumentSpec &spec)
{
    ParsedArguments parsed;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (!arg.starts_with("--") || arg.size() == 2) {
            parsed.m_positional.push_back(arg);
            continue;
        }
        const std::string name = arg.substr(2);
        if (listed(spec.flags, name)) {
            parsed.m_flags.insert(name);
            continue;
        }
        if (!listed(spec.options, name))
            return makeError(ErrorCode::Invalid, "unknown option " + arg);
        if (i + 1 >= args.size())
            return makeError(ErrorCode::Invalid, "option " + arg + " needs a value");
        if (!parsed.m_options.emplace(name, args[++i]).second)
            return makeError(ErrorCode::Invalid, "option " + arg + " is given twice");
    }
    return parsed;
}

int usageError(CommandIo io, std::string_view command, std::string_view problem, std::string_view usage)
{
    io.err << "sigessctl " << command << ": " << problem << '\n' << usage;
    return exitUsage;
}

int failure(CommandIo io, std::string_view command, std::string_view message)
{
    io.err << "sigessctl " << command << ": " << message << '\n';
    return exitFailure;
}

} // namespace sigess::ctl
