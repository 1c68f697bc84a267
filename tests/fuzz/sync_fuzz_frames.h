// Valid frames of a device, written with the placeholders of sync_fuzz_input.h: the
// openings the fuzz target plays and the seeds of its corpus are made of these.
// Thread safety: free functions over value types.
#pragma once

#include "fuzz/sync_fuzz_input.h"
#include "sigess/v1/entities.pb.h"
#include "sigess/v1/sync.pb.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sigess::fuzz {

inline constexpr char presidio[] = "P-M01-01";
inline constexpr std::uint64_t baseWallMs = 1'760'000'000'000;

// A canonical version 7 UUID ending in n.
inline std::string fuzzUuid(unsigned long long n)
{
    std::string text = "0190a8e0-0000-7000-8000-000000000000";
    for (std::size_t at = text.size(); n != 0 && at > 24; n >>= 4)
        text[--at] = "0123456789abcdef"[n & 0xf];
    return text;
}

inline v1::Envelope helloFrame(std::uint64_t sequence, std::string_view device, bool withSession)
{
    v1::Envelope frame;
    frame.set_sequence(sequence);
    frame.mutable_hello()->set_device_id(std::string(device));
    frame.mutable_hello()->set_device_credential(std::string(device));
    if (withSession)
        frame.mutable_hello()->set_operator_session(std::string(placeholders::operatorSession));
    frame.mutable_hello()->set_protocol_version(1);
    return frame;
}

inline v1::Operation ticketOperation(unsigned long long opNumber, std::string_view device,
                                     unsigned long long ticketNumber, v1::OpKind kind, v1::TicketState state)
{
    v1::Ticket ticket;
    std::vector<std::uint32_t> fields{4};
    if (kind == v1::OP_KIND_CREATE) {
        ticket.mutable_meta()->set_presidio(presidio);
        ticket.set_number("A-" + std::to_string(ticketNumber));
        fields.push_back(2);
    }
    ticket.set_state(state);
    v1::Operation operation;
    operation.set_op_id(fuzzUuid(opNumber));
    operation.mutable_hlc()->set_wall_ms(baseWallMs + opNumber);
    operation.set_device(std::string(device));
    operation.set_entity_type(v1::ENTITY_TYPE_TICKET);
    operation.set_entity_id(fuzzUuid(0x100000 + ticketNumber));
    operation.set_kind(kind);
    for (const std::uint32_t field : fields)
        operation.add_fields(field);
    operation.set_patch(ticket.SerializeAsString());
    return operation;
}

inline v1::Envelope pushFrame(std::uint64_t sequence, std::uint64_t batch, const std::vector<v1::Operation> &ops)
{
    v1::Envelope frame;
    frame.set_sequence(sequence);
    frame.mutable_push()->set_batch_id(batch);
    for (const v1::Operation &operation : ops)
        *frame.mutable_push()->add_ops() = operation;
    return frame;
}

inline v1::Envelope pullFrame(std::uint64_t sequence, const std::string &cursor, std::uint32_t limit)
{
    v1::Envelope frame;
    frame.set_sequence(sequence);
    frame.mutable_pull()->set_cursor(cursor);
    frame.mutable_pull()->set_limit(limit);
    return frame;
}

} // namespace sigess::fuzz
