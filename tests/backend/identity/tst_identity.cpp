// Identity: passwords, secrets, login throttling, sessions, device enrollment and
// revocation, on both stores.
#include "identity/identity_service.h"
#include "identity/login_throttle.h"
#include "identity/password.h"
#include "identity/secret.h"
#include "storage/presidio_repository.h"
#include "storage/session_repository.h"
#include "backend/storage/store_fixture.h"
#include "support/result_checks.h"

#include <QTest>

#include <atomic>
#include <set>
#include <thread>

using namespace sigess;
using identity::IdentityOptions;
using identity::IdentityService;
using identity::LoginThrottle;
using identity::PasswordCost;
using identity::PasswordHasher;
using sigess::test::addStoreRows;
using sigess::test::currentStoreKind;
using sigess::test::StoreKind;
using sigess::test::TestStore;

namespace {

constexpr std::uint64_t startMs = 1'760'000'000'000;
constexpr char goodPassword[] = "correct horse battery";

IdentityOptions testOptions()
{
    IdentityOptions options;
    options.passwordCost = PasswordCost::minimum();
    options.sessionLifetimeMs = 60'000;
    options.enrollmentCodeLifetimeMs = 120'000;
    return options;
}

v1::Operator profileOf(const std::string &username, v1::Role role, const std::string &presidio)
{
    v1::Operator profile;
    profile.set_username(username);
    profile.set_display_name("Test " + username);
    profile.set_role(role);
    profile.mutable_meta()->set_presidio(presidio);
    return profile;
}

} // namespace

class TestIdentity : public QObject {
    Q_OBJECT

private:
    sigess::test::TestPostgresServer m_postgres;
    std::unique_ptr<TestStore> m_store;
    core::ManualClock m_clock {startMs};
    std::unique_ptr<core::HybridLogicalClock> m_hlc;
    std::unique_ptr<core::UuidV7Generator> m_ids;
    std::unique_ptr<IdentityService> m_identity;

    v1::Operator addOperator(const std::string &username, v1::Role role = v1::ROLE_OPERATOR,
                             const std::string &presidio = "P-M01-01")
    {
        auto created = m_identity->createOperator(profileOf(username, role, presidio), goodPassword);
        if (!created)
            qFatal("cannot create operator: %s", created.error().describe().c_str());
        return *created;
    }

private Q_SLOTS:
    void init()
    {
        m_clock.set(startMs);
        const QByteArray tag = QTest::currentDataTag();
        if (tag.isEmpty())
            return;
        auto store = TestStore::open(currentStoreKind(), m_postgres);
        QVERIFY2(store.ok(), store.ok() ? "" : store.error().describe().c_str());
        m_store = std::move(store).value();
        storage::PresidioRepository presidi(m_store->database());
        for (const auto &[code, municipio] : {std::pair {"P-M01-01", "M01"}, std::pair {"P-M02-01", "M02"}}) {
            v1::Presidio presidio;
            presidio.set_code(code);
            presidio.set_municipio(municipio);
            presidio.set_name(code);
            EXPECT_OK(presidi.upsert(presidio));
        }
        m_hlc = std::make_unique<core::HybridLogicalClock>(m_clock);
        m_ids = std::make_unique<core::UuidV7Generator>(m_clock);
        m_identity = std::make_unique<IdentityService>(m_store->database(), m_clock, *m_hlc, *m_ids, testOptions());
    }

    void cleanup()
    {
        m_identity.reset();
        m_store.reset();
    }

    void passwordHashes()
    {
        const PasswordHasher hasher(PasswordCost::minimum());
        auto hash = hasher.hash(goodPassword);
        EXPECT_OK(hash);
        QVERIFY(hash->starts_with("$argon2id$"));
        QVERIFY(hasher.verify(*hash, goodPassword));
        QVERIFY(!hasher.verify(*hash, "correct horse battery!"));
        QVERIFY(!hasher.verify("not a hash", goodPassword));
        QVERIFY(!hasher.verify(std::string("$argon2id$\0x", 12), goodPassword));
        QVERIFY(!hasher.needsRehash(*hash));
        QVERIFY(PasswordHasher(PasswordCost {PasswordCost::minimum().opsLimit + 1, PasswordCost::minimum().memLimit})
                    .needsRehash(*hash));
        EXPECT_ERROR(hasher.hash("short"), ErrorCode::Invalid);
        EXPECT_ERROR(hasher.hash(std::string(PasswordHasher::maxLength + 1, 'x')), ErrorCode::Invalid);
        QVERIFY(hasher.hash(goodPassword).value() != *hash);  // salted
    }

    void secrets()
    {
        std::set<std::string> tokens;
        for (int i = 0; i < 100; ++i) {
            const std::string token = identity::randomToken();
            QCOMPARE(token.size(), std::size_t {43});
            QVERIFY(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                    == std::string::npos);
            tokens.insert(token);
        }
        QCOMPARE(tokens.size(), std::size_t {100});
        const std::string code = identity::randomEnrollmentCode();
        QCOMPARE(code.size(), std::size_t {14});
        QCOMPARE(code[4], '-');
        QCOMPARE(code[9], '-');
        QVERIFY(code.find_first_of("ILOU") == std::string::npos);
        QCOMPARE(identity::normalizeEnrollmentCode("7kq2-m9xd 4tra"), std::string("7KQ2M9XD4TRA"));
        QCOMPARE(identity::normalizeEnrollmentCode("iLoO"), std::string("1100"));
        QCOMPARE(identity::secretHash("abc").size(), std::size_t {32});
        QVERIFY(identity::secretHash("abc") != identity::secretHash("abd"));
    }

    void throttleLocksWithBackoff_data() { addStoreRows(); }
    void throttleLocksWithBackoff()
    {
        identity::ThrottleOptions options;
        options.freeFailures = 3;
        options.firstLockMs = 1000;
        options.maxLockMs = 5000;
        options.forgetAfterMs = 60'000;
        LoginThrottle throttle(m_store->database(), m_clock, options);
        const auto lockedUntil = [&](const char *username) { return throttle.lockedUntilMs(username).value(); };
        for (int i = 0; i < 3; ++i) {
            QVERIFY(!lockedUntil("mrossi"));
            EXPECT_OK(throttle.recordFailure("mrossi"));
        }
        QVERIFY(!lockedUntil("mrossi"));
        EXPECT_OK(throttle.recordFailure("mrossi"));
        QCOMPARE(lockedUntil("mrossi").value_or(0), startMs + 1000);
        QVERIFY(!lockedUntil("other"));
        m_clock.advance(1000);
        QVERIFY(!lockedUntil("mrossi"));
        EXPECT_OK(throttle.recordFailure("mrossi"));
        QCOMPARE(lockedUntil("mrossi").value_or(0), m_clock.nowMs() + 2000);
        for (int i = 0; i < 3; ++i)
            EXPECT_OK(throttle.recordFailure("mrossi"));
        QCOMPARE(lockedUntil("mrossi").value_or(0), m_clock.nowMs() + 5000);  // the ceiling
        EXPECT_OK(throttle.recordSuccess("mrossi"));
        QVERIFY(!lockedUntil("mrossi"));
        for (int i = 0; i < 4; ++i)
            EXPECT_OK(throttle.recordFailure("mrossi"));
        QVERIFY(lockedUntil("mrossi"));
        m_clock.advance(61'000);
        EXPECT_OK(throttle.recordFailure("mrossi"));  // the old failures are forgotten: this is the first
        QVERIFY(!lockedUntil("mrossi"));
    }

    // The record is in the store: a second throttle on it (a restarted process, another
    // instance) sees the lock the first one set, and a flood of made-up usernames leaves
    // no rows behind once their failures are old and their locks over.
    void throttleIsSharedAndForgets_data() { addStoreRows(); }
    void throttleIsSharedAndForgets()
    {
        identity::ThrottleOptions options;
        options.freeFailures = 0;
        options.firstLockMs = 10;
        options.forgetAfterMs = 100;
        {
            LoginThrottle first(m_store->database(), m_clock, options);
            EXPECT_OK(first.recordFailure("victim"));
        }
        LoginThrottle second(m_store->database(), m_clock, options);
        QCOMPARE(second.lockedUntilMs("victim").value().value_or(0), startMs + 10);
        for (int i = 0; i < 200; ++i) {
            m_clock.advance(1);
            EXPECT_OK(second.recordFailure("made-up-" + std::to_string(i)));
        }
        m_clock.advance(200);
        EXPECT_OK(second.recordFailure("latest"));
        std::int64_t rows = -1;
        EXPECT_OK(m_store->database().query("SELECT count(*) FROM login_throttle", {},
                                            [&](const storage::SqlRow &row) -> Status {
                                                rows = row.int64(0);
                                                return {};
                                            }));
        QCOMPARE(rows, std::int64_t {1});
        QVERIFY(!second.lockedUntilMs("made-up-0").value());
    }

    // Failures counted at once on many threads (as on several instances) are all counted.
    void concurrentFailuresAllCount_data() { addStoreRows(); }
    void concurrentFailuresAllCount()
    {
        identity::ThrottleOptions options;
        options.freeFailures = 40;
        LoginThrottle throttle(m_store->database(), m_clock, options);
        std::vector<std::thread> workers;
        std::atomic<int> failed {0};
        for (int t = 0; t < 8; ++t) {
            workers.emplace_back([&] {
                for (int i = 0; i < 5; ++i) {
                    if (!throttle.recordFailure("mrossi"))
                        ++failed;
                }
            });
        }
        for (std::thread &worker : workers)
            worker.join();
        QCOMPARE(failed.load(), 0);
        QVERIFY(!throttle.lockedUntilMs("mrossi").value());  // 40 failures, all of them free...
        EXPECT_OK(throttle.recordFailure("mrossi"));
        QVERIFY(throttle.lockedUntilMs("mrossi").value());   // ...so this 41st is the first to lock
    }

    void loginAndSession_data() { addStoreRows(); }
    void loginAndSession()
    {
        const v1::Operator created = addOperator("mrossi");
        auto session = m_identity->login("MRossi", goodPassword);
        EXPECT_OK(session);
        QCOMPARE(session->expiresMs, startMs + 60'000);
        QCOMPARE(session->principal.role, v1::ROLE_OPERATOR);
        QCOMPARE(session->principal.operatorId, created.meta().id());
        QCOMPARE(session->principal.presidio, std::string("P-M01-01"));
        QCOMPARE(session->principal.municipio, std::string("M01"));

        auto principal = m_identity->authenticateSession(session->token);
        EXPECT_OK(principal);
        QCOMPARE(principal->operatorId, created.meta().id());

        // Only the hash is stored.
        EXPECT_ERROR(storage::SessionRepository(m_store->database()).byTokenHash(session->token), ErrorCode::NotFound);

        EXPECT_ERROR(m_identity->authenticateSession(session->token + "x"), ErrorCode::Unauthorized);
        EXPECT_ERROR(m_identity->authenticateSession(""), ErrorCode::Unauthorized);
        EXPECT_ERROR(m_identity->authenticateSession(std::string(10'000, 'a')), ErrorCode::Unauthorized);

        m_clock.advance(59'999);
        EXPECT_OK(m_identity->authenticateSession(session->token));
        m_clock.advance(1);
        EXPECT_ERROR(m_identity->authenticateSession(session->token), ErrorCode::Unauthorized);
    }

    void logoutEndsTheSession_data() { addStoreRows(); }
    void logoutEndsTheSession()
    {
        addOperator("mrossi");
        auto first = m_identity->login("mrossi", goodPassword);
        auto second = m_identity->login("mrossi", goodPassword);
        EXPECT_OK(first);
        EXPECT_OK(second);
        EXPECT_OK(m_identity->logout(first->token));
        EXPECT_ERROR(m_identity->authenticateSession(first->token), ErrorCode::Unauthorized);
        EXPECT_OK(m_identity->authenticateSession(second->token));
        EXPECT_ERROR(m_identity->logout("no such token"), ErrorCode::NotFound);
    }

    void loginFailuresLookAlike_data() { addStoreRows(); }
    void loginFailuresLookAlike()
    {
        const v1::Operator disabled = addOperator("gone");
        addOperator("mrossi");
        EXPECT_OK(m_identity->disableOperator(disabled.meta().id()));
        const std::string generic(IdentityService::loginFailedMessage);
        for (const auto &[user, password] : {std::pair {"mrossi", "wrong password!"},
                                             std::pair {"nobody", "wrong password!"},
                                             std::pair {"gone", goodPassword},
                                             std::pair {"", ""},
                                             std::pair {"x'; DROP TABLE operators; --", goodPassword}}) {
            auto session = m_identity->login(user, password);
            EXPECT_ERROR(session, ErrorCode::Unauthorized);
            QCOMPARE(session.error().message, generic);
        }
        EXPECT_ERROR(m_identity->login("bad\xff", goodPassword), ErrorCode::Unauthorized);
        EXPECT_OK(m_identity->login("mrossi", goodPassword));
    }

    void repeatedFailuresAreThrottled_data() { addStoreRows(); }
    void repeatedFailuresAreThrottled()
    {
        addOperator("mrossi");
        for (int i = 0; i < 5; ++i)
            EXPECT_ERROR(m_identity->login("mrossi", "wrong password!"), ErrorCode::Unauthorized);
        QVERIFY(!m_identity->loginLockedUntilMs("mrossi").value());
        EXPECT_ERROR(m_identity->login("mrossi", "wrong password!"), ErrorCode::Unauthorized);
        QVERIFY(m_identity->loginLockedUntilMs("mrossi").value());
        // Locked: even the right password waits, and the message says so.
        auto locked = m_identity->login("mrossi", goodPassword);
        EXPECT_ERROR(locked, ErrorCode::Throttled);
        QVERIFY(locked.error().message.find("try again in 30 seconds") != std::string::npos);
        // An unknown username is throttled just the same, so the lock tells nothing.
        for (int i = 0; i < 6; ++i)
            EXPECT_ERROR(m_identity->login("nobody", "wrong password!"), ErrorCode::Unauthorized);
        QVERIFY(m_identity->loginLockedUntilMs("nobody").value());
        // The lock is in the store: a restarted service still holds it.
        m_identity = std::make_unique<IdentityService>(m_store->database(), m_clock, *m_hlc, *m_ids, testOptions());
        EXPECT_ERROR(m_identity->login("mrossi", goodPassword), ErrorCode::Throttled);
        m_clock.advance(30'000);
        EXPECT_OK(m_identity->login("mrossi", goodPassword));
    }

    void createOperatorValidates_data() { addStoreRows(); }
    void createOperatorValidates()
    {
        addOperator("mrossi");
        EXPECT_ERROR(m_identity->createOperator(profileOf("MROSSI", v1::ROLE_OPERATOR, "P-M01-01"), goodPassword),
                     ErrorCode::Conflict);
        EXPECT_ERROR(m_identity->createOperator(profileOf("ab", v1::ROLE_OPERATOR, "P-M01-01"), goodPassword),
                     ErrorCode::Invalid);
        EXPECT_ERROR(m_identity->createOperator(profileOf("a b c", v1::ROLE_OPERATOR, "P-M01-01"), goodPassword),
                     ErrorCode::Invalid);
        EXPECT_ERROR(m_identity->createOperator(profileOf("-abc", v1::ROLE_OPERATOR, "P-M01-01"), goodPassword),
                     ErrorCode::Invalid);
        EXPECT_ERROR(m_identity->createOperator(profileOf("kiosk1", v1::ROLE_KIOSK, "P-M01-01"), goodPassword),
                     ErrorCode::Invalid);
        EXPECT_ERROR(m_identity->createOperator(profileOf("norole", v1::ROLE_UNSPECIFIED, "P-M01-01"), goodPassword),
                     ErrorCode::Invalid);
        EXPECT_ERROR(m_identity->createOperator(profileOf("nopresidio", v1::ROLE_COORDINATOR, ""), goodPassword),
                     ErrorCode::Invalid);
        EXPECT_ERROR(m_identity->createOperator(profileOf("elsewhere", v1::ROLE_OPERATOR, "P-X"), goodPassword),
                     ErrorCode::NotFound);
        EXPECT_ERROR(m_identity->createOperator(profileOf("weak", v1::ROLE_OPERATOR, "P-M01-01"), "123"),
                     ErrorCode::Invalid);
        auto admin = m_identity->createOperator(profileOf("admin", v1::ROLE_ADMIN, ""), goodPassword);
        EXPECT_OK(admin);
        QVERIFY(core::Uuid::parse(admin->meta().id()).ok());
        QVERIFY(admin->meta().has_created());
    }

    void disablingAndPasswordChangeEndSessions_data() { addStoreRows(); }
    void disablingAndPasswordChangeEndSessions()
    {
        const v1::Operator a = addOperator("mrossi");
        const v1::Operator b = addOperator("lbianchi");
        auto sessionA = m_identity->login("mrossi", goodPassword);
        auto sessionB = m_identity->login("lbianchi", goodPassword);
        EXPECT_OK(sessionA);
        EXPECT_OK(sessionB);
        auto disabled = m_identity->disableOperator(a.meta().id());
        EXPECT_OK(disabled);
        QVERIFY(disabled->disabled());
        EXPECT_ERROR(m_identity->authenticateSession(sessionA->token), ErrorCode::Unauthorized);
        EXPECT_OK(m_identity->authenticateSession(sessionB->token));

        EXPECT_OK(m_identity->setPassword(b.meta().id(), "a brand new password"));
        EXPECT_ERROR(m_identity->authenticateSession(sessionB->token), ErrorCode::Unauthorized);
        EXPECT_ERROR(m_identity->login("lbianchi", goodPassword), ErrorCode::Unauthorized);
        EXPECT_OK(m_identity->login("lbianchi", "a brand new password"));
        EXPECT_ERROR(m_identity->disableOperator("no-such-id"), ErrorCode::NotFound);
    }

    void enrollment_data() { addStoreRows(); }
    void enrollment()
    {
        const v1::Operator admin = addOperator("admin", v1::ROLE_ADMIN, "");
        auto code = m_identity->issueEnrollmentCode("P-M01-01", v1::DEVICE_KIND_KIOSK, admin.meta().id());
        EXPECT_OK(code);
        QCOMPARE(code->expiresMs, startMs + 120'000);
        EXPECT_ERROR(m_identity->issueEnrollmentCode("P-X", v1::DEVICE_KIND_KIOSK, admin.meta().id()),
                     ErrorCode::NotFound);
        EXPECT_ERROR(m_identity->issueEnrollmentCode("P-M01-01", v1::DEVICE_KIND_UNSPECIFIED, admin.meta().id()),
                     ErrorCode::Invalid);

        // Typed in lower case and without dashes: still the same code.
        std::string typed = identity::normalizeEnrollmentCode(code->code);
        std::ranges::transform(typed, typed.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
        auto kiosk = m_identity->enrollDevice(typed, "Atrio");
        EXPECT_OK(kiosk);
        QCOMPARE(kiosk->device.kind(), v1::DEVICE_KIND_KIOSK);
        QCOMPARE(kiosk->device.meta().presidio(), std::string("P-M01-01"));
        QCOMPARE(kiosk->device.ticket_prefix(), std::string("A"));
        QCOMPARE(kiosk->device.label(), std::string("Atrio"));
        auto again = m_identity->enrollDevice(code->code, "Copy");
        EXPECT_ERROR(again, ErrorCode::Unauthorized);
        QCOMPARE(again.error().message, m_identity->enrollDevice("ZZZZ-ZZZZ-ZZZZ", "x").error().message);

        auto identity = m_identity->authenticateDevice(kiosk->credential);
        EXPECT_OK(identity);
        QCOMPARE(identity->principal.role, v1::ROLE_KIOSK);
        QCOMPARE(identity->principal.deviceId, kiosk->device.meta().id());
        QCOMPARE(identity->principal.municipio, std::string("M01"));
        QVERIFY(identity->principal.standing == policy::Standing::Active);
        EXPECT_ERROR(m_identity->authenticateDevice("forged"), ErrorCode::Unauthorized);

        // A second kiosk of the presidio gets the next prefix.
        auto secondCode = m_identity->issueEnrollmentCode("P-M01-01", v1::DEVICE_KIND_KIOSK, admin.meta().id());
        auto second = m_identity->enrollDevice(secondCode->code, "Sala");
        EXPECT_OK(second);
        QCOMPARE(second->device.ticket_prefix(), std::string("B"));

        // An expired code does not enroll.
        auto late = m_identity->issueEnrollmentCode("P-M01-01", v1::DEVICE_KIND_TABLET, admin.meta().id());
        m_clock.advance(120'000);
        EXPECT_ERROR(m_identity->enrollDevice(late->code, "Tablet"), ErrorCode::Unauthorized);
    }

    void revokingADeviceEndsItsSessions_data() { addStoreRows(); }
    void revokingADeviceEndsItsSessions()
    {
        const v1::Operator admin = addOperator("admin", v1::ROLE_ADMIN, "");
        addOperator("mrossi");
        auto tabletCode = m_identity->issueEnrollmentCode("P-M01-01", v1::DEVICE_KIND_TABLET, admin.meta().id());
        auto tablet = m_identity->enrollDevice(tabletCode->code, "Tablet 1");
        EXPECT_OK(tablet);
        QVERIFY(tablet->device.ticket_prefix().empty());
        auto kioskCode = m_identity->issueEnrollmentCode("P-M01-01", v1::DEVICE_KIND_KIOSK, admin.meta().id());
        auto kiosk = m_identity->enrollDevice(kioskCode->code, "Kiosk");
        EXPECT_OK(kiosk);

        auto onTablet = m_identity->login("mrossi", goodPassword, tablet->credential);
        EXPECT_OK(onTablet);
        QCOMPARE(onTablet->principal.deviceId, tablet->device.meta().id());
        auto inBrowser = m_identity->login("mrossi", goodPassword);
        EXPECT_OK(inBrowser);
        // A kiosk cannot carry an operator's session.
        EXPECT_ERROR(m_identity->login("mrossi", goodPassword, kiosk->credential), ErrorCode::Unauthorized);
        // A tablet alone has no role.
        QCOMPARE(m_identity->authenticateDevice(tablet->credential)->principal.role, v1::ROLE_UNSPECIFIED);

        auto revoked = m_identity->revokeDevice(tablet->device.meta().id());
        EXPECT_OK(revoked);
        QVERIFY(revoked->revoked());
        EXPECT_ERROR(m_identity->authenticateSession(onTablet->token), ErrorCode::Unauthorized);
        EXPECT_OK(m_identity->authenticateSession(inBrowser->token));
        // The revoked device still authenticates, marked, so that sync can send it Wipe.
        auto wiped = m_identity->authenticateDevice(tablet->credential);
        EXPECT_OK(wiped);
        QVERIFY(wiped->principal.standing == policy::Standing::DeviceRevoked);
        EXPECT_ERROR(m_identity->login("mrossi", goodPassword, tablet->credential), ErrorCode::Unauthorized);
        EXPECT_ERROR(m_identity->revokeDevice("no-such-id"), ErrorCode::NotFound);
    }

    void grantsExpire_data() { addStoreRows(); }
    void grantsExpire()
    {
        const v1::Operator op = addOperator("mrossi");
        auto session = m_identity->login("mrossi", goodPassword);
        EXPECT_OK(session);
        policy::BreakGlassGrant grant;
        grant.holder = op.meta().id();
        grant.scope = policy::GrantScope::Citizen;
        grant.subject = "citizen-1";
        grant.reason = "urgent safeguarding call from the police";
        grant.grantedAtMs = startMs;
        grant.expiresAtMs = startMs + 1000;
        EXPECT_OK(m_store->database().transaction(
            [&](storage::SqlExecutor &sql) { return m_identity->holdGrant(sql, grant); }));
        QCOMPARE(m_identity->authenticateSession(session->token)->grants.size(), std::size_t {1});
        // The grant is in the store: a restarted service (or another instance) honours it.
        m_identity = std::make_unique<IdentityService>(m_store->database(), m_clock, *m_hlc, *m_ids, testOptions());
        const auto held = m_identity->authenticateSession(session->token)->grants;
        QCOMPARE(held.size(), std::size_t {1});
        QCOMPARE(held.front().subject, grant.subject);
        QCOMPARE(held.front().reason, grant.reason);
        QVERIFY(held.front().scope == grant.scope);
        QCOMPARE(held.front().expiresAtMs, grant.expiresAtMs);
        m_clock.advance(1000);
        QCOMPARE(m_identity->authenticateSession(session->token)->grants.size(), std::size_t {0});
        // Disabling the holder ends their grants.
        grant.grantedAtMs = m_clock.nowMs();
        grant.expiresAtMs = m_clock.nowMs() + 1000;
        EXPECT_OK(m_store->database().transaction(
            [&](storage::SqlExecutor &sql) { return m_identity->holdGrant(sql, grant); }));
        EXPECT_OK(m_identity->disableOperator(op.meta().id()));
        std::int64_t rows = -1;
        EXPECT_OK(m_store->database().query("SELECT count(*) FROM break_glass_grants", {},
                                            [&](const storage::SqlRow &row) -> Status {
                                                rows = row.int64(0);
                                                return {};
                                            }));
        QCOMPARE(rows, std::int64_t {0});
    }
};

QTEST_GUILESS_MAIN(TestIdentity)
#include "tst_identity.moc"
