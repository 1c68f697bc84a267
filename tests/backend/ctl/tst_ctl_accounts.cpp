// sigessctl user and device, run through runUser()/runDevice() against both stores, and
// checked through identity's own service: an account added here logs in, a changed
// password ends the old sessions, a disabled account and a revoked device stop working
// at once, an enrollment code works once.
#include "backend/ctl/admin_fixture.h"
#include "identity/identity_service.h"
#include "storage/operator_repository.h"

#include <QRegularExpression>

using namespace sigess;
using sigess::test::AdminFixture;
using sigess::test::Outcome;

namespace {

constexpr char kPresidio[] = "P-M01-01";

} // namespace

class TestCtlAccounts : public QObject {
    Q_OBJECT

private:
    test::TestPostgresServer m_postgres;
    std::unique_ptr<AdminFixture> m_fixture;
    core::SystemClock m_clock;
    core::HybridLogicalClock m_hlc { m_clock };
    core::UuidV7Generator m_ids { m_clock };
    std::unique_ptr<identity::IdentityService> m_identity;

    Outcome user(const ctl::Args &args, const std::string &stdinText = {})
    {
        return m_fixture->run(ctl::runUser, args, stdinText);
    }

    Outcome device(const ctl::Args &args) { return m_fixture->run(ctl::runDevice, args); }

    // The code from "enrollment code: XXXX-XXXX-XXXX".
    static std::string enrollmentCodeIn(const std::string &out)
    {
        const auto match = QRegularExpression("enrollment code: (\\S+)").match(QString::fromStdString(out));
        return match.hasMatch() ? match.captured(1).toStdString() : std::string();
    }

private Q_SLOTS:
    void init()
    {
        if (QByteArray(QTest::currentDataTag()).isEmpty())
            return;
        auto opened = AdminFixture::open(test::currentStoreKind(), m_postgres, "unused-catalog.pb");
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().describe().c_str());
        m_fixture = std::move(opened).value();
        SIGESS_VERIFY_OK(m_fixture->addPresidio(kPresidio, "M01"));
        identity::IdentityOptions options;
        options.passwordCost = identity::PasswordCost::minimum();
        m_identity = std::make_unique<identity::IdentityService>(
            m_fixture->database(), m_clock, m_hlc, m_ids, options);
    }

    void cleanup()
    {
        m_identity.reset();
        m_fixture.reset();
    }

    void userAddPasswdDisable_data() { test::addStoreRows(); }
    void userAddPasswdDisable()
    {
        Outcome added = user(
            { "add", "Mario.Rossi", "--role", "operator", "--presidio", kPresidio, "--name", "Mario Rossi" },
            "first-password-1\n");
        QVERIFY2(added.status == 0, added.said().c_str());
        QVERIFY(added.out.find("added operator mario.rossi of presidio P-M01-01") != std::string::npos);

        auto first = m_identity->login("mario.rossi", "first-password-1");
        SIGESS_VERIFY_OK(first);
        QCOMPARE(first->profile.display_name(), std::string("Mario Rossi"));
        QCOMPARE(first->principal.role, v1::ROLE_OPERATOR);
        QCOMPARE(first->principal.presidio, std::string(kPresidio));

        Outcome changed = user({ "passwd", "mario.rossi" }, "second-password-2\r\n");
        QVERIFY2(changed.status == 0, changed.said().c_str());
        QVERIFY(!m_identity->authenticateSession(first->token).ok());
        QCOMPARE(m_identity->login("mario.rossi", "first-password-1").error().code, ErrorCode::Unauthorized);
        auto second = m_identity->login("mario.rossi", "second-password-2");
        SIGESS_VERIFY_OK(second);
        SIGESS_VERIFY_OK(m_identity->authenticateSession(second->token));

        Outcome disabled = user({ "disable", "mario.rossi" });
        QVERIFY2(disabled.status == 0, disabled.said().c_str());
        QCOMPARE(m_identity->authenticateSession(second->token).error().code, ErrorCode::Unauthorized);
        QCOMPARE(m_identity->login("mario.rossi", "second-password-2").error().code, ErrorCode::Unauthorized);

        Outcome listed = user({ "list" });
        QVERIFY2(listed.status == 0, listed.said().c_str());
        QVERIFY(
            listed.out.find("mario.rossi\toperator\tP-M01-01\tdisabled\tMario Rossi\n") != std::string::npos);
        QVERIFY(listed.out.find("1 operators\n") != std::string::npos);
    }

    void cityWideRolesNeedNoPresidio_data() { test::addStoreRows(); }
    void cityWideRolesNeedNoPresidio()
    {
        Outcome added = user({ "add", "ada.auditor", "--role", "auditor" }, "auditor-password-1\n");
        QVERIFY2(added.status == 0, added.said().c_str());
        auto session = m_identity->login("ada.auditor", "auditor-password-1");
        SIGESS_VERIFY_OK(session);
        QCOMPARE(session->principal.role, v1::ROLE_AUDITOR);
        Outcome coordinator = user({ "add", "carla", "--role", "coordinator" }, "coordinator-pass-1\n");
        QCOMPARE(coordinator.status, 1);
        QVERIFY2(
            coordinator.err.find("belongs to a presidio") != std::string::npos, coordinator.said().c_str());
    }

    void weakPasswordRefused_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("reason");
        for (const char *store : { "embedded", "postgres" }) {
            const QString tag = QString::fromLatin1(store);
            QTest::newRow(qPrintable(tag + "/add short")) << "add"
                                                          << "short\n"
                                                          << "at least 10 characters";
            QTest::newRow(qPrintable(tag + "/add none")) << "add"
                                                         << ""
                                                         << "no password";
            QTest::newRow(qPrintable(tag + "/passwd short")) << "passwd"
                                                             << "123456789\n"
                                                             << "at least 10 characters";
            QTest::newRow(qPrintable(tag + "/passwd empty line")) << "passwd"
                                                                  << "\n"
                                                                  << "no password";
        }
    }
    void weakPasswordRefused()
    {
        QFETCH(QString, action);
        QFETCH(QString, password);
        QFETCH(QString, reason);
        if (action == "passwd") {
            Outcome added = user({ "add", "luca.bianchi", "--role", "operator", "--presidio", kPresidio },
                "good-password-1\n");
            QVERIFY2(added.status == 0, added.said().c_str());
        }
        const ctl::Args args = action == "add"
            ? ctl::Args { "add", "luca.bianchi", "--role", "operator", "--presidio", kPresidio }
            : ctl::Args { "passwd", "luca.bianchi" };
        Outcome refused = user(args, password.toStdString());
        QCOMPARE(refused.status, 1);
        QVERIFY2(refused.err.find(reason.toStdString()) != std::string::npos, refused.said().c_str());
        if (action == "add") {
            QCOMPARE(
                storage::OperatorRepository(m_fixture->database()).byUsername("luca.bianchi").error().code,
                ErrorCode::NotFound);
        } else {
            SIGESS_VERIFY_OK(m_identity->login("luca.bianchi", "good-password-1"));
        }
    }

    void userFailures_data() { test::addStoreRows(); }
    void userFailures()
    {
        QVERIFY(
            user({ "add", "anna.verdi", "--role", "operator", "--presidio", kPresidio }, "anna-password-1\n")
                .status
            == 0);
        const Outcome taken = user({ "add", "ANNA.VERDI", "--role", "admin" }, "other-password-1\n");
        QCOMPARE(taken.status, 1);
        QVERIFY2(
            taken.err.find("the username 'ANNA.VERDI' is taken") != std::string::npos, taken.said().c_str());
        const Outcome unknownPresidio
            = user({ "add", "bea", "--role", "operator", "--presidio", "P-NOPE" }, "bea-password-1\n");
        QCOMPARE(unknownPresidio.status, 1);
        QVERIFY2(unknownPresidio.err.find("P-NOPE") != std::string::npos, unknownPresidio.said().c_str());
        const Outcome badName = user({ "add", "x y", "--role", "admin" }, "admin-password-1\n");
        QCOMPARE(badName.status, 1);
        QVERIFY2(badName.err.find("username") != std::string::npos, badName.said().c_str());
        for (const char *action : { "passwd", "disable" }) {
            const Outcome nobody = user({ action, "nobody" }, "whatever-password\n");
            QCOMPARE(nobody.status, 1);
            QVERIFY2(
                nobody.err.find("no operator named 'nobody'") != std::string::npos, nobody.said().c_str());
        }
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("nothing") << QStringList { "user" };
        QTest::newRow("unknown action") << QStringList { "user", "rename", "a" };
        QTest::newRow("add without role") << QStringList { "user", "add", "a.b" };
        QTest::newRow("kiosk is no operator role") << QStringList { "user", "add", "a.b", "--role", "kiosk" };
        QTest::newRow("unknown role") << QStringList { "user", "add", "a.b", "--role", "boss" };
        QTest::newRow("add two names") << QStringList { "user", "add", "a.b", "c.d", "--role", "admin" };
        QTest::newRow("role on passwd") << QStringList { "user", "passwd", "a.b", "--role", "admin" };
        QTest::newRow("list with a name") << QStringList { "user", "list", "a.b" };
        QTest::newRow("option without value") << QStringList { "user", "list", "--presidio" };
        QTest::newRow("unknown option") << QStringList { "user", "list", "--colour", "red" };
        QTest::newRow("password on the command line")
            << QStringList { "user", "passwd", "a.b", "--password", "x" };
        QTest::newRow("device: nothing") << QStringList { "device" };
        QTest::newRow("device: enroll without kind") << QStringList { "device", "enroll", "--presidio", "P" };
        QTest::newRow("device: bad kind")
            << QStringList { "device", "enroll", "--presidio", "P", "--kind", "phone" };
        QTest::newRow("device: revoke without id") << QStringList { "device", "revoke" };
        QTest::newRow("device: kind on list") << QStringList { "device", "list", "--kind", "kiosk" };
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        ctl::Args arguments;
        for (const QString &arg : args.mid(1))
            arguments.push_back(arg.toStdString());
        arguments.push_back("--config");
        arguments.push_back("/nonexistent/backend.conf");
        const Outcome outcome = AdminFixture::runWithoutConfig(
            args.front() == "user" ? ctl::runUser : ctl::runDevice, arguments, "some-password-1\n");
        QVERIFY2(outcome.status == 2, outcome.said().c_str());
        QVERIFY(outcome.err.find("usage: sigessctl " + args.front().toStdString()) != std::string::npos);
    }

    void missingConfigIsAFailure()
    {
        const Outcome outcome
            = AdminFixture::runWithoutConfig(ctl::runUser, { "list", "--config", "/nonexistent/x.conf" });
        QCOMPARE(outcome.status, 1);
        QVERIFY2(outcome.err.find("/nonexistent/x.conf") != std::string::npos, outcome.said().c_str());
    }

    void deviceEnrollListRevoke_data() { test::addStoreRows(); }
    void deviceEnrollListRevoke()
    {
        const Outcome kioskCode = device({ "enroll", "--presidio", kPresidio, "--kind", "kiosk" });
        QVERIFY2(kioskCode.status == 0, kioskCode.said().c_str());
        QVERIFY2(kioskCode.out.find("for a kiosk of presidio P-M01-01; it works once, until 20")
                != std::string::npos,
            kioskCode.said().c_str());
        auto kiosk = m_identity->enrollDevice(enrollmentCodeIn(kioskCode.out), "waiting room");
        SIGESS_VERIFY_OK(kiosk);
        QCOMPARE(kiosk->device.kind(), v1::DEVICE_KIND_KIOSK);
        QCOMPARE(kiosk->device.meta().presidio(), std::string(kPresidio));
        QCOMPARE(m_identity->enrollDevice(enrollmentCodeIn(kioskCode.out), "again").error().code,
            ErrorCode::Unauthorized);

        const Outcome tabletCode = device({ "enroll", "--presidio", kPresidio, "--kind", "tablet" });
        QVERIFY2(tabletCode.status == 0, tabletCode.said().c_str());
        auto tablet = m_identity->enrollDevice(enrollmentCodeIn(tabletCode.out), "tablet 7");
        SIGESS_VERIFY_OK(tablet);
        QVERIFY(
            user({ "add", "rita.neri", "--role", "operator", "--presidio", kPresidio }, "rita-password-1\n")
                .status
            == 0);
        auto onTablet = m_identity->login("rita.neri", "rita-password-1", tablet->credential);
        SIGESS_VERIFY_OK(onTablet);

        const Outcome listed = device({ "list" });
        QVERIFY2(listed.status == 0, listed.said().c_str());
        const std::string kioskId = kiosk->device.meta().id();
        const std::string tabletId = tablet->device.meta().id();
        QVERIFY2(listed.out.find(kioskId + "\tkiosk\tP-M01-01\tA\tactive\tnever\twaiting room\n")
                != std::string::npos,
            listed.said().c_str());
        QVERIFY(listed.out.find(tabletId + "\ttablet\tP-M01-01\t-\tactive\tnever\ttablet 7\n")
            != std::string::npos);
        QVERIFY(listed.out.find("2 devices\n") != std::string::npos);

        const Outcome revoked = device({ "revoke", tabletId });
        QVERIFY2(revoked.status == 0, revoked.said().c_str());
        auto revokedTablet = m_identity->authenticateDevice(tablet->credential);
        SIGESS_VERIFY_OK(revokedTablet);
        QCOMPARE(revokedTablet->principal.standing, policy::Standing::DeviceRevoked);
        QCOMPARE(m_identity->authenticateSession(onTablet->token).error().code, ErrorCode::Unauthorized);
        auto stillKiosk = m_identity->authenticateDevice(kiosk->credential);
        SIGESS_VERIFY_OK(stillKiosk);
        QCOMPARE(stillKiosk->principal.standing, policy::Standing::Active);

        const Outcome after = device({ "list", "--presidio", kPresidio });
        QVERIFY(after.out.find(tabletId + "\ttablet\tP-M01-01\t-\tREVOKED\t") != std::string::npos);
        const Outcome otherPresidio = device({ "list", "--presidio", "P-M02-01" });
        QVERIFY2(otherPresidio.out.find("0 devices\n") != std::string::npos, otherPresidio.said().c_str());
    }

    void deviceFailures_data() { test::addStoreRows(); }
    void deviceFailures()
    {
        const Outcome unknownPresidio = device({ "enroll", "--presidio", "P-NOPE", "--kind", "tablet" });
        QCOMPARE(unknownPresidio.status, 1);
        QVERIFY2(unknownPresidio.err.find("P-NOPE") != std::string::npos, unknownPresidio.said().c_str());
        const Outcome unknownDevice = device({ "revoke", "01900000-0000-7000-8000-000000000001" });
        QCOMPARE(unknownDevice.status, 1);
        QVERIFY2(
            unknownDevice.err.find("no device with id") != std::string::npos, unknownDevice.said().c_str());
    }
};

QTEST_GUILESS_MAIN(TestCtlAccounts)
#include "tst_ctl_accounts.moc"
