#include "check_in_service.h"

#include "kiosk_log.h"
#include "receipt.h"

#include "sync_client/sync_driver.h"

#include <mutex>

namespace sigess::kiosk {

namespace {

// Where the sync driver's work reaches the store thread. Answers may still come from the
// client's I/O thread while the worker goes away, so the worker closes the mailbox first
// and whatever is posted after that is dropped.
class Mailbox {
public:
    explicit Mailbox(QObject *target) : m_target(target) {}

    void post(std::function<void()> work)
    {
        const std::lock_guard lock(m_mutex);
        if (m_target)
            QMetaObject::invokeMethod(m_target, std::move(work), Qt::QueuedConnection);
    }

    void close()
    {
        const std::lock_guard lock(m_mutex);
        m_target = nullptr;
    }

private:
    std::mutex m_mutex;
    QObject *m_target;
};

} // namespace

// Owns the store and the sync driver on the service's thread.
class CheckInService::Worker : public QObject {
public:
    Worker(CheckInService &service, KioskConfig config, const core::Clock &clock, store::Argon2Cost argon2,
        sync::SyncClient *client)
        : m_service(service)
        , m_config(std::move(config))
        , m_clock(clock)
        , m_argon2(argon2)
        , m_client(client)
        , m_mailbox(std::make_shared<Mailbox>(this))
    {
    }

    ~Worker() override { m_mailbox->close(); }

    void start()
    {
        Result<std::unique_ptr<CheckInStore>> opened = CheckInStore::open(m_config, m_clock, m_argon2);
        if (!opened.ok()) {
            toGui([reason = QString::fromStdString(opened.error().describe())](CheckInService &s) { s.fail(reason); });
            return;
        }
        m_store = std::move(opened).value();
        if (m_client) {
            m_driver = std::make_unique<sync::SyncDriver>(*m_client, m_store->replica(),
                [mailbox = m_mailbox](std::function<void()> work) { mailbox->post(std::move(work)); }, m_clock,
                driverHandlers(), sync::SyncDriver::Options {});
            m_driver->start();
        }
        publishQueue();
        publishSync();
        toGui([](CheckInService &s) {
            s.m_ready = true;
            Q_EMIT s.readyChanged();
        });
    }

    void checkIn(v1::Intake intake)
    {
        if (!m_store) {
            toGui([](CheckInService &s) {
                Q_EMIT s.checkInFailed(s.m_outOfService ? QStringLiteral("the kiosk is out of service") : s.m_errorMessage);
            });
            return;
        }
        Result<CheckIn> done = m_store->checkIn(std::move(intake));
        if (!done.ok()) {
            toGui([reason = QString::fromStdString(done.error().describe())](CheckInService &s) {
                Q_EMIT s.checkInFailed(reason);
            });
            return;
        }
        publishQueue();
        publishSync();
        toGui([checkIn = std::move(done).value()](CheckInService &s) { Q_EMIT s.checkedIn(checkIn); });
        syncNow();
    }

    void print(const QByteArray &escPos)
    {
        const Status done = printReceipt(escPos, m_config.printerDevice);
        toGui([ok = done.ok(), reason = done.ok() ? QString() : QString::fromStdString(done.error().message)](
                  CheckInService &s) { Q_EMIT s.printed(ok, reason); });
    }

    void syncNow()
    {
        if (m_driver)
            m_driver->syncNow();
    }

private:
    template <typename F> void toGui(F call)
    {
        QMetaObject::invokeMethod(&m_service, [service = &m_service, call = std::move(call)]() mutable { call(*service); },
            Qt::QueuedConnection);
    }

    sync::SyncDriverHandlers driverHandlers()
    {
        sync::SyncDriverHandlers handlers;
        handlers.statusChanged = [this](const sync::SyncStatus &status) {
            m_online = status.online;
            toGui([outbox = static_cast<int>(status.outbox), online = status.online](CheckInService &s) {
                s.reportSync(outbox, online);
            });
        };
        handlers.acknowledged = [this](const v1::Ack &) {
            if (Status purged = m_store->purgeAcknowledged(); !purged.ok())
                qCWarning(kioskLog, "acknowledged intakes keep their personal fields until the next Ack: %s",
                    purged.error().describe().c_str());
        };
        handlers.applied = [this](const v1::Changes &changes) {
            if (changes.reset())
                qCInfo(kioskLog, "the backend's store was restored from a backup: this kiosk dropped what it held "
                                 "from the backend and follows the restored store, keeping the check-ins it had not sent");
            if (Status reloaded = m_store->reloadQueue(); !reloaded.ok())
                qCWarning(kioskLog, "the queue shown is older than the store: %s", reloaded.error().describe().c_str());
            publishQueue();
        };
        // After the driver's handler has returned: the wipe destroys the driver.
        handlers.wiped = [this](const v1::Wipe &frame) {
            QMetaObject::invokeMethod(
                this, [this, reason = frame.reason()] { wipe(reason); }, Qt::QueuedConnection);
        };
        return handlers;
    }

    void wipe(const std::string &reason)
    {
        m_driver.reset();
        m_store.reset();
        qCWarning(kioskLog, "the backend wiped this kiosk (%s): its store, key and credential are erased",
            reason.c_str());
        if (Status erased = eraseKioskFiles(m_config); !erased.ok())
            qCCritical(kioskLog, "%s", erased.error().describe().c_str());
        toGui([](CheckInService &s) { s.goOutOfService(); });
    }

    void publishQueue()
    {
        toGui([queue = m_store->todaysQueue()](CheckInService &s) mutable { s.reportQueue(std::move(queue)); });
    }

    void publishSync()
    {
        Result<std::size_t> outbox = m_store->outboxSize();
        toGui([size = outbox.ok() ? static_cast<int>(*outbox) : -1, online = m_online](CheckInService &s) {
            s.reportSync(size, online);
        });
    }

    CheckInService &m_service;
    KioskConfig m_config;
    const core::Clock &m_clock;
    store::Argon2Cost m_argon2;
    sync::SyncClient *m_client;
    std::shared_ptr<Mailbox> m_mailbox;
    std::unique_ptr<CheckInStore> m_store;
    std::unique_ptr<sync::SyncDriver> m_driver; // borrows the store's replica: declared after it
    bool m_online = false;
};

CheckInService::CheckInService(
    KioskConfig config, const core::Clock &clock, store::Argon2Cost argon2, sync::SyncClient *client, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
    qRegisterMetaType<CheckIn>();
    m_worker = new Worker(*this, std::move(config), clock, argon2, client);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("kiosk-store"));
    m_thread.start();
    // Opening a store here would only make a fresh one that nothing can sync.
    if (awaitsEnrollment(m_config)) {
        qCWarning(kioskLog, "no device credential at %s: out of service until the kiosk is enrolled again",
            qPrintable(m_config.credentialPath));
        m_outOfService = true;
        return;
    }
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->start(); }, Qt::QueuedConnection);
}

CheckInService::~CheckInService()
{
    m_thread.quit();
    m_thread.wait();
}

void CheckInService::checkIn(v1::Intake intake)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, intake = std::move(intake)]() mutable { worker->checkIn(std::move(intake)); },
        Qt::QueuedConnection);
}

void CheckInService::syncNow()
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->syncNow(); }, Qt::QueuedConnection);
}

void CheckInService::print(QByteArray escPos)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, bytes = std::move(escPos)] { worker->print(bytes); }, Qt::QueuedConnection);
}

void CheckInService::reportQueue(std::vector<v1::Ticket> queue)
{
    m_queue = std::move(queue);
    Q_EMIT queueChanged();
}

void CheckInService::reportSync(int outbox, bool online)
{
    if (outbox != m_waitingToSync || online != m_online) {
        m_waitingToSync = outbox;
        m_online = online;
        Q_EMIT syncStateChanged();
    }
}

void CheckInService::fail(const QString &reason)
{
    m_errorMessage = reason;
    Q_EMIT errorMessageChanged();
}

void CheckInService::goOutOfService()
{
    m_outOfService = true;
    reportSync(0, false);
    reportQueue({});
    Q_EMIT outOfServiceChanged();
}

} // namespace sigess::kiosk
