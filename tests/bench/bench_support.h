// What every benchmark of tests/bench does around its measurements: reading its command
// line (--smoke and options taking a positive count), printing one JSON line per figure
// on stdout (alone, or next to a peer's figure with how many times better ours is),
// percentiles, a process's resident memory, shell commands and giving up with a message.
// A benchmark stops at its first failure: fail() prints "<program>: <message>" on
// stderr and exits 1, so stdout carries only figures.
// Thread safety: the printing functions each write one whole line; the rest hold no state.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace sigess::bench {

[[noreturn]] void fail(const std::string &message);

// The command line: "--smoke", "--option N" with N a positive integer for the options a
// benchmark names, and "--flag" for the flags it names; anything else is refused.
class Arguments {
public:
    // Nothing, after printing `usage` on stderr, when the command line is not valid.
    static std::optional<Arguments> parse(int argc, char **argv, std::initializer_list<std::string_view> options,
                                          std::string_view usage, std::initializer_list<std::string_view> flags = {});

    bool smoke() const { return m_smoke; }
    bool has(std::string_view flag) const { return m_flags.contains(flag); }
    // The option's value; when it was not given, `smokeValue` in a smoke run, else `full`.
    template <typename Count>
    Count valueOr(std::string_view option, Count full, Count smokeValue) const
    {
        const auto found = m_values.find(option);
        if (found != m_values.end())
            return static_cast<Count>(found->second);
        return m_smoke ? smokeValue : full;
    }

private:
    bool m_smoke = false;
    std::map<std::string, int, std::less<>> m_values;
    std::set<std::string, std::less<>> m_flags;
};

// A whole positive integer, or nothing.
std::optional<int> positiveNumber(std::string_view text);

// {"name","value","unit"}.
void emit(const std::string &name, double value, std::string_view unit);

enum class Better { Higher, Lower };

// {"name","value","unit","peer","peer_value","ratio"}: `ratio` is how many times better
// our value is than the peer's.
void emitCompared(const std::string &name, double value, std::string_view unit, std::string_view peer,
                  double peerValue, double ratio);
// The same, the ratio taken from the two values.
void emitCompared(const std::string &name, double value, std::string_view unit, std::string_view peer,
                  double peerValue, Better better);

// The value at `fraction` (0.5 for the median) of the sorted values; 0 for none.
double percentile(std::vector<double> values, double fraction);

// A field of /proc/PID/status in KiB ("VmRSS" resident now, "VmHWM" its peak); -1 when
// the process is gone.
long procStatusKiB(pid_t pid, std::string_view field);

// `text` as one word for sh.
std::string quoted(const std::string &text);
// Runs a shell command with `input` on its stdin; its output goes to stderr, so stdout
// carries only figures.
void run(const std::string &command, const std::string &input = {});
// Runs a shell command and returns its stdout without the trailing line ends.
std::string capture(const std::string &command);

// Idle connections need a descriptor each, in the benchmark and in a server it starts
// (which inherits the limit): up to the hard limit.
void raiseDescriptorLimit();

} // namespace sigess::bench
