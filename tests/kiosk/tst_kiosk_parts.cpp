// The kiosk's small parts: ticket numbers, the barcode wedge, the inactivity guard,
// the ESC/POS bytes of a ticket, QR codes, the configuration file, and the catalog
// models (checked by QAbstractItemModelTester).
#include "barcode_wedge.h"
#include "call_announcer.h"
#include "inactivity_guard.h"
#include "kiosk_config.h"
#include "kiosk_fixture.h"
#include "language_model.h"
#include "need_model.h"
#include "qr_code.h"
#include "queue_model.h"
#include "receipt.h"
#include "ticket_queue.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSoundEffect>
#include <QTemporaryDir>
#include <QTest>

using namespace sigess;
using namespace sigess::kiosk;

class TestKioskParts : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void ticketNumbers_data()
    {
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<int>("sequence");
        QTest::addColumn<QString>("number");
        QTest::newRow("lone kiosk") << "A" << 23 << "A-023";
        QTest::newRow("second kiosk") << "B" << 7 << "B-007";
        QTest::newRow("past 999") << "C" << 1234 << "C-1234";
    }
    void ticketNumbers()
    {
        QFETCH(QString, prefix);
        QFETCH(int, sequence);
        QFETCH(QString, number);
        QCOMPARE(formatTicketNumber(prefix, sequence), number);
    }

    void wedgeTellsAScannerFromAPerson_data()
    {
        QTest::addColumn<int>("gapMs");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<bool>("scan");
        QTest::newRow("scanner") << 8 << "RSSMRA85T10A562S" << true;
        QTest::newRow("person") << 180 << "RSSMRA85T10A562S" << false;
        QTest::newRow("too short") << 8 << "RSSMRA85" << false;
    }
    void wedgeTellsAScannerFromAPerson()
    {
        QFETCH(int, gapMs);
        QFETCH(QString, typed);
        QFETCH(bool, scan);
        BarcodeWedge wedge;
        std::uint64_t at = 1000;
        for (QChar c : typed)
            wedge.character(c, at += static_cast<std::uint64_t>(gapMs));
        const auto result = wedge.enter(at + static_cast<std::uint64_t>(gapMs));
        QCOMPARE(result.has_value(), scan);
        if (scan)
            QCOMPARE(*result, typed);
    }

    void wedgeForgetsASlowStart()
    {
        BarcodeWedge wedge;
        wedge.character(QLatin1Char('X'), 0); // a stray key long before the scan
        std::uint64_t at = 5000;
        for (QChar c : QStringLiteral("RSSMRA85T10A562S"))
            wedge.character(c, at += 5);
        QCOMPARE(wedge.enter(at + 5).value_or(QString()), QStringLiteral("RSSMRA85T10A562S"));
    }

    void inactivityCountsDownThenExpires()
    {
        core::ManualClock clock(1'000'000);
        InactivityGuard guard(clock, 60'000, 15'000);
        QSignalSpy expired(&guard, &InactivityGuard::expired);
        guard.poll();
        QVERIFY(!guard.countdownVisible()); // not armed at rest
        guard.setArmed(true);
        clock.advance(59'999);
        guard.poll();
        QVERIFY(!guard.countdownVisible());
        clock.advance(1);
        guard.poll();
        QVERIFY(guard.countdownVisible());
        QCOMPARE(guard.secondsLeft(), 15);
        guard.noteActivity(); // a touch
        QVERIFY(!guard.countdownVisible());
        clock.advance(70'000);
        guard.poll();
        QCOMPARE(guard.secondsLeft(), 5);
        QCOMPARE(expired.count(), 0);
        clock.advance(5'000);
        guard.poll();
        QCOMPARE(expired.count(), 1);
        QVERIFY(!guard.countdownVisible());
        clock.advance(100'000);
        guard.poll();
        QCOMPARE(expired.count(), 1); // disarmed until the next visit
    }

    void escPosTicketBytes()
    {
        const Receipt receipt { QStringLiteral("Punto di accesso Esquilino"), QStringLiteral("A-023"),
            QStringLiteral("30/11/2026 10:00"), 15, 3, ticketQrPayload(QStringLiteral("0190-x")) };
        const QByteArray bytes = encodeEscPos(receipt);
        QVERIFY(bytes.startsWith(QByteArray("\x1B@\x1Bt\x13\x1B" "a\x01", 7)));
        QVERIFY(bytes.contains("Punto di accesso Esquilino\n"));
        QVERIFY(bytes.contains(QByteArray("\x1D!\x33" "A-023\n\x1D!", 11)));
        QVERIFY(bytes.contains("Persone prima di lei: 3 - attesa circa 15 minuti\n"));
        QVERIFY(bytes.contains(QByteArray("Sar\x85 chiamato per numero")));  // code page 858
        QVERIFY(bytes.contains(QByteArray("\x1Dv0\x00", 4)));                   // the QR raster
        QVERIFY(bytes.endsWith(QByteArray("\x1DVB\x00", 4)));                   // cut
        // The raster's header announces exactly the rows and bytes that follow it.
        const qsizetype at = bytes.indexOf(QByteArray("\x1Dv0\x00", 4)) + 4;
        const int rowBytes = static_cast<uchar>(bytes[at]) | static_cast<uchar>(bytes[at + 1]) << 8;
        const int rows = static_cast<uchar>(bytes[at + 2]) | static_cast<uchar>(bytes[at + 3]) << 8;
        const QByteArray after = bytes.mid(at + 4 + rowBytes * rows);
        QVERIFY(after.startsWith("Sar"));
    }

    void printingToADeviceFile()
    {
        QTemporaryDir dir;
        const QString device = dir.filePath(QStringLiteral("lp0"));
        QVERIFY(printReceipt("bytes", device).ok());
        QFile written(device);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(written.readAll(), QByteArray("bytes"));
        QVERIFY(!printReceipt("bytes", dir.filePath(QStringLiteral("missing/lp0"))).ok());
    }

    void qrCodeOfATicket()
    {
        Result<QrCode> code = QrCode::encode(ticketQrPayload(QStringLiteral("01900000-0000-7000-8000-000000000001")).toStdString());
        QVERIFY(code.ok());
        QCOMPARE(code->size(), 33); // version 4 at level M for 50 bytes
        QVERIFY(code->dark(0, 0) && code->dark(6, 6) && !code->dark(7, 7)); // finder pattern
        const QImage image = code->toImage(2);
        QCOMPARE(image.width(), (33 + 8) * 2);
        QCOMPARE(image.pixelColor(0, 0), QColor(Qt::white));
        QCOMPARE(image.pixelColor(8, 8), QColor(Qt::black));
    }

    void configFile()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("kiosk.conf")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("device_id=01900000-0000-7000-8000-000000000001\npresidio=P-M01-02\nticket_prefix=B\n"
                   "store=data/kiosk.db\nprinter_device=/dev/usb/lp0\nminutes_per_ticket=8\nspoken_calls=false\n");
        file.close();
        Result<KioskConfig> config = loadKioskConfig(file.fileName());
        QVERIFY2(config.ok(), config.ok() ? "" : config.error().describe().c_str());
        QCOMPARE(config->presidio, QStringLiteral("P-M01-02"));
        QCOMPARE(config->numberPrefix(), QStringLiteral("B"));
        // Never enrolled: the service letter alone, not doubled by a prefix.
        QCOMPARE(developmentKioskConfig(config->deviceId).numberPrefix(), QStringLiteral("A"));
        QCOMPARE(config->storePath, dir.filePath(QStringLiteral("data/kiosk.db")));
        QCOMPARE(config->printerDevice, QStringLiteral("/dev/usb/lp0"));
        QCOMPARE(config->minutesPerTicket, 8);
        QVERIFY(!config->spokenCalls);
        QVERIFY(developmentKioskConfig(config->deviceId).spokenCalls);

        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("device_id=not-a-uuid\n");
        file.close();
        QVERIFY(!loadKioskConfig(file.fileName()).ok());
        QVERIFY(!loadKioskConfig(dir.filePath(QStringLiteral("missing.conf"))).ok());
    }

    void languageModel()
    {
        const core::Catalog catalog = testing::deployCatalog();
        LanguageModel languages(catalog);
        QAbstractItemModelTester tester(&languages, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(languages.rowCount(), 10);
        QCOMPARE(languages.index(0).data(LanguageModel::LangRole).toString(), QStringLiteral("it"));
        QCOMPARE(languages.index(7).data(LanguageModel::NameRole).toString(), QStringLiteral("العربية"));
        QVERIFY(languages.rightToLeft(QStringLiteral("ar")));
        QVERIFY(!languages.rightToLeft(QStringLiteral("ro")));
        QVERIFY(!languages.contains(QStringLiteral("xx")));
    }

    void needModelLabelsSelectionAndDiscretion()
    {
        const core::Catalog catalog = testing::deployCatalog();
        NeedModel needs(catalog);
        QAbstractItemModelTester tester(&needs, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(needs.rowCount(), 12);
        QCOMPARE(needs.index(0).data(NeedModel::CodeRole).toString(), QStringLiteral("HOUSING"));
        QCOMPARE(needs.index(0).data(NeedModel::LabelRole).toString(), QStringLiteral("Casa"));
        needs.setLanguage(QStringLiteral("ar"));
        QCOMPARE(needs.index(0).data(NeedModel::LabelRole).toString(), QStringLiteral("السكن"));
        QCOMPARE(needs.index(0).data(NeedModel::ItalianLabelRole).toString(), QStringLiteral("Casa"));

        needs.toggle(QStringLiteral("HOUSING"));
        needs.toggle(QStringLiteral("SAFETY"));
        QCOMPARE(needs.selectedCount(), 2);
        QVERIFY(needs.discreetSelected());
        QCOMPARE(needs.selectedCodes(), (std::vector<std::string> { "HOUSING", "SAFETY" }));
        // The summary never names the discreet category.
        QCOMPARE(needs.selectedSummaryItalian(), (QStringList { QStringLiteral("Casa"), QStringLiteral("Un colloquio riservato") }));
        QVERIFY(!needs.selectedSummary().join(QLatin1Char(' ')).contains(QStringLiteral("الأمان")));
        needs.toggle(QStringLiteral("SAFETY"));
        QVERIFY(!needs.discreetSelected());
        needs.clearSelection();
        QCOMPARE(needs.selectedCount(), 0);
    }

    void queueModelAnnouncesNewCalls()
    {
        QueueModel queue;
        QAbstractItemModelTester tester(&queue, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy called(&queue, &QueueModel::called);
        const auto ticket = [](const char *id, const char *number, v1::TicketState state, std::uint64_t calledAt, const char *desk) {
            v1::Ticket t;
            t.mutable_meta()->set_id(id);
            t.set_number(number);
            t.set_state(state);
            t.mutable_called()->set_wall_ms(calledAt);
            t.set_desk(desk);
            return t;
        };
        std::vector<v1::Ticket> tickets = { ticket("1", "A-001", v1::TICKET_STATE_CALLED, 10, "Sportello 1"),
            ticket("2", "A-002", v1::TICKET_STATE_WAITING, 0, ""), ticket("3", "A-003", v1::TICKET_STATE_WAITING, 0, "") };
        queue.setTickets(tickets);
        QCOMPARE(called.count(), 0); // what was called before the display started is not news
        QCOMPARE(queue.rowCount(), 1);
        QCOMPARE(queue.waitingCount(), 2);

        tickets[1] = ticket("2", "A-002", v1::TICKET_STATE_CALLED, 20, "Sportello 2");
        queue.setTickets(tickets);
        QCOMPARE(called.count(), 1);
        QCOMPARE(called.at(0).at(0).toString(), QStringLiteral("A-002"));
        QCOMPARE(called.at(0).at(1).toString(), QStringLiteral("Sportello 2"));
        QCOMPARE(queue.index(0).data(QueueModel::NumberRole).toString(), QStringLiteral("A-002"));
        QVERIFY(queue.index(0).data(QueueModel::LatestRole).toBool());
        QCOMPARE(queue.waitingCount(), 1);
        queue.setTickets(tickets);
        QCOMPARE(called.count(), 1); // announced once

        // The desk calls the same ticket again: a new called stamp is a new announcement.
        tickets[1].mutable_called()->set_counter(1);
        queue.setTickets(tickets);
        QCOMPARE(called.count(), 2);
        QCOMPARE(called.at(1).at(0).toString(), QStringLiteral("A-002"));
        queue.setTickets(tickets);
        QCOMPARE(called.count(), 2);
    }

    void announcerChimesThenSpeaks_data()
    {
        QTest::addColumn<bool>("spoken");
        QTest::addColumn<CallAnnouncer::Chime>("chime");
        QTest::newRow("spoken calls") << true << CallAnnouncer::Chime::Audible;
        QTest::newRow("chime alone") << false << CallAnnouncer::Chime::Audible;
        QTest::newRow("no audio output") << true << CallAnnouncer::Chime::Silent;
    }
    void announcerChimesThenSpeaks()
    {
        QFETCH(bool, spoken);
        QFETCH(CallAnnouncer::Chime, chime);
        Narrator narrator;
        if (chime == CallAnnouncer::Chime::Silent)
            QTest::ignoreMessage(QtInfoMsg, "no audio output: calls are announced without the chime");
        CallAnnouncer announcer(narrator, spoken ? CallAnnouncer::Speech::On : CallAnnouncer::Speech::Off, chime);
        QSignalSpy announced(&announcer, &CallAnnouncer::announced);
        QCOMPARE(announcer.announcements(), 0);
        announcer.announce(QStringLiteral("Numero A-002, Sportello 2"));
        announcer.announce(QStringLiteral("Numero A-003, Sportello 1"));
        QCOMPARE(announced.count(), 2);
        QCOMPARE(announcer.announcements(), 2);
        QCOMPARE(announcer.lastAnnouncement(), QStringLiteral("Numero A-003, Sportello 1"));
        QCOMPARE(announced.at(1).at(0).toString(), QStringLiteral("Numero A-003, Sportello 1"));
        // Without an output Qt Multimedia is never asked to play: no sound effect exists.
        const qsizetype effects = announcer.findChildren<QSoundEffect *>().size();
        QCOMPARE(effects, chime == CallAnnouncer::Chime::Audible ? 1 : 0);
    }
};

QTEST_GUILESS_MAIN(TestKioskParts)
#include "tst_kiosk_parts.moc"
