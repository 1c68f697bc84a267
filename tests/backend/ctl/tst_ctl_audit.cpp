// sigessctl audit verify and audit citizen on both stores: an intact log passes; each
// kind of tampering done straight in SQL (a changed field, a re-hashed event, a deleted
// event, two events swapped, the end cut off, the head row altered) fails with exit
// status 1 and names the first fault; the citizen report lists exactly that citizen's
// accesses, with role, action, reason, the break-the-glass flag and who the actor is.
#include "backend/ctl/admin_fixture.h"
#include "storage/operator_repository.h"

using namespace sigess;
using sigess::test::AdminFixture;
using sigess::test::Outcome;

namespace {

constexpr int kEvents = 30;
constexpr char kAlice[] = "01900000-0000-7000-8000-00000000a11c";
constexpr char kBruno[] = "01900000-0000-7000-8000-0000000b2b00";
constexpr char kOperatorId[] = "01900000-0000-7000-8000-00000000e001";

std::string idFor(int n)
{
    char text[40];
    std::snprintf(text, sizeof text, "01900000-0000-7000-8000-%012x", n);
    return text;
}

// Event n: odd ones about Alice, even ones about Bruno; the 9th breaks the glass.
v1::AuditEvent accessEvent(int n)
{
    v1::AuditEvent event;
    event.mutable_meta()->set_id(idFor(n));
    event.mutable_meta()->set_presidio("P-M01-01");
    event.set_actor(kOperatorId);
    event.set_role(v1::ROLE_OPERATOR);
    event.set_record_type(v1::ENTITY_TYPE_CITIZEN);
    event.set_citizen(n % 2 == 1 ? kAlice : kBruno);
    event.set_record_id(event.citizen());
    event.set_action(n % 3 == 0 ? "update" : "read");
    event.set_reason(n == 9 ? "urgent safeguarding call from the hospital" : "assigned case");
    event.set_break_glass(n == 9);
    event.set_at_ms(1'767'225'600'000 + static_cast<std::uint64_t>(n) * 60'000);
    return event;
}

} // namespace

class TestCtlAudit : public QObject {
    Q_OBJECT

private:
    test::TestPostgresServer m_postgres;
    std::unique_ptr<AdminFixture> m_fixture;

    Outcome audit(const ctl::Args &args) { return m_fixture->run(ctl::runAudit, args); }

    Status execute(const std::string &sql, const storage::SqlParams &params = {})
    {
        Result<std::int64_t> ran = m_fixture->database().execute(sql, params);
        if (!ran.ok())
            return ran.takeError();
        return {};
    }

    Result<v1::AuditEvent> storedEvent(int sequence)
    {
        v1::AuditEvent event;
        Status read = m_fixture->database().query("SELECT data FROM audit_events WHERE sequence = $1",
            { sequence }, [&](const storage::SqlRow &row) {
                event.ParseFromString(row.bytes(0));
                return Status {};
            });
        if (!read.ok())
            return read.takeError();
        return event;
    }

    Status replaceStoredEvent(int sequence, const v1::AuditEvent &event)
    {
        return execute("UPDATE audit_events SET data = $1 WHERE sequence = $2",
            { storage::SqlBytes { event.SerializeAsString() }, sequence });
    }

private Q_SLOTS:
    void init()
    {
        if (QByteArray(QTest::currentDataTag()).isEmpty())
            return;
        auto opened = AdminFixture::open(test::currentStoreKind(), m_postgres, "unused-catalog.pb");
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().describe().c_str());
        m_fixture = std::move(opened).value();
        for (int n = 1; n <= kEvents; ++n)
            SIGESS_VERIFY_OK(test::appendAuditEvent(m_fixture->database(), accessEvent(n)));
    }

    void cleanup() { m_fixture.reset(); }

    void intactLogVerifies_data() { test::addStoreRows(); }
    void intactLogVerifies()
    {
        const Outcome verified = audit({ "verify" });
        QVERIFY2(verified.status == 0, verified.said().c_str());
        QVERIFY2(verified.out.starts_with("audit chain intact: 30 events, head sequence 30, hash "),
            verified.said().c_str());
    }

    void emptyLogVerifies_data() { test::addStoreRows(); }
    void emptyLogVerifies()
    {
        SIGESS_VERIFY_OK(execute("DELETE FROM audit_events"));
        SIGESS_VERIFY_OK(execute("DELETE FROM audit_head"));
        const Outcome verified = audit({ "verify" });
        QVERIFY2(verified.status == 0, verified.said().c_str());
        QCOMPARE(verified.out, std::string("audit chain intact: 0 events\n"));
    }

    void tamperingIsFound_data()
    {
        QTest::addColumn<QString>("tampering");
        QTest::addColumn<QString>("expected");
        for (const char *store : { "embedded", "postgres" }) {
            const QString tag = QString::fromLatin1(store) + '/';
            QTest::newRow(qPrintable(tag + "changed reason")) << "changed reason"
                                                              << "content changed at sequence 7";
            QTest::newRow(qPrintable(tag + "re-hashed event")) << "re-hashed event"
                                                               << "broken link at sequence 8";
            QTest::newRow(qPrintable(tag + "deleted event")) << "deleted event"
                                                             << "events missing at sequence 13";
            QTest::newRow(qPrintable(tag + "swapped events")) << "swapped events"
                                                              << "events reordered";
            QTest::newRow(qPrintable(tag + "cut off end")) << "cut off end"
                                                           << "head mismatch";
            QTest::newRow(qPrintable(tag + "head altered")) << "head altered"
                                                            << "head mismatch";
        }
    }
    void tamperingIsFound()
    {
        QFETCH(QString, tampering);
        QFETCH(QString, expected);
        if (tampering == "changed reason" || tampering == "re-hashed event") {
            const int sequence = 7;
            auto event = storedEvent(sequence);
            SIGESS_VERIFY_OK(event);
            event->set_reason("nothing to see here");
            if (tampering == "re-hashed event")
                event->set_hash(audit::eventHash(event->previous_hash(), *event));
            SIGESS_VERIFY_OK(replaceStoredEvent(sequence, *event));
        } else if (tampering == "deleted event") {
            SIGESS_VERIFY_OK(execute("DELETE FROM audit_events WHERE sequence = 12"));
        } else if (tampering == "swapped events") {
            SIGESS_VERIFY_OK(execute("UPDATE audit_events SET sequence = 1000 WHERE sequence = 5"));
            SIGESS_VERIFY_OK(execute("UPDATE audit_events SET sequence = 5 WHERE sequence = 6"));
            SIGESS_VERIFY_OK(execute("UPDATE audit_events SET sequence = 6 WHERE sequence = 1000"));
        } else if (tampering == "cut off end") {
            SIGESS_VERIFY_OK(execute("DELETE FROM audit_events WHERE sequence > 27"));
        } else {
            SIGESS_VERIFY_OK(execute("UPDATE audit_head SET sequence = 29"));
        }
        const Outcome verified = audit({ "verify" });
        QVERIFY2(verified.status == 1, verified.said().c_str());
        QVERIFY2(verified.out.find("AUDIT CHAIN BROKEN: " + expected.toStdString()) != std::string::npos,
            verified.said().c_str());
    }

    void unreadableEventIsAFailure_data() { test::addStoreRows(); }
    void unreadableEventIsAFailure()
    {
        SIGESS_VERIFY_OK(execute("UPDATE audit_events SET data = $1 WHERE sequence = 3",
            { storage::SqlBytes { std::string("\xff\xff\xff\xff", 4) } }));
        const Outcome verified = audit({ "verify" });
        QVERIFY2(verified.status == 1, verified.said().c_str());
        QVERIFY2(verified.err.find("cannot verify") != std::string::npos, verified.said().c_str());
    }

    void citizenReport_data() { test::addStoreRows(); }
    void citizenReport()
    {
        v1::Operator account;
        account.mutable_meta()->set_id(kOperatorId);
        account.mutable_meta()->set_presidio("P-M01-01");
        account.set_username("giulia.leone");
        account.set_display_name("Giulia Leone");
        account.set_role(v1::ROLE_OPERATOR);
        SIGESS_VERIFY_OK(storage::OperatorRepository(m_fixture->database()).create(account, "unused-hash"));

        const Outcome report = audit({ "citizen", kAlice });
        QVERIFY2(report.status == 0, report.said().c_str());
        QVERIFY2(
            report.out.starts_with("accesses to the records of citizen " + std::string(kAlice) + ": 15\n"),
            report.said().c_str());
        QVERIFY(report.out.find(kBruno) == std::string::npos);
        QVERIFY(report.out.find("2026-01-01T00:01:00Z  operator  " + std::string(kOperatorId)
                    + "  read citizen " + kAlice + "  reason: assigned case\n")
            != std::string::npos);
        QVERIFY2(report.out.find("2026-01-01T00:09:00Z  operator  " + std::string(kOperatorId)
                     + "  update citizen " + kAlice
                     + "  reason: urgent safeguarding call from the hospital  [BREAK THE GLASS]\n")
                != std::string::npos,
            report.said().c_str());
        QVERIFY(report.out.find("who:\n  " + std::string(kOperatorId) + "  giulia.leone (Giulia Leone)\n")
            != std::string::npos);

        const Outcome nobody = audit({ "citizen", idFor(999) });
        QVERIFY2(nobody.status == 0, nobody.said().c_str());
        QCOMPARE(nobody.out, "accesses to the records of citizen " + idFor(999) + ": 0\n");
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("nothing") << QStringList {};
        QTest::newRow("unknown action") << QStringList { "repair" };
        QTest::newRow("verify with an argument") << QStringList { "verify", "x" };
        QTest::newRow("citizen without id") << QStringList { "citizen" };
        QTest::newRow("unknown option") << QStringList { "verify", "--fast" };
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        ctl::Args arguments;
        for (const QString &arg : args)
            arguments.push_back(arg.toStdString());
        const Outcome outcome = AdminFixture::runWithoutConfig(ctl::runAudit, arguments);
        QVERIFY2(outcome.status == 2, outcome.said().c_str());
        QVERIFY(outcome.err.find("usage: sigessctl audit verify") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCtlAudit)
#include "tst_ctl_audit.moc"
