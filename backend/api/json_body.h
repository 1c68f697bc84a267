// Request and response bodies in Protobuf's JSON mapping. A body is refused before it
// reaches a handler when it is too large, not UTF-8, not JSON, has a field the message
// does not define or a value of the wrong type; each refusal says which in one sentence.
// Thread safety: pure functions.
#pragma once

#include "core/result.h"

#include <google/protobuf/message.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace sigess::api {

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points
// beyond U+10FFFF).
bool isValidUtf8(std::string_view text);

// TooLarge above maxBytes; Invalid for an empty body, invalid UTF-8, malformed JSON,
// an unknown field or a wrong type.
Status parseJsonBody(std::string_view body, std::size_t maxBytes, google::protobuf::Message &message);

// The message as JSON with the proto field names; fields at their default are written too,
// so that a client sees `"revoked": false` rather than guessing.
std::string toJson(const google::protobuf::Message &message);

} // namespace sigess::api
