#include "sync/postgres_change_feed.h"

#include "sync/log_tail.h"
#include "sync/sync_repository.h"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <optional>
#include <random>
#include <utility>

namespace sigess::syncserver {

namespace {

constexpr char payloadVersion[] = "sigess-feed-1";
// NOTIFY refuses 8000 bytes; the margin leaves room for the header.
constexpr std::size_t payloadBudget = 7000;

// Fields are tab-separated and changes newline-separated, so those two characters and
// the escape character itself are written as %XX.
std::string escapeField(const std::string &field)
{
    std::string escaped;
    escaped.reserve(field.size());
    for (const char c : field) {
        if (c == '%')
            escaped += "%25";
        else if (c == '\t')
            escaped += "%09";
        else if (c == '\n')
            escaped += "%0A";
        else
            escaped += c;
    }
    return escaped;
}

std::optional<std::string> unescapeField(std::string_view field)
{
    std::string plain;
    plain.reserve(field.size());
    for (std::size_t i = 0; i < field.size(); ++i) {
        if (field[i] != '%') {
            plain += field[i];
            continue;
        }
        const std::string_view code = field.substr(i + 1, 2);
        if (code == "25")
            plain += '%';
        else if (code == "09")
            plain += '\t';
        else if (code == "0A")
            plain += '\n';
        else
            return std::nullopt;
        i += 2;
    }
    return plain;
}

std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos)
            return parts;
        start = end + 1;
    }
}

std::optional<std::int64_t> parseInt(std::string_view text)
{
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

std::string randomInstance()
{
    std::random_device device;
    std::uniform_int_distribution<std::uint64_t> draw;
    const std::uint64_t value = draw(device);
    std::string hex(16, '0');
    static constexpr char digits[] = "0123456789abcdef";
    for (std::size_t i = 0; i < hex.size(); ++i)
        hex[i] = digits[(value >> (60 - 4 * i)) & 0xf];
    return hex;
}

} // namespace

std::vector<std::string> encodeFeedPayloads(const std::string &instance, const std::vector<ChangeScope> &changes,
                                            std::int64_t latest)
{
    const std::string header = std::string(payloadVersion) + '\t' + escapeField(instance) + '\t'
                               + std::to_string(latest);
    std::vector<std::string> payloads;
    std::string current = header;
    for (const ChangeScope &change : changes) {
        std::string line = '\n' + std::to_string(static_cast<int>(change.type)) + '\t' + escapeField(change.entityId)
                           + '\t' + escapeField(change.presidio) + '\t' + escapeField(change.assigned);
        if (current.size() + line.size() > payloadBudget && current.size() > header.size()) {
            payloads.push_back(std::move(current));
            current = header;
        }
        current += line;
    }
    payloads.push_back(std::move(current));
    return payloads;
}

Result<FeedPayload> decodeFeedPayload(const std::string &payload)
{
    const std::vector<std::string_view> lines = split(payload, '\n');
    const std::vector<std::string_view> header = split(lines.front(), '\t');
    auto invalid = [] { return makeError(ErrorCode::Invalid, "not a sync feed payload"); };
    if (header.size() != 3 || header[0] != payloadVersion)
        return invalid();
    FeedPayload decoded;
    std::optional<std::string> instance = unescapeField(header[1]);
    std::optional<std::int64_t> latest = parseInt(header[2]);
    if (!instance || !latest)
        return invalid();
    decoded.instance = std::move(*instance);
    decoded.latest = *latest;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::vector<std::string_view> fields = split(lines[i], '\t');
        if (fields.size() != 4)
            return invalid();
        std::optional<std::int64_t> type = parseInt(fields[0]);
        std::optional<std::string> entityId = unescapeField(fields[1]);
        std::optional<std::string> presidio = unescapeField(fields[2]);
        std::optional<std::string> assigned = unescapeField(fields[3]);
        if (!type || !v1::EntityType_IsValid(static_cast<int>(*type)) || !entityId || !presidio || !assigned)
            return invalid();
        decoded.changes.push_back(ChangeScope{static_cast<v1::EntityType>(*type), std::move(*entityId),
                                              std::move(*presidio), std::move(*assigned)});
    }
    return decoded;
}

Status notifyInstances(storage::SqlDatabase &database, const std::string &channel, const std::string &instance,
                       const std::vector<ChangeScope> &changes, std::int64_t latest)
{
    Status outcome;
    for (const std::string &payload : encodeFeedPayloads(instance, changes, latest)) {
        Status sent = database.query("SELECT pg_notify($1, $2)", {channel, payload},
                                     [](const storage::SqlRow &) -> Status { return {}; });
        if (!sent.ok())
            outcome = makeError(ErrorCode::Unavailable, "cannot notify the other instances: " + sent.error().message);
    }
    return outcome;
}

struct PostgresChangeFeed::Connection {
    PGconn *handle = nullptr;
    ~Connection()
    {
        if (handle != nullptr)
            PQfinish(handle);
    }
};

Result<std::unique_ptr<PostgresChangeFeed>> PostgresChangeFeed::open(storage::SqlDatabase &database,
                                                                     PostgresFeedOptions options)
{
    Result<std::unique_ptr<Connection>> connection = connectAndListen(options);
    if (!connection.ok())
        return connection.takeError();
    Result<std::int64_t> latest = SyncRepository(database).latestSequence();
    if (!latest.ok())
        return latest.takeError();
    const int wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wakeFd < 0)
        return makeError(ErrorCode::Internal, "cannot make the feed's wake-up descriptor");
    return std::unique_ptr<PostgresChangeFeed>(new PostgresChangeFeed(
        database, std::move(options), randomInstance(), std::move(connection).value(), wakeFd, *latest));
}

Result<std::unique_ptr<PostgresChangeFeed::Connection>> PostgresChangeFeed::connectAndListen(
    const PostgresFeedOptions &options)
{
    auto connection = std::make_unique<PostgresChangeFeed::Connection>();
    connection->handle = PQconnectdb(options.connectionString.c_str());
    if (connection->handle == nullptr || PQstatus(connection->handle) != CONNECTION_OK)
        return makeError(ErrorCode::Unavailable, std::string("the change feed cannot connect to PostgreSQL: ")
                                                     + (connection->handle != nullptr ? PQerrorMessage(connection->handle) : "out of memory"));
    char *channel = PQescapeIdentifier(connection->handle, options.channel.data(), options.channel.size());
    if (channel == nullptr)
        return makeError(ErrorCode::Invalid, "the change feed's channel name is not usable: " + options.channel);
    const std::string listen = std::string("LISTEN ") + channel;
    PQfreemem(channel);
    PGresult *result = PQexec(connection->handle, listen.c_str());
    const bool listening = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    if (!listening)
        return makeError(ErrorCode::Unavailable,
                         std::string("the change feed cannot LISTEN: ") + PQerrorMessage(connection->handle));
    if (PQsetnonblocking(connection->handle, 1) != 0)
        return makeError(ErrorCode::Unavailable, "the change feed cannot make its connection non-blocking");
    return connection;
}

PostgresChangeFeed::PostgresChangeFeed(storage::SqlDatabase &database, PostgresFeedOptions options,
                                       std::string instance, std::unique_ptr<Connection> connection, int wakeFd,
                                       std::int64_t latestSeen)
    : m_database(database)
    , m_options(std::move(options))
    , m_instance(std::move(instance))
    , m_wakeFd(wakeFd)
    , m_latestSeen(latestSeen)
{
    m_thread = std::thread([this, first = std::move(connection)]() mutable { run(std::move(first)); });
}

PostgresChangeFeed::~PostgresChangeFeed()
{
    {
        const std::lock_guard lock(m_stopMutex);
        m_stopping = true;
    }
    m_stopped.notify_all();
    const std::uint64_t one = 1;
    static_cast<void>(write(m_wakeFd, &one, sizeof one));
    m_thread.join();
    close(m_wakeFd);
}

void PostgresChangeFeed::publish(const std::vector<ChangeScope> &changes, std::int64_t latest, const void *origin)
{
    if (changes.empty())
        return;
    m_local.publish(changes, latest, origin);
    if (!notifyInstances(m_database, m_options.channel, m_instance, changes, latest).ok())
        ++m_failedRelays;
}

void PostgresChangeFeed::subscribe(Listener listener)
{
    m_local.subscribe(std::move(listener));
}

void PostgresChangeFeed::run(std::unique_ptr<Connection> connection)
{
    while (!m_stopping) {
        if (connection) {
            listenOn(*connection);
            connection.reset();
            continue;
        }
        if (!waitBeforeReconnect())
            return;
        Result<std::unique_ptr<Connection>> again = connectAndListen(m_options);
        if (!again.ok())
            continue;
        ++m_reconnections;
        connection = std::move(again).value();
        // Listening again before reading what was missed, so nothing falls in between.
        catchUp();
    }
}

void PostgresChangeFeed::listenOn(Connection &connection)
{
    const int socket = PQsocket(connection.handle);
    while (!m_stopping) {
        pollfd watched[2] = {{socket, POLLIN, 0}, {m_wakeFd, POLLIN, 0}};
        if (poll(watched, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        if ((watched[1].revents & POLLIN) != 0)
            return;
        if (PQconsumeInput(connection.handle) == 0)
            return;
        while (PGnotify *notification = PQnotifies(connection.handle)) {
            deliver(notification->extra);
            PQfreemem(notification);
        }
        if (PQstatus(connection.handle) != CONNECTION_OK)
            return;
    }
}

void PostgresChangeFeed::deliver(const std::string &payload)
{
    Result<FeedPayload> decoded = decodeFeedPayload(payload);
    if (!decoded.ok())
        return;
    m_latestSeen = std::max(m_latestSeen, decoded->latest);
    if (std::any_of(decoded->changes.begin(), decoded->changes.end(), isLogReplaced)) {
        // The restored log's head may lie below what this feed saw: a catch-up after a
        // broken connection reads from there on. Should the read fail, the next
        // catch-up reads from the old position and misses nothing but Notifies.
        Result<std::int64_t> head = SyncRepository(m_database).latestSequence();
        if (head.ok())
            m_latestSeen = *head;
    }
    if (decoded->instance != m_instance)
        m_local.publish(decoded->changes, decoded->latest, nullptr);
}

void PostgresChangeFeed::catchUp()
{
    Result<std::int64_t> published = publishLogTail(m_database, m_local, m_latestSeen, wholeLog, m_stopping);
    if (published.ok())
        m_latestSeen = *published;
}

bool PostgresChangeFeed::waitBeforeReconnect()
{
    std::unique_lock lock(m_stopMutex);
    return !m_stopped.wait_for(lock, m_options.reconnectDelay, [this] { return m_stopping.load(); });
}

} // namespace sigess::syncserver
