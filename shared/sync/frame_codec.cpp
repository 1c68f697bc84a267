#include "sync/frame_codec.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

namespace sigess::sync {

Result<v1::Envelope> decodeFrame(std::string_view bytes, const FrameLimits &limits)
{
    if (bytes.empty())
        return makeError(ErrorCode::Invalid, "empty frame");
    if (bytes.size() > limits.maxFrameBytes)
        return makeError(ErrorCode::TooLarge, "frame of " + std::to_string(bytes.size())
                                                  + " bytes exceeds the limit of "
                                                  + std::to_string(limits.maxFrameBytes));
    google::protobuf::io::CodedInputStream input(reinterpret_cast<const std::uint8_t *>(bytes.data()),
                                                 static_cast<int>(bytes.size()));
    input.SetRecursionLimit(limits.maxNesting);
    v1::Envelope envelope;
    if (!envelope.MergePartialFromCodedStream(&input) || !input.ConsumedEntireMessage())
        return makeError(ErrorCode::Invalid, "malformed frame: not a sigess.v1.Envelope");
    if (envelope.frame_case() == v1::Envelope::FRAME_NOT_SET)
        return makeError(ErrorCode::Invalid, "envelope carries no frame (unknown frame type?)");
    return envelope;
}

std::string_view frameName(const v1::Envelope &envelope)
{
    switch (envelope.frame_case()) {
    case v1::Envelope::kHello: return "hello";
    case v1::Envelope::kWelcome: return "welcome";
    case v1::Envelope::kPush: return "push";
    case v1::Envelope::kAck: return "ack";
    case v1::Envelope::kPull: return "pull";
    case v1::Envelope::kChanges: return "changes";
    case v1::Envelope::kNotify: return "notify";
    case v1::Envelope::kWipe: return "wipe";
    case v1::Envelope::kCatalogUpdate: return "catalog_update";
    case v1::Envelope::kReject: return "reject";
    case v1::Envelope::FRAME_NOT_SET: break;
    }
    return "none";
}

std::string encodeFrame(const v1::Envelope &envelope)
{
    return envelope.SerializeAsString();
}

namespace {

using google::protobuf::internal::WireFormatLite;

std::size_t lengthDelimitedSize(std::size_t bytes)
{
    return google::protobuf::io::CodedOutputStream::VarintSize64(bytes) + bytes;
}

void appendVarint(std::string &out, std::uint64_t value)
{
    while (value >= 0x80) {
        out += static_cast<char>((value & 0x7f) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
}

void appendTag(std::string &out, int number, WireFormatLite::WireType type)
{
    appendVarint(out, WireFormatLite::MakeTag(number, type));
}

} // namespace

std::string encodeChangesFrame(std::uint64_t sequence, std::span<const std::string_view> operations,
                               const v1::Changes &changes)
{
    // Fields in number order, as protobuf serializes them: the envelope's sequence (left
    // out when 0), then its Changes, whose operations (1) come before its other fields.
    constexpr std::size_t operationTagBytes = 1;
    constexpr std::size_t envelopeHeaderBytes = 2 * (1 + 10);  // two tags and their varints
    std::size_t body = changes.ByteSizeLong();
    for (const std::string_view operation : operations)
        body += operationTagBytes + lengthDelimitedSize(operation.size());
    std::string frame;
    frame.reserve(envelopeHeaderBytes + body);
    if (sequence != 0) {
        appendTag(frame, v1::Envelope::kSequenceFieldNumber, WireFormatLite::WIRETYPE_VARINT);
        appendVarint(frame, sequence);
    }
    appendTag(frame, v1::Envelope::kChangesFieldNumber, WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
    appendVarint(frame, body);
    for (const std::string_view operation : operations) {
        appendTag(frame, v1::Changes::kOpsFieldNumber, WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
        appendVarint(frame, operation.size());
        frame += operation;
    }
    changes.AppendToString(&frame);
    return frame;
}

} // namespace sigess::sync
