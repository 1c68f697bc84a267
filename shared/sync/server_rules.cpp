#include "sync/server_rules.h"

#include "sigess/v1/entities.pb.h"

#include <algorithm>

namespace sigess::sync {

v1::Rejection makeRejection(const std::string &opId, std::string code, std::string reason)
{
    v1::Rejection rejection;
    rejection.set_op_id(opId);
    rejection.set_code(std::move(code));
    rejection.set_reason(std::move(reason));
    return rejection;
}

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::string stateOf(const Message &message, const FieldDescriptor &field)
{
    const auto *reflection = message.GetReflection();
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_STRING)
        return reflection->GetString(message, &field);
    const int number = reflection->GetEnumValue(message, &field);
    if (number == 0)
        return {};
    const auto *value = field.enum_type()->FindValueByNumber(number);
    return value != nullptr ? value->name() : std::to_string(number);
}

std::string spoken(const std::string &state)
{
    return state.empty() ? "no state" : state;
}

} // namespace

StateTransitions::StateTransitions(std::initializer_list<std::pair<std::string, std::string>> allowed)
    : m_allowed(allowed)
{
}

bool StateTransitions::allows(const std::string &from, const std::string &to) const
{
    return m_allowed.contains({ from, to });
}

StateTransitions standardCaseTransitions()
{
    return {
        { "", "OPEN" },
        { "OPEN", "TAKEN_IN_CHARGE" },
        { "OPEN", "REFERRED" },
        { "OPEN", "CLOSED" },
        { "TAKEN_IN_CHARGE", "REFERRED" },
        { "TAKEN_IN_CHARGE", "CLOSED" },
        { "REFERRED", "TAKEN_IN_CHARGE" },
        { "REFERRED", "CLOSED" },
        { "CLOSED", "REOPENED" },
        { "REOPENED", "TAKEN_IN_CHARGE" },
        { "REOPENED", "REFERRED" },
        { "REOPENED", "CLOSED" },
    };
}

ServerRules::ServerRules(StateTransitions caseTransitions, OperationLimits limits)
    : m_limits(limits)
{
    const auto ticket = [](v1::TicketState state) { return v1::TicketState_Name(state); };
    const auto intervention = [](v1::InterventionState state) { return v1::InterventionState_Name(state); };
    m_stateRules.push_back({ v1::ENTITY_TYPE_TICKET, v1::Ticket::kStateFieldNumber,
        {
            { "", ticket(v1::TICKET_STATE_WAITING) },
            { ticket(v1::TICKET_STATE_WAITING), ticket(v1::TICKET_STATE_CALLED) },
            { ticket(v1::TICKET_STATE_CALLED), ticket(v1::TICKET_STATE_SERVED) },
            { ticket(v1::TICKET_STATE_CALLED), ticket(v1::TICKET_STATE_NO_SHOW) },
            { ticket(v1::TICKET_STATE_CALLED), ticket(v1::TICKET_STATE_REFERRED) },
        } });
    m_stateRules.push_back({ v1::ENTITY_TYPE_CASE, v1::Case::kStateFieldNumber, std::move(caseTransitions) });
    m_stateRules.push_back({ v1::ENTITY_TYPE_INTERVENTION, v1::Intervention::kStateFieldNumber,
        {
            { "", intervention(v1::INTERVENTION_STATE_REQUESTED) },
            { intervention(v1::INTERVENTION_STATE_REQUESTED),
                intervention(v1::INTERVENTION_STATE_AUTHORISED) },
            { intervention(v1::INTERVENTION_STATE_AUTHORISED),
                intervention(v1::INTERVENTION_STATE_DELIVERED) },
            { intervention(v1::INTERVENTION_STATE_REQUESTED),
                intervention(v1::INTERVENTION_STATE_CANCELLED) },
            { intervention(v1::INTERVENTION_STATE_AUTHORISED),
                intervention(v1::INTERVENTION_STATE_CANCELLED) },
        } });
}

std::optional<v1::Rejection> ServerRules::check(
    const v1::Operation &operation, const EntityState *current) const
{
    Result<DecodedOperation> decoded = decodeOperation(operation, m_limits);
    if (!decoded.ok()) {
        const Error &error = decoded.error();
        return makeRejection(operation.op_id(),
            error.code == ErrorCode::TooLarge ? "too_large" : "invalid_operation", error.message);
    }
    return check(*decoded, current);
}

std::optional<v1::Rejection> ServerRules::check(
    const DecodedOperation &operation, const EntityState *current) const
{
    const std::string name(operation.kind->name());
    const bool exists = current != nullptr && current->created();
    if (operation.creates() && exists)
        return makeRejection(operation.opId, "already_exists",
            "the " + name + " " + operation.entityId + " already exists: it cannot be created again");
    if (!operation.creates() && !exists)
        return makeRejection(operation.opId, "unknown_entity",
            "there is no " + name + " " + operation.entityId + " on the server to update");
    for (const StateRule &rule : m_stateRules) {
        if (rule.type != operation.kind->type)
            continue;
        if (auto rejection = checkState(rule, operation, current))
            return rejection;
    }
    return std::nullopt;
}

std::optional<v1::Rejection> ServerRules::checkState(
    const StateRule &rule, const DecodedOperation &operation, const EntityState *current) const
{
    const FieldDescriptor &field = *operation.kind->descriptor()->FindFieldByNumber(rule.field);
    const bool listed
        = std::find(operation.fields.begin(), operation.fields.end(), rule.field) != operation.fields.end();
    const std::string name(operation.kind->name());
    if (operation.creates()) {
        const std::string initial = listed ? stateOf(*operation.patch, field) : std::string();
        if (rule.transitions.allows({}, initial))
            return std::nullopt;
        return makeRejection(
            operation.opId, "invalid_transition", "a new " + name + " cannot start with " + spoken(initial));
    }
    if (!listed || !current->clock.isSupersededBy(rule.field, operation.stamp, operation.device))
        return std::nullopt;
    const std::string from = stateOf(*current->message, field);
    const std::string to = stateOf(*operation.patch, field);
    if (from == to || rule.transitions.allows(from, to))
        return std::nullopt;
    return makeRejection(operation.opId, "invalid_transition",
        "the " + name + " " + operation.entityId + " cannot go from " + spoken(from) + " to " + spoken(to));
}

} // namespace sigess::sync
