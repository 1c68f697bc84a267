#include "config/config.h"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>

namespace sigess::config {

namespace {

using Setter = std::function<Status(BackendConfig &, std::string_view)>;

std::string_view trim(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

Error invalid(std::string message)
{
    return makeError(ErrorCode::Invalid, std::move(message));
}

Result<std::uint64_t> parseNumber(std::string_view text)
{
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty())
        return invalid("'" + std::string(text) + "' is not a whole number");
    return value;
}

// "512 KiB", "1MiB", "8192 B": a number, then a unit from `units`.
Result<std::uint64_t> parseWithUnit(std::string_view text, const std::map<std::string_view, std::uint64_t> &units,
                                    std::string_view expected)
{
    const auto split = std::find_if(text.begin(), text.end(), [](char c) { return c < '0' || c > '9'; });
    const auto digits = text.substr(0, static_cast<std::size_t>(split - text.begin()));
    const auto unit = trim(text.substr(digits.size()));
    const auto factor = units.find(unit);
    if (digits.empty() || factor == units.end())
        return invalid("'" + std::string(text) + "' needs a number and a unit (" + std::string(expected) + ")");
    auto number = parseNumber(digits);
    if (!number.ok())
        return number.takeError();
    if (*number == 0)
        return invalid("'" + std::string(text) + "' must be above zero");
    if (*number > std::numeric_limits<std::uint64_t>::max() / factor->second)
        return invalid("'" + std::string(text) + "' is too large");
    return *number * factor->second;
}

Setter sizeSetter(std::size_t net::Limits::*member)
{
    return [member](BackendConfig &config, std::string_view value) -> Status {
        auto bytes = parseWithUnit(value, {{"B", 1}, {"KiB", 1024}, {"MiB", 1024 * 1024}}, "B, KiB or MiB");
        if (!bytes.ok())
            return bytes.takeError();
        config.server.limits.*member = *bytes;
        return {};
    };
}

Setter countSetter(std::size_t net::Limits::*member)
{
    return [member](BackendConfig &config, std::string_view value) -> Status {
        auto count = parseNumber(value);
        if (!count.ok())
            return count.takeError();
        if (*count == 0)
            return invalid("must be at least 1");
        config.server.limits.*member = *count;
        return {};
    };
}

Result<std::chrono::milliseconds> parseDuration(std::string_view text)
{
    auto ms = parseWithUnit(text, {{"ms", 1}, {"s", 1000}, {"min", 60'000}}, "ms, s or min");
    if (!ms.ok())
        return ms.takeError();
    if (*ms > static_cast<std::uint64_t>(std::chrono::milliseconds::max().count()))
        return invalid("'" + std::string(text) + "' is too large");
    return std::chrono::milliseconds(*ms);
}

Setter durationSetter(net::Timeouts::Duration net::Timeouts::*member)
{
    return [member](BackendConfig &config, std::string_view value) -> Status {
        auto duration = parseDuration(value);
        if (!duration.ok())
            return duration.takeError();
        config.server.timeouts.*member = *duration;
        return {};
    };
}

// Both storage intervals are how long something waits, so an hour is a typo.
Setter storageIntervalSetter(std::optional<std::chrono::milliseconds> StorageConfig::*member)
{
    return [member](BackendConfig &config, std::string_view value) -> Status {
        auto duration = parseDuration(value);
        if (!duration.ok())
            return duration.takeError();
        if (*duration > std::chrono::minutes(1))
            return invalid("'" + std::string(value) + "' is over 1min");
        config.storage.*member = *duration;
        return {};
    };
}

Setter stringSetter(std::function<std::string &(BackendConfig &)> field)
{
    return [field](BackendConfig &config, std::string_view value) -> Status {
        field(config) = std::string(value);
        return {};
    };
}

Status setPort(BackendConfig &config, std::string_view value)
{
    auto port = parseNumber(value);
    if (!port.ok() || *port > 65535)
        return invalid("'" + std::string(value) + "' is not a port number (0 to 65535)");
    config.server.port = static_cast<std::uint16_t>(*port);
    return {};
}

Status setPlaintext(BackendConfig &config, std::string_view value)
{
    if (value != "true" && value != "false")
        return invalid("'" + std::string(value) + "' is not true or false");
    config.server.transport = value == "true" ? net::Transport::PlaintextLoopback : net::Transport::Tls;
    return {};
}

Status setOrigins(BackendConfig &config, std::string_view value)
{
    config.server.allowedOrigins.clear();
    std::stringstream list{std::string(value)};
    for (std::string item; std::getline(list, item, ',');) {
        const auto origin = trim(item);
        const bool hasScheme = origin.starts_with("https://") || origin.starts_with("http://");
        const auto host = origin.substr(origin.find("://") + 3);
        if (!hasScheme || host.empty() || host.find('/') != std::string_view::npos)
            return invalid("'" + std::string(origin)
                           + "' is not an origin (scheme://host[:port], no path, as browsers send it)");
        config.server.allowedOrigins.emplace_back(origin);
    }
    return {};
}

Status setThreads(BackendConfig &config, std::string_view value)
{
    auto threads = parseNumber(value);
    if (!threads.ok() || *threads > 1024)
        return invalid("'" + std::string(value) + "' is not a thread count (0 for one per core, up to 1024)");
    config.server.threads = static_cast<unsigned>(*threads);
    return {};
}

Status setLogLevel(BackendConfig &config, std::string_view value)
{
    auto level = net::parseLogLevel(value);
    if (!level.ok())
        return level.takeError();
    config.logLevel = *level;
    return {};
}

Status setStorageKind(BackendConfig &config, std::string_view value)
{
    if (value == "embedded")
        config.storage.kind = StorageKind::Embedded;
    else if (value == "postgresql")
        config.storage.kind = StorageKind::PostgreSql;
    else
        return invalid("'" + std::string(value) + "' is not a storage kind (embedded or postgresql)");
    return {};
}

const std::map<std::string, Setter, std::less<>> &setters()
{
    using L = net::Limits;
    using T = net::Timeouts;
    static const std::map<std::string, Setter, std::less<>> table = {
        {"listen.address", stringSetter([](BackendConfig &c) -> std::string & { return c.server.address; })},
        {"listen.port", setPort},
        {"listen.plaintext", setPlaintext},
        {"tls.certificate", stringSetter([](BackendConfig &c) -> std::string & { return c.server.certificateFile; })},
        {"tls.private_key", stringSetter([](BackendConfig &c) -> std::string & { return c.server.privateKeyFile; })},
        {"websocket.allowed_origins", setOrigins},
        {"limits.header_bytes", sizeSetter(&L::headerBytes)},
        {"limits.body_bytes", sizeSetter(&L::bodyBytes)},
        {"limits.frame_bytes", sizeSetter(&L::frameBytes)},
        {"limits.websocket_queue_bytes", sizeSetter(&L::websocketQueueBytes)},
        {"limits.connections_per_client", countSetter(&L::connectionsPerClient)},
        {"limits.connections", countSetter(&L::connections)},
        {"timeouts.handshake", durationSetter(&T::handshake)},
        {"timeouts.idle", durationSetter(&T::idle)},
        {"timeouts.header", durationSetter(&T::header)},
        {"timeouts.body", durationSetter(&T::body)},
        {"timeouts.write", durationSetter(&T::write)},
        {"timeouts.websocket_idle", durationSetter(&T::websocketIdle)},
        {"timeouts.drain", durationSetter(&T::drain)},
        {"server.threads", setThreads},
        {"server.log_level", setLogLevel},
        {"storage.kind", setStorageKind},
        {"storage.path", stringSetter([](BackendConfig &c) -> std::string & { return c.storage.path; })},
        {"storage.key_file", stringSetter([](BackendConfig &c) -> std::string & { return c.storage.keyFile; })},
        {"storage.conninfo", stringSetter([](BackendConfig &c) -> std::string & { return c.storage.conninfo; })},
        {"storage.checkpoint_interval", storageIntervalSetter(&StorageConfig::checkpointInterval)},
        {"storage.poll_interval", storageIntervalSetter(&StorageConfig::pollInterval)},
        {"catalog.release", stringSetter([](BackendConfig &c) -> std::string & { return c.catalogRelease; })},
        {"api.cursor_key_file", stringSetter([](BackendConfig &c) -> std::string & { return c.cursorKeyFile; })},
    };
    return table;
}

bool isKnownSection(std::string_view section)
{
    const auto prefix = std::string(section) + '.';
    const auto &table = setters();
    const auto next = table.lower_bound(prefix);
    return next != table.end() && next->first.starts_with(prefix);
}

// Checks across keys, once every line is read. Each message names the line of the key
// that has to change, or only the file when a required key is missing.
class Validator {
public:
    Validator(const BackendConfig &config, const std::string &sourceName, const std::map<std::string, int> &lines)
        : m_config(config), m_sourceName(sourceName), m_lines(lines)
    {
    }

    Status run() const
    {
        const auto &server = m_config.server;
        boost::system::error_code parseError;
        const auto address = boost::asio::ip::make_address(server.address, parseError);
        if (parseError)
            return at("listen.address", "'" + server.address + "' is not an IP address (a host name is not accepted "
                                                               "here, so the bound address is never a surprise)");
        if (server.transport == net::Transport::PlaintextLoopback) {
            if (!address.is_loopback())
                return at("listen.plaintext",
                          "plaintext HTTP is allowed only on a loopback address (127.0.0.1 or ::1), and "
                              "listen.address is " + server.address
                              + ": configure tls.certificate and tls.private_key, or bind to 127.0.0.1");
        } else if (server.certificateFile.empty() || server.privateKeyFile.empty()) {
            return missing("TLS needs tls.certificate and tls.private_key (plaintext is only for loopback: "
                           "listen.plaintext = true with listen.address = 127.0.0.1)");
        }
        const auto &storage = m_config.storage;
        if (storage.kind == StorageKind::Embedded) {
            if (!storage.conninfo.empty())
                return at("storage.conninfo", "storage.conninfo is for storage.kind = postgresql");
            if (storage.path.empty() || storage.keyFile.empty())
                return missing("the embedded store needs storage.path and storage.key_file");
        } else {
            if (!storage.path.empty())
                return at("storage.path", "storage.path is for storage.kind = embedded");
            if (!storage.keyFile.empty())
                return at("storage.key_file", "storage.key_file is for storage.kind = embedded");
            if (storage.conninfo.empty())
                return missing("storage.kind = postgresql needs storage.conninfo");
            if (storage.checkpointInterval)
                return at("storage.checkpoint_interval", "storage.checkpoint_interval is for storage.kind = embedded");
            if (storage.pollInterval)
                return at("storage.poll_interval", "storage.poll_interval is for storage.kind = embedded (PostgreSQL "
                                                   "tells every instance at once, by LISTEN/NOTIFY)");
        }
        if (m_config.catalogRelease.empty())
            return missing("catalog.release is required (the catalog release file devices receive)");
        return {};
    }

private:
    Error at(const std::string &key, const std::string &message) const
    {
        return invalid(m_sourceName + ":" + std::to_string(m_lines.at(key)) + ": " + message);
    }

    Error missing(const std::string &message) const { return invalid(m_sourceName + ": " + message); }

    const BackendConfig &m_config;
    const std::string &m_sourceName;
    const std::map<std::string, int> &m_lines;
};

} // namespace

Result<BackendConfig> parseConfig(std::string_view text, const std::string &sourceName)
{
    BackendConfig config;
    std::map<std::string, int> lines;  // key -> line it was set on
    std::string section;
    int lineNumber = 0;
    const auto fail = [&](const std::string &message) {
        return invalid(sourceName + ":" + std::to_string(lineNumber) + ": " + message);
    };
    std::stringstream input{std::string(text)};
    for (std::string raw; std::getline(input, raw);) {
        ++lineNumber;
        const auto line = trim(raw);
        if (line.empty() || line.front() == '#')
            continue;
        if (line.front() == '[') {
            if (line.back() != ']')
                return fail("a section line is [name]");
            section = std::string(trim(line.substr(1, line.size() - 2)));
            if (!isKnownSection(section))
                return fail("unknown section [" + section + "]");
            continue;
        }
        const auto equals = line.find('=');
        if (equals == std::string_view::npos)
            return fail("expected 'key = value', found '" + std::string(line) + "'");
        const auto name = trim(line.substr(0, equals));
        const auto value = trim(line.substr(equals + 1));
        const std::string key = section.empty() ? std::string(name) : section + "." + std::string(name);
        const auto setter = setters().find(key);
        if (name.empty() || setter == setters().end())
            return fail("unknown key '" + key + "'");
        if (value.empty())
            return fail(key + " has no value");
        if (const auto earlier = lines.find(key); earlier != lines.end())
            return fail(key + " is already set on line " + std::to_string(earlier->second));
        if (auto status = setter->second(config, value); !status.ok())
            return fail(key + ": " + status.error().message);
        lines.emplace(key, lineNumber);
    }
    SIGESS_TRY(Validator(config, sourceName, lines).run());
    return config;
}

Result<BackendConfig> loadConfig(const std::filesystem::path &file)
{
    std::ifstream stream(file, std::ios::binary);
    if (!stream)
        return makeError(ErrorCode::Unavailable, "cannot read config file " + file.string());
    std::stringstream text;
    text << stream.rdbuf();
    return parseConfig(text.str(), file.string());
}

} // namespace sigess::config
