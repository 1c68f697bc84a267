// What the device side of the sync robustness tests shares (tst_kill_rounds and its
// child process, tst_netem): a queue that makes one thread the store thread SyncDriver
// posts its work to, random edits of tickets such as a coordinator's tablet makes, and
// the comparison of a device's entities with the server's.
// Thread safety: WorkQueue::post from any thread, runFor on the store thread only;
// recordRandomTicketEdit on the replica's thread.
#pragma once

#include "sigess/v1/entities.pb.h"
#include "sync/entity_registry.h"
#include "sync/replica.h"

#include <google/protobuf/util/message_differencer.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>

namespace sigess::test {

class WorkQueue {
public:
    void post(std::function<void()> work)
    {
        {
            const std::lock_guard lock(m_mutex);
            m_work.push_back(std::move(work));
        }
        m_ready.notify_one();
    }

    // Runs what was posted, waiting up to `limit` for the first piece of work.
    void runFor(std::chrono::milliseconds limit)
    {
        std::unique_lock lock(m_mutex);
        m_ready.wait_for(lock, limit, [this] { return !m_work.empty(); });
        while (!m_work.empty()) {
            std::function<void()> work = std::move(m_work.front());
            m_work.pop_front();
            lock.unlock();
            work();
            lock.lock();
        }
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<std::function<void()>> m_work;
};

// A new waiting ticket in `presidio`, or, half of the time once there are tickets,
// another desk for one of them (a field any coordinator may set, so nothing is refused
// and every device must end with the latest desk by HLC). A ticket's number is unique
// within its presidio and day (the tickets table refuses a second one), so it is drawn
// from 64 bits: drawn from 100,000, the hundred-odd new tickets of a tst_kill_rounds run
// share a number in about one run of sixteen, and the refused one went to the device's
// review list instead of the server.
inline Result<v1::Operation> recordRandomTicketEdit(sync::Replica &replica, std::mt19937_64 &random,
                                                    const std::string &presidio)
{
    Result<std::vector<sync::EntityState>> tickets = replica.entities(v1::ENTITY_TYPE_TICKET);
    if (!tickets.ok())
        return tickets.takeError();
    v1::Ticket patch;
    if (!tickets->empty() && random() % 2 == 0) {
        const sync::EntityState &chosen = (*tickets)[random() % tickets->size()];
        patch.mutable_meta()->set_id(chosen.meta().id());
        patch.set_desk("D-" + std::to_string(random() % 1000));
        return replica.recordChange(v1::ENTITY_TYPE_TICKET, patch, {6});
    }
    patch.mutable_meta()->set_presidio(presidio);
    patch.set_number("K-" + std::to_string(random()));
    patch.set_state(v1::TICKET_STATE_WAITING);
    return replica.recordChange(v1::ENTITY_TYPE_TICKET, patch, {2, 4});
}

// Every entity of a type the device shows, by id, as message bytes (as SyncWorld::entities).
inline Result<std::map<std::string, std::string>> deviceEntities(sync::Replica &replica, v1::EntityType type)
{
    Result<std::vector<sync::EntityState>> held = replica.entities(type);
    if (!held.ok())
        return held.takeError();
    std::map<std::string, std::string> found;
    for (const sync::EntityState &entity : *held)
        found.emplace(entity.meta().id(), entity.message->SerializeAsString());
    return found;
}

// Empty when both sides hold the same entities with equal messages; otherwise the first
// difference, in words, for a test's failure message.
inline std::string entityDifference(v1::EntityType type, const std::map<std::string, std::string> &expected,
                                    const std::map<std::string, std::string> &actual)
{
    const sync::EntityKind *kind = sync::findEntityKind(type);
    for (const auto &[id, bytes] : expected) {
        const auto found = actual.find(id);
        if (found == actual.end())
            return id + " is missing";
        std::unique_ptr<google::protobuf::Message> want = kind->newMessage();
        std::unique_ptr<google::protobuf::Message> have = kind->newMessage();
        if (!want->ParseFromString(bytes) || !have->ParseFromString(found->second))
            return id + " does not parse";
        if (!google::protobuf::util::MessageDifferencer::Equals(*want, *have))
            return id + " differs: expected " + want->ShortDebugString() + ", found " + have->ShortDebugString();
    }
    for (const auto &[id, bytes] : actual) {
        if (!expected.contains(id))
            return id + " is one too many";
    }
    return {};
}

} // namespace sigess::test
