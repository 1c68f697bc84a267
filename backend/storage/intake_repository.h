// Intakes (kiosk and desk check-ins), stored whole with the owning presidio
// (meta.presidio) and the citizen as columns. Lists run oldest first: ids are UUIDv7,
// so id order is creation order.
// Thread safety: see operator_repository.h.
#pragma once

#include "core/result.h"
#include "sigess/v1/entities.pb.h"
#include "storage/bulk_sql.h"
#include "storage/page.h"
#include "storage/sql.h"

#include <span>
#include <string_view>

namespace sigess::storage {

class IntakeRepository {
public:
    explicit IntakeRepository(SqlExecutor &sql) : m_sql(sql) {}

    // Invalid without meta.id or meta.presidio; Conflict when the id exists.
    Status create(const v1::Intake &intake);
    // Replaces the stored message. NotFound for an unknown id.
    Status update(const v1::Intake &intake);
    // Stores many at once, in one statement on PostgreSQL (a few on the embedded store):
    // OnKeyConflict::Fail as create() for each, Replace as update() or, for an id not
    // stored, create(). Invalid for the first that create() would refuse so, before
    // anything is written; Conflict as create() for any of them.
    Status storeAll(std::span<const v1::Intake *const> intakes, OnKeyConflict onConflict);
    Result<v1::Intake> byId(std::string_view id);
    Result<Page<v1::Intake>> listByPresidio(std::string_view presidio, const PageRequest &page);

private:
    SqlExecutor &m_sql;
};

} // namespace sigess::storage
