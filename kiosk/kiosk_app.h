// The kiosk's composition root: given its configuration, catalog, clock, key cost and
// (optional) sync client, it builds the check-in service, the session and the display's
// queue, and wires them to a QML engine: the QR image provider, the translation of
// every UI string into the session's language (Qt Linguist catalogs in the resources,
// re-applied to every binding by retranslate()), and the privacy hooks (any touch or
// key postpones the timeout; a barcode-wedge scan reaches the session; the clipboard is
// emptied whenever the session is cleared). When the backend wipes the kiosk, the
// session is cleared and the windows show that the kiosk is out of service. Main.qml and DisplayWindow.qml receive it
// as their required property `app`.
// Thread safety: GUI thread only.
#pragma once

#include "barcode_wedge.h"
#include "call_announcer.h"
#include "check_in_service.h"
#include "kiosk_session.h"
#include "queue_model.h"

#include "core/catalog.h"

#include <QObject>
#include <QPointer>
#include <QTranslator>
#include <QtQml/qqmlregistration.h>

#include <memory>

class QQmlEngine;

namespace sigess::kiosk {

class KioskApp : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Built by main() or a test and handed to the window.")
    Q_PROPERTY(sigess::kiosk::KioskSession *session READ session CONSTANT)
    Q_PROPERTY(sigess::kiosk::CheckInService *service READ service CONSTANT)
    Q_PROPERTY(sigess::kiosk::QueueModel *queue READ queue CONSTANT)
    Q_PROPERTY(sigess::kiosk::CallAnnouncer *announcer READ announcer CONSTANT)
    Q_PROPERTY(QString presidioName READ presidioName CONSTANT)

public:
    KioskApp(KioskConfig config, core::Catalog catalog, const core::Clock &clock, store::Argon2Cost argon2,
        sync::SyncClient *client, QObject *parent = nullptr);
    ~KioskApp() override;

    KioskSession *session() { return m_session.get(); }
    CheckInService *service() { return m_service.get(); }
    QueueModel *queue() { return &m_queue; }
    CallAnnouncer *announcer() { return m_announcer.get(); }
    QString presidioName() const;

    // Registers the image provider and follows the session's language in this engine.
    void attach(QQmlEngine &engine);
    // Loads the UI strings of `lang` (Italian, the source language, needs none).
    bool applyLanguage(const QString &lang);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    core::Catalog m_catalog;
    std::unique_ptr<CheckInService> m_service;
    std::unique_ptr<KioskSession> m_session;
    QueueModel m_queue;
    std::unique_ptr<CallAnnouncer> m_announcer;
    BarcodeWedge m_wedge;
    QTranslator m_translator;
    bool m_translatorInstalled = false;
    QPointer<QQmlEngine> m_engine;
};

} // namespace sigess::kiosk
