#include "websocket_sync_link.h"

#include <QFile>

namespace sigess::kiosk {

WebSocketSyncLink::WebSocketSyncLink(sync::SyncClientOptions options) : m_client(std::move(options)) {}

WebSocketSyncLink::~WebSocketSyncLink()
{
    m_client.stop();
}

Result<sync::SyncClientOptions> WebSocketSyncLink::optionsFor(const KioskConfig &config)
{
    if (config.syncUrl.isEmpty())
        return makeError(ErrorCode::Invalid, "sync_url is not set: the kiosk works offline");
    QFile file(config.credentialPath);
    if (config.credentialPath.isEmpty() || !file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::Invalid, "cannot read the device credential " + config.credentialPath.toStdString()
                                                 + " (enroll the kiosk with --enroll CODE)");
    const QByteArray credential = file.readAll().trimmed();
    if (credential.isEmpty())
        return makeError(ErrorCode::Invalid, "the device credential " + config.credentialPath.toStdString() + " is empty");
    sync::SyncClientOptions options;
    options.url = config.syncUrl.toStdString();
    options.caFile = config.caFile.toStdString();
    options.hello.set_device_id(config.deviceId.toStdString());
    options.hello.set_device_credential(credential.toStdString());
    options.hello.set_protocol_version(1);
    return options;
}

Status WebSocketSyncLink::start()
{
    return m_client.start();
}

void WebSocketSyncLink::stop()
{
    m_client.stop();
}

void WebSocketSyncLink::setEvents(Events events)
{
    sync::SyncEvents mapped;
    if (events.connected)
        mapped.connected = [connected = events.connected](const v1::Welcome &) { connected(); };
    if (events.changesAvailable)
        mapped.notify = [changed = events.changesAvailable](const v1::Notify &) { changed(); };
    m_client.setEvents(std::move(mapped));
}

void WebSocketSyncLink::push(v1::Push batch, AckHandler done)
{
    m_client.push(std::move(batch), std::move(done));
}

void WebSocketSyncLink::pull(v1::Pull request, ChangesHandler done)
{
    m_client.pull(std::move(request), std::move(done));
}

} // namespace sigess::kiosk
