#include "sync/polling_change_feed.h"

#include "sync/log_tail.h"
#include "sync/sync_repository.h"

#include <algorithm>
#include <utility>

namespace sigess::syncserver {

Result<std::unique_ptr<PollingChangeFeed>> PollingChangeFeed::open(storage::SqlDatabase &database,
                                                                   PollingFeedOptions options)
{
    Result<RightsSnapshot> rights = readRights(database);
    if (!rights.ok())
        return rights.takeError();
    Result<std::int64_t> head = SyncRepository(database).latestSequence();
    if (!head.ok())
        return head.takeError();
    return std::unique_ptr<PollingChangeFeed>(
        new PollingChangeFeed(database, options, std::move(rights).value(), *head));
}

PollingChangeFeed::PollingChangeFeed(storage::SqlDatabase &database, PollingFeedOptions options,
                                     RightsSnapshot rights, std::int64_t logHead)
    : m_database(database)
    , m_options(options)
    , m_publishedHere(logHead)
    , m_rights(std::move(rights))
    , m_logSeen(logHead)
    , m_headSeen(logHead)
{
    m_thread = std::thread([this] { run(); });
}

PollingChangeFeed::~PollingChangeFeed()
{
    {
        const std::lock_guard lock(m_stopMutex);
        m_stopping = true;
    }
    m_stopped.notify_all();
    m_thread.join();
}

void PollingChangeFeed::publish(const std::vector<ChangeScope> &changes, std::int64_t latest, const void *origin)
{
    std::int64_t known = m_publishedHere.load();
    while (latest > known && !m_publishedHere.compare_exchange_weak(known, latest)) {
    }
    m_local.publish(changes, latest, origin);
}

void PollingChangeFeed::subscribe(Listener listener)
{
    m_local.subscribe(std::move(listener));
}

void PollingChangeFeed::run()
{
    while (waitForNextLook()) {
        if (!look().ok())
            ++m_failedLooks;
    }
}

bool PollingChangeFeed::waitForNextLook()
{
    std::unique_lock lock(m_stopMutex);
    return !m_stopped.wait_for(lock, m_options.interval, [this] { return m_stopping.load(); });
}

Status PollingChangeFeed::look()
{
    Result<RightsSnapshot> rights = readRights(m_database);
    if (!rights.ok())
        return rights.takeError();
    const std::vector<ChangeScope> rightsChanges = rightsChangesBetween(m_rights, *rights);
    m_rights = std::move(rights).value();
    m_local.publish(rightsChanges, 0, nullptr);

    // The head seen one look ago: whatever of it this process did not publish by now,
    // another process wrote.
    const std::int64_t settled = m_headSeen;
    Result<std::int64_t> head = SyncRepository(m_database).latestSequence();
    if (!head.ok())
        return head.takeError();
    m_headSeen = *head;
    const std::int64_t from = std::max(m_logSeen, m_publishedHere.load());
    if (settled <= from) {
        m_logSeen = std::max(m_logSeen, settled);
        return {};
    }
    Result<std::int64_t> published = publishLogTail(m_database, m_local, from, settled, m_stopping);
    if (!published.ok())
        return published.takeError();
    m_logSeen = settled;
    return {};
}

} // namespace sigess::syncserver
