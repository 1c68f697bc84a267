// GroupCommit (backend/sync/group_commit.h) without a store: which jobs a leader stores
// together, that one order key's jobs keep their order and never run in two groups at
// once, and that every job submitted from many threads is stored exactly once.
#include "sync/group_commit.h"

#include <QTest>

#include <algorithm>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

using sigess::syncserver::GroupCommit;
using sigess::syncserver::GroupCommitOptions;

namespace {

struct Job {
    int id = 0;
};

using Groups = std::vector<std::vector<int>>;

std::vector<int> idsOf(const std::vector<Job> &group)
{
    std::vector<int> ids;
    for (const Job &job : group)
        ids.push_back(job.id);
    return ids;
}

} // namespace

Q_DECLARE_METATYPE(std::vector<std::size_t>)
Q_DECLARE_METATYPE(Groups)

class TestGroupCommit : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void groupsFollowTheBoundInOrder_data()
    {
        QTest::addColumn<std::size_t>("bound");
        QTest::addColumn<std::vector<std::size_t>>("weights");
        QTest::addColumn<Groups>("groups");
        QTest::newRow("fits whole") << std::size_t{10} << std::vector<std::size_t>{2, 3, 5} << Groups{{0, 1, 2}};
        QTest::newRow("split where the next would pass the bound")
            << std::size_t{10} << std::vector<std::size_t>{4, 4, 4, 8, 2} << Groups{{0, 1}, {2}, {3, 4}};
        QTest::newRow("a job heavier than the bound goes alone")
            << std::size_t{10} << std::vector<std::size_t>{3, 25, 1} << Groups{{0}, {1}, {2}};
        QTest::newRow("bound 0: one job a group")
            << std::size_t{0} << std::vector<std::size_t>{1, 1, 1} << Groups{{0}, {1}, {2}};
    }
    void groupsFollowTheBoundInOrder()
    {
        QFETCH(std::size_t, bound);
        QFETCH(std::vector<std::size_t>, weights);
        QFETCH(Groups, groups);
        Groups stored;
        GroupCommit<Job> commit([&](std::vector<Job> &group) { stored.push_back(idsOf(group)); },
                                GroupCommitOptions{bound, 1});
        const int key = 0;
        std::vector<bool> mustLead;
        for (std::size_t i = 0; i < weights.size(); ++i)
            mustLead.push_back(commit.submit(Job{static_cast<int>(i)}, weights[i], &key));
        // Only the first submitter leads; the others' jobs wait for that leader.
        QCOMPARE(mustLead.front(), true);
        QVERIFY(std::none_of(mustLead.begin() + 1, mustLead.end(), [](bool lead) { return lead; }));
        QVERIFY(stored.empty());
        commit.lead();
        QCOMPARE(stored, groups);
        // The leader left: the next job needs a leader again.
        QCOMPARE(commit.submit(Job{99}, 1, &key), true);
        commit.lead();
        QCOMPARE(stored.back(), std::vector<int>{99});
    }

    // Two leaders at once: while the first stores device A's first job, the second
    // leaves A's next job queued (it must follow the first) and stores device B's.
    void aKeysJobsKeepTheirOrderAcrossLeaders()
    {
        const int devices[2] = {};
        const int *deviceA = &devices[0];
        const int *deviceB = &devices[1];
        Groups stored;
        GroupCommit<Job> *commitOf = nullptr;
        bool secondLeaderRan = false;
        GroupCommit<Job> commit(
            [&](std::vector<Job> &group) {
                stored.push_back(idsOf(group));
                if (!secondLeaderRan) {
                    secondLeaderRan = true;
                    commitOf->lead();
                }
            },
            GroupCommitOptions{1, 2});
        commitOf = &commit;
        QCOMPARE(commit.submit(Job{1}, 1, deviceA), true);
        QCOMPARE(commit.submit(Job{2}, 1, deviceA), true);
        QCOMPARE(commit.submit(Job{3}, 1, deviceB), false);
        commit.lead();
        QCOMPARE(stored, (Groups{{1}, {3}, {2}}));
    }

    // Many threads submit, each with its own key; whoever is told to lead leads on a
    // thread of its own. Every job is stored once, and each key's jobs in order.
    void everyJobFromManyThreadsIsStoredOnceInOrder_data()
    {
        QTest::addColumn<std::size_t>("concurrentGroups");
        QTest::newRow("one leader") << std::size_t{1};
        QTest::newRow("three leaders") << std::size_t{3};
    }
    void everyJobFromManyThreadsIsStoredOnceInOrder()
    {
        QFETCH(std::size_t, concurrentGroups);
        constexpr int submitters = 6;
        constexpr int jobsEach = 200;
        std::mutex storedMutex;
        std::map<int, std::vector<int>> storedBySubmitter;
        std::size_t largestGroup = 0;
        GroupCommit<Job> commit(
            [&](std::vector<Job> &group) {
                const std::lock_guard lock(storedMutex);
                largestGroup = std::max(largestGroup, group.size());
                for (const Job &job : group)
                    storedBySubmitter[job.id / jobsEach].push_back(job.id % jobsEach);
            },
            GroupCommitOptions{16, concurrentGroups});
        std::mutex leadersMutex;
        std::vector<std::thread> leaders;
        std::vector<std::thread> threads;
        std::vector<int> keys(submitters);
        for (int s = 0; s < submitters; ++s) {
            threads.emplace_back([&, s] {
                for (int j = 0; j < jobsEach; ++j) {
                    if (commit.submit(Job{s * jobsEach + j}, 1, &keys[static_cast<std::size_t>(s)])) {
                        const std::lock_guard lock(leadersMutex);
                        leaders.emplace_back([&commit] { commit.lead(); });
                    }
                }
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        {
            const std::lock_guard lock(leadersMutex);
            for (std::thread &leader : leaders)
                leader.join();
        }
        QCOMPARE(storedBySubmitter.size(), std::size_t{submitters});
        std::vector<int> inOrder(jobsEach);
        for (int j = 0; j < jobsEach; ++j)
            inOrder[static_cast<std::size_t>(j)] = j;
        for (const auto &[submitter, ids] : storedBySubmitter)
            QCOMPARE(ids, inOrder);
        QVERIFY(largestGroup <= 16);
    }
};

QTEST_GUILESS_MAIN(TestGroupCommit)
#include "tst_group_commit.moc"
