#include "sync/rights_snapshot.h"

namespace sigess::syncserver {

namespace {

// The sums are cast because PostgreSQL widens SUM(BIGINT) to NUMERIC.
constexpr char operatorsQuery[] = R"sql(
SELECT o.id, o.disabled, o.role, o.presidio,
       CAST(COALESCE(s.live, 0) AS BIGINT), CAST(COALESCE(s.ended, 0) AS BIGINT),
       CAST(COALESCE(s.ended_stamps, 0) AS BIGINT)
FROM operators o
LEFT JOIN (SELECT operator_id,
                  SUM(CASE WHEN revoked = 0 THEN 1 ELSE 0 END) AS live,
                  SUM(CASE WHEN revoked = 0 THEN 0 ELSE 1 END) AS ended,
                  SUM(CASE WHEN revoked = 0 THEN 0 ELSE created_ms END) AS ended_stamps
           FROM sessions GROUP BY operator_id) s ON s.operator_id = o.id
)sql";

constexpr char devicesQuery[] = "SELECT id, revoked, presidio FROM devices";

} // namespace

Result<RightsSnapshot> readRights(storage::SqlDatabase &database)
{
    RightsSnapshot snapshot;
    Status operators = database.query(operatorsQuery, {}, [&](const storage::SqlRow &row) -> Status {
        std::string standing = std::to_string(row.int64(1)) + '\t' + std::to_string(row.int64(2)) + '\t'
                               + std::string(row.text(3));
        for (int column = 4; column < 7; ++column)
            standing += '\t' + std::to_string(row.int64(column));
        snapshot.standing.emplace(std::pair{v1::ENTITY_TYPE_OPERATOR, std::string(row.text(0))}, std::move(standing));
        return {};
    });
    if (!operators.ok())
        return operators.takeError();
    Status devices = database.query(devicesQuery, {}, [&](const storage::SqlRow &row) -> Status {
        snapshot.standing.emplace(std::pair{v1::ENTITY_TYPE_DEVICE, std::string(row.text(0))},
                                  std::to_string(row.int64(1)) + '\t' + std::string(row.text(2)));
        return {};
    });
    if (!devices.ok())
        return devices.takeError();
    return snapshot;
}

std::vector<ChangeScope> rightsChangesBetween(const RightsSnapshot &before, const RightsSnapshot &after)
{
    std::vector<ChangeScope> changes;
    for (const auto &[principal, standing] : before.standing) {
        const auto now = after.standing.find(principal);
        if (now == after.standing.end() || now->second != standing)
            changes.push_back(rightsChanged(principal.first, principal.second));
    }
    for (const auto &[principal, standing] : after.standing) {
        if (!before.standing.contains(principal))
            changes.push_back(rightsChanged(principal.first, principal.second));
    }
    return changes;
}

} // namespace sigess::syncserver
