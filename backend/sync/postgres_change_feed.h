// A ChangeFeed shared by every backend instance on one PostgreSQL. publish() tells this
// instance's listeners at once (with the origin) and relays the changes to the other
// instances with NOTIFY on one channel; a dedicated libpq connection LISTENs on its own
// thread and hands what other instances published to the listeners, origin null.
//
// The payload is text: a header naming the publishing instance and the latest sequence,
// then one line per ChangeScope. NOTIFY refuses payloads of 8000 bytes or more, so a
// large publish goes out in several notifications of whole lines, each with the header.
// When the listening connection breaks it reconnects (after `reconnectDelay`, again and
// again) and then reads the log rows committed meanwhile, so that no device misses the
// Notify of a change made while the relay was down.
//
// Thread safety: publish and subscribe from any thread; listeners of relayed changes run
// on the feed's own thread. The database must outlive the feed.
#pragma once

#include "core/result.h"
#include "storage/sql.h"
#include "sync/change_feed.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sigess::syncserver {

inline constexpr char defaultFeedChannel[] = "sigess_sync";

struct PostgresFeedOptions {
    std::string connectionString;  // libpq conninfo of the store the instances share
    std::string channel = defaultFeedChannel;
    std::chrono::milliseconds reconnectDelay{500};
};

// The text of one NOTIFY payload and its reading, visible for tests.
std::vector<std::string> encodeFeedPayloads(const std::string &instance, const std::vector<ChangeScope> &changes,
                                            std::int64_t latest);
struct FeedPayload {
    std::string instance;
    std::int64_t latest = 0;
    std::vector<ChangeScope> changes;
};
// Invalid when the text is not a payload of this format (someone else's NOTIFY).
Result<FeedPayload> decodeFeedPayload(const std::string &payload);

// Tells every feed listening on `channel` of changes committed by `instance` (a feed
// ignores only what carries its own name). Also for a process with no feed of its own
// (sigessctl). Unavailable when a NOTIFY was refused or the store did not answer.
Status notifyInstances(storage::SqlDatabase &database, const std::string &channel, const std::string &instance,
                       const std::vector<ChangeScope> &changes, std::int64_t latest);

class PostgresChangeFeed : public ChangeFeed {
public:
    // Listens before it returns, so a change published anywhere after open() is heard.
    // Unavailable when the server cannot be reached.
    static Result<std::unique_ptr<PostgresChangeFeed>> open(storage::SqlDatabase &database,
                                                            PostgresFeedOptions options);
    ~PostgresChangeFeed() override;
    PostgresChangeFeed(const PostgresChangeFeed &) = delete;
    PostgresChangeFeed &operator=(const PostgresChangeFeed &) = delete;

    void publish(const std::vector<ChangeScope> &changes, std::int64_t latest, const void *origin) override;
    void subscribe(Listener listener) override;

    // Relays that failed (NOTIFY refused or the store unreachable); the other instances'
    // devices then learn of those changes at their next pull.
    std::uint64_t failedRelays() const { return m_failedRelays.load(); }
    // How many times the listening connection was made again after breaking.
    std::uint64_t reconnections() const { return m_reconnections.load(); }

private:
    struct Connection;
    PostgresChangeFeed(storage::SqlDatabase &database, PostgresFeedOptions options, std::string instance,
                       std::unique_ptr<Connection> connection, int wakeFd, std::int64_t latestSeen);

    static Result<std::unique_ptr<Connection>> connectAndListen(const PostgresFeedOptions &options);
    void run(std::unique_ptr<Connection> connection);
    // Returns when the connection breaks or the feed stops.
    void listenOn(Connection &connection);
    void deliver(const std::string &payload);
    void catchUp();
    bool waitBeforeReconnect();

    storage::SqlDatabase &m_database;
    PostgresFeedOptions m_options;
    std::string m_instance;
    LocalChangeFeed m_local;
    int m_wakeFd;
    std::atomic<bool> m_stopping{false};
    std::mutex m_stopMutex;
    std::condition_variable m_stopped;
    std::int64_t m_latestSeen;  // the feed thread's alone
    std::atomic<std::uint64_t> m_failedRelays{0};
    std::atomic<std::uint64_t> m_reconnections{0};
    std::thread m_thread;
};

} // namespace sigess::syncserver
