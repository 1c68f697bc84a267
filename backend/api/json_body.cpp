#include "api/json_body.h"

#include <google/protobuf/util/json_util.h>

namespace sigess::api {

bool isValidUtf8(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        std::uint32_t codePoint = 0;
        if ((lead & 0xE0) == 0xC0) {
            length = 2;
            codePoint = lead & 0x1F;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3;
            codePoint = lead & 0x0F;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4;
            codePoint = lead & 0x07;
        } else {
            return false;
        }
        if (i + length > text.size())
            return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80)
                return false;
            codePoint = (codePoint << 6) | (next & 0x3F);
        }
        const bool overlong = (length == 2 && codePoint < 0x80) || (length == 3 && codePoint < 0x800)
                              || (length == 4 && codePoint < 0x10000);
        if (overlong || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            return false;
        i += length;
    }
    return true;
}

Status parseJsonBody(std::string_view body, std::size_t maxBytes, google::protobuf::Message &message)
{
    if (body.size() > maxBytes) {
        return makeError(ErrorCode::TooLarge,
                         "the request body is larger than " + std::to_string(maxBytes) + " bytes");
    }
    if (body.empty())
        return makeError(ErrorCode::Invalid, "a JSON body is required");
    if (!isValidUtf8(body))
        return makeError(ErrorCode::Invalid, "the request body is not valid UTF-8");
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto status = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(body.data(), body.size()), &message, options);
    if (!status.ok()) {
        return makeError(ErrorCode::Invalid,
                         "the request body is not a valid " + message.GetDescriptor()->name() + " in JSON: "
                             + std::string(status.message()));
    }
    return {};
}

std::string toJson(const google::protobuf::Message &message)
{
    google::protobuf::util::JsonPrintOptions options;
    options.preserve_proto_field_names = true;
    options.always_print_primitive_fields = true;
    std::string json;
    // Printing a well-formed message cannot fail; every string we set is UTF-8.
    static_cast<void>(google::protobuf::util::MessageToJsonString(message, &json, options));
    return json;
}

} // namespace sigess::api
