// Group commit: jobs submitted from many threads are stored a group at a time, each
// group by one call of the store function (one transaction, one commit), instead of one
// transaction each. A commit costs about the same whether it holds one Push or eight
// (on the encrypted store every page it dirties is encrypted and authenticated once, and
// the pages of the indexes' shared paths are dirtied once per commit), so a server
// under load commits fewer times and stores more per second.
//
// Leaders, not a thread of its own: the first submitter that finds a leader slot free is
// told to lead, and leads on a thread where it may block (SyncService hands it to the
// server's pool, off every connection's strand); a leader takes the queued jobs in the
// order submitted while their weights fit the group bound (a job heavier than the bound
// alone goes alone), stores them, takes the next group, and returns once nothing it may
// take is queued. Meanwhile the connections keep being read, so the Pushes that arrive
// while one group is stored wait for the next: the busier the server, the bigger the
// groups.
//
// Order: jobs of one order key (a connection) are stored in the order submitted, and
// never in two groups at once, so with several leaders (concurrentGroups > 1) a later
// Push of a device never overtakes an earlier one.
//
// Thread safety: submit() and lead() may be called from any thread; the store function
// runs on the leader's thread, at most concurrentGroups calls at once.
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

namespace sigess::syncserver {

struct GroupCommitOptions {
    std::size_t maxGroupWeight = 4000;  // e.g. operations: eight Pushes of 500
    std::size_t concurrentGroups = 1;   // leaders at once; 1 for a store with one writer
};

template <typename Job>
class GroupCommit {
public:
    // Stores a group and answers each of its jobs.
    using StoreGroup = std::function<void(std::vector<Job> &group)>;

    GroupCommit(StoreGroup store, GroupCommitOptions options) : m_store(std::move(store)), m_options(options)
    {
        if (m_options.concurrentGroups == 0)
            m_options.concurrentGroups = 1;
    }
    GroupCommit(const GroupCommit &) = delete;
    GroupCommit &operator=(const GroupCommit &) = delete;

    // Queues the job. True when the caller must call lead() once, where it may block:
    // no running leader was sure to take the job.
    [[nodiscard]] bool submit(Job job, std::size_t weight, const void *orderKey)
    {
        const std::lock_guard lock(m_mutex);
        m_queue.push_back(Queued{std::move(job), weight, orderKey});
        if (m_leaders == m_options.concurrentGroups)
            return false;
        ++m_leaders;
        return true;
    }

    // Stores groups until none that this leader may take is queued.
    void lead()
    {
        std::unique_lock lock(m_mutex);
        for (;;) {
            std::vector<const void *> keys;
            std::vector<Job> group = takeGroup(keys);
            if (group.empty()) {
                --m_leaders;
                return;
            }
            lock.unlock();
            m_store(group);
            lock.lock();
            for (const void *key : keys)
                m_busyKeys.erase(key);
        }
    }

private:
    struct Queued {
        Job job;
        std::size_t weight;
        const void *orderKey;
    };

    // Under the lock: the next group in submission order, its keys marked busy.
    std::vector<Job> takeGroup(std::vector<const void *> &keys)
    {
        std::vector<Job> group;
        std::size_t weight = 0;
        // A key whose earlier job stays queued keeps its later ones queued too.
        std::set<const void *> passedOver;
        for (auto queued = m_queue.begin(); queued != m_queue.end();) {
            const void *key = queued->orderKey;
            const bool ownKey = std::find(keys.begin(), keys.end(), key) != keys.end();
            if (!ownKey && (m_busyKeys.count(key) != 0 || passedOver.count(key) != 0)) {
                passedOver.insert(key);
                ++queued;
                continue;
            }
            if (!group.empty() && weight + queued->weight > m_options.maxGroupWeight)
                break;
            weight += queued->weight;
            if (!ownKey) {
                keys.push_back(key);
                m_busyKeys.insert(key);
            }
            group.push_back(std::move(queued->job));
            queued = m_queue.erase(queued);
        }
        return group;
    }

    StoreGroup m_store;
    GroupCommitOptions m_options;
    std::mutex m_mutex;
    std::deque<Queued> m_queue;
    std::set<const void *> m_busyKeys;  // keys of the jobs in groups being stored
    std::size_t m_leaders = 0;
};

} // namespace sigess::syncserver
