// libprotobuf's complaints about hostile frames reach the server's log through the
// rate-limited route: a flood of frames with invalid UTF-8 writes a bounded number of
// lines, then one line counting what was dropped.
#include "core/clock.h"
#include "net/log.h"
#include "net/protobuf_log.h"
#include "sync/frame_codec.h"

#include <QTest>

#include <algorithm>
#include <string>
#include <vector>

using namespace sigess;

namespace {

// A Hello whose device id is not UTF-8: written as ASCII, then its bytes replaced,
// because libprotobuf would complain while serializing the invalid text itself.
std::string invalidUtf8Frame()
{
    const std::string marker = "MARKER";
    v1::Envelope envelope;
    envelope.set_sequence(1);
    envelope.mutable_hello()->set_device_id(marker);
    std::string frame = sync::encodeFrame(envelope);
    frame.replace(frame.find(marker), marker.size(), "\xff\xfe\xc0\x80\xed\xa0");
    return frame;
}

struct CapturedLog {
    std::vector<std::string> lines;

    std::size_t count(std::string_view event) const
    {
        const std::string needle = " event=" + std::string(event);
        return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [&](const std::string &line) {
            const std::size_t at = line.find(needle);
            const std::size_t after = at + needle.size();
            return at != std::string::npos && (after == line.size() || line[after] == ' ');
        }));
    }
};

} // namespace

class TestProtobufLog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void floodOfInvalidUtf8IsBounded_data()
    {
        QTest::addColumn<int>("maxLines");
        QTest::addColumn<int>("frames");
        QTest::addColumn<int>("expectedLines");
        QTest::newRow("below the limit") << 10 << 3 << 3;
        QTest::newRow("exactly the limit") << 10 << 10 << 10;
        QTest::newRow("a flood") << 10 << 5000 << 10;
        QTest::newRow("limit of one") << 1 << 200 << 1;
    }

    void floodOfInvalidUtf8IsBounded()
    {
        QFETCH(int, maxLines);
        QFETCH(int, frames);
        QFETCH(int, expectedLines);
        core::ManualClock clock(1'700'000'000'000);
        CapturedLog captured;
        const net::Logger logger(clock, net::LogLevel::Info,
                                 [&](std::string_view line) { captured.lines.emplace_back(line); });
        net::RateLimitedLog limited(clock, logger, {static_cast<std::size_t>(maxLines), 60'000});
        const net::ProtobufLogRoute route(limited);

        const std::string frame = invalidUtf8Frame();
        for (int i = 0; i < frames; ++i) {
            Result<v1::Envelope> decoded = sync::decodeFrame(frame);
            QVERIFY(!decoded.ok());
            QCOMPARE(decoded.error().code, ErrorCode::Invalid);
        }
        QCOMPARE(captured.count("protobuf"), static_cast<std::size_t>(expectedLines));
        QCOMPARE(captured.lines.size(), static_cast<std::size_t>(expectedLines));
        QVERIFY(captured.lines.front().find("level=error") != std::string::npos);
        QVERIFY(captured.lines.front().find("UTF-8") != std::string::npos);
        QCOMPARE(limited.suppressed(), static_cast<std::uint64_t>(frames - expectedLines));

        // In the next window the count of what was dropped comes first, once.
        clock.advance(60'000);
        captured.lines.clear();
        QVERIFY(!sync::decodeFrame(frame).ok());
        const std::size_t dropped = static_cast<std::size_t>(frames - expectedLines);
        QCOMPARE(captured.count("log_suppressed"), dropped == 0 ? std::size_t{0} : std::size_t{1});
        QCOMPARE(captured.count("protobuf"), std::size_t{1});
        if (dropped != 0)
            QVERIFY(captured.lines.front().find("count=" + std::to_string(dropped)) != std::string::npos);
        QCOMPARE(limited.suppressed(), std::uint64_t{0});
    }

    void routeRestoresTheDefaultHandler()
    {
        core::ManualClock clock;
        CapturedLog captured;
        const net::Logger logger(clock, net::LogLevel::Info,
                                 [&](std::string_view line) { captured.lines.emplace_back(line); });
        net::RateLimitedLog limited(clock, logger);
        {
            const net::ProtobufLogRoute route(limited);
            QVERIFY(!sync::decodeFrame(invalidUtf8Frame()).ok());
        }
        QCOMPARE(captured.lines.size(), std::size_t{1});
        // Once the route is gone, libprotobuf writes to stderr again, not to this logger.
        QVERIFY(!sync::decodeFrame(invalidUtf8Frame()).ok());
        QCOMPARE(captured.lines.size(), std::size_t{1});
    }

    void levelsBelowTheLoggersThresholdUseNoBudget()
    {
        core::ManualClock clock;
        CapturedLog captured;
        const net::Logger logger(clock, net::LogLevel::Warn,
                                 [&](std::string_view line) { captured.lines.emplace_back(line); });
        net::RateLimitedLog limited(clock, logger, {2, 1000});
        for (int i = 0; i < 5; ++i)
            limited.log(net::LogLevel::Info, "chatter", {});
        limited.log(net::LogLevel::Error, "first", {});
        limited.log(net::LogLevel::Error, "second", {});
        limited.log(net::LogLevel::Error, "third", {});
        QCOMPARE(captured.lines.size(), std::size_t{2});
        QCOMPARE(captured.count("first"), std::size_t{1});
        QCOMPARE(captured.count("second"), std::size_t{1});
        QCOMPARE(limited.suppressed(), std::uint64_t{1});
    }
};

QTEST_GUILESS_MAIN(TestProtobufLog)
#include "tst_protobuf_log.moc"
