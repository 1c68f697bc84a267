// The kiosk's SyncLink over the real network: the backend's sync WebSocket through
// shared/sync_client's SyncClient (TLS checked against the configured CA, reconnection
// with backoff). The kiosk's check-in service keeps driving the rounds; this only
// carries them, and turns Welcome into `connected` and Notify into `changesAvailable`.
// Thread safety: as SyncLink; start() and stop() from the thread that owns the link.
#pragma once

#include "kiosk_config.h"
#include "sync_client/sync_client.h"
#include "sync_link.h"

#include <memory>

namespace sigess::kiosk {

class WebSocketSyncLink final : public SyncLink {
public:
    explicit WebSocketSyncLink(sync::SyncClientOptions options);
    ~WebSocketSyncLink() override;

    // The client options a configured kiosk connects with: its sync URL and CA file, its
    // device id and the credential read from its credential file. Invalid (naming what
    // is missing) when the config has no sync_url or the credential cannot be read.
    static Result<sync::SyncClientOptions> optionsFor(const KioskConfig &config);

    Status start();
    void stop();

    void setEvents(Events events) override;
    void push(v1::Push batch, AckHandler done) override;
    void pull(v1::Pull request, ChangesHandler done) override;

private:
    sync::SyncClient m_client;
};

} // namespace sigess::kiosk
