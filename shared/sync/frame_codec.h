// Encoding and decoding of sync frames: one sigess.v1.Envelope per binary WebSocket
// message. Decoding is the first thing that touches bytes from the network, so it
// checks the size before parsing, rejects what does not parse or carries no frame,
// and reports each case with its own clear error; it never throws.
// Thread safety: free functions over value types.
#pragma once

#include "core/result.h"
#include "sigess/v1/sync.pb.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace sigess::sync {

struct FrameLimits {
    // Far below Beast's 16 MiB default: a Push batch of a few thousand operations fits.
    std::size_t maxFrameBytes = 4 * 1024 * 1024;
    // Nesting depth Protobuf may recurse into while parsing an untrusted frame.
    int maxNesting = 32;
};

Result<v1::Envelope> decodeFrame(std::string_view bytes, const FrameLimits &limits = {});

// The name of the frame an envelope carries ("push", "ack"...), for logs and errors.
std::string_view frameName(const v1::Envelope &envelope);

std::string encodeFrame(const v1::Envelope &envelope);

} // namespace sigess::sync
