#include "bench/bench_support.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <errno.h>
#include <sys/resource.h>

namespace sigess::bench {

void fail(const std::string &message)
{
    std::fprintf(stderr, "%s: %s\n", program_invocation_short_name, message.c_str());
    std::exit(1);
}

std::optional<Arguments> Arguments::parse(int argc, char **argv, std::initializer_list<std::string_view> options,
                                           std::string_view usage, std::initializer_list<std::string_view> flags)
{
    Arguments arguments;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--smoke") {
            arguments.m_smoke = true;
            continue;
        }
        if (std::find(flags.begin(), flags.end(), arg) != flags.end()) {
            arguments.m_flags.emplace(arg);
            continue;
        }
        const bool known = std::find(options.begin(), options.end(), arg) != options.end();
        const std::optional<int> value = known && i + 1 < argc ? positiveNumber(argv[++i]) : std::nullopt;
        if (!value.has_value()) {
            std::fprintf(stderr, "usage: %.*s\n", static_cast<int>(usage.size()), usage.data());
            return std::nullopt;
        }
        arguments.m_values.insert_or_assign(std::string(arg), value.value());
    }
    return arguments;
}

std::optional<int> positiveNumber(std::string_view text)
{
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value <= 0)
        return std::nullopt;
    return value;
}

void emit(const std::string &name, double value, std::string_view unit)
{
    std::printf("{\"name\":\"%s\",\"value\":%.3f,\"unit\":\"%.*s\"}\n", name.c_str(), value,
                static_cast<int>(unit.size()), unit.data());
    std::fflush(stdout);
}

void emitCompared(const std::string &name, double value, std::string_view unit, std::string_view peer,
                  double peerValue, double ratio)
{
    std::printf("{\"name\":\"%s\",\"value\":%.3f,\"unit\":\"%.*s\",\"peer\":\"%.*s\",\"peer_value\":%.3f,"
                "\"ratio\":%.3f}\n",
                name.c_str(), value, static_cast<int>(unit.size()), unit.data(), static_cast<int>(peer.size()),
                peer.data(), peerValue, ratio);
    std::fflush(stdout);
}

void emitCompared(const std::string &name, double value, std::string_view unit, std::string_view peer,
                  double peerValue, Better better)
{
    emitCompared(name, value, unit, peer, peerValue, better == Better::Higher ? value / peerValue : peerValue / value);
}

double percentile(std::vector<double> values, double fraction)
{
    if (values.empty())
        return 0;
    const auto index = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index), values.end());
    return values[index];
}

long procStatusKiB(pid_t pid, std::string_view field)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with(field) && line.size() > field.size() && line[field.size()] == ':')
            return std::stol(line.substr(field.size() + 1));
    }
    return -1;
}

std::string quoted(const std::string &text)
{
    std::string result = "'";
    for (const char c : text)
        result += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return result + "'";
}

void run(const std::string &command, const std::string &input)
{
    FILE *pipe = ::popen((command + " 1>&2").c_str(), "w");
    if (pipe == nullptr)
        fail("cannot run " + command);
    std::fwrite(input.data(), 1, input.size(), pipe);
    if (::pclose(pipe) != 0)
        fail("failed: " + command);
}

std::string capture(const std::string &command)
{
    FILE *pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr)
        fail("cannot run " + command);
    std::string output;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
        output.append(buffer, n);
    if (::pclose(pipe) != 0)
        fail("failed: " + command);
    output.erase(output.find_last_not_of("\r\n") + 1);
    return output;
}

void raiseDescriptorLimit()
{
    rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

} // namespace sigess::bench
