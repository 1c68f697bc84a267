// Enrolled devices and the one-time codes that enroll them. A code is stored as its
// hash, bound to a presidio and a device kind, and can be redeemed exactly once before
// it expires, even by concurrent callers. A device's credential is stored as its hash
// beside the Device message; kind, presidio (meta.presidio) and revoked are columns.
// Thread safety: see operator_repository.h.
#pragma once

#include "core/result.h"
#include "sigess/v1/entities.pb.h"
#include "storage/page.h"
#include "storage/scope.h"
#include "storage/sql.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace sigess::storage {

struct EnrollmentCode {
    std::string codeHash;    // raw hash bytes of the code
    std::string presidio;
    v1::DeviceKind kind = v1::DEVICE_KIND_UNSPECIFIED;
    std::string issuedBy;    // operator id of the admin
    std::uint64_t issuedMs = 0;
    std::uint64_t expiresMs = 0;
    std::string redeemedBy;  // device id; empty until redeemed
};

struct DeviceRecord {
    v1::Device device;
    std::string credentialHash;  // raw hash bytes of the device credential
};

class DeviceRepository {
public:
    explicit DeviceRepository(SqlExecutor &sql) : m_sql(sql) {}

    // Invalid without a hash, a presidio or a kind; Conflict when the hash exists.
    Status createEnrollmentCode(const EnrollmentCode &code);
    // Marks the code redeemed by deviceId and returns it, in one statement so that
    // two concurrent redemptions cannot both succeed. NotFound for an unknown code,
    // Conflict for one already redeemed, Unauthorized for one expired at nowMs.
    Result<EnrollmentCode> redeemEnrollmentCode(std::string_view codeHash,
                                                std::string_view deviceId, std::uint64_t nowMs);

    // Invalid without meta.id, meta.presidio or a kind; Conflict when the id or the
    // credential hash exists.
    Status create(const v1::Device &device, std::string_view credentialHash);
    // Replaces the stored message (label, revoked, last seen...), keeping the
    // credential. NotFound for an unknown id.
    Status update(const v1::Device &device);
    Result<DeviceRecord> byId(std::string_view id);
    Result<DeviceRecord> byCredentialHash(std::string_view credentialHash);
    // The devices of a scope, ordered by id (so by enrollment time: ids are UUIDv7).
    Result<Page<v1::Device>> list(const Scope &scope, const PageRequest &page);

private:
    SqlExecutor &m_sql;
};

} // namespace sigess::storage
