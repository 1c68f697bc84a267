#include "storage/device_repository.h"

#include "storage/repository_support.h"

namespace sigess::storage {

namespace {

constexpr std::string_view codeColumns = "presidio, kind, issued_by, issued_ms, expires_ms, redeemed_by";

Status readCode(const SqlRow &row, EnrollmentCode &code)
{
    code.presidio = std::string(row.text(0));
    code.kind = static_cast<v1::DeviceKind>(row.int64(1));
    code.issuedBy = std::string(row.text(2));
    code.issuedMs = static_cast<std::uint64_t>(row.int64(3));
    code.expiresMs = static_cast<std::uint64_t>(row.int64(4));
    code.redeemedBy = row.isNull(5) ? std::string() : std::string(row.text(5));
    return {};
}

Result<std::vector<Column>> columnsOf(const v1::Device &device)
{
    const std::string what = "device '" + device.meta().id() + "'";
    SIGESS_TRY(require(!device.meta().id().empty(), what, "an id"));
    SIGESS_TRY(require(!device.meta().presidio().empty(), what, "a presidio"));
    SIGESS_TRY(require(device.kind() != v1::DEVICE_KIND_UNSPECIFIED, what, "a kind"));
    Result<SqlBytes> data = serialized(device);
    if (!data.ok())
        return data.takeError();
    return std::vector<Column>{
        {"presidio", device.meta().presidio()},
        {"kind", static_cast<std::int64_t>(device.kind())},
        {"revoked", device.revoked()},
        {"data", std::move(data).value()},
    };
}

Result<DeviceRecord> readDevice(SqlExecutor &sql, std::string_view where, SqlValue key)
{
    DeviceRecord record;
    Status read = readOne(
        sql, "SELECT data, credential_hash FROM devices WHERE " + std::string(where), {std::move(key)},
        [&](const SqlRow &row) {
            record.credentialHash = row.bytes(1);
            return parseStored(row.bytes(0), record.device);
        },
        "no such device");
    if (!read.ok())
        return read.takeError();
    return record;
}

} // namespace

Status DeviceRepository::createEnrollmentCode(const EnrollmentCode &code)
{
    SIGESS_TRY(require(!code.codeHash.empty(), "an enrollment code", "a code hash"));
    SIGESS_TRY(require(!code.presidio.empty(), "an enrollment code", "a presidio"));
    SIGESS_TRY(require(code.kind != v1::DEVICE_KIND_UNSPECIFIED, "an enrollment code", "a device kind"));
    return insertRow(m_sql, "enrollment_codes",
                     {
                         {"code_hash", SqlBytes{code.codeHash}},
                         {"presidio", code.presidio},
                         {"kind", static_cast<std::int64_t>(code.kind)},
                         {"issued_by", code.issuedBy},
                         {"issued_ms", static_cast<std::int64_t>(code.issuedMs)},
                         {"expires_ms", static_cast<std::int64_t>(code.expiresMs)},
                     },
                     "an enrollment code for presidio '" + code.presidio + "'");
}

Result<EnrollmentCode> DeviceRepository::redeemEnrollmentCode(std::string_view codeHash, std::string_view deviceId,
                                                              std::uint64_t nowMs)
{
    const SqlBytes hash{std::string(codeHash)};
    EnrollmentCode code;
    code.codeHash = std::string(codeHash);
    // One conditional UPDATE: of two concurrent redemptions only one finds the code
    // still unredeemed.
    Status redeemed = readOne(m_sql,
                              "UPDATE enrollment_codes SET redeemed_by = $2 WHERE code_hash = $1"
                              " AND redeemed_by IS NULL AND expires_ms > $3 RETURNING "
                                  + std::string(codeColumns),
                              {hash, deviceId, static_cast<std::int64_t>(nowMs)},
                              [&](const SqlRow &row) { return readCode(row, code); }, "not redeemable");
    if (redeemed.ok() || redeemed.error().code != ErrorCode::NotFound)
        return redeemed.ok() ? Result<EnrollmentCode>(std::move(code)) : Result<EnrollmentCode>(redeemed.takeError());
    // Say why it could not be redeemed.
    Status read = readOne(m_sql, "SELECT " + std::string(codeColumns) + " FROM enrollment_codes WHERE code_hash = $1",
                          {hash}, [&](const SqlRow &row) { return readCode(row, code); },
                          "no such enrollment code");
    if (!read.ok())
        return read.takeError();
    if (!code.redeemedBy.empty())
        return makeError(ErrorCode::Conflict, "the enrollment code was already used");
    return makeError(ErrorCode::Unauthorized, "the enrollment code has expired");
}

Status DeviceRepository::create(const v1::Device &device, std::string_view credentialHash)
{
    Result<std::vector<Column>> columns = columnsOf(device);
    if (!columns.ok())
        return columns.takeError();
    SIGESS_TRY(require(!credentialHash.empty(), "device '" + device.meta().id() + "'", "a credential hash"));
    columns->push_back({"id", device.meta().id()});
    columns->push_back({"credential_hash", SqlBytes{std::string(credentialHash)}});
    return insertRow(m_sql, "devices", *columns, "device '" + device.meta().id() + "'");
}

Status DeviceRepository::update(const v1::Device &device)
{
    Result<std::vector<Column>> columns = columnsOf(device);
    if (!columns.ok())
        return columns.takeError();
    return updateRow(m_sql, "devices", {"id", device.meta().id()}, *columns, "device '" + device.meta().id() + "'");
}

Result<DeviceRecord> DeviceRepository::byId(std::string_view id)
{
    return readDevice(m_sql, "id = $1", id);
}

Result<DeviceRecord> DeviceRepository::byCredentialHash(std::string_view credentialHash)
{
    return readDevice(m_sql, "credential_hash = $1", SqlBytes{std::string(credentialHash)});
}

Result<Page<v1::Device>> DeviceRepository::list(const Scope &scope, const PageRequest &page)
{
    SqlBuilder query("SELECT data, id FROM devices WHERE 1 = 1");
    query.andInScope("presidio", scope);
    return readMessagePage<v1::Device>(m_sql, std::move(query), "id", page);
}

} // namespace sigess::storage
