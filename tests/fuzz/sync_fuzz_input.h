// The layout of one input of the sync session fuzz target, shared by the target and by
// the generator of its seed corpus:
//   byte 0            which opening of valid frames the harness plays first (modulo the
//                     number of openings), so every input starts from a real state: not
//                     welcomed, welcomed as a kiosk, as a coordinator's tablet, after a push
//   then, repeated    a 2-byte little-endian length and that many bytes: one WebSocket
//                     message (the last one may be cut short by the end of the input)
// Frames name the enrolled devices by placeholders (the credentials are random per
// run), which the harness swaps for the real values after decoding; see placeholders.
// Thread safety: free functions over value types.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sigess::fuzz {

// Where a frame says these, the harness puts the enrolled devices' real values: in
// Hello's device_id and device_credential, in Hello's operator_session, and in the
// device of each pushed operation.
namespace placeholders {
inline constexpr std::string_view kiosk = "kiosk";
inline constexpr std::string_view tablet = "tablet";
inline constexpr std::string_view operatorSession = "operator";
} // namespace placeholders

struct FuzzInput {
    std::uint8_t opening = 0;
    std::vector<std::string_view> messages;
};

inline FuzzInput parseInput(const std::uint8_t *data, std::size_t size)
{
    FuzzInput input;
    if (size == 0)
        return input;
    input.opening = data[0];
    std::size_t at = 1;
    while (at + 2 <= size) {
        const std::size_t length = std::size_t(data[at]) | (std::size_t(data[at + 1]) << 8);
        at += 2;
        const std::size_t available = std::min(length, size - at);
        input.messages.emplace_back(reinterpret_cast<const char *>(data + at), available);
        at += available;
    }
    return input;
}

// Messages longer than 65,535 bytes cannot be written; the generator keeps below that.
inline std::string writeInput(std::uint8_t opening, const std::vector<std::string> &messages)
{
    std::string bytes(1, static_cast<char>(opening));
    for (const std::string &message : messages) {
        bytes += static_cast<char>(message.size() & 0xff);
        bytes += static_cast<char>((message.size() >> 8) & 0xff);
        bytes += message;
    }
    return bytes;
}

} // namespace sigess::fuzz
