// Encoding and decoding of sync frames: one sigess.v1.Envelope per binary WebSocket
// message. Decoding is the first thing that touches bytes from the network, so it
// checks the size before parsing, rejects what does not parse or carries no frame,
// and reports each case with its own clear error; it never throws.
// Thread safety: free functions over value types.
#pragma once

#include "core/result.h"
#include "sigess/v1/sync.pb.h"

#include <cstddef>
#include <cstdint>
#include <span>
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

// The Changes frame answering `sequence` that carries `operations`, each an encoded
// v1::Operation, ahead of what `changes` holds (its cursor, `more`, evictions): the
// bytes encodeFrame gives for that Envelope with the operations parsed into it, written
// without parsing and serializing each operation again (the server's log keeps them
// encoded). The operations are not checked: they must be what a v1::Operation encodes.
std::string encodeChangesFrame(std::uint64_t sequence, std::span<const std::string_view> operations,
                               const v1::Changes &changes);

} // namespace sigess::sync
