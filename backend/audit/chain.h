// The audit log's hash chain. Each event carries its sequence number (1, 2, 3...), the hash
// of the event before it (empty for the first) and its own hash:
//     hash = SHA-256(previous_hash || canonicalBytes(event))
// where the canonical bytes are the event's deterministic Protobuf encoding with `hash`
// cleared (so the sequence and the previous hash are covered too). Changing any field of
// a stored event, deleting one, reordering or inserting events breaks the chain at the
// first place touched, and `verifyChain` names that place and the kind of tampering.
// Deleting events at the END leaves a shorter, still consistent chain: only a head kept
// apart (the storage's head row, or a copy printed elsewhere) reveals it, so verification
// takes the expected head when the caller has one.
//
// Pure functions over events; the storage repository feeds them and stores the results.
// ChainVerifier streams (constant memory), so a log of millions of events can be
// verified page by page. Thread safety: value types; one ChainVerifier per thread.
#pragma once

#include "core/result.h"
#include "sigess/v1/entities.pb.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sigess::audit {

inline constexpr std::size_t kHashSize = 32;

// The end of a chain: the last event's sequence and hash ({0, ""} for an empty log).
struct ChainHead {
    std::uint64_t sequence = 0;
    std::string hash;

    friend bool operator==(const ChainHead &, const ChainHead &) = default;
};

ChainHead headOf(const v1::AuditEvent &event);

// The deterministic encoding of `event` with `hash` cleared.
std::string canonicalBytes(const v1::AuditEvent &event);

// SHA-256(previousHash || canonicalBytes(event)), 32 raw bytes.
std::string eventHash(std::string_view previousHash, const v1::AuditEvent &event);

// Links `event` after `head`: sets its sequence, previous_hash and hash.
v1::AuditEvent chainEvent(const ChainHead &head, v1::AuditEvent event);

enum class Tampering {
    ContentChanged,  // the event's content no longer matches its hash
    EventsMissing,   // the sequence skips numbers that never appear: events deleted
    EventsReordered, // the sequence goes back, or skipped numbers appear later
    EventInserted,   // a sequence number repeats: an event was slipped in
    BrokenLink,      // previous_hash does not match the event before it
    HeadMismatch,    // the chain does not end at the expected head: events cut off the end
};

std::string_view tamperingName(Tampering kind);

struct ChainFault {
    Tampering kind = Tampering::ContentChanged;
    std::size_t position = 0;    // index of the event in the range verified
    std::uint64_t sequence = 0;  // the sequence the event claims (0 for HeadMismatch)
    std::string eventId;
    std::string reason;          // one sentence naming the event and what is wrong
};

struct VerifyReport {
    std::size_t eventsChecked = 0;
    ChainHead head;                   // where the verified range ends
    std::optional<ChainFault> fault;  // the first fault found, if any

    bool intact() const { return !fault.has_value(); }
    // Corrupt carrying the fault's reason unless intact.
    Status status() const;
};

class ChainVerifier {
public:
    // `start` is the head just before the first event to check: the default for a whole
    // log, or the head of the page before when verifying a log in pages.
    explicit ChainVerifier(ChainHead start = {});

    void add(const v1::AuditEvent &event);

    // `expectedEnd`: the head recorded apart from the events, when the caller has one.
    VerifyReport finish(const std::optional<ChainHead> &expectedEnd = std::nullopt) const;

private:
    void fail(Tampering kind, const v1::AuditEvent &event, std::string reason);

    ChainHead m_head;
    std::size_t m_position = 0;
    std::optional<ChainFault> m_fault;
    // The sequence numbers skipped by the first fault, when it is a gap: seeing one of
    // them later turns "missing" into "reordered".
    std::uint64_t m_gapFirst = 0;
    std::uint64_t m_gapLast = 0;
};

VerifyReport verifyChain(std::span<const v1::AuditEvent> events, const ChainHead &start = {},
                         const std::optional<ChainHead> &expectedEnd = std::nullopt);

} // namespace sigess::audit
