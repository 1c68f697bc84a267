#include "audit/chain.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <sodium.h>

#include <array>

namespace sigess::audit {

namespace {

std::string describeEvent(std::size_t position, const v1::AuditEvent &event)
{
    std::string text = "event at position " + std::to_string(position) + " (sequence "
                       + std::to_string(event.sequence());
    if (!event.meta().id().empty())
        text += ", id " + event.meta().id();
    return text + ")";
}

std::string deterministicBytes(const v1::AuditEvent &event)
{
    std::string bytes;
    bytes.reserve(event.ByteSizeLong());
    {
        google::protobuf::io::StringOutputStream stream(&bytes);
        google::protobuf::io::CodedOutputStream coded(&stream);
        coded.SetSerializationDeterministic(true);
        event.SerializeToCodedStream(&coded);
    }
    return bytes;
}

} // namespace

ChainHead headOf(const v1::AuditEvent &event)
{
    return ChainHead{event.sequence(), event.hash()};
}

std::string canonicalBytes(const v1::AuditEvent &event)
{
    // An event being chained has no hash yet: only a stored one needs the copy.
    if (event.hash().empty())
        return deterministicBytes(event);
    v1::AuditEvent unhashed = event;
    unhashed.clear_hash();
    return deterministicBytes(unhashed);
}

std::string eventHash(std::string_view previousHash, const v1::AuditEvent &event)
{
    const std::string canonical = canonicalBytes(event);
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char *>(previousHash.data()),
                              previousHash.size());
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char *>(canonical.data()), canonical.size());
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256_final(&state, digest.data());
    return std::string(reinterpret_cast<const char *>(digest.data()), digest.size());
}

v1::AuditEvent chainEvent(const ChainHead &head, v1::AuditEvent event)
{
    event.set_sequence(head.sequence + 1);
    event.set_previous_hash(head.hash);
    event.set_hash(eventHash(head.hash, event));
    return event;
}

std::string_view tamperingName(Tampering kind)
{
    switch (kind) {
    case Tampering::ContentChanged: return "content changed";
    case Tampering::EventsMissing: return "events missing";
    case Tampering::EventsReordered: return "events reordered";
    case Tampering::EventInserted: return "event inserted";
    case Tampering::BrokenLink: return "broken link";
    case Tampering::HeadMismatch: return "head mismatch";
    }
    return "unknown";
}

Status VerifyReport::status() const
{
    if (!fault)
        return {};
    return makeError(ErrorCode::Corrupt, "audit chain " + std::string(tamperingName(fault->kind)) + ": "
                                             + fault->reason);
}

ChainVerifier::ChainVerifier(ChainHead start) : m_head(std::move(start)) {}

void ChainVerifier::fail(Tampering kind, const v1::AuditEvent &event, std::string reason)
{
    m_fault = ChainFault{kind, m_position, event.sequence(), event.meta().id(),
                         describeEvent(m_position, event) + ": " + reason};
}

void ChainVerifier::add(const v1::AuditEvent &event)
{
    if (m_fault) {
        // Only the first fault is reported, but a gap is classified by what follows it.
        if (m_fault->kind == Tampering::EventsMissing && event.sequence() >= m_gapFirst
            && event.sequence() <= m_gapLast) {
            m_fault->kind = Tampering::EventsReordered;
            m_fault->reason += "; sequence " + std::to_string(event.sequence())
                               + " appears later, at position " + std::to_string(m_position)
                               + ": events were reordered";
        }
    } else if (event.hash() != eventHash(event.previous_hash(), event)) {
        fail(Tampering::ContentChanged, event, "its content does not match its hash (a field was changed)");
    } else if (event.sequence() == 0) {
        fail(Tampering::EventInserted, event, "it carries no sequence number: it was not appended through the chain");
    } else if (event.sequence() > m_head.sequence + 1) {
        m_gapFirst = m_head.sequence + 1;
        m_gapLast = event.sequence() - 1;
        fail(Tampering::EventsMissing, event,
             "the sequence jumps from " + std::to_string(m_head.sequence) + " to " + std::to_string(event.sequence())
                 + ": events " + std::to_string(m_gapFirst) + ".." + std::to_string(m_gapLast) + " are missing");
    } else if (event.sequence() == m_head.sequence) {
        fail(Tampering::EventInserted, event,
             "sequence " + std::to_string(event.sequence()) + " repeats: an event was inserted before this one");
    } else if (event.sequence() <= m_head.sequence) {
        fail(Tampering::EventsReordered, event,
             "sequence " + std::to_string(event.sequence()) + " comes after " + std::to_string(m_head.sequence)
                 + ": events were reordered");
    } else if (event.previous_hash() != m_head.hash) {
        fail(Tampering::BrokenLink, event,
             "its previous hash does not match the hash of the event before it (an event was replaced)");
    }
    m_head = headOf(event);
    ++m_position;
}

VerifyReport ChainVerifier::finish(const std::optional<ChainHead> &expectedEnd) const
{
    VerifyReport report{m_position, m_head, m_fault};
    if (!report.fault && expectedEnd && *expectedEnd != m_head) {
        report.fault = ChainFault{Tampering::HeadMismatch, m_position, 0, {},
                                  "the log ends at sequence " + std::to_string(m_head.sequence)
                                      + " but its recorded head is sequence " + std::to_string(expectedEnd->sequence)
                                      + " with another hash: events were cut off the end or the head was altered"};
    }
    return report;
}

VerifyReport verifyChain(std::span<const v1::AuditEvent> events, const ChainHead &start,
                         const std::optional<ChainHead> &expectedEnd)
{
    ChainVerifier verifier(start);
    for (const v1::AuditEvent &event : events)
        verifier.add(event);
    return verifier.finish(expectedEnd);
}

} // namespace sigess::audit
