#include "audit/access_report.h"

#include "policy/policy.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>

namespace sigess::audit {

namespace {

std::string isoUtc(std::uint64_t ms)
{
    using namespace std::chrono;
    const sys_time<milliseconds> time{milliseconds(ms)};
    const auto day = floor<days>(time);
    const year_month_day date(day);
    const hh_mm_ss clock(floor<seconds>(time - day));
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()));
    return text;
}

// "ENTITY_TYPE_CARE_PLAN_GOAL" -> "care_plan_goal"
std::string entityTypeName(v1::EntityType type)
{
    constexpr std::string_view prefix = "ENTITY_TYPE_";
    std::string name = v1::EntityType_Name(type);
    if (name.starts_with(prefix))
        name.erase(0, prefix.size());
    std::ranges::transform(name, name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name;
}

} // namespace

std::vector<AccessRecord> citizenAccessReport(std::span<const v1::AuditEvent> events, std::string_view citizenId)
{
    std::vector<AccessRecord> records;
    if (citizenId.empty())
        return records;
    for (const v1::AuditEvent &event : events) {
        if (event.citizen() != citizenId)
            continue;
        records.push_back(AccessRecord{event.at_ms(), event.sequence(), event.actor(), event.role(), event.device(),
                                       event.record_type(), event.record_id(), event.action(), event.reason(),
                                       event.break_glass()});
    }
    std::ranges::stable_sort(records, [](const AccessRecord &a, const AccessRecord &b) {
        return std::tie(a.atMs, a.sequence) < std::tie(b.atMs, b.sequence);
    });
    return records;
}

std::string formatAccessReport(std::span<const AccessRecord> records)
{
    std::string out;
    for (const AccessRecord &record : records) {
        out += isoUtc(record.atMs);
        out.append("  ").append(policy::roleName(record.role));
        out.append("  ").append(record.actor);
        out.append("  ").append(record.action).append(" ").append(entityTypeName(record.recordType));
        out.append(" ").append(record.recordId);
        if (!record.device.empty())
            out.append("  device ").append(record.device);
        if (!record.reason.empty())
            out.append("  reason: ").append(record.reason);
        if (record.breakGlass)
            out.append("  [BREAK THE GLASS]");
        out.append("\n");
    }
    return out;
}

} // namespace sigess::audit
