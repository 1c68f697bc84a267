// sigessctl seed on both stores, over the real catalog (deploy/catalog): the store holds
// exactly the city the generator promises, the seeded operators log in with the demo
// password, the same seed gives the same records byte for byte, and a store that already
// holds a city is refused unless --force (which keeps the audit log).
#include "backend/ctl/admin_fixture.h"
#include "catalog/builder.h"
#include "core/catalog.h"
#include "identity/identity_service.h"
#include "seed/generator.h"
#include "sync/postgres_change_feed.h"
#include "sync/sync_repository.h"

#include <QRegularExpression>

#include <algorithm>
#include <map>
#include <mutex>

using namespace sigess;
using sigess::test::AdminFixture;
using sigess::test::Outcome;

namespace {

constexpr char kDemoPassword[] = "demo-password-2026";

// Counts nothing itself: the generator's summary is the promise.
class DiscardingSink final : public seed::SeedSink {
public:
    Status accept(const v1::Presidio &) override { return {}; }
    Status accept(const v1::Operator &) override { return {}; }
    Status accept(const v1::Citizen &) override { return {}; }
    Status accept(const v1::Ticket &) override { return {}; }
    Status accept(const v1::Intake &) override { return {}; }
    Status accept(const v1::Case &) override { return {}; }
    Status accept(const v1::Intervention &) override { return {}; }
    Status accept(const v1::Visit &) override { return {}; }
    Status accept(const v1::Note &) override { return {}; }
    Status accept(const v1::Assessment &) override { return {}; }
};

Result<std::int64_t> countRows(storage::SqlDatabase &database, const std::string &table)
{
    std::int64_t count = 0;
    Status read = database.query("SELECT count(*) FROM " + table, {}, [&](const storage::SqlRow &row) {
        count = row.int64(0);
        return Status {};
    });
    if (!read.ok())
        return read.takeError();
    return count;
}

// Every record of the city's tables as "table key bytes", in key order.
Result<std::vector<std::string>> cityRows(storage::SqlDatabase &database)
{
    std::vector<std::string> rows;
    for (const char *table : { "presidi", "operators", "citizens", "intakes", "tickets", "cases" }) {
        const std::string key = std::string(table) == "presidi" ? "code" : "id";
        Status read = database.query("SELECT " + key + ", data FROM " + table + " ORDER BY " + key, {},
            [&](const storage::SqlRow &row) {
                rows.push_back(std::string(table) + ' ' + std::string(row.text(0)) + ' ' + row.bytes(1));
                return Status {};
            });
        if (!read.ok())
            return read.takeError();
    }
    return rows;
}

std::string captured(const std::string &text, const char *pattern)
{
    const auto match = QRegularExpression(pattern, QRegularExpression::MultilineOption)
                           .match(QString::fromStdString(text));
    return match.hasMatch() ? match.captured(1).toStdString() : std::string();
}

} // namespace

class TestCtlSeed : public QObject {
    Q_OBJECT

private:
    test::TestPostgresServer m_postgres;
    QTemporaryDir m_catalogDir;
    std::string m_catalogFile;
    std::optional<core::Catalog> m_catalog;
    core::SystemClock m_clock;
    core::HybridLogicalClock m_hlc { m_clock };
    core::UuidV7Generator m_ids { m_clock };

    std::unique_ptr<AdminFixture> openFixture()
    {
        auto opened = AdminFixture::open(test::currentStoreKind(), m_postgres, m_catalogFile);
        if (!opened.ok())
            qFatal("cannot open a store: %s", opened.error().describe().c_str());
        return std::move(opened).value();
    }

    seed::SeedSummary promised(std::uint64_t seedNumber, std::size_t citizens)
    {
        seed::SeedConfig config;
        config.seed = seedNumber;
        config.citizens = citizens;
        DiscardingSink sink;
        Result<seed::SeedSummary> summary = seed::generateCity(*m_catalog, config, sink);
        if (!summary.ok())
            qFatal("the generator failed: %s", summary.error().describe().c_str());
        return *summary;
    }

    identity::IdentityService identityOver(storage::SqlDatabase &database)
    {
        identity::IdentityOptions options;
        options.passwordCost = identity::PasswordCost::minimum();
        return identity::IdentityService(database, m_clock, m_hlc, m_ids, options);
    }

private Q_SLOTS:
    void initTestCase()
    {
        const catalog::BuildResult built = catalog::buildCatalog(SIGESS_SOURCE_DIR "/deploy/catalog");
        QVERIFY(built.ok());
        m_catalogFile = m_catalogDir.filePath("current.pb").toStdString();
        QVERIFY(
            test::writeFile(QString::fromStdString(m_catalogFile), core::serializeRelease(built.release)));
        Result<core::Catalog> loaded = core::Catalog::fromFile(m_catalogFile);
        SIGESS_VERIFY_OK(loaded);
        m_catalog.emplace(std::move(loaded).value());
    }

    void storeHoldsThePromisedCity_data() { test::addStoreRows(); }
    void storeHoldsThePromisedCity()
    {
        auto fixture = openFixture();
        const Outcome seeded = fixture->run(ctl::runSeed, { "--seed", "7", "--citizens", "300" });
        QVERIFY2(seeded.status == 0, seeded.said().c_str());

        const seed::SeedSummary summary = promised(7, 300);
        QCOMPARE(summary.operators, std::size_t { 900 });
        QCOMPARE(summary.presidi, std::size_t { 26 });
        storage::SqlDatabase &database = fixture->database();
        // Every record of the city's people is in the sync log too, one operation each.
        const std::size_t replicated = 300 + summary.intakes + summary.tickets + summary.cases
            + summary.interventions + summary.visits + summary.notes + summary.assessments;
        const std::map<std::string, std::size_t> expected = {
            { "sync_entities", replicated },
            { "sync_ops", replicated },
            { "presidi", summary.presidi },
            { "operators", summary.operators },
            { "citizens", 300 },
            { "intakes", summary.intakes },
            { "tickets", summary.tickets },
            { "cases", summary.cases },
            { "devices", 0 },
            { "audit_events", 0 },
        };
        for (const auto &[table, count] : expected) {
            Result<std::int64_t> rows = countRows(database, table);
            SIGESS_VERIFY_OK(rows);
            QVERIFY2(*rows == static_cast<std::int64_t>(count), table.c_str());
        }
        QVERIFY2(seeded.out.find("citizens 300 (" + std::to_string(summary.citizensWithoutCodiceFiscale)
                     + " without a codice fiscale)")
                != std::string::npos,
            seeded.said().c_str());
        QVERIFY(seeded.out.find("for devices only (the sync log; no API table): interventions "
                    + std::to_string(summary.interventions))
            != std::string::npos);

        const std::string password
            = captured(seeded.out, "^demo password of every operator \\(shown only now\\): (\\S+)$");
        QVERIFY2(password.size() >= 10, seeded.said().c_str());
        auto identity = identityOver(database);
        for (const auto &[role, name] : { std::pair { v1::ROLE_ADMIN, "admin" },
                 std::pair { v1::ROLE_OPERATOR, "operator" }, std::pair { v1::ROLE_AUDITOR, "auditor" } }) {
            const std::string username
                = captured(seeded.out, (std::string("^  ") + name + ": (\\S+)").c_str());
            QVERIFY2(!username.empty(), seeded.said().c_str());
            auto session = identity.login(username, password);
            SIGESS_VERIFY_OK(session);
            QCOMPARE(session->principal.role, role);
            QCOMPARE(identity.login(username, "not-the-password").error().code, ErrorCode::Unauthorized);
        }
    }

    // A backend running on the PostgreSQL store hears of the seeded records at once, as of
    // another instance's writes: on its change feed, up to the log's last sequence.
    void runningBackendsHearTheSeed_data()
    {
        QTest::addColumn<int>("unused");
        QTest::newRow("postgres") << 0;
    }
    void runningBackendsHearTheSeed()
    {
        auto fixture = openFixture();
        Result<std::unique_ptr<syncserver::PostgresChangeFeed>> feed
            = syncserver::PostgresChangeFeed::open(fixture->database(), {fixture->store().postgres()->connectionString});
        SIGESS_VERIFY_OK(feed);
        std::mutex mutex;
        std::size_t heard = 0;
        std::int64_t latest = 0;
        (*feed)->subscribe([&](const std::vector<syncserver::ChangeScope> &changes, std::int64_t upTo, const void *) {
            const std::lock_guard lock(mutex);
            heard += changes.size();
            latest = std::max(latest, upTo);
        });
        const Outcome seeded = fixture->run(ctl::runSeed, {"--seed", "7", "--citizens", "30"});
        QVERIFY2(seeded.status == 0, seeded.said().c_str());
        Result<std::int64_t> logged = syncserver::SyncRepository(fixture->database()).latestSequence();
        SIGESS_VERIFY_OK(logged);
        QVERIFY(*logged > 0);
        const auto heardAll = [&] {
            const std::lock_guard lock(mutex);
            return heard > 0 && latest == *logged;
        };
        QTRY_VERIFY_WITH_TIMEOUT(heardAll(), 30000);
    }

    void sameSeedSameCity_data() { test::addStoreRows(); }
    void sameSeedSameCity()
    {
        std::vector<std::vector<std::string>> cities;
        for (const char *seedNumber : { "11", "11", "12" }) {
            auto fixture = openFixture();
            const Outcome seeded = fixture->run(ctl::runSeed,
                { "--seed", seedNumber, "--citizens", "120", "--password-stdin" }, kDemoPassword);
            QVERIFY2(seeded.status == 0, seeded.said().c_str());
            QVERIFY(seeded.out.find("every operator has the password given on stdin") != std::string::npos);
            auto rows = cityRows(fixture->database());
            SIGESS_VERIFY_OK(rows);
            cities.push_back(std::move(rows).value());
        }
        QVERIFY(cities[0].size() > 1000);
        QVERIFY(cities[0] == cities[1]);
        QVERIFY(cities[0] != cities[2]);
    }

    void nonEmptyStoreRefusedUnlessForced_data() { test::addStoreRows(); }
    void nonEmptyStoreRefusedUnlessForced()
    {
        auto fixture = openFixture();
        storage::SqlDatabase &database = fixture->database();
        const ctl::Args args = { "--citizens", "50", "--password-stdin" };
        QVERIFY(fixture->run(ctl::runSeed, args, kDemoPassword).status == 0);
        v1::AuditEvent event;
        event.mutable_meta()->set_id("01900000-0000-7000-8000-000000000001");
        event.set_actor("someone");
        event.set_action("read");
        SIGESS_VERIFY_OK(test::appendAuditEvent(database, event));

        const Outcome refused = fixture->run(ctl::runSeed, args, kDemoPassword);
        QCOMPARE(refused.status, 1);
        QVERIFY2(refused.err.find("the store is not empty: presidi 26, operators 900, devices 0, citizens 50")
                != std::string::npos,
            refused.said().c_str());
        QVERIFY(refused.err.find("--force") != std::string::npos);
        QCOMPARE(*countRows(database, "citizens"), std::int64_t { 50 });

        ctl::Args forced = args;
        forced.insert(forced.end(), { "--force", "--seed", "2" });
        const Outcome reseeded = fixture->run(ctl::runSeed, forced, kDemoPassword);
        QVERIFY2(reseeded.status == 0, reseeded.said().c_str());
        QVERIFY(reseeded.out.find("emptied the city's tables (--force)") != std::string::npos);
        QCOMPARE(*countRows(database, "citizens"), std::int64_t { 50 });
        QCOMPARE(*countRows(database, "operators"), std::int64_t { 900 });
        QCOMPARE(*countRows(database, "audit_events"), std::int64_t { 1 });
    }

    void failures_data() { test::addStoreRows(); }
    void failures()
    {
        auto fixture = openFixture();
        const Outcome weak = fixture->run(ctl::runSeed, { "--citizens", "5", "--password-stdin" }, "short\n");
        QCOMPARE(weak.status, 1);
        QVERIFY2(weak.err.find("demo password refused: a password needs at least 10 characters")
                != std::string::npos,
            weak.said().c_str());
        const Outcome noCatalog
            = fixture->run(ctl::runSeed, { "--citizens", "5", "--catalog", "/nonexistent/catalog.pb" });
        QCOMPARE(noCatalog.status, 1);
        QVERIFY2(
            noCatalog.err.find("/nonexistent/catalog.pb") != std::string::npos, noCatalog.said().c_str());
        QCOMPARE(*countRows(fixture->database(), "operators"), std::int64_t { 0 });
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("citizens not a number") << QStringList { "--citizens", "many" };
        QTest::newRow("negative seed") << QStringList { "--seed", "-1" };
        QTest::newRow("seed with a unit") << QStringList { "--seed", "12k" };
        QTest::newRow("a positional argument") << QStringList { "city" };
        QTest::newRow("password on the command line") << QStringList { "--password", "secret-secret" };
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        ctl::Args arguments;
        for (const QString &arg : args)
            arguments.push_back(arg.toStdString());
        const Outcome outcome = AdminFixture::runWithoutConfig(ctl::runSeed, arguments);
        QVERIFY2(outcome.status == 2, outcome.said().c_str());
        QVERIFY(outcome.err.find("usage: sigessctl seed") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCtlSeed)
#include "tst_ctl_seed.moc"
