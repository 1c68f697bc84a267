// Intakes (kiosk and desk check-ins), stored whole with the owning presidio
// (meta.presidio) and the citizen as columns. Lists run oldest first: ids are UUIDv7,
// so id order is creation order.
// Thread safety: see operator_repository.h.
#pragma once

#include "core/result.h"
#include "sigess/v1/entities.pb.h"
#include "storage/page.h"
#include "storage/sql.h"

#include <string_view>

namespace sigess::storage {

class IntakeRepository {
public:
    explicit IntakeRepository(SqlExecutor &sql) : m_sql(sql) {}

    // Invalid without meta.id or meta.presidio; Conflict when the id exists.
    Status create(const v1::Intake &intake);
    // Replaces the stored message. NotFound for an unknown id.
    Status update(const v1::Intake &intake);
    Result<v1::Intake> byId(std::string_view id);
    Result<Page<v1::Intake>> listByPresidio(std::string_view presidio, const PageRequest &page);

private:
    SqlExecutor &m_sql;
};

} // namespace sigess::storage
