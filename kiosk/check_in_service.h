// The GUI thread's handle on the kiosk's store: opens the CheckInStore on a thread of
// its own and runs every check-in and sync step there, reporting back to the GUI thread
// through queued calls (a tap never waits on the disk or the network). It keeps the
// GUI's copy of today's queue, which the ticket screen and the waiting-room display
// show.
//
// Sync is shared/sync_client's SyncDriver over the store's replica, the one sync loop
// of every device; the kiosk hangs its own steps off the driver's handlers: after an
// Ack it purges the personal fields of what the backend accepted, after Changes it
// reads today's queue again, and on Wipe (its device was revoked) it closes and erases
// its store, wrapped key and credential and goes out of service for good: no more
// check-ins, no more sync, and the screens say so. A kiosk that starts awaiting
// enrollment (awaitsEnrollment: sync_url set, no credential) is out of service from the
// start and opens no store. A kiosk without a sync client stays
// offline; the client must outlive the service and be started by the owner once
// ready() (the driver then already listens to it).
//
// Thread safety: the object and its signals belong to the GUI thread.
#pragma once

#include "check_in_store.h"

#include "sync_client/sync_client.h"

#include <QObject>
#include <QString>
#include <QThread>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <vector>

namespace sigess::kiosk {

class CheckInService : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The kiosk builds its check-in service at start-up.")
    Q_PROPERTY(bool ready READ ready NOTIFY readyChanged)
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorMessageChanged)
    Q_PROPERTY(int waitingToSync READ waitingToSync NOTIFY syncStateChanged)
    Q_PROPERTY(bool online READ online NOTIFY syncStateChanged)
    Q_PROPERTY(bool outOfService READ outOfService NOTIFY outOfServiceChanged)

public:
    // client may be null (an offline kiosk) and must otherwise outlive the service; so
    // must clock.
    CheckInService(KioskConfig config, const core::Clock &clock, store::Argon2Cost argon2, sync::SyncClient *client,
        QObject *parent = nullptr);
    ~CheckInService() override;

    bool ready() const { return m_ready; }
    QString errorMessage() const { return m_errorMessage; }
    int waitingToSync() const { return m_waitingToSync; }
    bool online() const { return m_online; }
    bool outOfService() const { return m_outOfService; }
    const std::vector<v1::Ticket> &queue() const { return m_queue; }
    const KioskConfig &config() const { return m_config; }

    // Answered by checkedIn() or checkInFailed(), in the order asked (failed, once out of
    // service).
    void checkIn(v1::Intake intake);
    Q_INVOKABLE void syncNow();
    // Sends receipt bytes to the configured printer; answered by printed().
    void print(QByteArray escPos);
    bool hasPrinter() const { return !m_config.printerDevice.isEmpty(); }

Q_SIGNALS:
    void readyChanged();
    void errorMessageChanged();
    void syncStateChanged();
    void queueChanged();
    void checkedIn(const sigess::kiosk::CheckIn &checkIn);
    void checkInFailed(const QString &reason);
    void outOfServiceChanged();
    void printed(bool succeeded, const QString &reason);

private:
    class Worker;

    void reportQueue(std::vector<v1::Ticket> queue);
    void reportSync(int outbox, bool online);
    void fail(const QString &reason);
    void goOutOfService();

    KioskConfig m_config;
    QThread m_thread;
    Worker *m_worker = nullptr; // lives on m_thread, deleted when it finishes
    bool m_ready = false;
    bool m_online = false;
    bool m_outOfService = false;
    int m_waitingToSync = 0;
    QString m_errorMessage;
    std::vector<v1::Ticket> m_queue;
};

} // namespace sigess::kiosk

Q_DECLARE_METATYPE(sigess::kiosk::CheckIn)
