// A rights change made with sigessctl reaches the open sync connections of a running
// backend at once, on both stores: the backend's services run in this process over the
// store the config file names (the feed the backend itself would choose), and the
// command runs against that same config, as an administrator's would in a shell next to
// the server. The connection it concerns gets Wipe or a fatal Reject and is closed
// within a bounded wait; another device's connection goes on.
#include "backend/ctl/admin_fixture.h"
#include "backend/net/net_test_support.h"
#include "backend/net/sync_test_client.h"
#include "config/config.h"
#include "config/storage_config.h"
#include "identity/identity_service.h"
#include "server/backend_services.h"
#include "sync/server_rules.h"
#include "sync/sync_service.h"

using namespace sigess;
using namespace std::chrono_literals;
using sigess::net::testing::SyncTestClient;
using sigess::test::AdminFixture;
using sigess::test::Outcome;

namespace {

constexpr char kPresidio[] = "P-M01-01";
constexpr char kUsername[] = "live.rights";
constexpr char kPassword[] = "correct horse battery";

struct Device {
    std::string id;
    std::string credential;
    std::string session;  // the tablet's operator session
};

v1::Envelope helloOf(const Device &device)
{
    v1::Envelope frame;
    frame.set_sequence(1);
    frame.mutable_hello()->set_device_id(device.id);
    frame.mutable_hello()->set_device_credential(device.credential);
    frame.mutable_hello()->set_operator_session(device.session);
    return frame;
}

v1::Envelope pullFrame()
{
    v1::Envelope frame;
    frame.set_sequence(2);
    frame.mutable_pull()->set_limit(10);
    return frame;
}

// Nothing the test does takes long, but a loaded CI machine may: the sync connections
// must not be closed for idleness while sigessctl hashes a password.
net::ServerOptions patientOptions()
{
    net::ServerOptions options = net::testing::fastOptions();
    options.timeouts.websocketIdle = 120s;
    return options;
}

} // namespace

class TestCtlLiveRights : public QObject {
    Q_OBJECT

private:
    test::TestPostgresServer m_postgres;
    core::SystemClock m_clock;
    core::HybridLogicalClock m_hlc{m_clock};
    core::UuidV7Generator m_ids{m_clock};

    static Result<Device> enroll(identity::IdentityService &identity, v1::DeviceKind kind)
    {
        Result<identity::IssuedEnrollmentCode> code = identity.issueEnrollmentCode(kPresidio, kind, "test");
        if (!code.ok())
            return code.takeError();
        Result<identity::EnrolledDevice> enrolled = identity.enrollDevice(code->code, "test device");
        if (!enrolled.ok())
            return enrolled.takeError();
        return Device{enrolled->device.meta().id(), enrolled->credential, {}};
    }

private Q_SLOTS:
    void ctlChangeClosesOpenConnection_data()
    {
        QTest::addColumn<QString>("action");
        for (const char *store : {"embedded", "postgres"}) {
            for (const char *action : {"device revoke", "user disable", "user passwd"})
                QTest::newRow(qPrintable(QStringLiteral("%1/%2").arg(store, action))) << QString(action);
        }
    }

    void ctlChangeClosesOpenConnection()
    {
        QFETCH(QString, action);
        auto opened = AdminFixture::open(test::currentStoreKind(), m_postgres, "unused-catalog.pb");
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().describe().c_str());
        AdminFixture &fixture = **opened;
        SIGESS_VERIFY_OK(fixture.addPresidio(kPresidio, "M01"));

        // The backend's side, as BackendServices builds it from the same config.
        Result<config::BackendConfig> config = config::loadConfig(fixture.configFile());
        SIGESS_VERIFY_OK(config);
        identity::IdentityOptions identityOptions;
        identityOptions.passwordCost = identity::PasswordCost::minimum();
        identity::IdentityService identity(fixture.database(), m_clock, m_hlc, m_ids, identityOptions);
        Result<std::unique_ptr<syncserver::ChangeFeed>> feed
            = server::openChangeFeed(config::storageConfigOf(config->storage, 4), fixture.database());
        SIGESS_VERIFY_OK(feed);
        syncserver::SyncService service(fixture.database(), identity, m_hlc, **feed,
                                        sync::ServerRules(sync::standardCaseTransitions()));
        net::Handlers handlers;
        handlers.sync = service.sessionFactory();
        net::testing::TestServer server(patientOptions(), handlers);

        v1::Operator profile;
        profile.set_username(kUsername);
        profile.set_display_name(kUsername);
        profile.set_role(v1::ROLE_OPERATOR);
        profile.mutable_meta()->set_presidio(kPresidio);
        SIGESS_VERIFY_OK(identity.createOperator(profile, kPassword));
        Result<Device> tablet = enroll(identity, v1::DEVICE_KIND_TABLET);
        SIGESS_VERIFY_OK(tablet);
        Result<identity::Session> session = identity.login(kUsername, kPassword, tablet->credential);
        SIGESS_VERIFY_OK(session);
        tablet->session = session->token;
        Result<Device> kiosk = enroll(identity, v1::DEVICE_KIND_KIOSK);
        SIGESS_VERIFY_OK(kiosk);

        SyncTestClient tabletLink(server.port());
        tabletLink.send(helloOf(*tablet));
        Result<v1::Envelope> welcome = tabletLink.receiveSkippingNotify();
        SIGESS_VERIFY_OK(welcome);
        QVERIFY(welcome->has_welcome());
        SyncTestClient kioskLink(server.port());
        kioskLink.send(helloOf(*kiosk));
        Result<v1::Envelope> kioskWelcome = kioskLink.receiveSkippingNotify();
        SIGESS_VERIFY_OK(kioskWelcome);
        QVERIFY(kioskWelcome->has_welcome());

        Outcome outcome;
        if (action == "device revoke")
            outcome = fixture.run(ctl::runDevice, {"revoke", tablet->id});
        else if (action == "user disable")
            outcome = fixture.run(ctl::runUser, {"disable", kUsername});
        else
            outcome = fixture.run(ctl::runUser, {"passwd", kUsername}, "another long password\n");
        QVERIFY2(outcome.status == 0, outcome.said().c_str());

        // Bounded: the embedded backend looks every 250 ms, PostgreSQL is told at once.
        Result<v1::Envelope> refusal = tabletLink.receiveSkippingNotify(10s);
        SIGESS_VERIFY_OK(refusal);
        if (action == "device revoke") {
            QVERIFY2(refusal->has_wipe(), refusal->DebugString().c_str());
        } else {
            QVERIFY2(refusal->has_reject(), refusal->DebugString().c_str());
            QVERIFY(refusal->reject().fatal());
        }
        QVERIFY(!tabletLink.receive(10s).ok());
        QCOMPARE(tabletLink.closeReason().code,
                 static_cast<std::uint16_t>(boost::beast::websocket::close_code::policy_error));

        kioskLink.send(pullFrame());
        Result<v1::Envelope> changes = kioskLink.receiveSkippingNotify();
        SIGESS_VERIFY_OK(changes);
        QVERIFY2(changes->has_changes(), changes->DebugString().c_str());
    }
};

QTEST_GUILESS_MAIN(TestCtlLiveRights)
#include "tst_ctl_live_rights.moc"
