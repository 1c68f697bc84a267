#include "core/clock.h"
#include "core/uuid.h"

#include <QTest>

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

using sigess::core::ManualClock;
using sigess::core::SystemClock;
using sigess::core::Uuid;
using sigess::core::UuidV7Generator;

namespace {

// 2022-02-22 14:22:22 UTC, the timestamp of the version 7 example in RFC 9562 appendix A.6.
constexpr std::uint64_t rfcExampleMs = 0x017F22E279B0;

enum class ClockBehaviour { Advancing, StandingStill, JumpingBack };

} // namespace

Q_DECLARE_METATYPE(ClockBehaviour)

class TestUuid : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void parseRejects_data();
    void parseRejects();
    void rfcExample();
    void orderFollowsBytes();
    void versionAndVariant();
    void timestampComesFromTheClock();
    void strictlyIncreasing_data();
    void strictlyIncreasing();
    void uniqueAcrossThreads();
};

void TestUuid::roundTrip_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("canonical");

    QTest::newRow("nil") << QByteArray("00000000-0000-0000-0000-000000000000")
                         << QByteArray("00000000-0000-0000-0000-000000000000");
    QTest::newRow("max") << QByteArray("ffffffff-ffff-ffff-ffff-ffffffffffff")
                         << QByteArray("ffffffff-ffff-ffff-ffff-ffffffffffff");
    QTest::newRow("version 7") << QByteArray("017f22e2-79b0-7cc3-98c4-dc0c0c07398f")
                               << QByteArray("017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
    QTest::newRow("upper case read, lower case written") << QByteArray(
        "017F22E2-79B0-7CC3-98C4-DC0C0C07398F") << QByteArray("017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
    QTest::newRow("version 4") << QByteArray("919108f7-52d1-4320-9bac-f847db4148a8")
                               << QByteArray("919108f7-52d1-4320-9bac-f847db4148a8");
}

void TestUuid::roundTrip()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, canonical);

    const auto parsed = Uuid::parse(text.toStdString());
    QVERIFY2(parsed.ok(), parsed ? "" : parsed.error().message.c_str());
    QCOMPARE(QByteArray::fromStdString(parsed->toString()), canonical);
    const auto again = Uuid::parse(parsed->toString());
    QVERIFY(again.ok());
    QVERIFY(*again == *parsed);
}

void TestUuid::parseRejects_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("reason");

    QTest::newRow("empty") << QByteArray("")
                           << "a UUID has 36 characters (8-4-4-4-12 hexadecimal digits), found 0";
    QTest::newRow("no dashes") << QByteArray("017f22e279b07cc398c4dc0c0c07398f")
                               << "a UUID has 36 characters (8-4-4-4-12 hexadecimal digits), found 32";
    QTest::newRow("braces") << QByteArray("{017f22e2-79b0-7cc3-98c4-dc0c0c07398f}")
                            << "a UUID has 36 characters (8-4-4-4-12 hexadecimal digits), found 38";
    QTest::newRow("dash misplaced") << QByteArray("017f22e279-b0-7cc3-98c4-dc0c0c07398f")
                                    << "UUID character 9 must be '-', found '7'";
    QTest::newRow("not hexadecimal") << QByteArray("017f22e2-79b0-7cc3-98c4-dc0c0c07398g")
                                     << "UUID character 36 must be a hexadecimal digit, found 'g'";
    QTest::newRow("dash where a digit belongs") << QByteArray("-17f22e2-79b0-7cc3-98c4-dc0c0c07398f")
                                                << "UUID character 1 must be a hexadecimal digit, found '-'";
}

void TestUuid::parseRejects()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, reason);

    const auto parsed = Uuid::parse(text.toStdString());
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, sigess::ErrorCode::Invalid);
    QCOMPARE(QString::fromStdString(parsed.error().message), reason);
}

void TestUuid::rfcExample()
{
    const auto parsed = Uuid::parse("017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->version(), 7);
    QCOMPARE(parsed->timestampMs(), rfcExampleMs);
    QVERIFY(!parsed->isNil());
    QVERIFY(Uuid().isNil());
}

void TestUuid::orderFollowsBytes()
{
    Uuid::Bytes low {};
    Uuid::Bytes high {};
    low[15] = 0xFF;
    high[0] = 0x01;
    QVERIFY(Uuid(low) < Uuid(high));
    QVERIFY(Uuid(low).toString() < Uuid(high).toString());
    QVERIFY(Uuid(low) != Uuid(high));
    QVERIFY(Uuid(low) == Uuid(low));
}

void TestUuid::versionAndVariant()
{
    const SystemClock clock;
    UuidV7Generator generator(clock);
    for (int i = 0; i < 1000; ++i) {
        const Uuid id = generator.next();
        QCOMPARE(id.version(), 7);
        QCOMPARE(id.bytes()[6] & 0xF0, 0x70);
        QCOMPARE(id.bytes()[8] & 0xC0, 0x80); // RFC 9562 variant: binary 10
        QCOMPARE(id.toString()[14], '7');
    }
}

void TestUuid::timestampComesFromTheClock()
{
    ManualClock clock(rfcExampleMs);
    UuidV7Generator generator(clock);
    QCOMPARE(generator.next().timestampMs(), rfcExampleMs);
    clock.advance(1234);
    QCOMPARE(generator.next().timestampMs(), rfcExampleMs + 1234);
}

void TestUuid::strictlyIncreasing_data()
{
    QTest::addColumn<ClockBehaviour>("behaviour");

    QTest::newRow("clock advancing") << ClockBehaviour::Advancing;
    QTest::newRow("clock standing still") << ClockBehaviour::StandingStill;
    QTest::newRow("clock jumping back") << ClockBehaviour::JumpingBack;
}

void TestUuid::strictlyIncreasing()
{
    QFETCH(ClockBehaviour, behaviour);

    constexpr int count = 100'000;
    ManualClock clock(rfcExampleMs);
    UuidV7Generator generator(clock);
    Uuid previous = generator.next();
    std::string previousText = previous.toString();
    for (int i = 1; i < count; ++i) {
        if (behaviour == ClockBehaviour::Advancing && i % 100 == 0)
            clock.advance(1);
        if (behaviour == ClockBehaviour::JumpingBack && i % 10'000 == 0)
            clock.set(clock.nowMs() - 3'600'000);
        const Uuid id = generator.next();
        const std::string text = id.toString();
        if (!(previous < id) || !(previousText < text))
            QFAIL(qPrintable(QStringLiteral("id %1 (%2) does not follow %3")
                                 .arg(i)
                                 .arg(QString::fromStdString(text), QString::fromStdString(previousText))));
        previous = id;
        previousText = text;
    }
    if (behaviour == ClockBehaviour::StandingStill) {
        // The counter starts below 2048 in each millisecond and counts to 4095, so a
        // stalled clock costs at most one millisecond of lead per 2049 ids.
        QVERIFY(previous.timestampMs() >= rfcExampleMs + 1);
        QVERIFY(previous.timestampMs() <= rfcExampleMs + count / 2049 + 1);
    }
}

void TestUuid::uniqueAcrossThreads()
{
    constexpr int threads = 4;
    constexpr int perThread = 10'000;
    const ManualClock clock(rfcExampleMs);
    UuidV7Generator generator(clock);
    std::vector<std::vector<Uuid>> made(threads);
    std::vector<std::thread> workers;
    for (auto &ids : made) {
        workers.emplace_back([&generator, &ids] {
            for (int i = 0; i < perThread; ++i)
                ids.push_back(generator.next());
        });
    }
    for (auto &worker : workers)
        worker.join();

    std::set<Uuid> all;
    for (const auto &ids : made) {
        QVERIFY(std::is_sorted(ids.begin(), ids.end()));
        all.insert(ids.begin(), ids.end());
    }
    QCOMPARE(all.size(), std::size_t { threads * perThread });
}

QTEST_GUILESS_MAIN(TestUuid)
#include "tst_uuid.moc"
