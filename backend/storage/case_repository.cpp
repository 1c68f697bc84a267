#include "storage/case_repository.h"

#include "storage/repository_support.h"

namespace sigess::storage {

namespace {

Result<std::vector<Column>> columnsOf(const v1::Case &caseRecord)
{
    const std::string what = "case '" + caseRecord.meta().id() + "'";
    SIGESS_TRY(require(!caseRecord.meta().id().empty(), what, "an id"));
    SIGESS_TRY(require(!caseRecord.meta().presidio().empty(), what, "a presidio"));
    SIGESS_TRY(require(!caseRecord.citizen().empty(), what, "a citizen"));
    Result<SqlBytes> data = serialized(caseRecord);
    if (!data.ok())
        return data.takeError();
    return std::vector<Column>{
        {"presidio", caseRecord.meta().presidio()},
        {"citizen", caseRecord.citizen()},
        {"responsible_operator", caseRecord.responsible_operator()},
        {"state", caseRecord.state()},
        {"data", std::move(data).value()},
    };
}

} // namespace

Status CaseRepository::create(const v1::Case &caseRecord)
{
    Result<std::vector<Column>> columns = columnsOf(caseRecord);
    if (!columns.ok())
        return columns.takeError();
    columns->push_back({"id", caseRecord.meta().id()});
    return insertRow(m_sql, "cases", *columns, "case '" + caseRecord.meta().id() + "'");
}

Status CaseRepository::update(const v1::Case &caseRecord)
{
    Result<std::vector<Column>> columns = columnsOf(caseRecord);
    if (!columns.ok())
        return columns.takeError();
    return updateRow(m_sql, "cases", {"id", caseRecord.meta().id()}, *columns,
                     "case '" + caseRecord.meta().id() + "'");
}

Status CaseRepository::storeAll(std::span<const v1::Case *const> cases, OnKeyConflict onConflict)
{
    return storeRecords(m_sql, "cases", cases, onConflict, columnsOf, std::to_string(cases.size()) + " cases");
}

Result<v1::Case> CaseRepository::byId(std::string_view id)
{
    return readMessage<v1::Case>(m_sql, "SELECT data FROM cases WHERE id = $1", {id},
                                 "no case '" + std::string(id) + "'");
}

Result<Page<v1::Case>> CaseRepository::list(const CaseFilter &filter, const PageRequest &page)
{
    SqlBuilder query("SELECT data, id FROM cases WHERE 1 = 1");
    query.andInScope("presidio", filter.scope);
    const Column narrowing[] = {
        {"responsible_operator", filter.responsibleOperator},
        {"citizen", filter.citizen},
        {"state", filter.state},
    };
    for (const Column &column : narrowing) {
        if (!column.value.text().empty())
            query.append(" AND ").append(column.name).append(" = ").append(query.bind(column.value));
    }
    return readMessagePage<v1::Case>(m_sql, std::move(query), "id", page);
}

} // namespace sigess::storage
