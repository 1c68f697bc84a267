#include "net/hub.h"

#include "sync/frame_codec.h"

namespace sigess::net {

void Hub::join(const SyncChannel *key, std::weak_ptr<SyncChannel> channel)
{
    m_channels.add(key, std::move(channel));
}

void Hub::leave(const SyncChannel *key)
{
    m_channels.remove(key);
}

void Hub::broadcast(const v1::Envelope &frame) const
{
    // Encoded once and shared by every connection's write queue.
    const auto encoded = std::make_shared<const std::string>(sync::encodeFrame(frame));
    for (const auto &channel : m_channels.snapshot())
        channel->sendEncoded(encoded);
}

void Hub::forEachSession(const std::function<void(SyncSession &)> &work) const
{
    for (const auto &channel : m_channels.snapshot())
        channel->post(work);
}

} // namespace sigess::net
