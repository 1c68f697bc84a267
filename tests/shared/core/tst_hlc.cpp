#include "core/clock.h"
#include "core/hlc.h"

#include <QTest>

#include <algorithm>
#include <compare>
#include <set>
#include <thread>
#include <vector>

using sigess::core::compareWrites;
using sigess::core::HlcStamp;
using sigess::core::HybridLogicalClock;
using sigess::core::ManualClock;

namespace {

constexpr std::uint64_t startMs = 1'750'000'000'000; // June 2025
constexpr std::uint64_t fiveMinutesMs = 5 * 60 * 1000;

QByteArray describe(const HlcStamp &stamp)
{
    return QByteArray::number(static_cast<qulonglong>(stamp.wallMs)) + '.'
        + QByteArray::number(stamp.counter);
}

} // namespace

Q_DECLARE_METATYPE(HlcStamp)

namespace QTest {
template <> char *toString(const HlcStamp &stamp)
{
    return qstrdup(describe(stamp).constData());
}
} // namespace QTest

class TestHlc : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void packRoundTrip_data();
    void packRoundTrip();
    void packedOrderIsStampOrder();
    void packRejectsStampsBeyondLimits();
    void protoRoundTrip();
    void protoRejectsStampsBeyondLimits_data();
    void protoRejectsStampsBeyondLimits();
    void followsWallClock();
    void standingClockCountsThenCarries();
    void survivesBackwardJump();
    void causalityUnderSkew_data();
    void causalityUnderSkew();
    void receiveCarriesCounterOverflow();
    void futureDriftRejected_data();
    void futureDriftRejected();
    void receiveRejectsStampsBeyondLimits();
    void compareWritesBreaksTiesByDevice_data();
    void compareWritesBreaksTiesByDevice();
    void uniqueAcrossThreads();
};

void TestHlc::packRoundTrip_data()
{
    QTest::addColumn<HlcStamp>("stamp");

    QTest::newRow("zero") << HlcStamp { 0, 0 };
    QTest::newRow("typical") << HlcStamp { startMs, 12345 };
    QTest::newRow("limits") << HlcStamp { HlcStamp::maxWallMs, HlcStamp::maxCounter };
}

void TestHlc::packRoundTrip()
{
    QFETCH(HlcStamp, stamp);
    QCOMPARE(HlcStamp::unpack(stamp.pack()), stamp);
}

void TestHlc::packedOrderIsStampOrder()
{
    const std::vector<HlcStamp> stamps = { { 0, 0 }, { 0, 1 }, { 0, HlcStamp::maxCounter }, { 1, 0 },
        { startMs, 0 }, { startMs, 1 }, { startMs, 0x100 }, { startMs, HlcStamp::maxCounter },
        { startMs + 1, 0 }, { HlcStamp::maxWallMs, 0 }, { HlcStamp::maxWallMs, HlcStamp::maxCounter } };
    for (const auto &a : stamps) {
        for (const auto &b : stamps) {
            if ((a <=> b) != (a.pack() <=> b.pack()))
                QFAIL(describe(a) + " and " + describe(b) + " order differently once packed");
        }
    }
}

void TestHlc::packRejectsStampsBeyondLimits()
{
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, (void)HlcStamp { HlcStamp::maxWallMs + 1, 0 }.pack());
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, (void)HlcStamp { startMs, HlcStamp::maxCounter + 1 }.pack());
}

void TestHlc::protoRoundTrip()
{
    const HlcStamp stamp { startMs, 42 };
    const sigess::v1::Hlc message = stamp.toProto();
    QCOMPARE(message.wall_ms(), startMs);
    QCOMPARE(message.counter(), 42u);
    const auto back = HlcStamp::fromProto(message);
    QVERIFY(back.ok());
    QCOMPARE(*back, stamp);
}

void TestHlc::protoRejectsStampsBeyondLimits_data()
{
    QTest::addColumn<HlcStamp>("stamp");
    QTest::addColumn<QString>("reason");

    QTest::newRow("wall time") << HlcStamp { HlcStamp::maxWallMs + 1, 0 }
                               << "HLC wall time 281474976710656 ms is beyond the limit of 281474976710655";
    QTest::newRow("counter") << HlcStamp { startMs, HlcStamp::maxCounter + 1 }
                             << "HLC counter 65536 is beyond the limit of 65535";
}

void TestHlc::protoRejectsStampsBeyondLimits()
{
    QFETCH(HlcStamp, stamp);
    QFETCH(QString, reason);

    sigess::v1::Hlc message;
    message.set_wall_ms(stamp.wallMs);
    message.set_counter(stamp.counter);
    const auto parsed = HlcStamp::fromProto(message);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, sigess::ErrorCode::Invalid);
    QCOMPARE(QString::fromStdString(parsed.error().message), reason);
}

void TestHlc::followsWallClock()
{
    ManualClock clock(startMs);
    HybridLogicalClock hlc(clock);
    QCOMPARE(hlc.now(), (HlcStamp { startMs, 0 }));
    clock.advance(7);
    QCOMPARE(hlc.now(), (HlcStamp { startMs + 7, 0 }));
}

void TestHlc::standingClockCountsThenCarries()
{
    const ManualClock clock(startMs);
    HybridLogicalClock hlc(clock);
    HlcStamp previous = hlc.now();
    QCOMPARE(previous, (HlcStamp { startMs, 0 }));
    for (std::uint32_t i = 1; i <= HlcStamp::maxCounter + 1; ++i) {
        const HlcStamp stamp = hlc.now();
        if (!(previous < stamp))
            QFAIL(describe(stamp) + " does not follow " + describe(previous));
        previous = stamp;
    }
    // The counter ran out of its 16 bits, so the stamp moved into the next millisecond.
    QCOMPARE(previous, (HlcStamp { startMs + 1, 0 }));
}

void TestHlc::survivesBackwardJump()
{
    ManualClock clock(startMs);
    HybridLogicalClock hlc(clock);
    QCOMPARE(hlc.now(), (HlcStamp { startMs, 0 }));
    clock.set(startMs - 3'600'000);
    QCOMPARE(hlc.now(), (HlcStamp { startMs, 1 }));
    clock.advance(1000);
    QCOMPARE(hlc.now(), (HlcStamp { startMs, 2 }));
    clock.set(startMs + 5);
    QCOMPARE(hlc.now(), (HlcStamp { startMs + 5, 0 }));
}

void TestHlc::causalityUnderSkew_data()
{
    QTest::addColumn<qint64>("skewMs");

    QTest::newRow("same time") << qint64(0);
    QTest::newRow("second node 10 s behind") << qint64(-10'000);
    QTest::newRow("second node 4 min ahead") << qint64(4 * 60 * 1000);
    QTest::newRow("second node 1 ms ahead") << qint64(1);
}

void TestHlc::causalityUnderSkew()
{
    QFETCH(qint64, skewMs);

    ManualClock clockA(startMs);
    ManualClock clockB(static_cast<std::uint64_t>(static_cast<qint64>(startMs) + skewMs));
    HybridLogicalClock a(clockA);
    HybridLogicalClock b(clockB);

    HlcStamp lastA = a.now();
    HlcStamp lastB = b.now();
    // Messages go back and forth while the wall clocks creep forward at different
    // paces; each receive must land after both the message and the receiver's past,
    // and the next local event after the receive.
    for (int round = 0; round < 200; ++round) {
        clockA.advance(static_cast<std::uint64_t>(round % 3));
        clockB.advance(static_cast<std::uint64_t>(round % 5 == 0 ? 1 : 0));

        const HlcStamp sentByA = a.now();
        QVERIFY(lastA < sentByA);
        const auto atB = b.receive(sentByA);
        QVERIFY2(atB.ok(), atB ? "" : atB.error().message.c_str());
        QVERIFY(sentByA < *atB);
        QVERIFY(lastB < *atB);
        const HlcStamp localB = b.now();
        QVERIFY(*atB < localB);

        const auto atA = a.receive(localB);
        QVERIFY2(atA.ok(), atA ? "" : atA.error().message.c_str());
        QVERIFY(localB < *atA);
        QVERIFY(sentByA < *atA);
        lastA = *atA;
        lastB = localB;

        // Stamps stay tied to the fastest wall clock rather than running away from it.
        const std::uint64_t fastest = std::max(clockA.nowMs(), clockB.nowMs());
        QVERIFY(lastA.wallMs <= fastest);
        QVERIFY(lastB.wallMs <= fastest);
    }
}

void TestHlc::receiveCarriesCounterOverflow()
{
    const ManualClock clock(startMs);
    HybridLogicalClock hlc(clock);
    const HlcStamp remote { startMs, HlcStamp::maxCounter };
    const auto merged = hlc.receive(remote);
    QVERIFY(merged.ok());
    QCOMPARE(*merged, (HlcStamp { startMs + 1, 0 }));
    QVERIFY(remote < *merged);
}

void TestHlc::futureDriftRejected_data()
{
    QTest::addColumn<qulonglong>("maxDriftMs");
    QTest::addColumn<qulonglong>("aheadMs");
    QTest::addColumn<QString>("reason");

    QTest::newRow("default limit, just inside")
        << qulonglong(HybridLogicalClock::defaultMaxDriftMs) << qulonglong(fiveMinutesMs) << QString();
    QTest::newRow("default limit, 1 ms beyond")
        << qulonglong(HybridLogicalClock::defaultMaxDriftMs) << qulonglong(fiveMinutesMs + 1)
        << "remote HLC stamp is 300001 ms ahead of the local clock, more than the 300000 ms allowed";
    QTest::newRow("a day ahead") << qulonglong(HybridLogicalClock::defaultMaxDriftMs)
                                 << qulonglong(86'400'000)
                                 << "remote HLC stamp is 86400000 ms ahead of the local clock, more than the "
                                    "300000 ms allowed";
    QTest::newRow("configured 1 s, inside") << qulonglong(1000) << qulonglong(1000) << QString();
    QTest::newRow("configured 1 s, beyond")
        << qulonglong(1000) << qulonglong(1001)
        << "remote HLC stamp is 1001 ms ahead of the local clock, more than the 1000 ms allowed";
}

void TestHlc::futureDriftRejected()
{
    QFETCH(qulonglong, maxDriftMs);
    QFETCH(qulonglong, aheadMs);
    QFETCH(QString, reason);

    const ManualClock clock(startMs);
    HybridLogicalClock hlc(clock, maxDriftMs);
    const HlcStamp before = hlc.now();
    const HlcStamp remote { startMs + aheadMs, 3 };
    const auto merged = hlc.receive(remote);
    if (reason.isEmpty()) {
        QVERIFY(merged.ok());
        QCOMPARE(*merged, (HlcStamp { remote.wallMs, remote.counter + 1 }));
        return;
    }
    QVERIFY(!merged.ok());
    QCOMPARE(merged.error().code, sigess::ErrorCode::Invalid);
    QCOMPARE(QString::fromStdString(merged.error().message), reason);
    // The rejected stamp left no trace: the clock goes on from where it was.
    QCOMPARE(hlc.now(), (HlcStamp { before.wallMs, before.counter + 1 }));
}

void TestHlc::receiveRejectsStampsBeyondLimits()
{
    const ManualClock clock(startMs);
    HybridLogicalClock hlc(clock);
    const auto merged = hlc.receive(HlcStamp { startMs, HlcStamp::maxCounter + 1 });
    QVERIFY(!merged.ok());
    QCOMPARE(merged.error().code, sigess::ErrorCode::Invalid);
    QCOMPARE(hlc.now(), (HlcStamp { startMs, 0 }));
}

void TestHlc::compareWritesBreaksTiesByDevice_data()
{
    QTest::addColumn<HlcStamp>("stampA");
    QTest::addColumn<QByteArray>("deviceA");
    QTest::addColumn<HlcStamp>("stampB");
    QTest::addColumn<QByteArray>("deviceB");
    QTest::addColumn<int>("expected"); // sign of A compared with B

    const QByteArray low = "0190b6c4-0000-7000-8000-000000000001";
    const QByteArray high = "0190b6c4-0000-7000-8000-000000000002";
    QTest::newRow("later wall time wins over device")
        << HlcStamp { startMs + 1, 0 } << low << HlcStamp { startMs, 9 } << high << 1;
    QTest::newRow("higher counter wins over device")
        << HlcStamp { startMs, 2 } << low << HlcStamp { startMs, 1 } << high << 1;
    QTest::newRow("same stamp: greater device wins")
        << HlcStamp { startMs, 1 } << low << HlcStamp { startMs, 1 } << high << -1;
    QTest::newRow("same stamp and device")
        << HlcStamp { startMs, 1 } << low << HlcStamp { startMs, 1 } << low << 0;
}

void TestHlc::compareWritesBreaksTiesByDevice()
{
    QFETCH(HlcStamp, stampA);
    QFETCH(QByteArray, deviceA);
    QFETCH(HlcStamp, stampB);
    QFETCH(QByteArray, deviceB);
    QFETCH(int, expected);

    const auto ab = compareWrites(stampA, deviceA.toStdString(), stampB, deviceB.toStdString());
    const auto ba = compareWrites(stampB, deviceB.toStdString(), stampA, deviceA.toStdString());
    QCOMPARE(ab < 0 ? -1 : ab > 0 ? 1 : 0, expected);
    QCOMPARE(ba < 0 ? -1 : ba > 0 ? 1 : 0, -expected);
}

void TestHlc::uniqueAcrossThreads()
{
    constexpr int threads = 4;
    constexpr int perThread = 10'000;
    const ManualClock clock(startMs);
    HybridLogicalClock hlc(clock);
    std::vector<std::vector<HlcStamp>> made(threads);
    std::vector<std::thread> workers;
    for (auto &stamps : made) {
        workers.emplace_back([&hlc, &stamps] {
            for (int i = 0; i < perThread; ++i)
                stamps.push_back(hlc.now());
        });
    }
    for (auto &worker : workers)
        worker.join();

    std::set<std::uint64_t> all;
    for (const auto &stamps : made) {
        QVERIFY(std::is_sorted(stamps.begin(), stamps.end()));
        for (const auto &stamp : stamps)
            all.insert(stamp.pack());
    }
    QCOMPARE(all.size(), std::size_t { threads * perThread });
}

QTEST_GUILESS_MAIN(TestHlc)
#include "tst_hlc.moc"
