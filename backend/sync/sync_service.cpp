#include "sync/sync_service.h"

#include "policy/kiosk_intake.h"
#include "policy/policy.h"
#include "sync/sync_repository.h"

#include <algorithm>
#include <charconv>
#include <shared_mutex>
#include <utility>

namespace sigess::syncserver {

namespace {

constexpr std::uint32_t protocolVersion = 1;

v1::Rejection makeRejection(const std::string &opId, std::string code, std::string reason)
{
    v1::Rejection rejection;
    rejection.set_op_id(opId);
    rejection.set_code(std::move(code));
    rejection.set_reason(std::move(reason));
    return rejection;
}

// The responsible operator of an entity that has one (a case), empty otherwise.
std::string assignedOf(const google::protobuf::Message &entity)
{
    const auto *field = entity.GetDescriptor()->FindFieldByName("responsible_operator");
    if (field == nullptr || field->is_repeated() || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING)
        return {};
    return entity.GetReflection()->GetString(entity, field);
}

std::string encodeCursor(std::int64_t sequence)
{
    return std::to_string(sequence);
}

std::optional<std::int64_t> decodeCursor(const std::string &cursor)
{
    if (cursor.empty())
        return 0;
    std::int64_t sequence = 0;
    const auto [end, error] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), sequence);
    if (error != std::errc{} || end != cursor.data() + cursor.size() || sequence < 0)
        return std::nullopt;
    return sequence;
}

policy::Target targetOf(const ChangeScope &change)
{
    policy::Target target;
    target.id = change.entityId;
    target.presidio = change.presidio;
    if (!change.assigned.empty())
        target.assignedOperators.push_back(change.assigned);
    if (change.type == v1::ENTITY_TYPE_CASE)
        target.caseId = change.entityId;
    return target;
}

class Session : public net::SyncSession {
public:
    Session(SyncService &service, net::SyncLink link) : m_service(service), m_link(std::move(link)) {}
    ~Session() override { m_service.detach(this); }

    void onFrame(const v1::Envelope &frame) override
    {
        if (frame.has_hello()) {
            if (m_peer) {
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
            m_peer = std::move(outcome.peer);
            m_service.attach(this, *m_peer, m_link);
            return;
        }
        if (!m_peer) {
            m_link.send(makeReject(frame.sequence(), "hello_required", "the first frame must be Hello", false));
            return;
        }
        v1::Envelope reply;
        if (frame.has_push())
            reply = m_service.push(*m_peer, frame.push(), this);
        else if (frame.has_pull())
            reply = m_service.pull(*m_peer, frame.pull());
        else
            reply = makeReject(frame.sequence(), "unexpected_frame", "a device does not send this frame", false);
        reply.set_sequence(frame.sequence());
        m_link.send(reply);
    }

    void onClose() override { m_service.detach(this); }

private:
    SyncService &m_service;
    net::SyncLink m_link;
    std::optional<Peer> m_peer;
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
    Result<identity::DeviceIdentity> device = m_identity.authenticateDevice(hello.device_credential());
    if (!device.ok())
        return refuse("unauthorized", device.error().message);
    if (device->device.meta().id() != hello.device_id())
        return refuse("unauthorized", "the credential belongs to another device");
    if (device->principal.standing == policy::Standing::DeviceRevoked) {
        outcome.reply.mutable_wipe()->set_reason("this device was revoked; its data must be erased");
        return outcome;
    }
    Peer peer{hello.device_id(), device->principal};
    switch (device->device.kind()) {
    case v1::DEVICE_KIND_KIOSK:
        break;
    case v1::DEVICE_KIND_TABLET: {
        if (hello.operator_session().empty())
            return refuse("operator_session_required", "a tablet syncs on behalf of a signed-in operator");
        Result<policy::Principal> operatorPrincipal = m_identity.authenticateSession(hello.operator_session());
        if (!operatorPrincipal.ok())
            return refuse("unauthorized", operatorPrincipal.error().message);
        if (operatorPrincipal->deviceId != peer.deviceId)
            return refuse("unauthorized", "the operator session was opened on another device");
        peer.principal = std::move(operatorPrincipal).value();
        break;
    }
    default:
        return refuse("unsupported_device", "only kiosks and tablets sync");
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

std::optional<v1::Rejection> SyncService::authorizeWrite(const Peer &peer, const sync::DecodedOperation &operation,
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
    ChangeScope change{operation.kind->type, operation.entityId, presidio,
                       assignedOf(creates ? *operation.patch : *current->message)};
    const policy::Decision decision = policy::authorize(
        peer.principal, *resource, creates ? policy::Action::Create : policy::Action::Update, targetOf(change),
        m_identity.clock());
    if (!decision.allowed || decision.breakGlassUsed)
        return makeRejection(operation.opId, "forbidden", decision.reason.empty() ? "not allowed" : decision.reason);
    return std::nullopt;
}

v1::Envelope SyncService::push(const Peer &peer, const v1::Push &push, const void *sender)
{
    if (static_cast<std::size_t>(push.ops_size()) > m_options.maxBatch)
        return makeReject(0, "batch_too_large",
                          "a Push carries at most " + std::to_string(m_options.maxBatch) + " operations", false);
    v1::Envelope reply;
    auto *ack = reply.mutable_ack();
    ack->set_batch_id(push.batch_id());
    std::vector<ChangeScope> committed;
    std::int64_t latest = 0;
    for (const v1::Operation &operation : push.ops()) {
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
        std::optional<v1::Rejection> rejection;
        std::optional<ChangeScope> change;
        std::int64_t sequence = 0;
        // A replayed or rejected operation writes nothing: the transaction is rolled back
        // (undoing the head's bump) with this error, which then means "settled".
        const Error nothingToStore = makeError(ErrorCode::Conflict, "nothing to store");
        bool settled = false;
        const Status stored = m_database.transaction([&](storage::SqlExecutor &transaction) -> Status {
            rejection.reset();
            change.reset();
            settled = false;
            SyncRepository repository(transaction);
            // The head is claimed before anything is read, so that on PostgreSQL its lock
            // serializes the read-merge-write of concurrent pushes to one entity.
            Result<std::int64_t> claimed = repository.claimSequence();
            if (!claimed.ok())
                return claimed.takeError();
            sequence = *claimed;
            Result<bool> known = repository.hasOperation(decoded->opId);
            if (!known.ok())
                return known.takeError();
            if (*known) {
                settled = true;
                return nothingToStore;
            }
            Result<std::optional<sync::EntityState>> current = repository.loadEntity(*decoded->kind, decoded->entityId);
            if (!current.ok())
                return current.takeError();
            const sync::EntityState *held = current->has_value() ? &**current : nullptr;
            rejection = m_rules.check(*decoded, held);
            if (!rejection)
                rejection = authorizeWrite(peer, *decoded, held);
            if (rejection) {
                settled = true;
                return nothingToStore;
            }
            sync::EntityState merged = held != nullptr ? held->clone() : sync::EntityState::blank(*decoded->kind);
            if (Status applied = sync::applyOperation(*decoded, merged); !applied.ok()) {
                rejection = makeRejection(decoded->opId, "invalid_operation", applied.error().message);
                settled = true;
                return nothingToStore;
            }
            change = ChangeScope{decoded->kind->type, decoded->entityId, merged.meta().presidio(), assignedOf(*merged.message)};
            SIGESS_TRY(repository.saveEntity(merged, change->assigned));
            return repository.appendOperation(
                LoggedOperation{sequence, change->type, change->entityId, change->presidio, change->assigned, operation});
        });
        if (!stored.ok() && !settled)
            return makeReject(0, "unavailable", "the server could not store the batch: " + stored.error().message, false);
        if (rejection) {
            *ack->add_rejected() = std::move(*rejection);
            continue;
        }
        ack->add_accepted(operation.op_id());
        if (change) {
            committed.push_back(std::move(*change));
            latest = std::max(latest, sequence);
        }
    }
    if (!committed.empty())
        m_feed.publish(committed, latest, sender);
    return reply;
}

v1::Envelope SyncService::pull(const Peer &peer, const v1::Pull &pull)
{
    const std::optional<std::int64_t> cursor = decodeCursor(pull.cursor());
    if (!cursor)
        return makeReject(0, "invalid_cursor", "the cursor was not issued by this server", false);
    const std::size_t limit = pull.limit() == 0 ? m_options.maxPull : std::min(pull.limit(), m_options.maxPull);
    Result<std::vector<LoggedOperation>> scanned = SyncRepository(m_database).operationsAfter(*cursor, limit);
    if (!scanned.ok())
        return makeReject(0, "unavailable", "the server could not read its log: " + scanned.error().message, false);
    v1::Envelope reply;
    auto *changes = reply.mutable_changes();
    std::int64_t next = *cursor;
    for (LoggedOperation &logged : *scanned) {
        next = logged.sequence;
        if (mayRead(peer, ChangeScope{logged.type, logged.entityId, logged.presidio, logged.assigned}))
            *changes->add_ops() = std::move(logged.operation);
    }
    changes->set_next_cursor(encodeCursor(next));
    changes->set_more(scanned->size() == limit);
    return reply;
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

void SyncService::attach(const void *session, Peer peer, net::SyncLink link)
{
    const std::lock_guard lock(m_attachedMutex);
    m_attached.insert_or_assign(session, Attached{std::move(peer), std::move(link)});
}

void SyncService::detach(const void *session)
{
    const std::lock_guard lock(m_attachedMutex);
    m_attached.erase(session);
}

void SyncService::notify(const void *origin, const std::vector<ChangeScope> &changes, std::int64_t latest)
{
    std::vector<net::SyncLink> recipients;
    {
        const std::lock_guard lock(m_attachedMutex);
        for (const auto &[session, attached] : m_attached) {
            if (session == origin)
                continue;
            // Init-captured: clang 14 (the fuzz build) cannot capture a structured binding.
            if (std::any_of(changes.begin(), changes.end(),
                            [this, &peer = attached.peer](const ChangeScope &change) { return mayRead(peer, change); }))
                recipients.push_back(attached.link);
        }
    }
    v1::Envelope frame;
    frame.mutable_notify()->set_latest_cursor(encodeCursor(latest));
    for (const net::SyncLink &link : recipients)
        link.send(frame);
}

} // namespace sigess::syncserver
