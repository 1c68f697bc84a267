// Cases (cartelle sociali), stored whole with the owning presidio (meta.presidio),
// the citizen, the responsible operator and the state as columns. Lists run oldest
// first (id order; ids are UUIDv7).
// Thread safety: see operator_repository.h.
#pragma once

#include "core/result.h"
#include "sigess/v1/entities.pb.h"
#include "storage/bulk_sql.h"
#include "storage/page.h"
#include "storage/scope.h"
#include "storage/sql.h"

#include <string>
#include <span>
#include <string_view>

namespace sigess::storage {

// Every non-empty field narrows the list; the scope always applies.
struct CaseFilter {
    Scope scope;
    std::string responsibleOperator;
    std::string citizen;
    std::string state;  // CASE_STATE catalog code
};

class CaseRepository {
public:
    explicit CaseRepository(SqlExecutor &sql) : m_sql(sql) {}

    // Invalid without meta.id, meta.presidio or a citizen; Conflict when the id exists.
    Status create(const v1::Case &caseRecord);
    // Replaces the stored message (state, responsible operator, closure...). Whether a
    // transition is allowed is the caller's rule. NotFound for an unknown id.
    Status update(const v1::Case &caseRecord);
    // Stores many at once, in one statement on PostgreSQL (a few on the embedded store):
    // OnKeyConflict::Fail as create() for each, Replace as update() or, for an id not
    // stored, create(). Invalid for the first that create() would refuse so, before
    // anything is written; Conflict as create() for any of them.
    Status storeAll(std::span<const v1::Case *const> cases, OnKeyConflict onConflict);
    Result<v1::Case> byId(std::string_view id);
    Result<Page<v1::Case>> list(const CaseFilter &filter, const PageRequest &page);

private:
    SqlExecutor &m_sql;
};

} // namespace sigess::storage
