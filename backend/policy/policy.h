// Authorization in one place. Every API endpoint and every sync scope asks `authorize`
// whether a principal may perform an action on a resource, given the scope attributes of
// the target record; the answer comes from ONE declarative table (`policyTable`) of rows
// role × resource × action → scope rule, which docs/policy.md renders for readers.
// A combination without a row is denied. Access beyond the scope ("break the glass") is
// allowed only where the row says so, only through an active grant that covers the
// target, and the decision says it was used so that the audit log flags it.
//
// Lists: for Action::List the target describes the collection asked for (its presidio,
// municipio or assigned operator), and each record returned must then pass Action::Read.
//
// Thread safety: pure functions over constant data.
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "policy/principal.h"
#include "sigess/v1/common.pb.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sigess::policy {

enum class Resource {
    Citizen,    // the citizen record (with household links and consents)
    Intake,     // an access (check-in) record
    Ticket,     // a queue ticket: numbers, never names
    Case,       // the cartella sociale
    CaseFile,   // parts of a case file: notes, visits, assessments, care plan, interventions
    Operator,
    Device,
    Presidio,
    Audit,
    Catalog,
    Stats,      // aggregate statistics, small cells suppressed
};

enum class Action { Read, List, Create, Update, Assign, Close, Enroll, Revoke, Verify };

// Where the target must lie for a row to allow the action without breaking the glass.
enum class Scope {
    None,             // never in scope: only a break-the-glass grant can open it
    Self,             // the principal's own operator (or device) record
    Assigned,         // the principal is among the target's responsible operators
    AssignedOrQueue,  // Assigned, or unassigned in the principal's presidio (its shared queue)
    Presidio,         // the target belongs to the principal's presidio
    Municipio,        // the target belongs to the principal's municipio
    City,             // anywhere
};

enum class BreakGlass { Never, Allowed };

struct PolicyRule {
    v1::Role role;
    Resource resource;
    Action action;
    Scope scope;
    BreakGlass breakGlass;
};

// The table, ordered by role, then resource, then action; at most one row per triple.
std::span<const PolicyRule> policyTable();

// The row for a triple, if any.
std::optional<PolicyRule> findRule(v1::Role role, Resource resource, Action action);

// The scope attributes of a target record, filled by the caller from the record (and, for
// case-file parts, intakes and citizens, from the cases they belong to).
struct Target {
    std::string id;                              // the record's id (Self compares it)
    std::string presidio;                        // owning presidio code
    std::string municipio;                       // that presidio's municipio code
    // Case and case-file part: the case's responsible operator. Intake and ticket: the
    // responsible operator of the case opened from it; none means it waits in the
    // presidio's shared queue. Citizen: the responsible operators of their cases.
    std::vector<std::string> assignedOperators;
    std::string caseId;                          // the case itself, or the case a part belongs to
    std::string citizen;                         // whose personal record this is
};

struct Decision {
    bool allowed = false;
    bool breakGlassUsed = false;
    std::string reason;            // one sentence for logs, 403 bodies and audit events
    std::string breakGlassReason;  // the grant's written reason, when it was used

    // Forbidden carrying `reason` unless allowed.
    Status status() const;
};

// `clock` decides whether break-the-glass grants are still active.
Decision authorize(const Principal &principal, Resource resource, Action action, const Target &target,
                   const core::Clock &clock);

// Whether the role has any row that lets it break the glass (who may ask for a grant).
bool mayBreakGlass(v1::Role role);

// Records whose every read and write goes to the audit log.
bool isPersonalRecord(Resource resource);

// The resource an entity type falls under for authorization (nullopt: not authorized
// through the table, e.g. ENTITY_TYPE_UNSPECIFIED).
std::optional<Resource> resourceFor(v1::EntityType type);

std::string_view roleName(v1::Role role);  // "operator"
std::string_view resourceName(Resource resource);  // "case_file"
std::string_view actionName(Action action);  // "read"
std::string_view scopeName(Scope scope);  // "assigned_or_queue"

// Every value of each enum, in declaration order (the matrix a reader or test walks).
std::span<const v1::Role> allRoles();
std::span<const Resource> allResources();
std::span<const Action> allActions();

// The table as Markdown (one section per role), the body of docs/policy.md.
std::string policyTableMarkdown();

} // namespace sigess::policy
