// The change feed of the embedded store, where one backend shares its store file with
// other processes (sigessctl) that write without a feed. publish() tells this process's
// listeners at once, as LocalChangeFeed does; a thread of its own also looks at the
// store every `interval` and publishes, with origin null:
//  - a rights change for every operator or device whose standing changed since the
//    last look (rights_snapshot.h), so a `sigessctl user disable` or `device revoke`
//    reaches the open connections at once, as the API's own rights changes do;
//  - the operations logged by another process (a seed), found by the head of the sync
//    log: what lies beyond the newest sequence this process published, one interval
//    after the head moved there (by then every commit of this process is published).
//    Operations of another process that fall below one of this process's own are told
//    by no Notify of their own, but every device that pulls reads them.
// A look that fails (the store busy) is tried again at the next interval. This process's
// own rights changes are also seen by the look and published a second time, which only
// makes the sync service check those connections again.
//
// Thread safety: publish and subscribe from any thread; listeners run on the publishing
// thread or the feed's own. The database must outlive the feed.
#pragma once

#include "core/result.h"
#include "storage/sql.h"
#include "sync/change_feed.h"
#include "sync/rights_snapshot.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

namespace sigess::syncserver {

struct PollingFeedOptions {
    std::chrono::milliseconds interval{250};
};

class PollingChangeFeed : public ChangeFeed {
public:
    // Reads the store's present state first, so what is committed after open() is heard.
    static Result<std::unique_ptr<PollingChangeFeed>> open(storage::SqlDatabase &database,
                                                           PollingFeedOptions options = {});
    ~PollingChangeFeed() override;
    PollingChangeFeed(const PollingChangeFeed &) = delete;
    PollingChangeFeed &operator=(const PollingChangeFeed &) = delete;

    void publish(const std::vector<ChangeScope> &changes, std::int64_t latest, const void *origin) override;
    void subscribe(Listener listener) override;

    // Looks at the store that failed; the next one tried again.
    std::uint64_t failedLooks() const { return m_failedLooks.load(); }

private:
    PollingChangeFeed(storage::SqlDatabase &database, PollingFeedOptions options, RightsSnapshot rights,
                      std::int64_t logHead);

    void run();
    bool waitForNextLook();
    Status look();

    storage::SqlDatabase &m_database;
    PollingFeedOptions m_options;
    LocalChangeFeed m_local;
    std::atomic<std::int64_t> m_publishedHere{0};
    // The feed thread's alone: the last snapshot, the log published up to, and the head
    // seen at the last look, checked at the next.
    RightsSnapshot m_rights;
    std::int64_t m_logSeen;
    std::int64_t m_headSeen;
    std::atomic<std::uint64_t> m_failedLooks{0};
    std::atomic<bool> m_stopping{false};
    std::mutex m_stopMutex;
    std::condition_variable m_stopped;
    std::thread m_thread;
};

} // namespace sigess::syncserver
