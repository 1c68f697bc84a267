#include "storage/intake_repository.h"

#include "storage/repository_support.h"

namespace sigess::storage {

namespace {

Result<std::vector<Column>> columnsOf(const v1::Intake &intake)
{
    const std::string what = "intake '" + intake.meta().id() + "'";
    SIGESS_TRY(require(!intake.meta().id().empty(), what, "an id"));
    SIGESS_TRY(require(!intake.meta().presidio().empty(), what, "a presidio"));
    Result<SqlBytes> data = serialized(intake);
    if (!data.ok())
        return data.takeError();
    return std::vector<Column>{
        {"presidio", intake.meta().presidio()},
        {"citizen", intake.citizen()},
        {"data", std::move(data).value()},
    };
}

} // namespace

Status IntakeRepository::create(const v1::Intake &intake)
{
    Result<std::vector<Column>> columns = columnsOf(intake);
    if (!columns.ok())
        return columns.takeError();
    columns->push_back({"id", intake.meta().id()});
    return insertRow(m_sql, "intakes", *columns, "intake '" + intake.meta().id() + "'");
}

Status IntakeRepository::update(const v1::Intake &intake)
{
    Result<std::vector<Column>> columns = columnsOf(intake);
    if (!columns.ok())
        return columns.takeError();
    return updateRow(m_sql, "intakes", {"id", intake.meta().id()}, *columns, "intake '" + intake.meta().id() + "'");
}

Status IntakeRepository::storeAll(std::span<const v1::Intake *const> intakes, OnKeyConflict onConflict)
{
    return storeRecords(m_sql, "intakes", intakes, onConflict, columnsOf, std::to_string(intakes.size()) + " intakes");
}

Result<v1::Intake> IntakeRepository::byId(std::string_view id)
{
    return readMessage<v1::Intake>(m_sql, "SELECT data FROM intakes WHERE id = $1", {id},
                                   "no intake '" + std::string(id) + "'");
}

Result<Page<v1::Intake>> IntakeRepository::listByPresidio(std::string_view presidio, const PageRequest &page)
{
    SqlBuilder query("SELECT data, id FROM intakes WHERE 1 = 1");
    query.andInScope("presidio", Scope::presidio(std::string(presidio)));
    return readMessagePage<v1::Intake>(m_sql, std::move(query), "id", page);
}

} // namespace sigess::storage
