// A device as the kiosk and tablet apps run one, for the tests that sync it with a real
// server: its own SQLCipher store (test_device.h) on a store thread of its own, a
// SyncClient with short backoffs and deadlines, and the SyncDriver between them, with
// the few things the tests do and look at on it (tickets issued and changed, the outbox,
// the cursor).
// Thread safety: use from the test's thread; the device's store is touched on its
// store thread alone.
#pragma once

#include "backend/sync/device_client.h"
#include "sync_client/sync_client.h"
#include "sync_client/sync_driver.h"
#include "sync_world.h"
#include "test_device.h"

#include <QString>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace sigess::sync::testing {

inline sync::SyncClientOptions clientOptions(const std::string &url, const EnrolledDevice &device)
{
    using namespace std::chrono_literals;
    sync::SyncClientOptions options = test::clientOptionsFor(url, device);
    options.backoff.initial = 20ms;
    options.backoff.maximum = 200ms;
    options.connectTimeout = 5s;
    options.welcomeTimeout = 5s;
    options.answerTimeout = 5s;
    // A fixed jitter keeps the backoff reproducible.
    options.random = [] { return 0.5; };
    return options;
}

inline v1::Ticket ticketPatch(const std::string &presidio, const std::string &number)
{
    v1::Ticket ticket;
    ticket.mutable_meta()->set_presidio(presidio);
    ticket.set_number(number);
    ticket.set_state(v1::TICKET_STATE_WAITING);
    return ticket;
}

// A device with its store on a thread of its own, its client and its driver.
class SyncedDevice {
public:
    SyncedDevice(const QString &directory, const EnrolledDevice &enrolled, const std::string &url,
                 sync::SyncDriverHandlers handlers = {})
        : m_device(directory, enrolled.id, SyncWorld::startMs)
        , m_client(clientOptions(url, enrolled))
    {
        if (!m_device.open())
            qFatal("cannot open the device store");
        m_thread.call([this, &handlers] {
            m_driver = std::make_unique<sync::SyncDriver>(
                m_client, m_device.replica(), [this](std::function<void()> work) { m_thread.post(std::move(work)); },
                m_device.clock(), std::move(handlers), sync::SyncDriver::Options{});
            m_driver->start();
        });
    }

    ~SyncedDevice()
    {
        m_thread.call([this] { m_driver.reset(); });
        m_client.stop();
    }

    Status start() { return m_client.start(); }
    sync::SyncClient &client() { return m_client; }
    sync::SyncStatus status() const { return m_driver->status(); }

    Result<v1::Operation> issueTicket(const std::string &presidio, const std::string &number)
    {
        return m_thread.call([&] {
            Result<v1::Operation> recorded = m_device.replica().recordChange(
                v1::ENTITY_TYPE_TICKET, ticketPatch(presidio, number), {v1::Ticket::kNumberFieldNumber,
                                                                        v1::Ticket::kStateFieldNumber});
            m_driver->syncNow();
            return recorded;
        });
    }

    Result<v1::Operation> changeTicket(const std::string &id, v1::TicketState state)
    {
        return m_thread.call([&] {
            v1::Ticket patch;
            patch.mutable_meta()->set_id(id);
            patch.set_state(state);
            Result<v1::Operation> recorded
                = m_device.replica().recordChange(v1::ENTITY_TYPE_TICKET, patch, {v1::Ticket::kStateFieldNumber});
            m_driver->syncNow();
            return recorded;
        });
    }

    // Ticket number -> state, as the device shows them.
    std::map<std::string, v1::TicketState> tickets()
    {
        return m_thread.call([this] {
            std::map<std::string, v1::TicketState> shown;
            Result<std::vector<sync::EntityState>> all = m_device.replica().entities(v1::ENTITY_TYPE_TICKET);
            if (all.ok()) {
                for (const sync::EntityState &entity : *all) {
                    const auto &ticket = static_cast<const v1::Ticket &>(*entity.message);
                    shown[ticket.number()] = ticket.state();
                }
            }
            return shown;
        });
    }

    std::size_t outbox()
    {
        return m_thread.call([this] {
            Result<std::size_t> size = m_device.replica().outboxSize();
            return size.ok() ? *size : std::size_t(-1);
        });
    }

    std::string cursor()
    {
        return m_thread.call([this] {
            Result<std::string> stored = m_device.replica().cursor();
            return stored.ok() ? *stored : std::string("(unreadable)");
        });
    }

private:
    TestDevice m_device;
    sync::SyncClient m_client;
    StoreThread m_thread;
    std::unique_ptr<sync::SyncDriver> m_driver;
};

} // namespace sigess::sync::testing
