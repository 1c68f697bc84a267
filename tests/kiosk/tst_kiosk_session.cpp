// The check-in session, step by step, with its real store on its own thread: every
// step and its errors, the codice fiscale checked as it is typed and scanned, the
// discreet path and the privacy timeout clearing everything. (The session syncing with
// the real backend: tst_kiosk_sync.)
#include "check_in_service.h"
#include "kiosk_fixture.h"
#include "kiosk_session.h"

#include "core/clock.h"

#include <QSignalSpy>
#include <QTest>

using namespace sigess;
using namespace sigess::kiosk;
using namespace sigess::kiosk::testing;
using Step = KioskSession::Step;
using CfStatus = KioskSession::CfStatus;

namespace {

constexpr std::uint64_t kStartMs = 1'796'029'200'000; // 2026-11-30 10:00 in Rome
const char *kDeviceId = "01900000-0000-7000-8000-000000000001";

struct Kiosk {
    explicit Kiosk(QString printer = {})
        : config(kioskConfig(dir, QString::fromLatin1(kDeviceId), QStringLiteral("A")))
    {
        config.printerDevice = std::move(printer);
        service = std::make_unique<CheckInService>(config, clock, store::Argon2Cost::cheapestForTests(), nullptr);
        session = std::make_unique<KioskSession>(catalog, clock, *service);
    }

    QTemporaryDir dir;
    core::Catalog catalog = deployCatalog();
    core::ManualClock clock { kStartMs };
    KioskConfig config;
    std::unique_ptr<CheckInService> service;
    std::unique_ptr<KioskSession> session;
};

bool waitForTicket(KioskSession &session)
{
    return QTest::qWaitFor([&] { return session.step() != Step::Issuing; }, 20'000) && session.step() == Step::Ticket;
}

} // namespace

class TestKioskSession : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fromWelcomeToTicketWithACodiceFiscale()
    {
        Kiosk kiosk;
        KioskSession &s = *kiosk.session;
        QSignalSpy languages(&s, &KioskSession::languageChanged);
        s.chooseLanguage(QStringLiteral("xx"));
        QCOMPARE(s.step(), Step::Welcome); // not a kiosk language
        s.chooseLanguage(QStringLiteral("ro"));
        QCOMPARE(s.step(), Step::Privacy);
        QCOMPARE(s.language(), QStringLiteral("ro"));
        QCOMPARE(languages.count(), 1);
        s.giveConsent();
        QCOMPARE(s.step(), Step::Identify);

        s.setCodiceFiscale(QStringLiteral("rss mra 85t10"));
        QCOMPARE(s.codiceFiscale(), QStringLiteral("RSSMRA85T10"));
        QCOMPARE(s.codiceFiscaleStatus(), CfStatus::Incomplete);
        s.confirmCodiceFiscale();
        QCOMPARE(s.step(), Step::Identify); // not until it is valid
        s.setCodiceFiscale(QStringLiteral("RSSMRA85T10A562X"));
        QCOMPARE(s.codiceFiscaleStatus(), CfStatus::Invalid);
        QVERIFY(!s.codiceFiscaleMessage().isEmpty());
        s.setCodiceFiscale(QStringLiteral("RSSMRA85T10A562SS"));
        QCOMPARE(s.codiceFiscaleStatus(), CfStatus::Invalid);
        s.setCodiceFiscale(QStringLiteral("RSSMRA85T10A562S"));
        QCOMPARE(s.codiceFiscaleStatus(), CfStatus::Valid);
        s.confirmCodiceFiscale();
        QCOMPARE(s.step(), Step::Needs);

        s.reviewNeeds();
        QCOMPARE(s.step(), Step::Needs); // nothing chosen yet
        QVERIFY(!s.errorMessage().isEmpty());
        s.toggleNeed(QStringLiteral("HOUSING"));
        s.toggleNeed(QStringLiteral("WORK"));
        s.setDetail(QString(300, QLatin1Char('x')));
        QCOMPARE(s.detail().size(), KioskSession::detailMaxLength);
        s.reviewNeeds();
        QCOMPARE(s.step(), Step::Confirm);
        QVERIFY(s.errorMessage().isEmpty());
        s.back();
        QCOMPARE(s.step(), Step::Needs);
        QCOMPARE(s.needs()->selectedCount(), 2); // going back keeps the choice
        s.reviewNeeds();

        QVERIFY(QTest::qWaitFor([&] { return kiosk.service->ready(); }, 20'000));
        s.confirm();
        QVERIFY(waitForTicket(s));
        QCOMPARE(s.ticketNumber(), QStringLiteral("A-001"));
        QVERIFY(s.ticketQr().startsWith(QStringLiteral("SIGESS-TICKET:")));
        QCOMPARE(s.printState(), KioskSession::PrintState::NoPrinter);
        QVERIFY(s.codiceFiscale().isEmpty()); // in the store now, off the screen
        QCOMPARE(kiosk.service->queue().size(), std::size_t { 1 });
        QCOMPARE(kiosk.service->queue().front().number(), "A-001");

        s.clear();
        QCOMPARE(s.step(), Step::Welcome);
        QCOMPARE(s.language(), QStringLiteral("it"));
        QVERIFY(s.ticketNumber().isEmpty());
    }

    void barcodeScanIdentifiesAtOnce()
    {
        Kiosk kiosk;
        KioskSession &s = *kiosk.session;
        s.scanCodiceFiscale(QStringLiteral("RSSMRA85T10A562S"));
        QVERIFY(s.codiceFiscale().isEmpty()); // only on the identification step
        s.chooseLanguage(QStringLiteral("it"));
        s.giveConsent();
        s.scanCodiceFiscale(QStringLiteral("RSSMRA85T10A562S"));
        QCOMPARE(s.step(), Step::Needs);
    }

    void anonymousNeedsAFirstNameAndTakesAnOptionalPhone()
    {
        Kiosk kiosk;
        KioskSession &s = *kiosk.session;
        s.chooseLanguage(QStringLiteral("it"));
        s.giveConsent();
        s.continueWithName();
        QCOMPARE(s.step(), Step::Identify);
        QVERIFY(!s.errorMessage().isEmpty());
        s.setGivenName(QStringLiteral("  Fatima  "));
        s.setPhone(QStringLiteral("+39 333-12 34 567"));
        QCOMPARE(s.givenName(), QStringLiteral("Fatima"));
        QCOMPARE(s.phone(), QStringLiteral("+393331234567"));
        s.continueWithName();
        QCOMPARE(s.step(), Step::Needs);
    }

    void withoutDataSkipsIdentification()
    {
        Kiosk kiosk;
        KioskSession &s = *kiosk.session;
        s.chooseLanguage(QStringLiteral("en"));
        s.continueWithoutData();
        QCOMPARE(s.step(), Step::Needs);
        s.back();
        QCOMPARE(s.step(), Step::Privacy);
        s.continueWithoutData();
        QCOMPARE(s.step(), Step::Needs);
        QVERIFY(!s.consentGiven());
    }

    void discreetNeedIsAPriorityInNeutralWords()
    {
        Kiosk kiosk;
        KioskSession &s = *kiosk.session;
        s.chooseLanguage(QStringLiteral("it"));
        s.continueWithoutData();
        s.toggleNeed(QStringLiteral("SAFETY"));
        s.reviewNeeds();
        QCOMPARE(s.needs()->selectedSummary(), QStringList { QStringLiteral("Un colloquio riservato") });
        QVERIFY(QTest::qWaitFor([&] { return kiosk.service->ready(); }, 20'000));
        s.confirm();
        QVERIFY(waitForTicket(s));
        QVERIFY(kiosk.service->queue().front().priority());
    }

    void timeoutClearsEverything()
    {
        Kiosk kiosk;
        KioskSession &s = *kiosk.session;
        QSignalSpy cleared(&s, &KioskSession::cleared);
        s.chooseLanguage(QStringLiteral("ar"));
        QVERIFY(s.rightToLeft());
        s.giveConsent();
        s.setGivenName(QStringLiteral("Fatima"));
        s.setPhone(QStringLiteral("3331234567"));
        s.setCodiceFiscale(QStringLiteral("RSSMRA"));
        s.continueWithName();
        s.toggleNeed(QStringLiteral("SAFETY"));
        s.setDetail(QStringLiteral("private words"));

        kiosk.clock.advance(59'000);
        s.inactivity()->poll();
        QVERIFY(!s.inactivity()->countdownVisible());
        kiosk.clock.advance(1'000);
        s.inactivity()->poll();
        QVERIFY(s.inactivity()->countdownVisible());
        QCOMPARE(s.step(), Step::Needs);
        kiosk.clock.advance(15'000);
        s.inactivity()->poll();

        QCOMPARE(cleared.count(), 1);
        QCOMPARE(s.step(), Step::Welcome);
        QCOMPARE(s.language(), QStringLiteral("it"));
        QVERIFY(!s.rightToLeft());
        QVERIFY(!s.consentGiven());
        QVERIFY(s.givenName().isEmpty() && s.phone().isEmpty() && s.codiceFiscale().isEmpty() && s.detail().isEmpty());
        QCOMPARE(s.codiceFiscaleStatus(), CfStatus::Empty);
        QCOMPARE(s.needs()->selectedCount(), 0);
        QVERIFY(!s.inactivity()->countdownVisible());
        // And no way back to the previous citizen's pages.
        s.back();
        QCOMPARE(s.step(), Step::Welcome);
    }

    void printsTheTicketWhenAPrinterIsConfigured()
    {
        QTemporaryDir printerDir;
        const QString device = printerDir.filePath(QStringLiteral("lp0"));
        Kiosk kiosk(device);
        KioskSession &s = *kiosk.session;
        QVERIFY(QTest::qWaitFor([&] { return kiosk.service->ready(); }, 20'000));
        s.chooseLanguage(QStringLiteral("it"));
        s.continueWithoutData();
        s.toggleNeed(QStringLiteral("OTHER"));
        s.reviewNeeds();
        s.confirm();
        QVERIFY(waitForTicket(s));
        QVERIFY(QTest::qWaitFor([&] { return s.printState() != KioskSession::PrintState::Printing; }, 20'000));
        QCOMPARE(s.printState(), KioskSession::PrintState::Printed);
        QFile printed(device);
        QVERIFY(printed.open(QIODevice::ReadOnly));
        QVERIFY(printed.readAll().contains("A-001"));
    }
};

QTEST_GUILESS_MAIN(TestKioskSession)
#include "tst_kiosk_session.moc"
