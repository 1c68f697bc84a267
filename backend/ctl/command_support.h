// What sigessctl's admin subcommands share about their command lines: parsing options
// (`--name VALUE`), flags (`--name`) and positional arguments in any order, the exit
// statuses, and how a failure or a usage error is reported. An unknown option, or an
// option missing its value, is a usage error naming it.
// Thread safety: value types and functions of their arguments only.
#pragma once

#include "core/result.h"
#include "ctl/command.h"

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sigess::ctl {

inline constexpr int exitOk = 0;
inline constexpr int exitFailure = 1;
inline constexpr int exitUsage = 2;

struct ArgumentSpec {
    std::initializer_list<std::string_view> options; // each takes a value
    std::initializer_list<std::string_view> flags; // each stands alone
};

class ParsedArguments {
public:
    std::optional<std::string> option(std::string_view name) const;
    bool flag(std::string_view name) const;
    const std::vector<std::string> &positional() const { return m_positional; }

private:
    friend Result<ParsedArguments> parseArguments(
        std::span<const std::string> args, const ArgumentSpec &spec);

    std::map<std::string, std::string, std::less<>> m_options;
    std::set<std::string, std::less<>> m_flags;
    std::vector<std::string> m_positional;
};

// Invalid, naming the argument, for an unknown or repeated option or a missing value.
Result<ParsedArguments> parseArguments(std::span<const std::string> args, const ArgumentSpec &spec);

// "sigessctl user: <problem>" and the usage text on err; returns exitUsage.
int usageError(CommandIo io, std::string_view command, std::string_view problem, std::string_view usage);
// "sigessctl user: <message>" on err; returns exitFailure.
int failure(CommandIo io, std::string_view command, std::string_view message);

} // namespace sigess::ctl
