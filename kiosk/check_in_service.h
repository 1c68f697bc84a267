// The GUI thread's handle on the kiosk's store: opens the CheckInStore on a thread of
// its own and runs every check-in and sync round there, reporting back to the GUI
// thread through queued calls (a tap never waits on the disk or the network). It keeps
// the GUI's copy of today's queue, which the ticket screen and the waiting-room display
// show. Sync runs whenever the link connects or announces changes, after each check-in,
// and every `syncIntervalMs` as a fallback; a kiosk without a link stays offline.
//
// Thread safety: the object and its signals belong to the GUI thread.
#pragma once

#include "check_in_store.h"
#include "sync_link.h"

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

public:
    // link may be null (offline kiosk) and must otherwise outlive the service; so must clock.
    CheckInService(KioskConfig config, const core::Clock &clock, store::Argon2Cost argon2, SyncLink *link,
        QObject *parent = nullptr);
    ~CheckInService() override;

    bool ready() const { return m_ready; }
    QString errorMessage() const { return m_errorMessage; }
    int waitingToSync() const { return m_waitingToSync; }
    bool online() const { return m_online; }
    const std::vector<v1::Ticket> &queue() const { return m_queue; }
    const KioskConfig &config() const { return m_config; }

    // Answered by checkedIn() or checkInFailed(), in the order asked.
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
    // One sync round has ended (pushed and pulled, or stopped by an error).
    void syncFinished(bool succeeded);
    void printed(bool succeeded, const QString &reason);

private:
    class Worker;

    void report(std::vector<v1::Ticket> queue, int outbox, bool online);
    void fail(const QString &reason);

    KioskConfig m_config;
    QThread m_thread;
    Worker *m_worker = nullptr; // lives on m_thread, deleted when it finishes
    bool m_ready = false;
    bool m_online = false;
    int m_waitingToSync = 0;
    QString m_errorMessage;
    std::vector<v1::Ticket> m_queue;
};

} // namespace sigess::kiosk

Q_DECLARE_METATYPE(sigess::kiosk::CheckIn)
