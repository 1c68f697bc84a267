// Convergence of 20 device replicas (real SQLCipher stores) through an in-memory server
// built from the same merge and rules: random concurrent edits made offline, syncs in
// random order, dropped acks, lost and duplicated Changes frames, restarts. Afterwards
// every replica equals the server, each field holds the value of its latest write, and
// every operation was either applied once or came back as a rejection.
#include "operation_builder.h"
#include "sigess/v1/entities.pb.h"
#include "sync/server_rules.h"
#include "test_device.h"

#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <random>
#include <set>

using namespace sigess;
using namespace sigess::sync;
using sigess::sync::testing::latestWrite;
using sigess::sync::testing::onlyField;
using sigess::sync::testing::TestDevice;
using sigess::sync::testing::testUuid;

namespace {

constexpr std::uint64_t startMs = 1'718'000'000'000;
constexpr std::size_t deviceCount = 20;
constexpr int rounds = 40;
const std::vector<v1::EntityType> replicatedTypes
    = { v1::ENTITY_TYPE_CITIZEN, v1::ENTITY_TYPE_TICKET, v1::ENTITY_TYPE_CASE, v1::ENTITY_TYPE_NOTE };

// The server side of the protocol, without a network: remembers applied op ids, checks
// each new operation with the server rules, merges it and appends it to its log, whose
// positions are the cursors.
class MemoryServer {
public:
    v1::Ack push(const std::vector<v1::Operation> &operations)
    {
        v1::Ack ack;
        for (const v1::Operation &operation : operations) {
            if (m_applied.contains(operation.op_id())) {
                ack.add_accepted(operation.op_id());
                continue;
            }
            Result<DecodedOperation> decoded = decodeOperation(operation, m_rules.limits());
            if (!decoded.ok())
                qFatal(
                    "a device pushed an operation that does not decode: %s", decoded.error().message.c_str());
            const auto key = std::make_pair(decoded->kind->type, decoded->entityId);
            const auto held = m_entities.find(key);
            if (auto rejection
                = m_rules.check(*decoded, held == m_entities.end() ? nullptr : &held->second)) {
                *ack.add_rejected() = *rejection;
                continue;
            }
            EntityState &entity
                = m_entities.try_emplace(key, EntityState::blank(*decoded->kind)).first->second;
            if (!applyOperation(*decoded, entity).ok())
                qFatal("an operation the rules accepted does not merge");
            m_applied.insert(operation.op_id());
            m_log.push_back(operation);
            ack.add_accepted(operation.op_id());
        }
        return ack;
    }

    v1::Changes pull(const std::string &cursor, std::size_t limit) const
    {
        const std::size_t from = cursor.empty() ? 0 : std::stoul(cursor);
        const std::size_t to = std::min(m_log.size(), from + limit);
        v1::Changes changes;
        for (std::size_t i = from; i < to; ++i)
            *changes.add_ops() = m_log[i];
        changes.set_next_cursor(std::to_string(to));
        changes.set_more(to < m_log.size());
        return changes;
    }

    const std::vector<v1::Operation> &log() const { return m_log; }
    const std::map<std::pair<v1::EntityType, std::string>, EntityState> &entities() const
    {
        return m_entities;
    }

private:
    ServerRules m_rules { standardCaseTransitions() };
    std::set<std::string> m_applied;
    std::vector<v1::Operation> m_log;
    std::map<std::pair<v1::EntityType, std::string>, EntityState> m_entities;
};

struct Faults {
    int droppedAcks = 0;
    int duplicatedAcks = 0;
    int lostChanges = 0;
    int duplicatedChanges = 0;
    int staleChanges = 0;
    int restarts = 0;
};

} // namespace

class TestConvergence : public QObject {
    Q_OBJECT

private:
    std::mt19937 m_random { 0x5e55 };
    MemoryServer m_server;
    Faults m_faults;
    std::set<std::string> m_recorded; // every op id a device queued
    std::set<std::string> m_rejected; // every op id that came back refused
    std::map<std::string, v1::Changes> m_lastChanges; // per device, for stale replays

    bool chance(double probability) { return std::uniform_real_distribution<>(0, 1)(m_random) < probability; }
    template <typename T> const T &pick(const std::vector<T> &values)
    {
        return values[m_random() % values.size()];
    }
    std::string word()
    {
        return pick<std::string>({ "Anna", "Bea", "Carla", "Dario", "Elio", "Fatima", "Gino", "" });
    }

    void record(TestDevice &device, v1::EntityType type, const google::protobuf::Message &patch,
        const std::vector<int> &fields)
    {
        Result<v1::Operation> operation = device.replica().recordChange(type, patch, fields);
        QVERIFY2(operation.ok(), operation.ok() ? "" : operation.error().describe().c_str());
        m_recorded.insert(operation->op_id());
    }

    // One offline edit: a new record, or a change to one the device holds.
    void edit(TestDevice &device)
    {
        const v1::EntityType type = pick(replicatedTypes);
        Result<std::vector<EntityState>> held = device.replica().entities(type);
        QVERIFY(held.ok());
        std::vector<std::string> ids;
        for (const EntityState &entity : *held) {
            if (entity.created())
                ids.push_back(entity.meta().id());
        }
        const bool creates = ids.empty() || type == v1::ENTITY_TYPE_NOTE || chance(0.15);
        const std::string id = creates ? std::string() : pick(ids);
        switch (type) {
        case v1::ENTITY_TYPE_CITIZEN: {
            v1::Citizen patch;
            patch.mutable_meta()->set_id(id);
            patch.set_given_name(word());
            patch.set_family_name(word());
            patch.set_phone(chance(0.5) ? "+39 06 " + std::to_string(m_random() % 10000) : "");
            std::vector<int> fields;
            for (const int field : { v1::Citizen::kGivenNameFieldNumber, v1::Citizen::kFamilyNameFieldNumber,
                     v1::Citizen::kPhoneFieldNumber }) {
                if (creates || chance(0.5))
                    fields.push_back(field);
            }
            if (fields.empty())
                fields.push_back(v1::Citizen::kPhoneFieldNumber);
            record(device, type, patch, fields);
            break;
        }
        case v1::ENTITY_TYPE_TICKET: {
            v1::Ticket patch;
            patch.mutable_meta()->set_id(id);
            patch.set_state(creates
                    ? v1::TICKET_STATE_WAITING
                    : pick<v1::TicketState>({ v1::TICKET_STATE_CALLED, v1::TICKET_STATE_SERVED,
                        v1::TICKET_STATE_NO_SHOW, v1::TICKET_STATE_REFERRED, v1::TICKET_STATE_WAITING }));
            patch.set_desk(std::to_string(m_random() % 5));
            std::vector<int> fields = { v1::Ticket::kStateFieldNumber };
            if (chance(0.5))
                fields.push_back(v1::Ticket::kDeskFieldNumber);
            record(device, type, patch, fields);
            break;
        }
        case v1::ENTITY_TYPE_CASE: {
            v1::Case patch;
            patch.mutable_meta()->set_id(id);
            patch.set_state(creates
                    ? "OPEN"
                    : pick<std::string>({ "TAKEN_IN_CHARGE", "REFERRED", "CLOSED", "REOPENED" }));
            for (unsigned n = m_random() % 3; n > 0; --n)
                patch.add_target_groups(
                    pick<std::string>({ "ANZIANI", "DISABILI", "FAMIGLIA_MINORI", "POVERTA" }));
            std::vector<int> fields = { v1::Case::kTargetGroupsFieldNumber };
            if (creates || chance(0.5))
                fields.push_back(v1::Case::kStateFieldNumber);
            record(device, type, patch, fields);
            break;
        }
        default: {
            v1::Note patch;
            patch.set_text("note by " + device.id().substr(30) + ": " + word());
            record(device, type, patch, { v1::Note::kTextFieldNumber });
            break;
        }
        }
    }

    // The operator goes through the review list: a refused case change is sent again
    // without its state, everything else is discarded.
    void review(TestDevice &device)
    {
        Result<std::vector<ReviewItem>> items = device.replica().reviewList();
        QVERIFY(items.ok());
        for (const ReviewItem &item : *items) {
            QVERIFY(!item.rejection.reason().empty());
            m_rejected.insert(item.operation.op_id());
            std::vector<int> fields;
            for (const std::uint32_t field : item.operation.fields()) {
                if (field != v1::Case::kStateFieldNumber)
                    fields.push_back(int(field));
            }
            if (item.operation.entity_type() == v1::ENTITY_TYPE_CASE && !fields.empty() && chance(0.5)) {
                v1::Case patch;
                QVERIFY(patch.ParseFromString(item.operation.patch()));
                Result<v1::Operation> fixed = device.replica().fix(item.operation.op_id(), patch, fields);
                QVERIFY(fixed.ok());
                m_recorded.insert(fixed->op_id());
            } else {
                QVERIFY(device.replica().discard(item.operation.op_id()).ok());
            }
        }
    }

    // One connection: push what is queued, then pull until caught up. With faults on,
    // acks and Changes frames may be lost (the connection drops) or arrive twice.
    void sync(TestDevice &device, bool faults)
    {
        Replica &replica = device.replica();
        QVERIFY(replica.resendUnacknowledged().ok());
        for (;;) {
            Result<std::vector<v1::Operation>> batch = replica.pendingBatch(1 + m_random() % 6);
            QVERIFY(batch.ok());
            if (batch->empty())
                break;
            const v1::Ack ack = m_server.push(*batch);
            if (faults && chance(0.15)) {
                ++m_faults.droppedAcks;
                return;
            }
            QVERIFY(replica.acknowledge(ack).ok());
            if (faults && chance(0.1)) {
                ++m_faults.duplicatedAcks;
                QVERIFY(replica.acknowledge(ack).ok());
            }
        }
        for (;;) {
            Result<std::string> cursor = replica.cursor();
            QVERIFY(cursor.ok());
            const v1::Changes changes = m_server.pull(*cursor, 1 + m_random() % 12);
            if (faults && chance(0.1)) {
                ++m_faults.lostChanges;
                return;
            }
            QVERIFY(replica.applyChanges(changes, *cursor).ok());
            if (faults && chance(0.1)) {
                ++m_faults.duplicatedChanges;
                QVERIFY(replica.applyChanges(changes, *cursor).ok());
            }
            auto &last = m_lastChanges[device.id()];
            if (faults && chance(0.05) && last.ops_size() > 0) {
                ++m_faults.staleChanges;
                QVERIFY(replica.applyChanges(last, "0").ok());
            }
            last = changes;
            if (!changes.more())
                break;
        }
    }

private Q_SLOTS:
    void replicasConvergeWithTheServer()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        std::vector<std::unique_ptr<TestDevice>> devices;
        std::vector<std::int64_t> skews;
        for (std::size_t i = 0; i < deviceCount; ++i) {
            devices.push_back(std::make_unique<TestDevice>(dir.path(), testUuid(0xD00 + i), startMs));
            skews.push_back(std::int64_t(m_random() % 240'000) - 120'000); // clocks up to 2 minutes off
            QVERIFY(devices.back()->open());
        }
        std::uint64_t now = startMs;
        const auto setClocks = [&] {
            for (std::size_t i = 0; i < deviceCount; ++i)
                devices[i]->clock().set(std::uint64_t(std::int64_t(now) + skews[i]));
        };

        for (int round = 0; round < rounds; ++round) {
            now += m_random() % 3000;
            setClocks();
            for (auto &device : devices) {
                for (unsigned n = chance(0.6) ? 1 + m_random() % 3 : 0; n > 0; --n)
                    edit(*device);
                if (QTest::currentTestFailed())
                    return;
            }
            std::vector<TestDevice *> order;
            for (auto &device : devices)
                order.push_back(device.get());
            std::shuffle(order.begin(), order.end(), m_random);
            for (TestDevice *device : order) {
                if (!chance(0.6))
                    continue;
                sync(*device, true);
                review(*device);
                if (chance(0.03)) {
                    ++m_faults.restarts;
                    device->close();
                    QVERIFY(device->open());
                }
                if (QTest::currentTestFailed())
                    return;
            }
        }

        // Back online for good: everyone syncs until nothing is left to push or pull.
        for (int pass = 0; pass < 3; ++pass) {
            for (auto &device : devices) {
                sync(*device, false);
                review(*device);
            }
        }
        for (auto &device : devices) {
            sync(*device, false);
            QCOMPARE(device->replica().outboxSize().value(), 0u);
            QVERIFY(device->replica().reviewList().value().empty());
        }

        qInfo("%zu operations recorded, %zu applied, %zu refused; faults: %d dropped acks, %d repeated acks, "
              "%d lost and %d repeated Changes, %d stale Changes, %d restarts",
            m_recorded.size(), m_server.log().size(), m_rejected.size(), m_faults.droppedAcks,
            m_faults.duplicatedAcks, m_faults.lostChanges, m_faults.duplicatedChanges, m_faults.staleChanges,
            m_faults.restarts);
        QVERIFY(m_faults.droppedAcks > 0 && m_faults.duplicatedChanges > 0 && m_faults.staleChanges > 0);
        QVERIFY(!m_rejected.empty());

        // Every operation applied once, or refused and handled by its operator.
        std::set<std::string> applied;
        for (const v1::Operation &operation : m_server.log())
            QVERIFY2(applied.insert(operation.op_id()).second, "an operation was applied twice");
        for (const std::string &opId : m_recorded)
            QVERIFY2(applied.contains(opId) != m_rejected.contains(opId), opId.c_str());

        // Every replica equals the server.
        for (auto &device : devices) {
            for (const v1::EntityType type : replicatedTypes) {
                Result<std::vector<EntityState>> held = device->replica().entities(type);
                QVERIFY(held.ok());
                std::size_t expected = 0;
                for (const auto &[key, entity] : m_server.entities())
                    expected += key.first == type ? 1 : 0;
                QCOMPARE(held->size(), expected);
                for (const EntityState &entity : *held) {
                    const auto found = m_server.entities().find({ type, entity.meta().id() });
                    QVERIFY(found != m_server.entities().end());
                    QVERIFY2(entity == found->second, entity.message->ShortDebugString().c_str());
                }
            }
        }

        // Each field of each record holds the value of its latest write.
        for (const auto &[key, entity] : m_server.entities()) {
            const auto *descriptor = entity.kind->descriptor();
            for (int i = 0; i < descriptor->field_count(); ++i) {
                const int field = descriptor->field(i)->number();
                if (field == metaFieldNumber)
                    continue;
                const v1::Operation *latest = latestWrite(m_server.log(), key.second, field);
                if (latest == nullptr) {
                    QVERIFY(!entity.clock.find(field));
                    continue;
                }
                std::unique_ptr<google::protobuf::Message> patch = entity.kind->newMessage();
                QVERIFY(patch->ParseFromString(latest->patch()));
                QCOMPARE(onlyField(*entity.message, field)->SerializeAsString(),
                    onlyField(*patch, field)->SerializeAsString());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestConvergence)
#include "tst_convergence.moc"
