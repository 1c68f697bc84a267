#include "check_in_service.h"

#include "receipt.h"

#include <QPointer>
#include <QTimer>

namespace sigess::kiosk {

namespace {

constexpr std::size_t kPushBatch = 200;
constexpr std::uint32_t kPullLimit = 500;
constexpr int kSyncIntervalMs = 30'000;

} // namespace

// Owns the store on the service's thread and runs sync rounds one at a time.
class CheckInService::Worker : public QObject {
public:
    Worker(CheckInService &service, KioskConfig config, const core::Clock &clock, store::Argon2Cost argon2,
        SyncLink *link)
        : m_service(service), m_config(std::move(config)), m_clock(clock), m_argon2(argon2), m_link(link)
    {
    }

    ~Worker() override
    {
        if (m_link)
            m_link->setEvents({});
    }

    void start()
    {
        Result<std::unique_ptr<CheckInStore>> opened = CheckInStore::open(m_config, m_clock, m_argon2);
        if (!opened.ok()) {
            toGui([reason = QString::fromStdString(opened.error().describe())](CheckInService &s) { s.fail(reason); });
            return;
        }
        m_store = std::move(opened).value();
        if (m_link) {
            m_link->setEvents({ [this] { onWorker([this] { m_resend = true; round(); }); },
                [this] { onWorker([this] { round(); }); } });
            auto *timer = new QTimer(this);
            connect(timer, &QTimer::timeout, this, [this] { round(); });
            timer->start(kSyncIntervalMs);
        }
        publish();
        toGui([](CheckInService &s) {
            s.m_ready = true;
            Q_EMIT s.readyChanged();
        });
        round();
    }

    void checkIn(v1::Intake intake)
    {
        if (!m_store) {
            toGui([](CheckInService &s) { Q_EMIT s.checkInFailed(s.m_errorMessage); });
            return;
        }
        Result<CheckIn> done = m_store->checkIn(std::move(intake));
        if (!done.ok()) {
            toGui([reason = QString::fromStdString(done.error().describe())](CheckInService &s) {
                Q_EMIT s.checkInFailed(reason);
            });
            return;
        }
        publish();
        toGui([checkIn = std::move(done).value()](CheckInService &s) { Q_EMIT s.checkedIn(checkIn); });
        round();
    }

    void print(const QByteArray &escPos)
    {
        const Status done = printReceipt(escPos, m_config.printerDevice);
        toGui([ok = done.ok(), reason = done.ok() ? QString() : QString::fromStdString(done.error().message)](
                  CheckInService &s) { Q_EMIT s.printed(ok, reason); });
    }

    void round()
    {
        if (!m_link || !m_store || m_busy)
            return;
        m_busy = true;
        if (m_resend && !m_store->resendUnacknowledged().ok())
            return finish(false);
        m_resend = false;
        pushNext();
    }

private:
    template <typename F> void toGui(F call)
    {
        QMetaObject::invokeMethod(&m_service, [service = &m_service, call = std::move(call)]() mutable { call(*service); },
            Qt::QueuedConnection);
    }
    // Link callbacks may arrive on any thread, late; a guard drops those that outlive us.
    template <typename F> void onWorker(F call)
    {
        QPointer<Worker> guard(this);
        if (guard)
            QMetaObject::invokeMethod(guard.data(), std::move(call), Qt::QueuedConnection);
    }

    void pushNext()
    {
        Result<std::optional<v1::Push>> batch = m_store->nextPush(kPushBatch);
        if (!batch.ok())
            return finish(false);
        if (!batch->has_value())
            return pullNext();
        m_link->push(std::move(**batch), [this](Result<v1::Ack> ack) {
            onWorker([this, ack = std::move(ack)] {
                if (!ack.ok() || !m_store->settle(*ack).ok())
                    return finish(false);
                pushNext();
            });
        });
    }

    void pullNext()
    {
        Result<v1::Pull> request = m_store->pullRequest(kPullLimit);
        if (!request.ok())
            return finish(false);
        m_link->pull(*request, [this, from = request->cursor()](Result<v1::Changes> changes) {
            onWorker([this, from, changes = std::move(changes)] {
                if (!changes.ok() || !m_store->applyChanges(*changes, from).ok())
                    return finish(false);
                if (changes->more())
                    return pullNext();
                finish(true);
            });
        });
    }

    void finish(bool succeeded)
    {
        m_busy = false;
        m_resend = m_resend || !succeeded;
        publish(succeeded);
        toGui([succeeded](CheckInService &s) { Q_EMIT s.syncFinished(succeeded); });
    }

    void publish(std::optional<bool> online = std::nullopt)
    {
        Result<std::size_t> outbox = m_store->outboxSize();
        m_online = online.value_or(m_online);
        toGui([queue = m_store->todaysQueue(), size = outbox.ok() ? static_cast<int>(*outbox) : -1,
                  isOnline = m_online](CheckInService &s) mutable { s.report(std::move(queue), size, isOnline); });
    }

    CheckInService &m_service;
    KioskConfig m_config;
    const core::Clock &m_clock;
    store::Argon2Cost m_argon2;
    SyncLink *m_link;
    std::unique_ptr<CheckInStore> m_store;
    bool m_busy = false;
    bool m_resend = true; // a store may hold operations sent before a restart
    bool m_online = false;
};

CheckInService::CheckInService(
    KioskConfig config, const core::Clock &clock, store::Argon2Cost argon2, SyncLink *link, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
    qRegisterMetaType<CheckIn>();
    m_worker = new Worker(*this, std::move(config), clock, argon2, link);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("kiosk-store"));
    m_thread.start();
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
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->round(); }, Qt::QueuedConnection);
}

void CheckInService::print(QByteArray escPos)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, bytes = std::move(escPos)] { worker->print(bytes); }, Qt::QueuedConnection);
}

void CheckInService::report(std::vector<v1::Ticket> queue, int outbox, bool online)
{
    m_queue = std::move(queue);
    Q_EMIT queueChanged();
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

} // namespace sigess::kiosk
