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
// Pipeline: with a prepare stage (a store with one writer: concurrentGroups is then 1),
// the leader takes the next group as it starts storing one and prepares it on another
// thread meanwhile, so that what a group needs besides the writer (merging, encoding)
// no longer waits for the previous group's writes and commit. A preparation builds on
// the group before it as that group was prepared (PrepareBasis::Previous); when that
// group was not stored as prepared, the leader prepares the next one again once the
// store holds what was stored instead (PrepareBasis::Stored). Jobs of one key may then
// sit in two consecutive groups: the later group is stored after the earlier.
//
// Thread safety: submit() and lead() may be called from any thread; the store function
// runs on the leader's thread, at most concurrentGroups calls at once, and the prepare
// function on the leader's thread or beside it, one call at a time, overlapping at most
// the store of the group before the one it prepares.
#pragma once

#include <algorithm>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <set>
#include <utility>
#include <vector>

namespace sigess::syncserver {

struct GroupCommitOptions {
    std::size_t maxGroupWeight = 4000;  // e.g. operations: eight Pushes of 500
    std::size_t concurrentGroups = 1;   // leaders at once; 1 for a store with one writer
};

// What a preparation may build on: the store as it stands, nothing being stored, or the
// group before, being stored meanwhile, as it was prepared.
enum class PrepareBasis { Stored, Previous };
// Whether a group was stored as it was prepared (so that what the next preparation built
// on it stands).
enum class GroupStored { AsPrepared, Otherwise };

template <typename Job>
class GroupCommit {
public:
    // Stores a group and answers each of its jobs.
    using StoreGroup = std::function<GroupStored(std::vector<Job> &group)>;
    // Prepares a group for its store; empty for no pipeline.
    using PrepareGroup = std::function<void(std::vector<Job> &group, PrepareBasis basis)>;

    GroupCommit(StoreGroup store, GroupCommitOptions options, PrepareGroup prepare = {})
        : m_store(std::move(store)), m_prepare(std::move(prepare)), m_options(options)
    {
        if (m_options.concurrentGroups == 0 || m_prepare)
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
        if (m_prepare) {
            leadPipeline();
            return;
        }
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
            release(keys);
        }
    }

private:
    // The one leader of a pipeline: the keys of the group being stored stay its own, so
    // the next group may take their later jobs, which it stores after them.
    void leadPipeline()
    {
        std::unique_lock lock(m_mutex);
        std::vector<const void *> keys;
        std::vector<Job> group = takeGroup(keys);
        bool prepared = false;
        while (!group.empty()) {
            std::vector<Job> next = takeGroup(keys);
            lock.unlock();
            if (!prepared)
                m_prepare(group, PrepareBasis::Stored);
            std::future<void> preparing;
            if (!next.empty())
                preparing = std::async(std::launch::async, [this, &next] { m_prepare(next, PrepareBasis::Previous); });
            const GroupStored stored = m_store(group);
            if (preparing.valid())
                preparing.get();
            prepared = stored == GroupStored::AsPrepared;
            group = std::move(next);
            lock.lock();
            if (group.empty()) {
                release(keys);
                keys.clear();
                group = takeGroup(keys);
                prepared = false;
            }
        }
        --m_leaders;
    }

    // Under the lock.
    void release(const std::vector<const void *> &keys)
    {
        for (const void *key : keys)
            m_busyKeys.erase(key);
    }

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
    PrepareGroup m_prepare;
    GroupCommitOptions m_options;
    std::mutex m_mutex;
    std::deque<Queued> m_queue;
    std::set<const void *> m_busyKeys;  // keys of the jobs in groups being stored
    std::size_t m_leaders = 0;
};

} // namespace sigess::syncserver
