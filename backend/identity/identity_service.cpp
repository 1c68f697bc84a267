#include "identity/identity_service.h"

#include "identity/secret.h"
#include "storage/device_repository.h"
#include "storage/grant_repository.h"
#include "storage/operator_repository.h"
#include "storage/presidio_repository.h"
#include "storage/session_repository.h"

#include <algorithm>
#include <set>
#include <utility>

namespace sigess::identity {

namespace {

constexpr std::size_t minUsernameLength = 3;
constexpr std::size_t maxUsernameLength = 64;
// Longer than any secret we issue; anything longer is refused before it is hashed.
constexpr std::size_t maxSecretLength = 128;
constexpr std::size_t maxLabelLength = 100;
constexpr std::string_view enrollmentFailedMessage = "the enrollment code is unknown, expired or already used";

// Usernames are compared in lower case, so "MRossi" and "mrossi" are one account and
// one throttle record.
std::string normalizeUsername(std::string_view username)
{
    std::string name(username.substr(0, maxUsernameLength + 1));
    std::ranges::transform(name, name.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return name;
}

Status checkUsername(std::string_view name)
{
    if (name.size() < minUsernameLength || name.size() > maxUsernameLength) {
        return makeError(ErrorCode::Invalid, "a username has " + std::to_string(minUsernameLength) + " to "
                                                 + std::to_string(maxUsernameLength) + " characters");
    }
    const auto allowed = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    };
    if (!std::ranges::all_of(name, allowed)) {
        return makeError(ErrorCode::Invalid,
                         "a username may contain only lower-case letters a-z, digits, '.', '_' and '-'");
    }
    if (!allowed(name.front()) || name.front() == '.' || name.front() == '_' || name.front() == '-')
        return makeError(ErrorCode::Invalid, "a username starts with a letter or a digit");
    return {};
}

bool needsPresidio(v1::Role role)
{
    return role == v1::ROLE_OPERATOR || role == v1::ROLE_COORDINATOR;
}

Error unauthorized(std::string message)
{
    return makeError(ErrorCode::Unauthorized, std::move(message));
}

std::string waitSentence(std::uint64_t untilMs, std::uint64_t nowMs)
{
    const std::uint64_t seconds = (untilMs - std::min(untilMs, nowMs) + 999) / 1000;
    return "too many failed sign-ins for this username; try again in " + std::to_string(seconds) + " seconds";
}

// Kiosk ticket prefixes: A..Z, then AA..ZZ; a presidio never has that many kiosks.
std::string prefixAt(std::size_t index)
{
    constexpr std::size_t letters = 26;
    if (index < letters)
        return std::string(1, static_cast<char>('A' + index));
    index -= letters;
    return std::string {static_cast<char>('A' + (index / letters) % letters), static_cast<char>('A' + index % letters)};
}

Result<std::string> freeTicketPrefix(storage::SqlExecutor &sql, const std::string &presidio)
{
    std::set<std::string> used;
    storage::DeviceRepository devices(sql);
    storage::PageRequest page;
    page.limit = storage::PageRequest::maxLimit;
    do {
        auto listed = devices.list(storage::Scope::presidio(presidio), page);
        if (!listed)
            return listed.takeError();
        for (const v1::Device &device : listed->items) {
            if (device.kind() == v1::DEVICE_KIND_KIOSK && !device.ticket_prefix().empty())
                used.insert(device.ticket_prefix());
        }
        page.cursor = listed->nextCursor;
    } while (!page.cursor.empty());
    for (std::size_t index = 0;; ++index) {
        std::string prefix = prefixAt(index);
        if (!used.contains(prefix))
            return prefix;
    }
}

} // namespace

IdentityService::IdentityService(storage::SqlDatabase &database, const core::Clock &clock,
                                 core::HybridLogicalClock &hlc, core::UuidV7Generator &ids, IdentityOptions options)
    : m_database(database)
    , m_clock(clock)
    , m_hlc(hlc)
    , m_ids(ids)
    , m_options(options)
    , m_hasher(options.passwordCost)
    , m_throttle(database, clock, options.throttle)
{
}

Result<Session> IdentityService::login(std::string_view username, std::string_view password,
                                       std::string_view deviceCredential)
{
    const std::string name = normalizeUsername(username);
    // No account can have a malformed name (nor can the store key a record by one that is
    // not UTF-8): it fails like any unknown username, with the same Argon2id work.
    if (!checkUsername(name).ok()) {
        m_hasher.verifyUnknown(password);
        return unauthorized(std::string(loginFailedMessage));
    }
    auto locked = m_throttle.lockedUntilMs(name);
    if (!locked)
        return locked.takeError();
    if (*locked)
        return makeError(ErrorCode::Throttled, waitSentence(**locked, m_clock.nowMs()));

    auto account = storage::OperatorRepository(m_database).byUsername(name);
    if (!account) {
        if (account.error().code != ErrorCode::NotFound && account.error().code != ErrorCode::Invalid)
            return account.takeError();
        m_hasher.verifyUnknown(password);
        SIGESS_TRY(m_throttle.recordFailure(name));
        return unauthorized(std::string(loginFailedMessage));
    }
    // The hash is checked even for a disabled account, so that its answer takes as long.
    const bool passwordMatches = m_hasher.verify(account->passwordHash, password);
    if (!passwordMatches || account->profile.disabled()) {
        SIGESS_TRY(m_throttle.recordFailure(name));
        return unauthorized(std::string(loginFailedMessage));
    }
    SIGESS_TRY(m_throttle.recordSuccess(name));

    const v1::Operator &profile = account->profile;
    std::string deviceId;
    if (!deviceCredential.empty()) {
        auto device = authenticateDevice(deviceCredential);
        if (!device)
            return device.takeError();
        if (device->device.kind() != v1::DEVICE_KIND_TABLET
            || device->principal.standing != policy::Standing::Active) {
            return unauthorized("only an active enrolled tablet can carry an operator's session");
        }
        deviceId = device->device.meta().id();
    }

    if (m_hasher.needsRehash(account->passwordHash)) {
        auto rehashed = m_hasher.hash(password);
        // A password shorter than today's minimum still logs in; it is rehashed when changed.
        if (rehashed)
            SIGESS_TRY(storage::OperatorRepository(m_database).setPasswordHash(profile.meta().id(), *rehashed));
    }

    const std::uint64_t now = m_clock.nowMs();
    Session session;
    session.token = randomToken();
    session.expiresMs = now + m_options.sessionLifetimeMs;
    session.profile = profile;
    storage::SessionRecord record;
    record.tokenHash = secretHash(session.token);
    record.operatorId = profile.meta().id();
    record.deviceId = deviceId;
    record.createdMs = now;
    record.expiresMs = session.expiresMs;
    SIGESS_TRY(storage::SessionRepository(m_database).create(record));

    auto principal = principalFor(profile, deviceId, policy::Standing::Active);
    if (!principal)
        return principal.takeError();
    session.principal = std::move(principal).value();
    return session;
}

Result<std::optional<std::uint64_t>> IdentityService::loginLockedUntilMs(std::string_view username) const
{
    return m_throttle.lockedUntilMs(normalizeUsername(username));
}

Status IdentityService::logout(std::string_view token)
{
    if (token.empty() || token.size() > maxSecretLength)
        return makeError(ErrorCode::NotFound, "no such session");
    return storage::SessionRepository(m_database).revoke(secretHash(token));
}

Result<policy::Principal> IdentityService::authenticateSession(std::string_view token) const
{
    if (token.empty() || token.size() > maxSecretLength)
        return unauthorized("a session token is required");
    auto session = storage::SessionRepository(m_database).byTokenHash(secretHash(token));
    if (!session) {
        if (session.error().code == ErrorCode::NotFound)
            return unauthorized("unknown session token; log in again");
        return session.takeError();
    }
    if (session->revoked)
        return unauthorized("the session has ended; log in again");
    if (m_clock.nowMs() >= session->expiresMs)
        return unauthorized("the session has expired; log in again");

    auto account = storage::OperatorRepository(m_database).byId(session->operatorId);
    if (!account) {
        if (account.error().code == ErrorCode::NotFound)
            return unauthorized("the session's operator no longer exists");
        return account.takeError();
    }
    if (account->profile.disabled())
        return unauthorized("the operator account is disabled");
    if (!session->deviceId.empty()) {
        auto device = storage::DeviceRepository(m_database).byId(session->deviceId);
        if (!device)
            return device.error().code == ErrorCode::NotFound ? unauthorized("the session's device is not enrolled")
                                                               : device.takeError();
        if (device->device.revoked())
            return unauthorized("the device is revoked");
    }
    return principalFor(account->profile, session->deviceId, policy::Standing::Active);
}

Result<DeviceIdentity> IdentityService::authenticateDevice(std::string_view credential) const
{
    if (credential.empty() || credential.size() > maxSecretLength)
        return unauthorized("a device credential is required");
    auto record = storage::DeviceRepository(m_database).byCredentialHash(secretHash(credential));
    if (!record) {
        if (record.error().code == ErrorCode::NotFound)
            return unauthorized("unknown device credential");
        return record.takeError();
    }
    DeviceIdentity identity;
    identity.device = std::move(record->device);
    policy::Principal &principal = identity.principal;
    // A tablet has no rights of its own: it acts through the session of whoever logs in on it.
    principal.role = identity.device.kind() == v1::DEVICE_KIND_KIOSK ? v1::ROLE_KIOSK : v1::ROLE_UNSPECIFIED;
    principal.deviceId = identity.device.meta().id();
    principal.presidio = identity.device.meta().presidio();
    auto municipio = municipioOf(principal.presidio);
    if (!municipio)
        return municipio.takeError();
    principal.municipio = std::move(municipio).value();
    principal.standing = identity.device.revoked() ? policy::Standing::DeviceRevoked : policy::Standing::Active;
    return identity;
}

Result<v1::Operator> IdentityService::createOperator(v1::Operator profile, std::string_view password,
                                                     std::string_view originDevice)
{
    profile.set_username(normalizeUsername(profile.username()));
    SIGESS_TRY(checkUsername(profile.username()));
    if (profile.role() == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(profile.role()))
        return makeError(ErrorCode::Invalid, "an operator needs a role");
    if (profile.role() == v1::ROLE_KIOSK)
        return makeError(ErrorCode::Invalid, "kiosk is the role of an enrolled device, not of an operator");
    const std::string &presidio = profile.meta().presidio();
    if (needsPresidio(profile.role()) && presidio.empty())
        return makeError(ErrorCode::Invalid, "an operator or coordinator belongs to a presidio");
    if (!presidio.empty()) {
        auto known = storage::PresidioRepository(m_database).byCode(presidio);
        if (!known)
            return known.takeError();
    }
    auto hash = m_hasher.hash(password);
    if (!hash)
        return hash.takeError();

    v1::EntityMeta &meta = *profile.mutable_meta();
    meta.set_id(m_ids.next().toString());
    const v1::Hlc stamp = m_hlc.now().toProto();
    *meta.mutable_created() = stamp;
    *meta.mutable_updated() = stamp;
    meta.set_origin_device(std::string(originDevice));
    profile.set_disabled(false);
    SIGESS_TRY(storage::OperatorRepository(m_database).create(profile, *hash));
    return profile;
}

Status IdentityService::setPassword(std::string_view operatorId, std::string_view password)
{
    auto hash = m_hasher.hash(password);
    if (!hash)
        return hash.takeError();
    return m_database.transaction([&](storage::SqlExecutor &sql) -> Status {
        SIGESS_TRY(storage::OperatorRepository(sql).setPasswordHash(operatorId, *hash));
        SIGESS_TRY(storage::SessionRepository(sql).revokeAllForOperator(operatorId));
        return {};
    });
}

Result<v1::Operator> IdentityService::disableOperator(std::string_view operatorId)
{
    v1::Operator profile;
    Status written = m_database.transaction([&](storage::SqlExecutor &sql) -> Status {
        storage::OperatorRepository operators(sql);
        auto account = operators.byId(operatorId);
        if (!account)
            return account.takeError();
        profile = std::move(account->profile);
        profile.set_disabled(true);
        *profile.mutable_meta()->mutable_updated() = m_hlc.now().toProto();
        SIGESS_TRY(operators.update(profile));
        SIGESS_TRY(storage::SessionRepository(sql).revokeAllForOperator(operatorId));
        auto dropped = storage::GrantRepository(sql).removeAllOf(operatorId);
        if (!dropped)
            return dropped.takeError();
        return {};
    });
    if (!written)
        return written.takeError();
    return profile;
}

Result<IssuedEnrollmentCode> IdentityService::issueEnrollmentCode(std::string_view presidio, v1::DeviceKind kind,
                                                                  std::string_view issuedBy)
{
    if (kind != v1::DEVICE_KIND_KIOSK && kind != v1::DEVICE_KIND_TABLET)
        return makeError(ErrorCode::Invalid, "only kiosks and tablets are enrolled");
    if (presidio.empty())
        return makeError(ErrorCode::Invalid, "a device is enrolled into a presidio");
    auto known = storage::PresidioRepository(m_database).byCode(presidio);
    if (!known)
        return known.takeError();

    IssuedEnrollmentCode issued;
    issued.code = randomEnrollmentCode();
    const std::uint64_t now = m_clock.nowMs();
    issued.expiresMs = now + m_options.enrollmentCodeLifetimeMs;
    storage::EnrollmentCode record;
    record.codeHash = secretHash(normalizeEnrollmentCode(issued.code));
    record.presidio = std::string(presidio);
    record.kind = kind;
    record.issuedBy = std::string(issuedBy);
    record.issuedMs = now;
    record.expiresMs = issued.expiresMs;
    SIGESS_TRY(storage::DeviceRepository(m_database).createEnrollmentCode(record));
    return issued;
}

Result<EnrolledDevice> IdentityService::enrollDevice(std::string_view code, std::string_view label)
{
    if (label.size() > maxLabelLength)
        return makeError(ErrorCode::Invalid, "a device label has at most " + std::to_string(maxLabelLength) + " bytes");
    const std::string normalized = normalizeEnrollmentCode(code);
    if (normalized.empty() || normalized.size() > maxSecretLength)
        return unauthorized(std::string(enrollmentFailedMessage));

    EnrolledDevice enrolled;
    enrolled.credential = randomToken();
    const std::string deviceId = m_ids.next().toString();
    Status written = m_database.transaction([&](storage::SqlExecutor &sql) -> Status {
        storage::DeviceRepository devices(sql);
        auto redeemed = devices.redeemEnrollmentCode(secretHash(normalized), deviceId, m_clock.nowMs());
        if (!redeemed) {
            const ErrorCode failure = redeemed.error().code;
            if (failure == ErrorCode::NotFound || failure == ErrorCode::Conflict || failure == ErrorCode::Unauthorized)
                return unauthorized(std::string(enrollmentFailedMessage));
            return redeemed.takeError();
        }
        v1::Device device;
        v1::EntityMeta &meta = *device.mutable_meta();
        meta.set_id(deviceId);
        const v1::Hlc stamp = m_hlc.now().toProto();
        *meta.mutable_created() = stamp;
        *meta.mutable_updated() = stamp;
        meta.set_origin_device(deviceId);
        meta.set_presidio(redeemed->presidio);
        device.set_kind(redeemed->kind);
        device.set_label(std::string(label));
        if (device.kind() == v1::DEVICE_KIND_KIOSK) {
            auto prefix = freeTicketPrefix(sql, redeemed->presidio);
            if (!prefix)
                return prefix.takeError();
            device.set_ticket_prefix(*prefix);
        }
        SIGESS_TRY(devices.create(device, secretHash(enrolled.credential)));
        enrolled.device = std::move(device);
        return {};
    });
    if (!written)
        return written.takeError();
    return enrolled;
}

Result<v1::Device> IdentityService::revokeDevice(std::string_view deviceId)
{
    v1::Device device;
    Status written = m_database.transaction([&](storage::SqlExecutor &sql) -> Status {
        storage::DeviceRepository devices(sql);
        auto record = devices.byId(deviceId);
        if (!record)
            return record.takeError();
        device = std::move(record->device);
        device.set_revoked(true);
        *device.mutable_meta()->mutable_updated() = m_hlc.now().toProto();
        SIGESS_TRY(devices.update(device));
        SIGESS_TRY(storage::SessionRepository(sql).revokeAllForDevice(deviceId));
        return {};
    });
    if (!written)
        return written.takeError();
    return device;
}

Status IdentityService::holdGrant(storage::SqlExecutor &transaction, const policy::BreakGlassGrant &grant)
{
    storage::GrantRepository grants(transaction);
    // Expired grants are of no use to anyone; sweeping them here keeps the table small.
    auto swept = grants.removeExpired(m_clock.nowMs());
    if (!swept)
        return swept.takeError();
    return grants.create(m_ids.next().toString(), grant.holder, grantMessage(grant));
}

Result<policy::Principal> IdentityService::principalFor(const v1::Operator &profile, std::string_view deviceId,
                                                        policy::Standing standing) const
{
    policy::Principal principal;
    principal.role = profile.role();
    principal.operatorId = profile.meta().id();
    principal.deviceId = std::string(deviceId);
    principal.presidio = profile.meta().presidio();
    auto municipio = municipioOf(principal.presidio);
    if (!municipio)
        return municipio.takeError();
    principal.municipio = std::move(municipio).value();
    principal.standing = profile.disabled() ? policy::Standing::OperatorDisabled : standing;
    auto grants = activeGrants(principal.operatorId);
    if (!grants)
        return grants.takeError();
    principal.grants = std::move(grants).value();
    return principal;
}

Result<std::string> IdentityService::municipioOf(std::string_view presidio) const
{
    if (presidio.empty())
        return std::string();
    auto found = storage::PresidioRepository(m_database).byCode(presidio);
    if (!found) {
        // A presidio dropped from the catalog leaves its people with no municipio scope.
        if (found.error().code == ErrorCode::NotFound)
            return std::string();
        return found.takeError();
    }
    return found->municipio();
}

Result<std::vector<policy::BreakGlassGrant>> IdentityService::activeGrants(const std::string &operatorId) const
{
    std::vector<policy::BreakGlassGrant> active;
    if (operatorId.empty())
        return active;
    const std::uint64_t now = m_clock.nowMs();
    auto stored = storage::GrantRepository(m_database).unexpired(operatorId, now);
    if (!stored)
        return stored.takeError();
    for (const v1::Grant &message : *stored) {
        auto grant = grantOf(operatorId, message);
        if (!grant)
            return grant.takeError();
        if (grant->activeAt(now))
            active.push_back(std::move(grant).value());
    }
    return active;
}

v1::Grant grantMessage(const policy::BreakGlassGrant &grant)
{
    v1::Grant message;
    message.set_scope(std::string(policy::grantScopeName(grant.scope)));
    message.set_subject(grant.subject);
    message.set_reason(grant.reason);
    message.set_granted_at_ms(grant.grantedAtMs);
    message.set_expires_at_ms(grant.expiresAtMs);
    return message;
}

Result<policy::BreakGlassGrant> grantOf(std::string_view holder, const v1::Grant &message)
{
    const auto scope = grantScopeNamed(message.scope());
    if (!scope)
        return makeError(ErrorCode::Invalid, "a grant's scope is one of \"citizen\", \"case\" and \"presidio\", not \""
                                                 + message.scope() + "\"");
    return policy::BreakGlassGrant {std::string(holder), *scope, message.subject(), message.reason(),
                                    message.granted_at_ms(), message.expires_at_ms()};
}

std::optional<policy::GrantScope> grantScopeNamed(std::string_view name)
{
    for (const policy::GrantScope scope :
         {policy::GrantScope::Citizen, policy::GrantScope::Case, policy::GrantScope::Presidio}) {
        if (policy::grantScopeName(scope) == name)
            return scope;
    }
    return std::nullopt;
}

} // namespace sigess::identity
