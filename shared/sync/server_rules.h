// The rules the server applies to every operation a device pushes, before merging it:
// the structural checks of decodeOperation(), the existence of what an operation
// updates, and the valid paths of each entity's state (a ticket goes WAITING → CALLED
// → SERVED / NO_SHOW / REFERRED; an intervention REQUESTED → AUTHORISED → DELIVERED;
// a case follows the transition table it is given, since its states are catalog codes).
// A state is checked only when the operation would win that field's merge: a write
// that loses to a later one changes no state. What breaks a rule becomes a
// v1::Rejection: a machine-readable code and a sentence for the operator's review list.
// Rejection codes: "invalid_operation", "too_large", "unknown_entity",
// "already_exists", "invalid_transition".
// Thread safety: a ServerRules is immutable after construction; check() may run on many
// threads at once.
#pragma once

#include "sigess/v1/sync.pb.h"
#include "sync/merge.h"

#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace sigess::sync {

// A rejection of the operation `opId`: a code from the list above (or the sync
// service's own: "forbidden", "forbidden_field", "unavailable"...) and its sentence.
v1::Rejection makeRejection(const std::string &opId, std::string code, std::string reason);

// Allowed state changes. The empty state stands for "no state yet": ("", "OPEN") lets a
// record be created open. Enum states are named by their value names
// ("TICKET_STATE_CALLED"), with the zero value as the empty state.
class StateTransitions {
public:
    StateTransitions() = default;
    StateTransitions(std::initializer_list<std::pair<std::string, std::string>> allowed);

    bool allows(const std::string &from, const std::string &to) const;

private:
    std::set<std::pair<std::string, std::string>> m_allowed;
};

// The case path of DOMAIN.md over the CASE_STATE catalog codes: a case is created open,
// taken in charge, referred on or closed, and a closed case can be reopened.
StateTransitions standardCaseTransitions();

class ServerRules {
public:
    explicit ServerRules(StateTransitions caseTransitions, OperationLimits limits = {});

    // current: the entity as the server holds it, null when it holds none. Returns the
    // rejection to send back, or nothing when the operation may be merged.
    std::optional<v1::Rejection> check(const v1::Operation &operation, const EntityState *current) const;
    // The same for an operation already decoded (the server merges it next).
    std::optional<v1::Rejection> check(const DecodedOperation &operation, const EntityState *current) const;

    const OperationLimits &limits() const { return m_limits; }

private:
    struct StateRule {
        v1::EntityType type;
        int field;
        StateTransitions transitions;
    };

    std::optional<v1::Rejection> checkState(
        const StateRule &rule, const DecodedOperation &operation, const EntityState *current) const;

    OperationLimits m_limits;
    std::vector<StateRule> m_stateRules;
};

} // namespace sigess::sync
