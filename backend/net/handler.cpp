#include "net/handler.h"

#include "sync/frame_codec.h"

#include <array>
#include <cstdio>

namespace sigess::net {

namespace {

std::string jsonString(const std::string &text)
{
    std::string quoted = "\"";
    for (const char c : text) {
        switch (c) {
        case '"': quoted += "\\\""; break;
        case '\\': quoted += "\\\\"; break;
        case '\n': quoted += "\\n"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                std::array<char, 8> escaped{};
                std::snprintf(escaped.data(), escaped.size(), "\\u%04x", static_cast<unsigned>(c));
                quoted += escaped.data();
            } else {
                quoted += c;
            }
        }
    }
    return quoted + '"';
}

} // namespace

FrameTraits FrameTraits::of(const v1::Envelope &frame)
{
    if (frame.has_welcome())
        return FrameTraits{Kind::Welcome, frame.sequence(), frame.welcome().max_in_flight()};
    if (frame.has_ack() || frame.has_reject())
        return FrameTraits{Kind::Answer, frame.sequence(), 0};
    return {};
}

SyncSession::~SyncSession() = default;
SyncChannel::~SyncChannel() = default;

SyncLink::SyncLink(std::weak_ptr<SyncChannel> channel) : m_channel(std::move(channel)) {}

bool SyncLink::send(const v1::Envelope &frame) const
{
    const auto channel = m_channel.lock();
    if (!channel)
        return false;
    channel->sendFrame(std::make_shared<const std::string>(sync::encodeFrame(frame)), FrameTraits::of(frame));
    return true;
}

bool SyncLink::sendEncoded(std::string frame) const
{
    const auto channel = m_channel.lock();
    if (!channel)
        return false;
    channel->sendEncoded(std::make_shared<const std::string>(std::move(frame)));
    return true;
}

bool SyncLink::close(boost::beast::websocket::close_code code, const std::string &reason) const
{
    const auto channel = m_channel.lock();
    if (!channel)
        return false;
    channel->close(code, reason);
    return true;
}

bool SyncLink::connected() const
{
    return !m_channel.expired();
}

bool SyncLink::post(std::function<void(SyncSession &)> work) const
{
    const auto channel = m_channel.lock();
    if (!channel)
        return false;
    channel->post(std::move(work));
    return true;
}

bool SyncLink::defer(std::function<void()> work) const
{
    const auto channel = m_channel.lock();
    if (!channel)
        return false;
    channel->defer(std::move(work));
    return true;
}

Response makeErrorResponse(boost::beast::http::status status, const std::string &code, const std::string &message,
                           unsigned version)
{
    Response response{status, version};
    response.set(boost::beast::http::field::content_type, "application/json");
    response.body() = "{\"error\":{\"code\":" + jsonString(code) + ",\"message\":" + jsonString(message) + "}}";
    response.prepare_payload();
    return response;
}

} // namespace sigess::net
