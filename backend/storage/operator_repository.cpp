#include "storage/operator_repository.h"

#include "storage/repository_support.h"

namespace sigess::storage {

namespace {

constexpr std::string_view selectAccount = "SELECT data, password_hash FROM operators WHERE ";

Result<std::vector<Column>> columnsOf(const v1::Operator &profile)
{
    const std::string what = "operator '" + profile.username() + "'";
    SIGESS_TRY(require(!profile.meta().id().empty(), what, "an id"));
    SIGESS_TRY(require(!profile.username().empty(), what, "a username"));
    SIGESS_TRY(require(profile.role() != v1::ROLE_UNSPECIFIED, what, "a role"));
    Result<SqlBytes> data = serialized(profile);
    if (!data.ok())
        return data.takeError();
    return std::vector<Column>{
        {"username", profile.username()},
        {"presidio", profile.meta().presidio()},
        {"role", static_cast<std::int64_t>(profile.role())},
        {"disabled", profile.disabled()},
        {"data", std::move(data).value()},
    };
}

Result<OperatorAccount> readAccount(SqlExecutor &sql, std::string_view where, std::string_view key)
{
    OperatorAccount account;
    Status read = readOne(
        sql, std::string(selectAccount) + std::string(where), {key},
        [&](const SqlRow &row) {
            account.passwordHash = std::string(row.text(1));
            return parseStored(row.bytes(0), account.profile);
        },
        "no operator '" + std::string(key) + "'");
    if (!read.ok())
        return read.takeError();
    return account;
}

} // namespace

Status OperatorRepository::create(const v1::Operator &profile, std::string_view passwordHash)
{
    Result<std::vector<Column>> columns = columnsOf(profile);
    if (!columns.ok())
        return columns.takeError();
    columns->push_back({"id", profile.meta().id()});
    columns->push_back({"password_hash", passwordHash});
    return insertRow(m_sql, "operators", *columns, "operator '" + profile.username() + "'");
}

Status OperatorRepository::update(const v1::Operator &profile)
{
    Result<std::vector<Column>> columns = columnsOf(profile);
    if (!columns.ok())
        return columns.takeError();
    return updateRow(m_sql, "operators", {"id", profile.meta().id()}, *columns,
                     "operator '" + profile.meta().id() + "'");
}

Status OperatorRepository::setPasswordHash(std::string_view id, std::string_view passwordHash)
{
    return updateRow(m_sql, "operators", {"id", id}, {{"password_hash", passwordHash}},
                     "the password of operator '" + std::string(id) + "'");
}

Result<OperatorAccount> OperatorRepository::byId(std::string_view id)
{
    return readAccount(m_sql, "id = $1", id);
}

Result<OperatorAccount> OperatorRepository::byUsername(std::string_view username)
{
    return readAccount(m_sql, "username = $1", username);
}

Result<Page<v1::Operator>> OperatorRepository::list(const Scope &scope, const PageRequest &page)
{
    SqlBuilder query("SELECT data, username FROM operators WHERE 1 = 1");
    query.andInScope("presidio", scope);
    return readMessagePage<v1::Operator>(m_sql, std::move(query), "username", page);
}

} // namespace sigess::storage
