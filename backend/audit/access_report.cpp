#include "audit/access_report.h"

#include "core/text_codec.h"
#include "policy/policy.h"

#include <algorithm>
#include <cctype>

namespace sigess::audit {

namespace {

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
        const auto access = [&](v1::EntityType type, const std::string &id) {
            records.push_back(AccessRecord{event.at_ms(), event.sequence(), event.actor(), event.role(), event.device(),
                                           type, id, event.action(), event.reason(), event.break_glass()});
        };
        access(event.record_type(), event.record_id());
        for (const v1::AuditedRecord &also : event.also_records())
            access(also.type(), also.id());
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
        out += core::isoDateTime(record.atMs);
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
