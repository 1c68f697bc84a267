// A small metrics registry rendered in the Prometheus text format (version 0.0.4):
// counters, gauges and latency histograms with fixed buckets. The server owns one and
// hands it to whatever wants to count (the sync engine registers its own series).
// Thread safety: registering takes a lock and returns a reference that stays valid for
// the registry's lifetime; updating a metric is lock-free; rendering may run alongside.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sigess::net {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class Counter {
public:
    void increment(std::uint64_t by = 1) { m_value.fetch_add(by, std::memory_order_relaxed); }
    std::uint64_t value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> m_value{0};
};

class Gauge {
public:
    void add(std::int64_t delta) { m_value.fetch_add(delta, std::memory_order_relaxed); }
    void set(std::int64_t value) { m_value.store(value, std::memory_order_relaxed); }
    std::int64_t value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<std::int64_t> m_value{0};
};

class Histogram {
public:
    // Upper bounds, ascending; an implicit +Inf bucket follows the last.
    explicit Histogram(std::vector<double> upperBounds);

    void observe(double value);

    struct Snapshot {
        std::vector<double> upperBounds;
        std::vector<std::uint64_t> cumulativeCounts;  // one per bound, then +Inf
        double sum = 0;
    };
    Snapshot snapshot() const;

private:
    std::vector<double> m_upperBounds;
    std::unique_ptr<std::atomic<std::uint64_t>[]> m_counts;  // per bucket, not cumulative
    std::atomic<double> m_sum{0};
};

// Buckets for request and frame latencies, in seconds: 1 ms to 10 s.
std::vector<double> latencyBucketsSeconds();

class MetricsRegistry {
public:
    MetricsRegistry();
    ~MetricsRegistry();
    MetricsRegistry(const MetricsRegistry &) = delete;
    MetricsRegistry &operator=(const MetricsRegistry &) = delete;

    // Registering the same name and labels again returns the same metric; the same name
    // with another kind, or a name that is not a valid Prometheus name, is a programmer
    // error (std::logic_error).
    Counter &counter(const std::string &name, const std::string &help, const MetricLabels &labels = {});
    Gauge &gauge(const std::string &name, const std::string &help, const MetricLabels &labels = {});
    Histogram &histogram(const std::string &name, const std::string &help, std::vector<double> upperBounds,
                         const MetricLabels &labels = {});

    std::string renderPrometheus() const;

private:
    struct Family;
    Family &family(const std::string &name, const std::string &help, int kind);

    mutable std::mutex m_mutex;
    std::vector<std::unique_ptr<Family>> m_families;  // registration order is render order
};

} // namespace sigess::net
