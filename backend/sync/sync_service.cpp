#include "sync/sync_service.h"

#include "audit/access_event.h"
#include "audit/event_log.h"
#include "policy/kiosk_intake.h"
#include "policy/policy.h"
#include "sigess/v1/entities.pb.h"
#include "sync/entity_registry.h"
#include "sync/frame_codec.h"
#include "sync/batch_store.h"
#include "sync/record_projection.h"
#include "sync/server_rules.h"
#include "sync/server_writes.h"
#include "sync/sync_audit.h"
#include "storage/presidio_repository.h"
#include "sync/sync_repository.h"

#include <algorithm>
#include <charconv>
#include <future>
#include <iterator>
#include <list>
#include <set>
#include <shared_mutex>
#include <string_view>
#include <tuple>
#include <utility>

namespace sigess::syncserver {

namespace {

using sync::makeRejection;

constexpr std::uint32_t protocolVersion = 1;

// A cursor names the log's epoch and a position in that log: "EPOCH:SEQUENCE". Devices
// in the field may still hold a plain position, issued before the log had epochs.
struct Cursor {
    std::optional<std::string_view> epoch;  // none: a plain position
    std::int64_t sequence = 0;
};

std::string encodeCursor(std::string_view epoch, std::int64_t sequence)
{
    return std::string(epoch) + ':' + std::to_string(sequence);
}

std::optional<Cursor> decodeCursor(std::string_view cursor)
{
    if (cursor.empty())
        return Cursor{};
    Cursor decoded;
    if (const std::size_t colon = cursor.find(':'); colon != std::string_view::npos) {
        decoded.epoch = cursor.substr(0, colon);
        cursor.remove_prefix(colon + 1);
        const bool hex = std::all_of(decoded.epoch->begin(), decoded.epoch->end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        });
        if (decoded.epoch->empty() || !hex)
            return std::nullopt;
    }
    const auto [end, error] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), decoded.sequence);
    if (cursor.empty() || error != std::errc{} || end != cursor.data() + cursor.size() || decoded.sequence < 0)
        return std::nullopt;
    return decoded;
}

// Whether a cursor belongs to another history than the log's: one of another epoch, or
// a position beyond the log's head (a plain position held from before a restore).
bool foreignTo(const Cursor &cursor, const SyncRepository::Head &head)
{
    return (cursor.epoch && *cursor.epoch != head.epoch) || cursor.sequence > head.sequence;
}

// Only an update of a case's responsible operator or of its meta (its presidio) moves
// the case between scopes; checking nothing else keeps pulls free of extra look-ups.
bool movesCaseScope(const LoggedOperation &logged)
{
    const bool scopeField = std::any_of(logged.fields.begin(), logged.fields.end(), [](std::uint32_t field) {
        return field == v1::Case::kResponsibleOperatorFieldNumber || field == sync::metaFieldNumber;
    });
    return logged.type == v1::ENTITY_TYPE_CASE && logged.kind != v1::OP_KIND_CREATE && scopeField;
}

// The changes that differ in what SyncService::mayRead looks at: type, presidio and
// assigned operator, and the record's own id only for an operator's or a device's record
// (the policy's Self scope applies to those alone, and a break-glass grant, which could
// name a case or a citizen, never opens a record to a Notify). A Push of 500 operations
// names a handful of such scopes, so each connection is asked about a handful.
std::vector<const ChangeScope *> distinctReadScopes(const std::vector<ChangeScope> &changes)
{
    std::set<std::tuple<v1::EntityType, std::string_view, std::string_view, std::string_view>> seen;
    std::vector<const ChangeScope *> distinct;
    for (const ChangeScope &change : changes) {
        const bool identity = change.type == v1::ENTITY_TYPE_OPERATOR || change.type == v1::ENTITY_TYPE_DEVICE;
        if (seen.emplace(change.type, change.presidio, change.assigned,
                         identity ? std::string_view(change.entityId) : std::string_view())
                .second)
            distinct.push_back(&change);
    }
    return distinct;
}

v1::Envelope makeWipe(std::string reason)
{
    v1::Envelope frame;
    frame.mutable_wipe()->set_reason(std::move(reason));
    return frame;
}

// One connection's frames, handled in the order they arrive, each after every earlier
// frame's writes are committed, except that Pushes in a row go to the group commit
// together (the device's in-flight window) and are answered as each commits; a frame
// after them waits for their answers. Shared with the Pushes it has in the group commit,
// whose answers outlive the session when the connection closes first.
class Conversation : public std::enable_shared_from_this<Conversation> {
public:
    Conversation(SyncService &service, net::SyncLink link) : m_service(service), m_link(std::move(link)) {}

    void receive(v1::Envelope frame)
    {
        m_waiting.push_back(std::move(frame));
        handleWaiting();
    }

    void close() { m_service.detach(this); }

private:
    void handleWaiting()
    {
        while (!m_waiting.empty() && (m_pushesInFlight == 0 || m_waiting.front().has_push())) {
            v1::Envelope frame = std::move(m_waiting.front());
            m_waiting.pop_front();
            handle(std::move(frame));
        }
    }

    void handle(v1::Envelope frame)
    {
        if (frame.has_hello()) {
            if (m_welcomed) {
                m_link.send(makeReject(frame.sequence(), "already_welcomed", "this connection already said Hello", false));
                return;
            }
            SyncService::HelloOutcome outcome = m_service.hello(frame.hello());
            outcome.reply.set_sequence(frame.sequence());
            m_link.send(outcome.reply);
            if (!outcome.peer) {
                m_link.close(boost::beast::websocket::close_code::policy_error, "not welcomed");
                return;
            }
            m_welcomed = true;
            m_service.attach(this, std::move(*outcome.peer), m_link,
                             PeerCredentials{frame.hello().device_credential(), frame.hello().operator_session()});
            if (outcome.catalogUpdate)
                m_link.send(*outcome.catalogUpdate);
            return;
        }
        if (!m_welcomed) {
            m_link.send(makeReject(frame.sequence(), "hello_required", "the first frame must be Hello", false));
            return;
        }
        // The peer as it stands now: rights may have changed since the Hello. None when
        // the connection was refused since, and is being closed.
        const std::optional<Peer> peer = m_service.peerOf(this);
        if (!peer)
            return;
        if (frame.has_push())
            return submit(*peer, frame.sequence(), std::move(*frame.mutable_push()));
        if (frame.has_pull())
            return static_cast<void>(m_link.sendEncoded(m_service.pull(*peer, frame.pull(), frame.sequence())));
        m_link.send(makeReject(frame.sequence(), "unexpected_frame", "a device does not send this frame", false));
    }

    void submit(const Peer &peer, std::uint64_t sequence, v1::Push push)
    {
        ++m_pushesInFlight;
        auto answered = [link = m_link, self = weak_from_this(), sequence](v1::Envelope reply) {
            reply.set_sequence(sequence);
            link.send(reply);
            link.post([self](net::SyncSession &) {
                if (const std::shared_ptr<Conversation> conversation = self.lock())
                    conversation->pushAnswered();
            });
        };
        // A closed connection has no pool to hand the leader to; the leader then stores
        // the queue here.
        auto lead = [link = m_link](std::function<void()> leader) {
            if (!link.defer(leader))
                leader();
        };
        m_service.submitPush(peer, std::move(push), this, std::move(answered), lead);
    }

    void pushAnswered()
    {
        --m_pushesInFlight;
        handleWaiting();
    }

    SyncService &m_service;
    net::SyncLink m_link;
    bool m_welcomed = false;
    std::size_t m_pushesInFlight = 0;
    // A list, not a deque: an empty std::deque already holds about 600 bytes, and most
    // of the 10,000 connections a server holds are idle with nothing waiting.
    std::list<v1::Envelope> m_waiting;
};

class Session : public net::SyncSession {
public:
    Session(SyncService &service, net::SyncLink link)
        : m_conversation(std::make_shared<Conversation>(service, std::move(link)))
    {
    }
    ~Session() override { m_conversation->close(); }

    void onFrame(v1::Envelope frame) override { m_conversation->receive(std::move(frame)); }
    void onClose() override { m_conversation->close(); }

private:
    std::shared_ptr<Conversation> m_conversation;
};

} // namespace

v1::Envelope makeReject(std::uint64_t inReplyTo, std::string code, std::string reason, bool fatal)
{
    v1::Envelope frame;
    frame.set_sequence(inReplyTo);
    auto *reject = frame.mutable_reject();
    reject->set_code(std::move(code));
    reject->set_reason(std::move(reason));
    reject->set_fatal(fatal);
    reject->set_in_reply_to(inReplyTo);
    return frame;
}

struct SyncService::Subscription {
    std::shared_mutex mutex;
    SyncService *service = nullptr;  // null once the service is gone
};

SyncService::SyncService(storage::SqlDatabase &database, identity::IdentityService &identity,
                         core::HybridLogicalClock &hlc, ChangeFeed &feed, sync::ServerRules rules, SyncOptions options)
    : m_database(database)
    , m_identity(identity)
    , m_hlc(hlc)
    , m_feed(feed)
    , m_subscription(std::make_shared<Subscription>())
    , m_rules(std::move(rules))
    , m_options(options)
    , m_auditIds(identity.clock())
    , m_pushes([this](std::vector<PushJob> &group) { storeGroup(group); },
               GroupCommitOptions{options.groupOperations,
                                  options.concurrentGroups != 0 ? options.concurrentGroups
                                  : database.dialect() == storage::Dialect::Postgres ? std::size_t{2} : std::size_t{1}})
{
    m_subscription->service = this;
    m_feed.subscribe([weak = std::weak_ptr<Subscription>(m_subscription)](
                         const std::vector<ChangeScope> &changes, std::int64_t latest, const void *origin) {
        const std::shared_ptr<Subscription> subscription = weak.lock();
        if (!subscription)
            return;
        const std::shared_lock lock(subscription->mutex);
        if (subscription->service != nullptr)
            subscription->service->notify(origin, changes, latest);
    });
}

SyncService::~SyncService()
{
    // Waits for a notify in progress on another thread before the service goes.
    const std::unique_lock lock(m_subscription->mutex);
    m_subscription->service = nullptr;
}

net::SyncSessionFactory SyncService::sessionFactory()
{
    return [this](net::SyncLink link, const net::PeerInfo &) { return std::make_unique<Session>(*this, std::move(link)); };
}

SyncService::HelloOutcome SyncService::hello(const v1::Hello &hello)
{
    HelloOutcome outcome;
    auto refuse = [&](std::string code, std::string reason) {
        outcome.reply = makeReject(0, std::move(code), std::move(reason), true);
        return std::move(outcome);
    };
    if (hello.protocol_version() > protocolVersion)
        return refuse("unsupported_protocol", "this server speaks sync protocol version " + std::to_string(protocolVersion));
    std::variant<Peer, v1::Envelope> admitted
        = admit(hello.device_id(), PeerCredentials{hello.device_credential(), hello.operator_session()});
    if (auto *refusal = std::get_if<v1::Envelope>(&admitted)) {
        outcome.reply = std::move(*refusal);
        return outcome;
    }
    Peer peer = std::get<Peer>(std::move(admitted));
    if (m_options.catalog != nullptr && hello.catalog_release() < m_options.catalog->number()) {
        v1::CatalogUpdate &update = *outcome.catalogUpdate.emplace().mutable_catalog_update();
        update.set_number(m_options.catalog->number());
        update.set_content_hash(m_options.catalog->content_hash());
        if (m_options.catalog->ByteSizeLong() <= m_options.catalogInlineBytes)
            *update.mutable_release() = *m_options.catalog;
    }
    auto *welcome = outcome.reply.mutable_welcome();
    auto *scope = welcome->mutable_scope();
    scope->set_role(peer.principal.role);
    scope->set_presidio(peer.principal.presidio);
    scope->set_municipio(peer.principal.municipio);
    scope->set_operator_id(peer.principal.operatorId);
    *welcome->mutable_server_time() = m_hlc.now().toProto();
    welcome->set_max_batch(m_options.maxBatch);
    welcome->set_max_in_flight(m_options.maxInFlight);
    outcome.peer = std::move(peer);
    return outcome;
}

std::variant<Peer, v1::Envelope> SyncService::admit(const std::string &deviceId,
                                                     const PeerCredentials &credentials) const
{
    auto refuse = [](std::string code, std::string reason) { return makeReject(0, std::move(code), std::move(reason), true); };
    Result<identity::DeviceIdentity> device = m_identity.authenticateDevice(credentials.deviceCredential);
    if (!device.ok())
        return refuse("unauthorized", device.error().message);
    if (device->device.meta().id() != deviceId)
        return refuse("unauthorized", "the credential belongs to another device");
    if (device->principal.standing == policy::Standing::DeviceRevoked)
        return makeWipe("this device was revoked; its data must be erased");
    Peer peer{deviceId, device->principal};
    switch (device->device.kind()) {
    case v1::DEVICE_KIND_KIOSK:
        return peer;
    case v1::DEVICE_KIND_TABLET: {
        if (credentials.operatorSession.empty())
            return refuse("operator_session_required", "a tablet syncs on behalf of a signed-in operator");
        Result<policy::Principal> operatorPrincipal = m_identity.authenticateSession(credentials.operatorSession);
        if (!operatorPrincipal.ok())
            return refuse("unauthorized", operatorPrincipal.error().message);
        if (operatorPrincipal->deviceId != peer.deviceId)
            return refuse("unauthorized", "the operator session was opened on another device");
        if (operatorPrincipal->standing == policy::Standing::OperatorDisabled)
            return refuse("unauthorized", "the operator account is disabled");
        peer.principal = std::move(operatorPrincipal).value();
        return peer;
    }
    default:
        return refuse("unsupported_device", "only kiosks and tablets sync");
    }
}

policy::Target SyncService::targetOf(const ChangeScope &change) const
{
    policy::Target target;
    target.id = change.entityId;
    target.presidio = change.presidio;
    target.municipio = municipioOf(change.presidio);
    if (!change.assigned.empty())
        target.assignedOperators.push_back(change.assigned);
    if (change.type == v1::ENTITY_TYPE_CASE)
        target.caseId = change.entityId;
    return target;
}

std::string SyncService::municipioOf(const std::string &presidio) const
{
    if (presidio.empty())
        return {};
    const std::lock_guard lock(m_municipiMutex);
    if (const auto known = m_municipi.find(presidio); known != m_municipi.end())
        return known->second;
    // A presidio the store does not know has no municipio, and is looked up again next
    // time (it may be copied in from a newer release).
    Result<v1::Presidio> stored = storage::PresidioRepository(m_database).byCode(presidio);
    if (!stored.ok())
        return {};
    m_municipi.emplace(presidio, stored->municipio());
    return stored->municipio();
}

std::optional<v1::Rejection> SyncService::authorizeWrite(const CaseScopeLookup &caseScopes, const Peer &peer,
                                                         const sync::DecodedOperation &operation,
                                                         const sync::EntityState *current) const
{
    const bool creates = current == nullptr || !current->created();
    const std::string presidio = creates ? sync::entityMeta(*operation.patch).presidio() : current->meta().presidio();
    if (peer.principal.role == v1::ROLE_KIOSK) {
        const v1::EntityType type = operation.kind->type;
        if ((type != v1::ENTITY_TYPE_INTAKE && type != v1::ENTITY_TYPE_TICKET) || !creates)
            return makeRejection(operation.opId, "forbidden", "a kiosk only creates intakes and tickets");
        if (presidio != peer.principal.presidio)
            return makeRejection(operation.opId, "forbidden", "a kiosk writes only to its own presidio");
        if (type == v1::ENTITY_TYPE_INTAKE) {
            if (Status allowed = policy::checkKioskIntake(static_cast<const v1::Intake &>(*operation.patch)); !allowed.ok())
                return makeRejection(operation.opId, "forbidden_field", allowed.error().message);
        }
        return std::nullopt;
    }
    const std::optional<policy::Resource> resource = policy::resourceFor(operation.kind->type);
    if (!resource)
        return makeRejection(operation.opId, "forbidden", std::string(operation.kind->name()) + " records are not synced from devices");
    Result<ChangeScope> scoped
        = scopeOfEntity(caseScopes, operation.kind->type, creates ? *operation.patch : *current->message);
    if (!scoped.ok())
        return makeRejection(operation.opId, "unavailable", "the server could not read the record's scope: " + scoped.error().message);
    ChangeScope change = std::move(scoped).value();
    change.entityId = operation.entityId;
    change.presidio = presidio;
    const policy::Decision decision = policy::authorize(
        peer.principal, *resource, creates ? policy::Action::Create : policy::Action::Update, targetOf(change),
        m_identity.clock());
    if (!decision.allowed || decision.breakGlassUsed)
        return makeRejection(operation.opId, "forbidden", decision.reason.empty() ? "not allowed" : decision.reason);
    return std::nullopt;
}

void SyncService::submitPush(const Peer &peer, v1::Push push, const void *sender, PushAnswer answered,
                             const LeaderSite &lead)
{
    if (static_cast<std::size_t>(push.ops_size()) > m_options.maxBatch)
        return answered(makeReject(0, "batch_too_large",
                                   "a Push carries at most " + std::to_string(m_options.maxBatch) + " operations", false));
    auto pending = std::make_unique<PendingPush>();
    pending->peer = peer;
    pending->push = std::move(push);
    pending->sender = sender;
    pending->answered = std::move(answered);
    auto *ack = pending->reply.mutable_ack();
    ack->set_batch_id(pending->push.batch_id());
    // The epoch as known before the Push is stored, without reading the store for it: a
    // restore committed since can only make the Ack name an older history than the one
    // the Push goes into, which resets the device once more than needed, never less.
    if (const std::string epoch = currentEpoch(); !epoch.empty())
        ack->set_start_cursor(encodeCursor(epoch, 0));
    // The checks that need no store come first, on the connection's thread, so that the
    // transaction holds only what may be written.
    for (const v1::Operation &operation : pending->push.ops()) {
        if (operation.device() != peer.deviceId) {
            *ack->add_rejected() = makeRejection(operation.op_id(), "forbidden", "an operation must come from the device that pushes it");
            continue;
        }
        Result<sync::DecodedOperation> decoded = sync::decodeOperation(operation, m_rules.limits());
        if (!decoded.ok()) {
            *ack->add_rejected() = m_rules.check(operation, nullptr).value_or(
                makeRejection(operation.op_id(), "invalid_operation", decoded.error().message));
            continue;
        }
        pending->candidates.push_back(PushCandidate{&operation, std::move(decoded).value()});
    }
    const std::size_t weight = pending->candidates.size();
    if (m_pushes.submit(std::move(pending), weight, sender))
        lead([this] { m_pushes.lead(); });
}

v1::Envelope SyncService::push(const Peer &peer, const v1::Push &push, const void *sender)
{
    std::promise<v1::Envelope> answer;
    std::future<v1::Envelope> answered = answer.get_future();
    submitPush(peer, push, sender, [&answer](v1::Envelope reply) { answer.set_value(std::move(reply)); },
               [](const std::function<void()> &leader) { leader(); });
    return answered.get();
}

void SyncService::storeGroup(std::vector<PushJob> &group)
{
    // The Pushes share the transaction without savepoints: a savepoint makes SQLite copy
    // aside every page a Push dirties for the first time since it opened, and the Pushes
    // of a group dirty the same index pages one after another (sync_bench's embedded
    // ingest: 7-8 % of the server's CPU per operation; on PostgreSQL two round trips a
    // Push). An API table refusing a row is rare: the group is then stored again, each
    // Push in a savepoint of its own.
    Status stored;
    for (const PushIsolation isolation : {PushIsolation::Shared, PushIsolation::SavepointEach}) {
        stored = m_database.transaction([&](storage::SqlExecutor &transaction) -> Status {
            // Entity rows are locked as each Push reads them and the log's head only at
            // the end (logGroup), so on PostgreSQL groups on entities of their own run
            // side by side and wait on each other only to log. A replay or a rejection
            // takes no sequence.
            WorkingSet entities;
            SIGESS_TRY(lockWorkingSet(transaction, group, entities));
            std::int64_t next = 0;
            UnloggedOpIds unlogged;
            for (const PushJob &pending : group) {
                SIGESS_TRY(ingest(transaction, *pending, unlogged, entities, next, isolation));
                for (const PendingLogRow &row : pending->outcome.log)
                    unlogged.insert(row.operation->op_id());
            }
            return logGroup(transaction, group);
        });
        const bool refusedByTable = std::any_of(group.begin(), group.end(), [](const PushJob &pending) {
            return pending->outcome.refusedByTable.has_value();
        });
        if (stored.ok() || !refusedByTable)
            break;
    }
    for (const PushJob &pending : group) {
        if (!stored.ok()) {
            pending->answered(makeReject(0, "unavailable", "the server could not store the batch: " + stored.error().message,
                                         false));
            continue;
        }
        auto *ack = pending->reply.mutable_ack();
        ack->mutable_accepted()->Reserve(static_cast<int>(pending->outcome.accepted.size()));
        for (std::string &opId : pending->outcome.accepted)
            ack->add_accepted(std::move(opId));
        for (v1::Rejection &rejection : pending->outcome.rejected)
            *ack->add_rejected() = std::move(rejection);
        pending->outcome.committed.publishTo(m_feed, pending->sender);
        pending->answered(std::move(pending->reply));
    }
}

Status SyncService::lockWorkingSet(storage::SqlExecutor &transaction, const std::vector<PushJob> &group,
                                   WorkingSet &entities)
{
    // The embedded store's writer is alone: nothing to lock, and each Push reads its own.
    if (transaction.dialect() != storage::Dialect::Postgres)
        return {};
    std::map<v1::EntityType, std::vector<std::string>> ids;
    for (const PushJob &pending : group) {
        for (const PushCandidate &candidate : pending->candidates) {
            ids[candidate.decoded.kind->type].push_back(candidate.decoded.entityId);
            if (std::string caseId = caseOf(*candidate.decoded.patch); !caseId.empty())
                ids[v1::ENTITY_TYPE_CASE].push_back(std::move(caseId));
        }
    }
    return entities.read(transaction, std::move(ids));
}

Status SyncService::logGroup(storage::SqlExecutor &transaction, std::vector<PushJob> &group)
{
    std::vector<PendingLogRow> rows;
    std::vector<v1::AuditEvent> events;
    for (const PushJob &pending : group) {
        rows.insert(rows.end(), pending->outcome.log.begin(), pending->outcome.log.end());
        std::move(pending->outcome.events.begin(), pending->outcome.events.end(), std::back_inserter(events));
    }
    Result<std::int64_t> first = SyncRepository(transaction).appendToLog(rows);
    if (!first.ok())
        return first.takeError();
    for (const PushJob &pending : group)
        pending->outcome.committed.numberFrom(*first);
    return audit::appendEvents(transaction, events);
}

Status SyncService::ingest(storage::SqlExecutor &transaction, PendingPush &pending, const UnloggedOpIds &unlogged,
                           WorkingSet &entities,
                           std::int64_t &nextSequence, PushIsolation isolation)
{
    // A transaction that runs its body again (a retry) starts each Push afresh.
    pending.outcome = PushOutcome{};
    if (pending.candidates.empty())
        return {};
    if (isolation == PushIsolation::Shared) {
        std::int64_t next = nextSequence;
        const Status stored
            = mergeBatch(transaction, pending.peer, pending.candidates, unlogged, entities, next, pending.outcome);
        if (stored.ok())
            nextSequence = next;
        return stored;
    }
    // The Push goes in a savepoint of its own, whole. If an API table refuses an entity's
    // row (a codice fiscale or ticket number already taken), the savepoint is rolled back
    // and the Push runs again with each operation in a savepoint of its own, so that
    // exactly the operations the table refuses are rejected, each with the table's
    // reason, and the other Pushes of the group are not touched.
    for (const bool whole : {true, false}) {
        PushOutcome outcome;
        std::int64_t next = nextSequence;
        const Status stored = transaction.transaction([&](storage::SqlExecutor &savepoint) -> Status {
            return whole ? mergeBatch(savepoint, pending.peer, pending.candidates, unlogged, entities, next, outcome)
                         : mergeOneByOne(savepoint, pending.peer, pending.candidates, unlogged, entities, next, outcome);
        });
        if (stored.ok()) {
            nextSequence = next;
            pending.outcome = std::move(outcome);
            return {};
        }
        if (!whole || !outcome.refusedByTable)
            return stored;
    }
    return makeError(ErrorCode::Internal, "a Push was neither stored whole nor one operation at a time");
}

Status SyncService::mergeOneByOne(storage::SqlExecutor &transaction, const Peer &peer,
                                  std::span<const PushCandidate> candidates, const UnloggedOpIds &unlogged,
                                  WorkingSet &entities,
                                  std::int64_t &nextSequence, PushOutcome &outcome)
{
    // The operations stored one by one so far are not in the log either.
    UnloggedOpIds merged = unlogged;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        PushOutcome single;
        std::int64_t singleNext = nextSequence;
        const Status one = transaction.transaction([&](storage::SqlExecutor &savepoint) {
            return mergeBatch(savepoint, peer, candidates.subspan(i, 1), merged, entities, singleNext, single);
        });
        if (one.ok()) {
            nextSequence = singleNext;
            for (const PendingLogRow &row : single.log)
                merged.insert(row.operation->op_id());
            outcome.absorb(std::move(single));
            continue;
        }
        if (!single.refusedByTable)
            return one;
        // The table's words name its constraint; the operator is told what clashed.
        const bool clashed = single.refusedByTable->code == ErrorCode::Conflict;
        const Error reason = clashed ? explainRefusal(transaction, candidates[i].decoded) : *single.refusedByTable;
        if (clashed && reason.code != ErrorCode::Conflict)
            return reason;
        outcome.rejected.push_back(
            makeRejection(candidates[i].decoded.opId, clashed ? "conflict" : "invalid_operation", reason.message));
    }
    return {};
}

Status SyncService::mergeBatch(storage::SqlExecutor &transaction, const Peer &peer,
                               std::span<const PushCandidate> candidates, const UnloggedOpIds &unlogged,
                               WorkingSet &entities,
                               std::int64_t &nextSequence, PushOutcome &outcome)
{
    BatchStore batch(transaction, entities);
    std::vector<const sync::DecodedOperation *> decoded;
    for (const PushCandidate &candidate : candidates)
        decoded.push_back(&candidate.decoded);
    SIGESS_TRY(batch.prefetch(decoded));
    const sync::EntityKind &caseKind = *sync::findEntityKind(v1::ENTITY_TYPE_CASE);
    SyncAudit audit(transaction, m_identity.clock(), m_auditIds, [&](const std::string &caseId) -> Result<std::string> {
        Result<const sync::EntityState *> held = batch.entity(caseKind, caseId);
        if (!held.ok())
            return held.takeError();
        return *held != nullptr ? static_cast<const v1::Case &>(*(*held)->message).citizen() : std::string();
    });
    const CaseScopeLookup caseScopes = batch.caseScopes();
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const sync::DecodedOperation &operation = candidates[i].decoded;
        // Already logged: acknowledged again, never applied twice.
        if (batch.logged(operation.opId) || unlogged.contains(operation.opId)) {
            outcome.accepted.push_back(operation.opId);
            continue;
        }
        Result<const sync::EntityState *> current = batch.entity(*operation.kind, operation.entityId);
        if (!current.ok())
            return current.takeError();
        const sync::EntityState *held = *current;
        std::optional<v1::Rejection> rejection = m_rules.check(operation, held);
        if (!rejection)
            rejection = authorizeWrite(caseScopes, peer, operation, held);
        sync::EntityState merged = held != nullptr ? held->clone() : sync::EntityState::blank(*operation.kind);
        if (!rejection) {
            if (Status applied = sync::applyOperation(operation, merged); !applied.ok())
                rejection = makeRejection(operation.opId, "invalid_operation", applied.error().message);
        }
        if (rejection) {
            outcome.rejected.push_back(std::move(*rejection));
            continue;
        }
        SIGESS_TRY(audit.written(held != nullptr && held->created() ? policy::Action::Update : policy::Action::Create,
                                 *merged.message));
        Result<ChangeScope> change = batch.put(std::move(merged), *candidates[i].operation);
        if (!change.ok())
            return change.takeError();
        outcome.accepted.push_back(operation.opId);
        outcome.log.push_back(PendingLogRow{*change, candidates[i].operation});
        outcome.committed.add(std::move(change).value(), nextSequence++);
    }
    outcome.events = audit.takeWriteEvents(peer.principal);
    if (Status flushed = batch.flush(); !flushed.ok()) {
        const ErrorCode code = flushed.error().code;
        if (code == ErrorCode::Conflict || code == ErrorCode::Invalid)
            outcome.refusedByTable = flushed.error();
        return flushed;
    }
    return {};
}

void SyncService::PushOutcome::absorb(PushOutcome other)
{
    std::move(other.accepted.begin(), other.accepted.end(), std::back_inserter(accepted));
    std::move(other.rejected.begin(), other.rejected.end(), std::back_inserter(rejected));
    for (ChangeScope &change : other.committed.changes)
        committed.add(std::move(change), other.committed.latest);
    std::move(other.log.begin(), other.log.end(), std::back_inserter(log));
    std::move(other.events.begin(), other.events.end(), std::back_inserter(events));
}

std::string SyncService::pull(const Peer &peer, const v1::Pull &pull, std::uint64_t sequence)
{
    auto refuse = [sequence](std::string code, std::string reason) {
        return sync::encodeFrame(makeReject(sequence, std::move(code), std::move(reason), false));
    };
    const std::optional<Cursor> cursor = decodeCursor(pull.cursor());
    if (!cursor)
        return refuse("invalid_cursor", "the cursor was not issued by this server");
    // The head is read before the log: a restore committed between the two gives a frame
    // of the new log under the old epoch, which the device's next Pull finds foreign and
    // resets, never a frame of the old log under the new epoch.
    Result<SyncRepository::Head> head = SyncRepository(m_database).head();
    if (!head.ok())
        return refuse("unavailable", "the server could not read its log: " + head.error().message);
    rememberEpoch(head->epoch);
    // A cursor of another history is answered with the first frame of a full download,
    // which the device applies in place of everything it held from the server.
    const bool reset = foreignTo(*cursor, *head);
    const std::int64_t from = reset ? 0 : cursor->sequence;
    const std::size_t limit = pull.limit() == 0 ? m_options.maxPull : std::min(pull.limit(), m_options.maxPull);
    Result<std::vector<LoggedOperation>> scanned = SyncRepository(m_database).operationsAfter(from, limit);
    if (!scanned.ok())
        return refuse("unavailable", "the server could not read its log: " + scanned.error().message);
    v1::Changes changes;
    changes.set_reset(reset);
    std::int64_t next = from;
    std::vector<LoggedOperation> sent;
    sent.reserve(scanned->size());
    std::size_t sentBytes = 0;
    bool full = scanned->size() == limit;
    std::vector<v1::AuditEvent> evictionEvents;
    for (LoggedOperation &logged : *scanned) {
        if (sentBytes >= m_options.maxPullBytes) {
            full = true;
            break;
        }
        next = logged.sequence;
        if (mayRead(peer, ChangeScope{logged.type, logged.entityId, logged.presidio, logged.assigned})) {
            Result<std::vector<LoggedOperation>> history = historyGainedBy(peer, logged);
            if (!history.ok())
                return refuse("unavailable", "the server could not read its log: " + history.error().message);
            for (const LoggedOperation &earlier : *history)
                sentBytes += earlier.encoded.size();
            sentBytes += logged.encoded.size();
            sent.insert(sent.end(), std::make_move_iterator(history->begin()), std::make_move_iterator(history->end()));
            sent.push_back(std::move(logged));
            continue;
        }
        Result<std::vector<ChangeScope>> evicted = evictedBy(peer, logged, evictionEvents);
        if (!evicted.ok())
            return refuse("unavailable", "the server could not read its log: " + evicted.error().message);
        for (const ChangeScope &gone : *evicted) {
            v1::EntityRef &ref = *changes.add_evicted();
            ref.set_type(gone.type);
            ref.set_id(gone.entityId);
        }
    }
    const Status audited = m_database.transaction([&](storage::SqlExecutor &transaction) -> Status {
        Result<std::vector<v1::AuditEvent>> events
            = SyncAudit(transaction, m_identity.clock(), m_auditIds).sent(peer.principal, sent);
        if (!events.ok())
            return events.takeError();
        events->insert(events->end(), evictionEvents.begin(), evictionEvents.end());
        return audit::appendEvents(transaction, *events);
    });
    if (!audited.ok())
        return refuse("unavailable", "the server could not record this access in its audit log: " + audited.error().message);
    std::vector<std::string_view> operations;
    operations.reserve(sent.size());
    for (const LoggedOperation &logged : sent)
        operations.emplace_back(logged.encoded);
    changes.set_next_cursor(encodeCursor(head->epoch, next));
    changes.set_more(full);
    if (reset) {
        if (net::Counter *counted = m_resetsCounted.load(std::memory_order_acquire))
            counted->increment();
        if (m_options.deviceReset)
            m_options.deviceReset(peer.deviceId);
    }
    return sync::encodeChangesFrame(sequence, operations, changes);
}

Result<std::vector<LoggedOperation>> SyncService::historyGainedBy(const Peer &peer, const LoggedOperation &logged)
{
    if (!movesCaseScope(logged))
        return std::vector<LoggedOperation>{};
    SyncRepository repository(m_database);
    Result<std::optional<ChangeScope>> before = repository.scopeBefore(logged.type, logged.entityId, logged.sequence);
    if (!before.ok())
        return before.takeError();
    if (!*before || mayRead(peer, **before))
        return std::vector<LoggedOperation>{};
    Result<std::vector<ChangeScope>> parts = repository.casePartsOf(logged.entityId, {(*before)->assigned});
    if (!parts.ok())
        return parts.takeError();
    std::vector<ChangeScope> gained{**before};
    gained.insert(gained.end(), parts->begin(), parts->end());
    std::vector<LoggedOperation> history;
    for (const ChangeScope &entity : gained) {
        Result<std::vector<LoggedOperation>> operations
            = repository.operationsOf(entity.type, entity.entityId, logged.sequence);
        if (!operations.ok())
            return operations.takeError();
        history.insert(history.end(), std::make_move_iterator(operations->begin()),
                       std::make_move_iterator(operations->end()));
    }
    std::sort(history.begin(), history.end(),
              [](const LoggedOperation &a, const LoggedOperation &b) { return a.sequence < b.sequence; });
    return history;
}

Result<std::vector<ChangeScope>> SyncService::evictedBy(const Peer &peer, const LoggedOperation &logged,
                                                        std::vector<v1::AuditEvent> &events)
{
    if (!movesCaseScope(logged))
        return std::vector<ChangeScope>{};
    SyncRepository repository(m_database);
    Result<std::optional<ChangeScope>> before = repository.scopeBefore(logged.type, logged.entityId, logged.sequence);
    if (!before.ok())
        return before.takeError();
    if (!*before || !mayRead(peer, **before))
        return std::vector<ChangeScope>{};
    std::vector<ChangeScope> evicted{**before};
    std::vector<std::string> assignees{(*before)->assigned};
    if (logged.assigned != (*before)->assigned)
        assignees.push_back(logged.assigned);
    Result<std::vector<ChangeScope>> parts = repository.casePartsOf(logged.entityId, assignees);
    if (!parts.ok())
        return parts.takeError();
    evicted.insert(evicted.end(), parts->begin(), parts->end());
    Result<std::optional<sync::EntityState>> held
        = repository.loadEntity(*sync::findEntityKind(v1::ENTITY_TYPE_CASE), logged.entityId);
    if (!held.ok())
        return held.takeError();
    const std::string citizen = held->has_value() ? static_cast<const v1::Case &>(*(*held)->message).citizen() : "";
    policy::Decision decision;
    decision.allowed = true;
    decision.reason = "the case left the scope of operator " + (*before)->assigned + " (now "
                      + (logged.assigned.empty() ? std::string("in the presidio's queue") : "with operator " + logged.assigned)
                      + "); device " + peer.deviceId + " drops it and its case file ("
                      + std::to_string(evicted.size()) + " records)";
    v1::AuditEvent event = audit::accessEvent(m_auditIds.next().toString(), peer.principal, decision,
                                              policy::Action::Read, {v1::ENTITY_TYPE_CASE, logged.entityId, citizen, logged.presidio},
                                              m_identity.clock().nowMs());
    event.set_action("evict");
    events.push_back(std::move(event));
    return evicted;
}

bool SyncService::mayRead(const Peer &peer, const ChangeScope &change) const
{
    if (peer.principal.role == v1::ROLE_KIOSK)
        return change.type == v1::ENTITY_TYPE_TICKET && change.presidio == peer.principal.presidio;
    const std::optional<policy::Resource> resource = policy::resourceFor(change.type);
    if (!resource)
        return false;
    const policy::Decision decision
        = policy::authorize(peer.principal, *resource, policy::Action::Read, targetOf(change), m_identity.clock());
    return decision.allowed && !decision.breakGlassUsed;
}

void SyncService::attach(const void *session, Peer peer, net::SyncLink link, PeerCredentials credentials)
{
    const std::lock_guard lock(m_attachedMutex);
    m_attached.insert_or_assign(session, Attached{std::move(peer), std::move(link), std::move(credentials)});
}

std::optional<Peer> SyncService::peerOf(const void *session)
{
    const std::lock_guard lock(m_attachedMutex);
    const auto attached = m_attached.find(session);
    if (attached == m_attached.end())
        return std::nullopt;
    return attached->second.peer;
}

void SyncService::recheckRights(const std::vector<ChangeScope> &rightsChanges)
{
    recheckConnections([&rightsChanges](const Peer &peer) {
        return std::any_of(rightsChanges.begin(), rightsChanges.end(), [&peer](const ChangeScope &change) {
            const std::string &subject = change.type == v1::ENTITY_TYPE_DEVICE ? peer.deviceId : peer.principal.operatorId;
            return !subject.empty() && subject == change.entityId;
        });
    });
}

void SyncService::recheckConnections(const std::function<bool(const Peer &)> &affects)
{
    struct Affected {
        const void *session;
        std::string deviceId;
        PeerCredentials credentials;
        net::SyncLink link;
    };
    std::vector<Affected> affected;
    {
        const std::lock_guard lock(m_attachedMutex);
        for (const auto &[session, attached] : m_attached) {
            if (affects(attached.peer))
                affected.push_back(Affected{session, attached.peer.deviceId, attached.credentials, attached.link});
        }
    }
    // Authentication reads the store, so it runs outside the lock.
    for (Affected &one : affected) {
        std::variant<Peer, v1::Envelope> admitted = admit(one.deviceId, one.credentials);
        const std::lock_guard lock(m_attachedMutex);
        const auto attached = m_attached.find(one.session);
        if (attached == m_attached.end())
            continue;
        if (Peer *peer = std::get_if<Peer>(&admitted)) {
            attached->second.peer = std::move(*peer);
            continue;
        }
        m_attached.erase(attached);
        one.link.send(std::get<v1::Envelope>(admitted));
        one.link.close(boost::beast::websocket::close_code::policy_error, "rights withdrawn");
    }
}

void SyncService::detach(const void *session)
{
    const std::lock_guard lock(m_attachedMutex);
    m_attached.erase(session);
}

void SyncService::registerMetrics(net::MetricsRegistry &registry)
{
    m_resetsCounted.store(&registry.counter("sigess_sync_device_resets_total",
                                            "Pulls answered with a reset: the device's cursor named another history "
                                            "of the sync log (the store was restored from a backup)."),
                          std::memory_order_release);
}

void SyncService::rememberEpoch(const std::string &epoch)
{
    const std::lock_guard lock(m_epochMutex);
    m_epoch = epoch;
}

std::string SyncService::currentEpoch()
{
    {
        const std::lock_guard lock(m_epochMutex);
        if (!m_epoch.empty())
            return m_epoch;
    }
    Result<SyncRepository::Head> head = SyncRepository(m_database).head();
    if (!head.ok())
        return {};
    rememberEpoch(head->epoch);
    return head->epoch;
}

void SyncService::logReplaced()
{
    {
        const std::lock_guard lock(m_epochMutex);
        m_epoch.clear();
    }
    {
        const std::lock_guard lock(m_municipiMutex);
        m_municipi.clear();
    }
    // The restored store may not know a device enrolled, or an operator's session opened,
    // after the backup was taken.
    recheckConnections([](const Peer &) { return true; });
    Result<SyncRepository::Head> head = SyncRepository(m_database).head();
    v1::Envelope frame;
    v1::Notify &notice = *frame.mutable_notify();
    if (head.ok()) {
        rememberEpoch(head->epoch);
        notice.set_latest_cursor(encodeCursor(head->epoch, head->sequence));
    }
    std::vector<net::SyncLink> recipients;
    {
        const std::lock_guard lock(m_attachedMutex);
        for (const auto &[session, attached] : m_attached)
            recipients.push_back(attached.link);
    }
    for (const net::SyncLink &link : recipients)
        link.send(frame);
}

void SyncService::notify(const void *origin, const std::vector<ChangeScope> &published, std::int64_t latest)
{
    if (std::any_of(published.begin(), published.end(), isLogReplaced))
        return logReplaced();
    std::vector<ChangeScope> rightsChanges;
    std::vector<ChangeScope> changes;
    for (const ChangeScope &change : published)
        (isRightsChange(change) ? rightsChanges : changes).push_back(change);
    if (!rightsChanges.empty())
        recheckRights(rightsChanges);
    if (changes.empty())
        return;
    const std::vector<const ChangeScope *> scopes = distinctReadScopes(changes);
    std::vector<net::SyncLink> recipients;
    {
        const std::lock_guard lock(m_attachedMutex);
        for (const auto &[session, attached] : m_attached) {
            if (session == origin)
                continue;
            // Init-captured: clang 14 (the fuzz build) cannot capture a structured binding.
            if (std::any_of(scopes.begin(), scopes.end(),
                            [this, &peer = attached.peer](const ChangeScope *change) { return mayRead(peer, *change); }))
                recipients.push_back(attached.link);
        }
    }
    v1::Envelope frame;
    frame.mutable_notify()->set_latest_cursor(encodeCursor(currentEpoch(), latest));
    for (const net::SyncLink &link : recipients)
        link.send(frame);
}

} // namespace sigess::syncserver
