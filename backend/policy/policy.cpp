#include "policy/policy.h"

#include <algorithm>
#include <array>
#include <tuple>

namespace sigess::policy {

namespace {

using v1::Role;
using A = Action;
using R = Resource;
using S = Scope;
constexpr BreakGlass glass = BreakGlass::Allowed;
constexpr BreakGlass noGlass = BreakGlass::Never;

// The policy. DESIGN.md's scopes: a kiosk is write-only (intakes, its presidio's ticket
// queue of numbers); an operator works on the cases assigned to them and their presidio's
// shared queue; a coordinator on their presidio; a supervisor on city-wide aggregates and,
// only by breaking the glass, on records; an admin on operators, devices and presidi but
// never on citizen records; an auditor on the audit log.
constexpr std::array kTable = {
    PolicyRule{Role::ROLE_KIOSK, R::Intake, A::Create, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_KIOSK, R::Ticket, A::List, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_KIOSK, R::Ticket, A::Create, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_KIOSK, R::Device, A::Read, S::Self, noGlass},
    PolicyRule{Role::ROLE_KIOSK, R::Catalog, A::Read, S::City, noGlass},

    PolicyRule{Role::ROLE_OPERATOR, R::Citizen, A::Read, S::AssignedOrQueue, glass},
    PolicyRule{Role::ROLE_OPERATOR, R::Citizen, A::List, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Citizen, A::Create, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Citizen, A::Update, S::AssignedOrQueue, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Intake, A::Read, S::AssignedOrQueue, glass},
    PolicyRule{Role::ROLE_OPERATOR, R::Intake, A::List, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Intake, A::Create, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Intake, A::Update, S::AssignedOrQueue, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Ticket, A::Read, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Ticket, A::List, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Ticket, A::Create, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Ticket, A::Update, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Case, A::Read, S::AssignedOrQueue, glass},
    PolicyRule{Role::ROLE_OPERATOR, R::Case, A::List, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Case, A::Create, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Case, A::Update, S::Assigned, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Case, A::Assign, S::AssignedOrQueue, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Case, A::Close, S::Assigned, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::CaseFile, A::Read, S::Assigned, glass},
    PolicyRule{Role::ROLE_OPERATOR, R::CaseFile, A::List, S::Assigned, glass},
    PolicyRule{Role::ROLE_OPERATOR, R::CaseFile, A::Create, S::Assigned, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::CaseFile, A::Update, S::Assigned, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Operator, A::Read, S::Self, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Operator, A::List, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Presidio, A::Read, S::City, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Presidio, A::List, S::City, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Catalog, A::Read, S::City, noGlass},
    PolicyRule{Role::ROLE_OPERATOR, R::Stats, A::Read, S::Presidio, noGlass},

    PolicyRule{Role::ROLE_COORDINATOR, R::Citizen, A::Read, S::Presidio, glass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Citizen, A::List, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Citizen, A::Create, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Citizen, A::Update, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Intake, A::Read, S::Presidio, glass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Intake, A::List, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Intake, A::Create, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Intake, A::Update, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Ticket, A::Read, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Ticket, A::List, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Ticket, A::Create, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Ticket, A::Update, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Case, A::Read, S::Presidio, glass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Case, A::List, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Case, A::Create, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Case, A::Update, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Case, A::Assign, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Case, A::Close, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::CaseFile, A::Read, S::Presidio, glass},
    PolicyRule{Role::ROLE_COORDINATOR, R::CaseFile, A::List, S::Presidio, glass},
    PolicyRule{Role::ROLE_COORDINATOR, R::CaseFile, A::Create, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::CaseFile, A::Update, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Operator, A::Read, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Operator, A::List, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Device, A::Read, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Device, A::List, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Device, A::Revoke, S::Presidio, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Presidio, A::Read, S::City, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Presidio, A::List, S::City, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Catalog, A::Read, S::City, noGlass},
    PolicyRule{Role::ROLE_COORDINATOR, R::Stats, A::Read, S::Municipio, noGlass},

    PolicyRule{Role::ROLE_SUPERVISOR, R::Citizen, A::Read, S::None, glass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::Citizen, A::List, S::None, glass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::Intake, A::Read, S::None, glass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::Intake, A::List, S::None, glass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::Ticket, A::Read, S::City, noGlass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::Ticket, A::List, S::City, noGlass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::Case, A::Read, S::None, glass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::Case, A::List, S::None, glass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::CaseFile, A::Read, S::None, glass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::CaseFile, A::List, S::None, glass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::Operator, A::Read, S::City, noGlass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::Operator, A::List, S::City, noGlass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::Device, A::Read, S::City, noGlass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::Device, A::List, S::City, noGlass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::Presidio, A::Read, S::City, noGlass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::Presidio, A::List, S::City, noGlass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::Catalog, A::Read, S::City, noGlass},
    PolicyRule{Role::ROLE_SUPERVISOR, R::Stats, A::Read, S::City, noGlass},

    PolicyRule{Role::ROLE_ADMIN, R::Operator, A::Read, S::City, noGlass},
    PolicyRule{Role::ROLE_ADMIN, R::Operator, A::List, S::City, noGlass},
    PolicyRule{Role::ROLE_ADMIN, R::Operator, A::Create, S::City, noGlass},
    PolicyRule{Role::ROLE_ADMIN, R::Operator, A::Update, S::City, noGlass},
    PolicyRule{Role::ROLE_ADMIN, R::Device, A::Read, S::City, noGlass},
    PolicyRule{Role::ROLE_ADMIN, R::Device, A::List, S::City, noGlass},
    PolicyRule{Role::ROLE_ADMIN, R::Device, A::Enroll, S::City, noGlass},
    PolicyRule{Role::ROLE_ADMIN, R::Device, A::Revoke, S::City, noGlass},
    PolicyRule{Role::ROLE_ADMIN, R::Presidio, A::Read, S::City, noGlass},
    PolicyRule{Role::ROLE_ADMIN, R::Presidio, A::List, S::City, noGlass},
    PolicyRule{Role::ROLE_ADMIN, R::Presidio, A::Create, S::City, noGlass},
    PolicyRule{Role::ROLE_ADMIN, R::Presidio, A::Update, S::City, noGlass},
    PolicyRule{Role::ROLE_ADMIN, R::Catalog, A::Read, S::City, noGlass},
    PolicyRule{Role::ROLE_ADMIN, R::Catalog, A::Update, S::City, noGlass},

    PolicyRule{Role::ROLE_AUDITOR, R::Operator, A::Read, S::Self, noGlass},
    PolicyRule{Role::ROLE_AUDITOR, R::Audit, A::Read, S::City, noGlass},
    PolicyRule{Role::ROLE_AUDITOR, R::Audit, A::List, S::City, noGlass},
    PolicyRule{Role::ROLE_AUDITOR, R::Audit, A::Verify, S::City, noGlass},
    PolicyRule{Role::ROLE_AUDITOR, R::Catalog, A::Read, S::City, noGlass},
};

constexpr auto ruleKey(const PolicyRule &rule)
{
    return std::tuple(static_cast<int>(rule.role), static_cast<int>(rule.resource), static_cast<int>(rule.action));
}

// The ordering is what makes "at most one row per triple" checkable at compile time, and
// it keeps docs/policy.md stable as rows are added.
constexpr bool tableIsStrictlyOrdered()
{
    for (std::size_t i = 1; i < kTable.size(); ++i) {
        if (!(ruleKey(kTable[i - 1]) < ruleKey(kTable[i])))
            return false;
    }
    return true;
}
static_assert(tableIsStrictlyOrdered(), "policy rows must be ordered by role, resource, action and unique");

// Self compares the target's id with the principal's own operator or device id, which is
// meaningful only for those two resources.
constexpr bool selfOnlyOnIdentities()
{
    return std::ranges::all_of(kTable, [](const PolicyRule &rule) {
        return rule.scope != Scope::Self || rule.resource == Resource::Operator || rule.resource == Resource::Device;
    });
}
static_assert(selfOnlyOnIdentities(), "the Self scope applies to operator and device records only");

// A row that can only be opened by breaking the glass must say so; a Never row with scope
// None would be a row that allows nothing, which belongs out of the table.
constexpr bool noEmptyRows()
{
    return std::ranges::none_of(
        kTable, [](const PolicyRule &rule) { return rule.scope == Scope::None && rule.breakGlass == BreakGlass::Never; });
}
static_assert(noEmptyRows(), "a row with scope None must allow breaking the glass");

constexpr std::array kRoles = {Role::ROLE_KIOSK,      Role::ROLE_OPERATOR, Role::ROLE_COORDINATOR,
                               Role::ROLE_SUPERVISOR, Role::ROLE_ADMIN,    Role::ROLE_AUDITOR};
constexpr std::array kResources = {R::Citizen,  R::Intake, R::Ticket,   R::Case,  R::CaseFile, R::Operator,
                                   R::Device,   R::Presidio, R::Audit, R::Catalog, R::Stats};
constexpr std::array kActions = {A::Read,   A::List,   A::Create, A::Update, A::Assign,
                                 A::Close,  A::Enroll, A::Revoke, A::Verify};

bool contains(const std::vector<std::string> &values, const std::string &value)
{
    return !value.empty() && std::ranges::find(values, value) != values.end();
}

bool sameNonEmpty(const std::string &a, const std::string &b)
{
    return !a.empty() && a == b;
}

bool inScope(Scope scope, const Principal &principal, Resource resource, const Target &target)
{
    switch (scope) {
    case Scope::None:
        return false;
    case Scope::Self:
        return sameNonEmpty(target.id, resource == Resource::Device ? principal.deviceId : principal.operatorId);
    case Scope::Assigned:
        return contains(target.assignedOperators, principal.operatorId);
    case Scope::AssignedOrQueue:
        return contains(target.assignedOperators, principal.operatorId)
               || (target.assignedOperators.empty() && sameNonEmpty(target.presidio, principal.presidio));
    case Scope::Presidio:
        return sameNonEmpty(target.presidio, principal.presidio);
    case Scope::Municipio:
        return sameNonEmpty(target.municipio, principal.municipio);
    case Scope::City:
        return true;
    }
    return false;
}

bool grantCovers(const BreakGlassGrant &grant, const Target &target)
{
    switch (grant.scope) {
    case GrantScope::Citizen:
        return sameNonEmpty(target.citizen, grant.subject);
    case GrantScope::Case:
        return sameNonEmpty(target.caseId, grant.subject);
    case GrantScope::Presidio:
        return sameNonEmpty(target.presidio, grant.subject);
    }
    return false;
}

std::string describeRequest(v1::Role role, Resource resource, Action action)
{
    std::string text;
    text.append(roleName(role)).append(" may ");
    text.append(actionName(action)).append(" ").append(resourceName(resource));
    return text;
}

Decision deny(std::string reason)
{
    return Decision{false, false, std::move(reason), {}};
}

} // namespace

std::string_view grantScopeName(GrantScope scope)
{
    switch (scope) {
    case GrantScope::Citizen: return "citizen";
    case GrantScope::Case: return "case";
    case GrantScope::Presidio: return "presidio";
    }
    return "unknown";
}

std::span<const PolicyRule> policyTable()
{
    return kTable;
}

std::optional<PolicyRule> findRule(v1::Role role, Resource resource, Action action)
{
    const auto key = std::tuple(static_cast<int>(role), static_cast<int>(resource), static_cast<int>(action));
    const auto it = std::ranges::lower_bound(kTable, key, std::less<>{}, ruleKey);
    if (it == kTable.end() || ruleKey(*it) != key)
        return std::nullopt;
    return *it;
}

Status Decision::status() const
{
    if (allowed)
        return {};
    return makeError(ErrorCode::Forbidden, reason);
}

Decision authorize(const Principal &principal, Resource resource, Action action, const Target &target,
                   const core::Clock &clock)
{
    switch (principal.standing) {
    case Standing::Active:
        break;
    case Standing::OperatorDisabled:
        return deny("the operator account is disabled");
    case Standing::DeviceRevoked:
        return deny("the device is revoked");
    }

    const auto rule = findRule(principal.role, resource, action);
    if (!rule) {
        std::string reason(roleName(principal.role));
        reason.append(" may never ").append(actionName(action)).append(" ").append(resourceName(resource));
        return deny(std::move(reason));
    }

    if (inScope(rule->scope, principal, resource, target)) {
        return Decision{true, false,
                        describeRequest(principal.role, resource, action) + " within scope "
                            + std::string(scopeName(rule->scope)),
                        {}};
    }

    if (rule->breakGlass == BreakGlass::Allowed && !principal.operatorId.empty()) {
        const std::uint64_t now = clock.nowMs();
        for (const BreakGlassGrant &grant : principal.grants) {
            if (grant.holder == principal.operatorId && grant.activeAt(now) && grantCovers(grant, target)) {
                return Decision{true, true,
                                describeRequest(principal.role, resource, action) + " by breaking the glass on "
                                    + std::string(grantScopeName(grant.scope)) + " " + grant.subject,
                                grant.reason};
            }
        }
    }

    std::string reason = "the " + std::string(resourceName(resource)) + " is outside the "
                         + std::string(scopeName(rule->scope)) + " scope of a " + std::string(roleName(principal.role));
    if (rule->breakGlass == BreakGlass::Allowed)
        reason += "; breaking the glass with a written reason would allow it";
    return deny(std::move(reason));
}

bool mayBreakGlass(v1::Role role)
{
    return std::ranges::any_of(
        kTable, [role](const PolicyRule &rule) { return rule.role == role && rule.breakGlass == BreakGlass::Allowed; });
}

bool isPersonalRecord(Resource resource)
{
    switch (resource) {
    case Resource::Citizen:
    case Resource::Intake:
    case Resource::Case:
    case Resource::CaseFile:
        return true;
    case Resource::Ticket:
    case Resource::Operator:
    case Resource::Device:
    case Resource::Presidio:
    case Resource::Audit:
    case Resource::Catalog:
    case Resource::Stats:
        return false;
    }
    return false;
}

std::optional<Resource> resourceFor(v1::EntityType type)
{
    switch (type) {
    case v1::ENTITY_TYPE_CITIZEN:
    case v1::ENTITY_TYPE_HOUSEHOLD_LINK:
    case v1::ENTITY_TYPE_CONSENT:
        return Resource::Citizen;
    case v1::ENTITY_TYPE_INTAKE:
        return Resource::Intake;
    case v1::ENTITY_TYPE_TICKET:
        return Resource::Ticket;
    case v1::ENTITY_TYPE_CASE:
        return Resource::Case;
    case v1::ENTITY_TYPE_ASSESSMENT:
    case v1::ENTITY_TYPE_VISIT:
    case v1::ENTITY_TYPE_NOTE:
    case v1::ENTITY_TYPE_CARE_PLAN_GOAL:
    case v1::ENTITY_TYPE_INTERVENTION:
        return Resource::CaseFile;
    case v1::ENTITY_TYPE_OPERATOR:
        return Resource::Operator;
    case v1::ENTITY_TYPE_DEVICE:
        return Resource::Device;
    case v1::ENTITY_TYPE_PRESIDIO:
        return Resource::Presidio;
    case v1::ENTITY_TYPE_AUDIT_EVENT:
        return Resource::Audit;
    default:
        return std::nullopt;
    }
}

std::string_view roleName(v1::Role role)
{
    switch (role) {
    case v1::ROLE_KIOSK: return "kiosk";
    case v1::ROLE_OPERATOR: return "operator";
    case v1::ROLE_COORDINATOR: return "coordinator";
    case v1::ROLE_SUPERVISOR: return "supervisor";
    case v1::ROLE_ADMIN: return "admin";
    case v1::ROLE_AUDITOR: return "auditor";
    default: return "unspecified role";
    }
}

std::string_view resourceName(Resource resource)
{
    switch (resource) {
    case Resource::Citizen: return "citizen";
    case Resource::Intake: return "intake";
    case Resource::Ticket: return "ticket";
    case Resource::Case: return "case";
    case Resource::CaseFile: return "case_file";
    case Resource::Operator: return "operator";
    case Resource::Device: return "device";
    case Resource::Presidio: return "presidio";
    case Resource::Audit: return "audit";
    case Resource::Catalog: return "catalog";
    case Resource::Stats: return "stats";
    }
    return "unknown";
}

std::string_view actionName(Action action)
{
    switch (action) {
    case Action::Read: return "read";
    case Action::List: return "list";
    case Action::Create: return "create";
    case Action::Update: return "update";
    case Action::Assign: return "assign";
    case Action::Close: return "close";
    case Action::Enroll: return "enroll";
    case Action::Revoke: return "revoke";
    case Action::Verify: return "verify";
    }
    return "unknown";
}

std::string_view scopeName(Scope scope)
{
    switch (scope) {
    case Scope::None: return "none";
    case Scope::Self: return "self";
    case Scope::Assigned: return "assigned";
    case Scope::AssignedOrQueue: return "assigned_or_queue";
    case Scope::Presidio: return "presidio";
    case Scope::Municipio: return "municipio";
    case Scope::City: return "city";
    }
    return "unknown";
}

std::span<const v1::Role> allRoles()
{
    return kRoles;
}

std::span<const Resource> allResources()
{
    return kResources;
}

std::span<const Action> allActions()
{
    return kActions;
}

std::string policyTableMarkdown()
{
    std::string out;
    for (const v1::Role role : kRoles) {
        out.append("### ").append(roleName(role)).append("\n\n| resource |");
        for (const Action action : kActions)
            out.append(" ").append(actionName(action)).append(" |");
        out.append("\n| --- |");
        for (std::size_t i = 0; i < kActions.size(); ++i)
            out.append(" --- |");
        out.append("\n");
        for (const Resource resource : kResources) {
            std::string line = "| " + std::string(resourceName(resource)) + " |";
            bool any = false;
            for (const Action action : kActions) {
                const auto rule = findRule(role, resource, action);
                if (!rule) {
                    line += " · |";
                    continue;
                }
                any = true;
                line += " " + std::string(scopeName(rule->scope));
                if (rule->breakGlass == BreakGlass::Allowed)
                    line += rule->scope == Scope::None ? " (glass only)" : " + glass";
                line += " |";
            }
            if (any)
                out.append(line).append("\n");
        }
        out.append("\n");
    }
    return out;
}

} // namespace sigess::policy
