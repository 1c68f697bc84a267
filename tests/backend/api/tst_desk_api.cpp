// The desk API on both stores: calling the next ticket by priority then arrival, recall,
// served, no-show and referred, the state rules between them, who may use them, two
// desks calling at once, and that every move reaches the sync log and the change feed
// (which is how the waiting-room displays hear of it).
#include "api_fixture.h"

#include <QTest>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace sigess;
using namespace sigess::test;

namespace {

// The called stamp as (wall, counter); Protobuf's JSON writes 64-bit numbers as strings.
std::pair<std::uint64_t, std::uint32_t> calledOf(const HttpResult &result)
{
    const QJsonObject called = result.json["called"].toObject();
    return {called["wall_ms"].toString().toULongLong(), static_cast<std::uint32_t>(called["counter"].toInt())};
}

std::string callNext(const std::string &presidio, const std::string &desk)
{
    return "/api/v1/presidi/" + presidio + "/desks/" + desk + "/call-next";
}

} // namespace

class TestDeskApi : public QObject {
    Q_OBJECT

private:
    TestPostgresServer m_postgres;
    std::unique_ptr<ApiFixture> m_api;
    std::mutex m_publishedMutex;
    std::vector<syncserver::ChangeScope> m_published;

    ApiFixture &api() { return *m_api; }

    std::string issueTicket(const Client &client, const std::string &presidio, const std::string &number,
                            bool priority = false)
    {
        const std::string id = createdId(api().post("/api/v1/presidi/" + presidio + "/tickets", client,
                                                    "{\"number\":\"" + number + "\",\"priority\":"
                                                        + (priority ? "true" : "false") + "}"),
                                         "ticket");
        // Arrival order is by issue stamp: a moment passes between two citizens.
        api().clock().advance(1000);
        return id;
    }

    std::size_t publishedFor(const std::string &ticket)
    {
        const std::lock_guard lock(m_publishedMutex);
        return static_cast<std::size_t>(std::ranges::count_if(m_published, [&](const syncserver::ChangeScope &change) {
            return change.entityId == ticket && change.type == v1::ENTITY_TYPE_TICKET && change.presidio == kHome;
        }));
    }

    std::int64_t loggedOpsFor(const std::string &ticket)
    {
        std::int64_t count = -1;
        const Status read = api().database().query(
            "SELECT count(*) FROM sync_ops WHERE entity_id = $1", {ticket}, [&](const storage::SqlRow &row) -> Status {
                count = row.int64(0);
                return {};
            });
        return read.ok() ? count : -1;
    }

private Q_SLOTS:
    void init()
    {
        EXPECT_OK(ApiFixture::openForCurrentRow(m_api, m_postgres));
        if (!m_api)
            return;
        m_published.clear();
        api().feed().subscribe([this](const std::vector<syncserver::ChangeScope> &changes, std::int64_t, const void *) {
            const std::lock_guard lock(m_publishedMutex);
            m_published.insert(m_published.end(), changes.begin(), changes.end());
        });
    }

    void cleanup() { m_api.reset(); }

    void callsByPriorityThenArrival_data() { addStoreRows(); }
    void callsByPriorityThenArrival()
    {
        const std::string first = issueTicket(api().kiosk, kHome, "A1-001");
        const std::string second = issueTicket(api().kiosk, kHome, "A1-002");
        const std::string urgent = issueTicket(api().kiosk, kHome, "A1-003", true);
        issueTicket(api().awayKiosk, kAway, "A1-001");  // another presidio's queue

        const HttpResult called = api().post(callNext(kHome, "Sportello%201"), api().operatorA, "");
        EXPECT_STATUS(called, 200);
        QCOMPARE(idOf(called), urgent);
        QCOMPARE(str(called.json["state"]), std::string("TICKET_STATE_CALLED"));
        QCOMPARE(str(called.json["desk"]), std::string("Sportello 1"));
        QVERIFY(calledOf(called).first > 0);

        const HttpResult then = api().post(callNext(kHome, "2"), api().coordinator, "");
        EXPECT_STATUS(then, 200);
        QCOMPARE(idOf(then), first);
        QCOMPARE(str(then.json["desk"]), std::string("2"));
        QCOMPARE(idOf(api().post(callNext(kHome, "2"), api().coordinator, "")), second);
        const HttpResult empty = api().post(callNext(kHome, "2"), api().coordinator, "");
        EXPECT_STATUS(empty, 404);
        QVERIFY2(empty.errorMessage().find("waiting") != std::string::npos, empty.body.c_str());

        // Yesterday's leftovers are not today's queue.
        issueTicket(api().kiosk, kHome, "A1-004");
        api().clock().advance(24ULL * 60 * 60 * 1000);
        const Client nextMorning = api().addOperator("next.morning", v1::ROLE_COORDINATOR, kHome);
        EXPECT_STATUS(api().post(callNext(kHome, "2"), nextMorning, ""), 404);

        // Each call went through the sync log and was announced on the change feed.
        for (const std::string &ticket : {urgent, first, second}) {
            QVERIFY(loggedOpsFor(ticket) >= 1);
            QVERIFY(publishedFor(ticket) >= 1);
        }
        const HttpResult calledList
            = api().get("/api/v1/presidi/" + std::string(kHome) + "/tickets?state=TICKET_STATE_CALLED", nextMorning);
        EXPECT_STATUS(calledList, 200);
        QCOMPARE(calledList.json["tickets"].toArray().size(), 3);
    }

    void movesOfACalledTicket_data() { addStoreRows(); }
    void movesOfACalledTicket()
    {
        for (const char *number : {"A1-010", "A1-011", "A1-012"})
            issueTicket(api().kiosk, kHome, number);
        const HttpResult called = api().post(callNext(kHome, "3"), api().operatorA, "");
        EXPECT_STATUS(called, 200);
        const std::string ticket = idOf(called);
        const std::string path = "/api/v1/tickets/" + ticket;
        const std::size_t publishedBefore = publishedFor(ticket);

        // A recall is a new call: a later stamp, same desk, announced again.
        api().clock().advance(30'000);
        const HttpResult recalled = api().post(path + "/recall", api().operatorA, "");
        EXPECT_STATUS(recalled, 200);
        QCOMPARE(str(recalled.json["state"]), std::string("TICKET_STATE_CALLED"));
        QCOMPARE(str(recalled.json["desk"]), std::string("3"));
        QVERIFY(calledOf(recalled) > calledOf(called));
        QCOMPARE(publishedFor(ticket), publishedBefore + 1);

        const HttpResult served = api().post(path + "/served", api().operatorA, "");
        EXPECT_STATUS(served, 200);
        QCOMPARE(str(served.json["state"]), std::string("TICKET_STATE_SERVED"));
        // Closed is closed: no second close, no recall.
        for (const char *move : {"/recall", "/served", "/no-show", "/referred"}) {
            const HttpResult again = api().post(path + move, api().operatorA, "");
            EXPECT_STATUS(again, 409);
            QCOMPARE(again.errorCode(), std::string("conflict"));
        }

        const std::string second = idOf(api().post(callNext(kHome, "3"), api().operatorA, ""));
        const HttpResult noShow = api().post("/api/v1/tickets/" + second + "/no-show", api().coordinator, "");
        EXPECT_STATUS(noShow, 200);
        QCOMPARE(str(noShow.json["state"]), std::string("TICKET_STATE_NO_SHOW"));
        const std::string third = idOf(api().post(callNext(kHome, "3"), api().operatorA, ""));
        const HttpResult referred = api().post("/api/v1/tickets/" + third + "/referred", api().operatorA, "");
        EXPECT_STATUS(referred, 200);
        QCOMPARE(str(referred.json["state"]), std::string("TICKET_STATE_REFERRED"));

        // A waiting ticket cannot be closed or recalled before a desk calls it.
        const std::string waiting = issueTicket(api().kiosk, kHome, "A1-013");
        EXPECT_STATUS(api().post("/api/v1/tickets/" + waiting + "/served", api().operatorA, ""), 409);
        EXPECT_STATUS(api().post("/api/v1/tickets/" + waiting + "/recall", api().operatorA, ""), 409);
    }

    void badRequestsAndStrangers_data() { addStoreRows(); }
    void badRequestsAndStrangers()
    {
        const std::string ticket = issueTicket(api().kiosk, kHome, "A1-020");
        // Desks are short printable names.
        EXPECT_STATUS(api().post(callNext(kHome, std::string(21, 'x')), api().operatorA, ""), 400);
        EXPECT_STATUS(api().post(callNext(kHome, "desk%3B%20DROP%20TABLE%20tickets"), api().operatorA, ""), 400);
        EXPECT_STATUS(api().post(callNext(kHome, "%C3%A8"), api().operatorA, ""), 400);
        EXPECT_STATUS(api().post(callNext("P-NOPE", "1"), api().operatorA, ""), 404);
        EXPECT_STATUS(api().post("/api/v1/tickets/no-such-ticket/served", api().operatorA, ""), 404);
        // Nobody from another presidio, no kiosk, no supervisor, no admin calls this queue.
        for (const Client *stranger : {&api().awayOperator, &api().awayCoordinator, &api().kiosk, &api().supervisor,
                                       &api().admin, &api().auditor}) {
            EXPECT_STATUS(api().post(callNext(kHome, "1"), *stranger, ""), 403);
        }
        EXPECT_STATUS(api().post(callNext(kHome, "1"), {}, ""), 401);
        // A body is refused rather than ignored.
        EXPECT_STATUS(api().post(callNext(kHome, "1"), api().operatorA, "{\"desk\":\"2\"}"), 400);

        const std::string called = idOf(api().post(callNext(kHome, "1"), api().operatorA, ""));
        QCOMPARE(called, ticket);
        for (const Client *stranger : {&api().awayOperator, &api().awayCoordinator, &api().kiosk, &api().supervisor}) {
            EXPECT_STATUS(api().post("/api/v1/tickets/" + called + "/served", *stranger, ""), 403);
        }
        // Nothing a stranger tried moved the ticket.
        EXPECT_STATUS(api().post("/api/v1/tickets/" + called + "/recall", api().operatorA, ""), 200);
    }

    // Two desks pressing "next" at the same moment, over and over, never call one ticket twice.
    void concurrentDesksCallDistinctTickets_data() { addStoreRows(); }
    void concurrentDesksCallDistinctTickets()
    {
        constexpr int tickets = 24;
        for (int i = 0; i < tickets; ++i)
            issueTicket(api().kiosk, kHome, "B-" + std::to_string(100 + i), i % 5 == 0);
        std::mutex mutex;
        std::vector<std::string> called;
        std::atomic<int> failures {0};
        std::vector<std::thread> desks;
        for (int desk = 1; desk <= 4; ++desk) {
            desks.emplace_back([&, desk] {
                for (;;) {
                    const HttpResult result = api().post(callNext(kHome, std::to_string(desk)), api().coordinator, "");
                    if (result.status == 404)
                        return;
                    if (result.status != 200) {
                        ++failures;
                        return;
                    }
                    const std::lock_guard lock(mutex);
                    called.push_back(idOf(result));
                }
            });
        }
        for (std::thread &desk : desks)
            desk.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(called.size(), std::size_t {tickets});
        QCOMPARE(std::set<std::string>(called.begin(), called.end()).size(), std::size_t {tickets});
    }
};

QTEST_GUILESS_MAIN(TestDeskApi)
#include "tst_desk_api.moc"
