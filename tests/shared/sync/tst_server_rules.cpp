// The server's rules: every rejection carries its code and a sentence an operator can
// act on; valid state paths pass; a write that loses its merge changes no state.
#include "operation_builder.h"
#include "sigess/v1/entities.pb.h"
#include "sync/server_rules.h"

#include <QTest>

using namespace sigess;
using namespace sigess::sync;
using sigess::sync::testing::makeOperation;
using sigess::sync::testing::testUuid;

Q_DECLARE_METATYPE(sigess::v1::Operation)
Q_DECLARE_METATYPE(std::vector<sigess::v1::Operation>)

namespace {

const std::string device = testUuid(0xD);
const std::string ticketId = testUuid(0x100);
const std::string caseId = testUuid(0x200);
const std::string interventionId = testUuid(0x300);
constexpr int ticketState = v1::Ticket::kStateFieldNumber;
constexpr int caseState = v1::Case::kStateFieldNumber;
constexpr int interventionState = v1::Intervention::kStateFieldNumber;

using History = std::vector<v1::Operation>;

// The entity as the server holds it after the given operations, written at 1000 ms on.
EntityState serverHolding(const History &history)
{
    EntityState entity = EntityState::blank(*findEntityKind(history.front().entity_type()));
    std::uint64_t wall = 1000;
    for (v1::Operation operation : history) {
        *operation.mutable_hlc() = core::HlcStamp { wall++, 0 }.toProto();
        if (!applyOperation(operation, entity).ok())
            qFatal("history does not apply");
    }
    return entity;
}

} // namespace

class TestServerRules : public QObject {
    Q_OBJECT

private:
    v1::Operation ticketOp(v1::OpKind kind, v1::TicketState state, core::HlcStamp stamp = { 5000, 0 })
    {
        v1::Ticket ticket;
        ticket.set_state(state);
        return makeOperation(nextOpId(), device, stamp, kind, ticketId, ticket, { ticketState });
    }

    v1::Operation caseOp(v1::OpKind kind, const std::string &state)
    {
        v1::Case entity;
        entity.set_state(state);
        return makeOperation(nextOpId(), device, { 5000, 0 }, kind, caseId, entity, { caseState });
    }

    v1::Operation interventionOp(v1::OpKind kind, v1::InterventionState state)
    {
        v1::Intervention intervention;
        intervention.set_state(state);
        return makeOperation(
            nextOpId(), device, { 5000, 0 }, kind, interventionId, intervention, { interventionState });
    }

    std::string nextOpId() { return testUuid(++m_opNumber); }

    ServerRules m_rules { standardCaseTransitions() };
    unsigned long long m_opNumber = 0;

private Q_SLOTS:
    void rejects_data()
    {
        QTest::addColumn<v1::Operation>("operation");
        QTest::addColumn<History>("history"); // what the server merged so far
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("reason");

        const History none;
        const History waiting = { ticketOp(v1::OP_KIND_CREATE, v1::TICKET_STATE_WAITING) };
        const History served = { ticketOp(v1::OP_KIND_CREATE, v1::TICKET_STATE_WAITING),
            ticketOp(v1::OP_KIND_UPDATE, v1::TICKET_STATE_CALLED),
            ticketOp(v1::OP_KIND_UPDATE, v1::TICKET_STATE_SERVED) };
        const History closed = { caseOp(v1::OP_KIND_CREATE, "OPEN"), caseOp(v1::OP_KIND_UPDATE, "CLOSED") };
        const History requested = { interventionOp(v1::OP_KIND_CREATE, v1::INTERVENTION_STATE_REQUESTED) };

        v1::Operation unknownType = ticketOp(v1::OP_KIND_CREATE, v1::TICKET_STATE_WAITING);
        unknownType.set_entity_type(v1::EntityType(42));
        QTest::newRow("unknown entity type") << unknownType << none << "invalid_operation"
                                             << "the entity type 42 is unknown";
        v1::Operation garbled = ticketOp(v1::OP_KIND_CREATE, v1::TICKET_STATE_WAITING);
        garbled.set_patch("\x0a\xff");
        QTest::newRow("patch does not parse") << garbled << none << "invalid_operation"
                                              << "do not parse as a Ticket";
        v1::Operation unknownField = ticketOp(v1::OP_KIND_CREATE, v1::TICKET_STATE_WAITING);
        unknownField.add_fields(40);
        QTest::newRow("unknown field") << unknownField << none << "invalid_operation"
                                       << "Ticket has no field 40";
        v1::Ticket big;
        big.set_desk(std::string(ServerRules(standardCaseTransitions()).limits().maxPatchBytes, 'x'));
        QTest::newRow("oversized") << makeOperation(nextOpId(), device, { 5000, 0 }, v1::OP_KIND_CREATE,
            ticketId, big, { v1::Ticket::kDeskFieldNumber })
                                   << none << "too_large"
                                   << "over the limit";
        QTest::newRow("create twice")
            << ticketOp(v1::OP_KIND_CREATE, v1::TICKET_STATE_WAITING) << waiting << "already_exists"
            << "already exists: it cannot be created again";
        QTest::newRow("update of nothing")
            << ticketOp(v1::OP_KIND_UPDATE, v1::TICKET_STATE_CALLED) << none << "unknown_entity"
            << "there is no Ticket " + QString::fromStdString(ticketId);
        QTest::newRow("ticket born called")
            << ticketOp(v1::OP_KIND_CREATE, v1::TICKET_STATE_CALLED) << none << "invalid_transition"
            << "a new Ticket cannot start with TICKET_STATE_CALLED";
        QTest::newRow("ticket served before called")
            << ticketOp(v1::OP_KIND_UPDATE, v1::TICKET_STATE_SERVED) << waiting << "invalid_transition"
            << "cannot go from TICKET_STATE_WAITING to TICKET_STATE_SERVED";
        QTest::newRow("served ticket back to waiting")
            << ticketOp(v1::OP_KIND_UPDATE, v1::TICKET_STATE_WAITING, { 9000, 0 }) << served
            << "invalid_transition"
            << "cannot go from TICKET_STATE_SERVED to TICKET_STATE_WAITING";
        QTest::newRow("ticket state cleared")
            << ticketOp(v1::OP_KIND_UPDATE, v1::TICKET_STATE_UNSPECIFIED) << waiting << "invalid_transition"
            << "from TICKET_STATE_WAITING to no state";
        QTest::newRow("case born closed")
            << caseOp(v1::OP_KIND_CREATE, "CLOSED") << none << "invalid_transition"
            << "a new Case cannot start with CLOSED";
        QTest::newRow("closed case taken in charge")
            << caseOp(v1::OP_KIND_UPDATE, "TAKEN_IN_CHARGE") << closed << "invalid_transition"
            << "cannot go from CLOSED to TAKEN_IN_CHARGE";
        QTest::newRow("intervention delivered unauthorised")
            << interventionOp(v1::OP_KIND_UPDATE, v1::INTERVENTION_STATE_DELIVERED) << requested
            << "invalid_transition"
            << "from INTERVENTION_STATE_REQUESTED to INTERVENTION_STATE_DELIVERED";
        QTest::newRow("intervention without state") <<
            [this] {
                v1::Intervention intervention;
                intervention.set_code("LOC-1");
                return makeOperation(nextOpId(), device, { 5000, 0 }, v1::OP_KIND_CREATE, interventionId,
                    intervention, { v1::Intervention::kCodeFieldNumber });
            }() << none << "invalid_transition"
                                                    << "a new Intervention cannot start with no state";
    }

    void rejects()
    {
        QFETCH(v1::Operation, operation);
        QFETCH(History, history);
        QFETCH(QString, code);
        QFETCH(QString, reason);

        std::optional<EntityState> current;
        if (!history.empty())
            current = serverHolding(history);
        const std::optional<v1::Rejection> rejection
            = m_rules.check(operation, current ? &*current : nullptr);
        QVERIFY(rejection.has_value());
        QCOMPARE(QString::fromStdString(rejection->op_id()), QString::fromStdString(operation.op_id()));
        QCOMPARE(QString::fromStdString(rejection->code()), code);
        QVERIFY2(QString::fromStdString(rejection->reason()).contains(reason), rejection->reason().c_str());
    }

    void acceptsValidPaths()
    {
        const auto walk = [&](std::vector<v1::Operation> path) {
            EntityState entity = EntityState::blank(*findEntityKind(path.front().entity_type()));
            bool first = true;
            std::uint64_t wall = 1000;
            for (v1::Operation &operation : path) {
                *operation.mutable_hlc() = core::HlcStamp { wall++, 0 }.toProto();
                const auto rejection = m_rules.check(operation, first ? nullptr : &entity);
                if (rejection)
                    return rejection->reason();
                if (!applyOperation(operation, entity).ok())
                    return std::string("merge failed");
                first = false;
            }
            return std::string();
        };
        QCOMPARE(walk({ ticketOp(v1::OP_KIND_CREATE, v1::TICKET_STATE_WAITING),
                     ticketOp(v1::OP_KIND_UPDATE, v1::TICKET_STATE_CALLED),
                     ticketOp(v1::OP_KIND_UPDATE, v1::TICKET_STATE_CALLED),
                     ticketOp(v1::OP_KIND_UPDATE, v1::TICKET_STATE_REFERRED) }),
            std::string());
        QCOMPARE(walk({ caseOp(v1::OP_KIND_CREATE, "OPEN"), caseOp(v1::OP_KIND_UPDATE, "TAKEN_IN_CHARGE"),
                     caseOp(v1::OP_KIND_UPDATE, "REFERRED"), caseOp(v1::OP_KIND_UPDATE, "CLOSED"),
                     caseOp(v1::OP_KIND_UPDATE, "REOPENED"), caseOp(v1::OP_KIND_UPDATE, "TAKEN_IN_CHARGE") }),
            std::string());
        QCOMPARE(walk({ interventionOp(v1::OP_KIND_CREATE, v1::INTERVENTION_STATE_REQUESTED),
                     interventionOp(v1::OP_KIND_UPDATE, v1::INTERVENTION_STATE_AUTHORISED),
                     interventionOp(v1::OP_KIND_UPDATE, v1::INTERVENTION_STATE_DELIVERED) }),
            std::string());

        // An update that leaves the state alone is not a transition.
        v1::Ticket desk;
        desk.set_desk("3");
        const EntityState waiting
            = serverHolding(History { ticketOp(v1::OP_KIND_CREATE, v1::TICKET_STATE_WAITING) });
        QVERIFY(!m_rules.check(makeOperation(nextOpId(), device, { 5000, 0 }, v1::OP_KIND_UPDATE, ticketId,
                                   desk, { v1::Ticket::kDeskFieldNumber }),
            &waiting));
    }

    void losingWriteChangesNoState()
    {
        // Served at 1002; a device that was offline says WAITING at 900: its write loses
        // the merge, so it moves no state and is accepted.
        const EntityState served
            = serverHolding(History { ticketOp(v1::OP_KIND_CREATE, v1::TICKET_STATE_WAITING),
                ticketOp(v1::OP_KIND_UPDATE, v1::TICKET_STATE_CALLED),
                ticketOp(v1::OP_KIND_UPDATE, v1::TICKET_STATE_SERVED) });
        const v1::Operation late = ticketOp(v1::OP_KIND_UPDATE, v1::TICKET_STATE_WAITING, { 900, 0 });
        QVERIFY(!m_rules.check(late, &served));
        EntityState merged = served.clone();
        QVERIFY(applyOperation(late, merged).ok());
        QCOMPARE(static_cast<const v1::Ticket &>(*merged.message).state(), v1::TICKET_STATE_SERVED);
    }

    void caseTableIsInjected()
    {
        const ServerRules strict(StateTransitions { { "", "OPEN" }, { "OPEN", "CLOSED" } });
        const EntityState open = serverHolding(History { caseOp(v1::OP_KIND_CREATE, "OPEN") });
        const auto rejection = strict.check(caseOp(v1::OP_KIND_UPDATE, "TAKEN_IN_CHARGE"), &open);
        QVERIFY(rejection.has_value());
        QCOMPARE(rejection->code(), "invalid_transition");
        QVERIFY(!strict.check(caseOp(v1::OP_KIND_UPDATE, "CLOSED"), &open));
        QVERIFY(!m_rules.check(caseOp(v1::OP_KIND_UPDATE, "TAKEN_IN_CHARGE"), &open));
    }
};

QTEST_GUILESS_MAIN(TestServerRules)
#include "tst_server_rules.moc"
