#include "net/log.h"
#include "net/metrics.h"

#include <QTest>

#include <stdexcept>
#include <thread>
#include <vector>

using namespace sigess::net;

class TestMetricsLog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rendersPrometheusText()
    {
        MetricsRegistry registry;
        registry.counter("sigess_things_total", "Things seen.", {{"kind", "a"}}).increment(3);
        registry.counter("sigess_things_total", "Things seen.", {{"kind", "b\"q"}}).increment();
        registry.gauge("sigess_open", "Open things.").add(5);
        auto &latency = registry.histogram("sigess_latency_seconds", "Latency.", {0.001, 0.0025, 1});
        latency.observe(0.0005);
        latency.observe(0.0025);
        latency.observe(3);
        const std::string expected = "# HELP sigess_things_total Things seen.\n"
                                     "# TYPE sigess_things_total counter\n"
                                     "sigess_things_total{kind=\"a\"} 3\n"
                                     "sigess_things_total{kind=\"b\\\"q\"} 1\n"
                                     "# HELP sigess_open Open things.\n"
                                     "# TYPE sigess_open gauge\n"
                                     "sigess_open 5\n"
                                     "# HELP sigess_latency_seconds Latency.\n"
                                     "# TYPE sigess_latency_seconds histogram\n"
                                     "sigess_latency_seconds_bucket{le=\"0.001\"} 1\n"
                                     "sigess_latency_seconds_bucket{le=\"0.0025\"} 2\n"
                                     "sigess_latency_seconds_bucket{le=\"1\"} 2\n"
                                     "sigess_latency_seconds_bucket{le=\"+Inf\"} 3\n"
                                     "sigess_latency_seconds_sum 3.003\n"
                                     "sigess_latency_seconds_count 3\n";
        QCOMPARE(registry.renderPrometheus(), expected);
    }

    void registeringAgainReturnsTheSameMetric()
    {
        MetricsRegistry registry;
        auto &first = registry.counter("sigess_x_total", "X.");
        auto &second = registry.counter("sigess_x_total", "X.");
        QCOMPARE(&first, &second);
        QVERIFY_THROWS_EXCEPTION(std::logic_error, registry.gauge("sigess_x_total", "X."));
        QVERIFY_THROWS_EXCEPTION(std::logic_error, registry.counter("bad name", "X."));
    }

    void countsFromManyThreads()
    {
        MetricsRegistry registry;
        auto &counter = registry.counter("sigess_hits_total", "Hits.");
        auto &histogram = registry.histogram("sigess_h_seconds", "H.", latencyBucketsSeconds());
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < 10000; ++i) {
                    counter.increment();
                    histogram.observe(0.002);
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(counter.value(), std::uint64_t(40000));
        QCOMPARE(histogram.snapshot().cumulativeCounts.back(), std::uint64_t(40000));
    }

    void logLinesAreKeyValue_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("rendered");
        QTest::newRow("plain") << "/healthz" << "path=/healthz";
        QTest::newRow("space") << "a b" << "path=\"a b\"";
        QTest::newRow("quote") << "a\"b" << "path=\"a\\\"b\"";
        QTest::newRow("newline cannot forge a line") << "a\nts=x" << "path=\"a\\nts=x\"";
        QTest::newRow("empty") << "" << "path=\"\"";
    }

    void logLinesAreKeyValue()
    {
        QFETCH(QString, value);
        QFETCH(QString, rendered);
        const auto line = Logger::formatLine(1'700'000'000'123, LogLevel::Warn, "http_request",
                                             {{"path", value.toStdString()}, {"status", 413}});
        QCOMPARE(QString::fromStdString(line),
                 "ts=2023-11-14T22:13:20.123Z level=warn event=http_request " + rendered + " status=413");
    }

    void loggerFiltersByLevel()
    {
        sigess::core::ManualClock clock(0);
        std::vector<std::string> lines;
        Logger logger(clock, LogLevel::Info, [&](std::string_view line) { lines.emplace_back(line); });
        logger.log(LogLevel::Debug, "hidden", {});
        logger.log(LogLevel::Error, "shown", {{"n", 1}});
        QCOMPARE(lines.size(), std::size_t(1));
        QCOMPARE(lines.front(), std::string("ts=1970-01-01T00:00:00.000Z level=error event=shown n=1"));
        QVERIFY(parseLogLevel("warn").ok());
        QVERIFY(!parseLogLevel("verbose").ok());
    }
};

QTEST_GUILESS_MAIN(TestMetricsLog)
#include "tst_metrics_log.moc"
