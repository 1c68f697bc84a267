#include "sync/frame_codec.h"

#include <google/protobuf/io/coded_stream.h>

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

} // namespace sigess::sync
