#include "net/metrics.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>
#include <cmath>
#include <stdexcept>
#include <variant>

namespace sigess::net {

namespace {

enum Kind { CounterKind, GaugeKind, HistogramKind };

constexpr const char *kindNames[] = {"counter", "gauge", "histogram"};

bool isValidName(const std::string &name)
{
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())))
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':';
    });
}

std::string formatNumber(double value)
{
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    // Shortest text that reads back as the same double: "0.0025", not "0.0025000000000000001".
    char text[64];
    const auto end = std::to_chars(std::begin(text), std::end(text), value).ptr;
    return std::string(text, end);
}

std::string escapeLabelValue(const std::string &value)
{
    std::string escaped;
    for (const char c : value) {
        if (c == '\\' || c == '"')
            escaped += '\\';
        if (c == '\n') {
            escaped += "\\n";
            continue;
        }
        escaped += c;
    }
    return escaped;
}

std::string renderLabels(const MetricLabels &labels, const std::pair<std::string, std::string> *extra = nullptr)
{
    if (labels.empty() && !extra)
        return {};
    std::string text = "{";
    bool first = true;
    auto append = [&](const std::pair<std::string, std::string> &label) {
        if (!first)
            text += ',';
        first = false;
        text += label.first + "=\"" + escapeLabelValue(label.second) + '"';
    };
    for (const auto &label : labels)
        append(label);
    if (extra)
        append(*extra);
    return text + '}';
}

} // namespace

Histogram::Histogram(std::vector<double> upperBounds)
    : m_upperBounds(std::move(upperBounds)),
      m_counts(std::make_unique<std::atomic<std::uint64_t>[]>(m_upperBounds.size() + 1))
{
    if (!std::is_sorted(m_upperBounds.begin(), m_upperBounds.end()))
        throw std::logic_error("histogram bounds must be ascending");
}

void Histogram::observe(double value)
{
    const auto bucket = static_cast<std::size_t>(
        std::lower_bound(m_upperBounds.begin(), m_upperBounds.end(), value) - m_upperBounds.begin());
    m_counts[bucket].fetch_add(1, std::memory_order_relaxed);
    m_sum.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const
{
    Snapshot snapshot;
    snapshot.upperBounds = m_upperBounds;
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= m_upperBounds.size(); ++i) {
        running += m_counts[i].load(std::memory_order_relaxed);
        snapshot.cumulativeCounts.push_back(running);
    }
    snapshot.sum = m_sum.load(std::memory_order_relaxed);
    return snapshot;
}

std::vector<double> latencyBucketsSeconds()
{
    return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

struct MetricsRegistry::Family {
    std::string name;
    std::string help;
    int kind = CounterKind;
    struct Series {
        MetricLabels labels;
        std::variant<std::unique_ptr<Counter>, std::unique_ptr<Gauge>, std::unique_ptr<Histogram>> metric;
    };
    std::vector<Series> series;

    Series *find(const MetricLabels &labels)
    {
        for (auto &entry : series) {
            if (entry.labels == labels)
                return &entry;
        }
        return nullptr;
    }
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Family &MetricsRegistry::family(const std::string &name, const std::string &help, int kind)
{
    if (!isValidName(name))
        throw std::logic_error("invalid metric name: " + name);
    for (auto &existing : m_families) {
        if (existing->name != name)
            continue;
        if (existing->kind != kind)
            throw std::logic_error("metric " + name + " registered with two kinds");
        return *existing;
    }
    m_families.push_back(std::make_unique<Family>(Family{name, help, kind, {}}));
    return *m_families.back();
}

Counter &MetricsRegistry::counter(const std::string &name, const std::string &help, const MetricLabels &labels)
{
    const std::lock_guard lock(m_mutex);
    auto &entries = family(name, help, CounterKind);
    if (auto *existing = entries.find(labels))
        return *std::get<std::unique_ptr<Counter>>(existing->metric);
    entries.series.push_back({labels, std::make_unique<Counter>()});
    return *std::get<std::unique_ptr<Counter>>(entries.series.back().metric);
}

Gauge &MetricsRegistry::gauge(const std::string &name, const std::string &help, const MetricLabels &labels)
{
    const std::lock_guard lock(m_mutex);
    auto &entries = family(name, help, GaugeKind);
    if (auto *existing = entries.find(labels))
        return *std::get<std::unique_ptr<Gauge>>(existing->metric);
    entries.series.push_back({labels, std::make_unique<Gauge>()});
    return *std::get<std::unique_ptr<Gauge>>(entries.series.back().metric);
}

Histogram &MetricsRegistry::histogram(const std::string &name, const std::string &help,
                                      std::vector<double> upperBounds, const MetricLabels &labels)
{
    const std::lock_guard lock(m_mutex);
    auto &entries = family(name, help, HistogramKind);
    if (auto *existing = entries.find(labels))
        return *std::get<std::unique_ptr<Histogram>>(existing->metric);
    entries.series.push_back({labels, std::make_unique<Histogram>(std::move(upperBounds))});
    return *std::get<std::unique_ptr<Histogram>>(entries.series.back().metric);
}

std::string MetricsRegistry::renderPrometheus() const
{
    const std::lock_guard lock(m_mutex);
    std::string text;
    for (const auto &entries : m_families) {
        text += "# HELP " + entries->name + ' ' + entries->help + '\n';
        text += "# TYPE " + entries->name + ' ' + kindNames[entries->kind] + '\n';
        for (const auto &series : entries->series) {
            if (const auto *counter = std::get_if<std::unique_ptr<Counter>>(&series.metric)) {
                text += entries->name + renderLabels(series.labels) + ' ' + std::to_string((*counter)->value()) + '\n';
            } else if (const auto *gauge = std::get_if<std::unique_ptr<Gauge>>(&series.metric)) {
                text += entries->name + renderLabels(series.labels) + ' ' + std::to_string((*gauge)->value()) + '\n';
            } else {
                const auto snapshot = std::get<std::unique_ptr<Histogram>>(series.metric)->snapshot();
                for (std::size_t i = 0; i < snapshot.cumulativeCounts.size(); ++i) {
                    const double bound = i < snapshot.upperBounds.size() ? snapshot.upperBounds[i] : INFINITY;
                    const std::pair<std::string, std::string> le{"le", formatNumber(bound)};
                    text += entries->name + "_bucket" + renderLabels(series.labels, &le) + ' '
                            + std::to_string(snapshot.cumulativeCounts[i]) + '\n';
                }
                text += entries->name + "_sum" + renderLabels(series.labels) + ' ' + formatNumber(snapshot.sum) + '\n';
                text += entries->name + "_count" + renderLabels(series.labels) + ' '
                        + std::to_string(snapshot.cumulativeCounts.back()) + '\n';
            }
        }
    }
    return text;
}

} // namespace sigess::net
