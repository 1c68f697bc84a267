// The embedded store's change feed hears what another process commits to the same store
// file: a rights change (an operator disabled, a device revoked) becomes a rights change
// on the feed, and an operation logged by someone else (a seed) is published with its
// scope; both with a null origin. The other process is played by a second set of
// connections to the file, which is all another process would have.
#include "core/clock.h"
#include "core/hlc.h"
#include "core/uuid.h"
#include "identity/identity_service.h"
#include "storage/presidio_repository.h"
#include "storage/storage.h"
#include "support/result_checks.h"
#include "sync/polling_change_feed.h"
#include "sync/rights_snapshot.h"
#include "sync/server_writes.h"

#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

using namespace sigess;
using namespace std::chrono_literals;

namespace {

constexpr char kPresidio[] = "P-M01-01";

enum class ForeignChange { OperatorDisabled, DeviceRevoked, TicketWritten };

// What the feed published, for a test thread to wait on.
class Heard {
public:
    void record(const std::vector<syncserver::ChangeScope> &changes, const void *origin)
    {
        {
            const std::lock_guard lock(m_mutex);
            for (const syncserver::ChangeScope &change : changes)
                m_changes.push_back({change, origin});
        }
        m_arrived.notify_all();
    }

    // Whether a change matching `wanted` was published with a null origin within `limit`.
    bool waitFor(const std::function<bool(const syncserver::ChangeScope &)> &wanted, std::chrono::seconds limit)
    {
        std::unique_lock lock(m_mutex);
        return m_arrived.wait_for(lock, limit, [&] {
            return std::any_of(m_changes.begin(), m_changes.end(),
                               [&](const auto &heard) { return heard.second == nullptr && wanted(heard.first); });
        });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_arrived;
    std::vector<std::pair<syncserver::ChangeScope, const void *>> m_changes;
};

syncserver::RightsSnapshot snapshotOf(
    std::initializer_list<std::pair<std::pair<v1::EntityType, std::string>, std::string>> standing)
{
    syncserver::RightsSnapshot snapshot;
    for (const auto &[principal, text] : standing)
        snapshot.standing.emplace(principal, text);
    return snapshot;
}

} // namespace

Q_DECLARE_METATYPE(ForeignChange)

class TestPollingFeed : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rightsChangesBetweenSnapshots_data()
    {
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("nothing moved") << QStringList{"device:d2"};
        QTest::newRow("operator standing changed") << QStringList{"operator:o1", "device:d2"};
        QTest::newRow("device gone") << QStringList{"device:d1", "device:d2"};
    }

    void rightsChangesBetweenSnapshots()
    {
        QFETCH(QStringList, expected);
        const auto before = snapshotOf({{{v1::ENTITY_TYPE_OPERATOR, "o1"}, "0\t3\tP\t1\t0\t0"},
                                        {{v1::ENTITY_TYPE_DEVICE, "d1"}, "0\tP"}});
        syncserver::RightsSnapshot after = before;
        const QByteArray tag = QTest::currentDataTag();
        if (tag == "operator standing changed")
            after.standing[{v1::ENTITY_TYPE_OPERATOR, "o1"}] = "0\t3\tP\t0\t1\t17";
        else if (tag == "device gone")
            after.standing.erase({v1::ENTITY_TYPE_DEVICE, "d1"});
        // A principal that appeared may have been changed since it connected: checked too.
        after.standing.emplace(std::pair{v1::ENTITY_TYPE_DEVICE, std::string("d2")}, "0\tP");
        QStringList got;
        for (const syncserver::ChangeScope &change : syncserver::rightsChangesBetween(before, after)) {
            QVERIFY(syncserver::isRightsChange(change));
            got << QString::fromStdString((change.type == v1::ENTITY_TYPE_OPERATOR ? "operator:" : "device:")
                                          + change.entityId);
        }
        QCOMPARE(got, expected);
    }

    void anotherProcessesCommitsAreHeard_data()
    {
        QTest::addColumn<ForeignChange>("change");
        QTest::newRow("operator disabled") << ForeignChange::OperatorDisabled;
        QTest::newRow("device revoked") << ForeignChange::DeviceRevoked;
        QTest::newRow("ticket written") << ForeignChange::TicketWritten;
    }

    void anotherProcessesCommitsAreHeard()
    {
        QFETCH(ForeignChange, change);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        storage::EmbeddedStoreConfig config;
        config.path = dir.filePath("store.db").toStdString();
        config.keyFile = dir.filePath("store.key").toStdString();
        config.readers = 2;
        EXPECT_OK(storage::createKeyFile(config, storage::KeyFileFormat::RawHex));
        auto backendStore = storage::openStorage(config);
        EXPECT_OK(backendStore);
        auto otherStore = storage::openStorage(config);
        EXPECT_OK(otherStore);
        storage::SqlDatabase &other = **otherStore;

        v1::Presidio presidio;
        presidio.set_code(kPresidio);
        presidio.set_municipio("M01");
        presidio.set_name(kPresidio);
        EXPECT_OK(storage::PresidioRepository(other).upsert(presidio));
        const core::SystemClock clock;
        core::HybridLogicalClock hlc(clock);
        core::UuidV7Generator ids(clock);
        identity::IdentityOptions options;
        options.passwordCost = identity::PasswordCost::minimum();
        identity::IdentityService identity(other, clock, hlc, ids, options);
        v1::Operator profile;
        profile.set_username("someone");
        profile.set_role(v1::ROLE_OPERATOR);
        profile.mutable_meta()->set_presidio(kPresidio);
        auto created = identity.createOperator(profile, "correct horse battery");
        EXPECT_OK(created);
        auto code = identity.issueEnrollmentCode(kPresidio, v1::DEVICE_KIND_TABLET, "test");
        EXPECT_OK(code);
        auto device = identity.enrollDevice(code->code, "tablet");
        EXPECT_OK(device);

        // Before the feed, so that it outlives the feed's thread.
        Heard heard;
        auto feed = syncserver::PollingChangeFeed::open(**backendStore, {20ms});
        EXPECT_OK(feed);
        (*feed)->subscribe([&heard](const std::vector<syncserver::ChangeScope> &changes, std::int64_t,
                                    const void *origin) { heard.record(changes, origin); });

        std::function<bool(const syncserver::ChangeScope &)> wanted;
        if (change == ForeignChange::OperatorDisabled) {
            EXPECT_OK(identity.disableOperator(created->meta().id()));
            wanted = [id = created->meta().id()](const syncserver::ChangeScope &heardChange) {
                return heardChange.type == v1::ENTITY_TYPE_OPERATOR && heardChange.entityId == id;
            };
        } else if (change == ForeignChange::DeviceRevoked) {
            EXPECT_OK(identity.revokeDevice(device->device.meta().id()));
            wanted = [id = device->device.meta().id()](const syncserver::ChangeScope &heardChange) {
                return heardChange.type == v1::ENTITY_TYPE_DEVICE && heardChange.entityId == id;
            };
        } else {
            v1::Ticket ticket;
            ticket.mutable_meta()->set_id(ids.next().toString());
            ticket.mutable_meta()->set_presidio(kPresidio);
            ticket.set_number("A-001");
            ticket.set_state(v1::TICKET_STATE_WAITING);
            EXPECT_OK(other.transaction([&](storage::SqlExecutor &transaction) -> Status {
                syncserver::ServerWrites writes(transaction, hlc, ids);
                SIGESS_TRY(writes.create(ticket));
                Result<syncserver::PendingChanges> logged = writes.finish();
                if (!logged.ok())
                    return logged.takeError();
                return {};
            }));
            wanted = [id = ticket.meta().id()](const syncserver::ChangeScope &heardChange) {
                return heardChange.type == v1::ENTITY_TYPE_TICKET && heardChange.entityId == id
                    && heardChange.presidio == kPresidio;
            };
        }
        QVERIFY(heard.waitFor(wanted, 10s));
        QCOMPARE((*feed)->failedLooks(), std::uint64_t{0});
    }
};

QTEST_GUILESS_MAIN(TestPollingFeed)
#include "tst_polling_feed.moc"
