#include "storage/presidio_repository.h"

#include "storage/repository_support.h"

namespace sigess::storage {

Status PresidioRepository::upsert(const v1::Presidio &presidio)
{
    const std::string what = "presidio '" + presidio.code() + "'";
    SIGESS_TRY(require(!presidio.code().empty(), what, "a code"));
    SIGESS_TRY(require(!presidio.municipio().empty(), what, "a municipio"));
    Result<SqlBytes> data = serialized(presidio);
    if (!data.ok())
        return data.takeError();
    Result<std::int64_t> written = m_sql.execute(
        "INSERT INTO presidi (code, municipio, data) VALUES ($1, $2, $3)"
        " ON CONFLICT (code) DO UPDATE SET municipio = excluded.municipio, data = excluded.data",
        {presidio.code(), presidio.municipio(), std::move(data).value()});
    if (!written.ok())
        return inContext(written.takeError(), "cannot store " + what);
    return {};
}

Result<v1::Presidio> PresidioRepository::byCode(std::string_view code)
{
    return readMessage<v1::Presidio>(m_sql, "SELECT data FROM presidi WHERE code = $1", {code},
                                     "no presidio '" + std::string(code) + "'");
}

Result<std::vector<v1::Presidio>> PresidioRepository::list(const Scope &scope)
{
    SqlBuilder query("SELECT data FROM presidi WHERE 1 = 1");
    query.andInScope("code", scope);
    query.append(" ORDER BY code");
    std::vector<v1::Presidio> presidi;
    Status read = m_sql.query(query.sql(), query.params(), [&](const SqlRow &row) {
        return parseStored(row.bytes(0), presidi.emplace_back());
    });
    if (!read.ok())
        return read.takeError();
    return presidi;
}

} // namespace sigess::storage
