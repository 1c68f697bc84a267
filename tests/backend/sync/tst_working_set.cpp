// A group's working set (sync/working_set.h): the entities read once at the group's
// start, taken by each Push and given back as it stored them; on both stores.
#include "backend/storage/store_fixture.h"
#include "sigess/v1/entities.pb.h"
#include "support/result_checks.h"
#include "sync/entity_registry.h"
#include "sync/sync_repository.h"
#include "sync/working_set.h"

#include <QTest>

using namespace sigess;
using namespace sigess::test;
using Known = syncserver::WorkingSet::Known;

namespace {

constexpr char kHeld[] = "0190b6c4-7f3a-7c1e-9a2b-000000000001";
constexpr char kAbsent[] = "0190b6c4-7f3a-7c1e-9a2b-000000000002";

sync::EntityState citizen(const std::string &id, const std::string &familyName)
{
    sync::EntityState state = sync::EntityState::blank(*sync::findEntityKind(v1::ENTITY_TYPE_CITIZEN));
    auto &message = static_cast<v1::Citizen &>(*state.message);
    message.mutable_meta()->set_id(id);
    message.mutable_meta()->set_presidio("P-M01-01");
    message.set_family_name(familyName);
    return state;
}

std::string familyName(const std::optional<sync::EntityState> &state)
{
    return state ? static_cast<const v1::Citizen &>(*state->message).family_name() : std::string();
}

} // namespace

class TestWorkingSet : public QObject {
    Q_OBJECT

private:
    TestPostgresServer m_postgres;

private Q_SLOTS:
    void takesWhatTheGroupReadThenWhatEachPushGaveBack_data() { addStoreRows(); }
    void takesWhatTheGroupReadThenWhatEachPushGaveBack()
    {
        auto store = TestStore::open(currentStoreKind(), m_postgres);
        EXPECT_OK(store);
        storage::SqlDatabase &database = (*store)->database();
        EXPECT_OK(syncserver::SyncRepository(database).saveEntity(citizen(kHeld, "Rossi"), ""));

        EXPECT_OK(database.transaction([&](storage::SqlExecutor &transaction) -> Status {
            syncserver::WorkingSet group;
            SIGESS_TRY(group.read(transaction, {{v1::ENTITY_TYPE_CITIZEN, {kHeld, kAbsent}}}));
            std::optional<sync::EntityState> state;
            // Read once, then taken out: a Push that fails keeps what it took from the others.
            if (group.take(v1::ENTITY_TYPE_CITIZEN, kHeld, state) != Known::Held || familyName(state) != "Rossi")
                return makeError(ErrorCode::Internal, "the held citizen was not read");
            if (group.take(v1::ENTITY_TYPE_CITIZEN, kHeld, state) != Known::No)
                return makeError(ErrorCode::Internal, "a citizen was taken twice");
            if (group.take(v1::ENTITY_TYPE_CITIZEN, kAbsent, state) != Known::Absent)
                return makeError(ErrorCode::Internal, "the absent citizen was not known to be absent");
            // The next Push sees the citizen as the one before stored it.
            group.giveBack(v1::ENTITY_TYPE_CITIZEN, kAbsent, citizen(kAbsent, "Bianchi"));
            if (group.take(v1::ENTITY_TYPE_CITIZEN, kAbsent, state) != Known::Held || familyName(state) != "Bianchi")
                return makeError(ErrorCode::Internal, "what a Push stored was not given back");
            // Another transaction created an absent one: the retry must read the store.
            group.giveBack(v1::ENTITY_TYPE_CITIZEN, kAbsent, std::nullopt);
            group.forgetAbsent();
            if (group.take(v1::ENTITY_TYPE_CITIZEN, kAbsent, state) != Known::No)
                return makeError(ErrorCode::Internal, "an absent citizen was not forgotten");
            // A set that never read (the embedded store's groups) keeps nothing.
            syncserver::WorkingSet unread;
            unread.giveBack(v1::ENTITY_TYPE_CITIZEN, kHeld, citizen(kHeld, "Verdi"));
            if (unread.take(v1::ENTITY_TYPE_CITIZEN, kHeld, state) != Known::No)
                return makeError(ErrorCode::Internal, "a set that never read kept an entity");
            return {};
        }));
    }
};

QTEST_GUILESS_MAIN(TestWorkingSet)
#include "tst_working_set.moc"
