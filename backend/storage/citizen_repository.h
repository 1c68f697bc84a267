// Citizens (the cartella's person), stored whole as their Citizen message with the
// columns a search needs: the owning presidio (meta.presidio), the codice fiscale and
// two name keys (family-given and given-family, lower-cased, spaces collapsed).
//
// search() matches citizens whose name key, either way round, starts with the query
// text (so "rossi m" and "mario r" both find Mario Rossi), or whose codice fiscale
// starts with it (upper-cased); an empty text lists the whole scope. It never returns
// a citizen outside the scope, whatever the text or the cursor. Results are ordered by
// family-given name key, then id; pages follow page.h.
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

struct CitizenSearch {
    static constexpr std::size_t maxTextBytes = 200;

    std::string text;  // a name prefix or a codice fiscale prefix; Invalid if longer than maxTextBytes
    Scope scope;
};

class CitizenRepository {
public:
    explicit CitizenRepository(SqlExecutor &sql) : m_sql(sql) {}

    // Invalid without meta.id or meta.presidio; Conflict when the id, or a non-empty
    // codice fiscale, is already recorded.
    Status create(const v1::Citizen &citizen);
    // Replaces the stored message. NotFound for an unknown id; Conflict as for create.
    Status update(const v1::Citizen &citizen);
    // Stores many at once, in one statement on PostgreSQL (a few on the embedded store):
    // OnKeyConflict::Fail as create() for each, Replace as update() or, for an id not
    // stored, create(). Invalid for the first that create() would refuse so, before
    // anything is written; Conflict as create() for any of them.
    Status storeAll(std::span<const v1::Citizen *const> citizens, OnKeyConflict onConflict);
    Result<v1::Citizen> byId(std::string_view id);
    // NotFound when no citizen has this codice fiscale.
    Result<v1::Citizen> byCodiceFiscale(std::string_view codiceFiscale);
    Result<Page<v1::Citizen>> search(const CitizenSearch &search, const PageRequest &page);

private:
    SqlExecutor &m_sql;
};

} // namespace sigess::storage
