// Who is who in the backend: operator accounts and their passwords, login sessions,
// enrolled devices and their credentials, and the break-the-glass grants operators hold.
// Every request and sync connection is resolved here into a policy::Principal.
//
// Secrets: session tokens and device credentials are random 256-bit bearer secrets and
// enrollment codes 60-bit one-time codes; all three are stored only as their SHA-256
// (identity/secret.h). Passwords are Argon2id (identity/password.h).
//
// Login never says which of username and password was wrong, spends the same Argon2id
// work for an unknown username as for a wrong password, and is throttled per username
// (identity/login_throttle.h) in the store. Disabling an operator, changing a password or revoking a
// device revokes the sessions concerned in the same transaction; authentication also
// re-reads the operator and device on every call, so nothing revoked keeps working.
//
// Break-the-glass grants are kept in the store (storage/grant_repository.h), so they
// outlive a restart and every backend instance on one PostgreSQL honours them; they
// expire by the Clock. Whoever asks for one stores it in the same transaction as its
// audit event (api/), so no grant exists that the log does not show.
//
// Thread safety: every member may be called from any thread at once.
#pragma once

#include "core/clock.h"
#include "core/hlc.h"
#include "core/result.h"
#include "core/uuid.h"
#include "identity/login_throttle.h"
#include "identity/password.h"
#include "policy/principal.h"
#include "sigess/v1/api.pb.h"
#include "sigess/v1/entities.pb.h"
#include "storage/sql.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sigess::identity {

struct IdentityOptions {
    PasswordCost passwordCost = PasswordCost::interactive();
    std::uint64_t sessionLifetimeMs = 12ULL * 60 * 60 * 1000;
    std::uint64_t enrollmentCodeLifetimeMs = 24ULL * 60 * 60 * 1000;
    ThrottleOptions throttle;
};

struct Session {
    std::string token;  // shown once, to the client that logged in
    std::uint64_t expiresMs = 0;
    v1::Operator profile;
    policy::Principal principal;
};

struct IssuedEnrollmentCode {
    std::string code;  // shown once, to the admin who asked
    std::uint64_t expiresMs = 0;
};

struct EnrolledDevice {
    v1::Device device;
    std::string credential;  // shown once, to the device
};

// A device as its credential resolved it. A revoked device authenticates (so that sync
// can answer it with Wipe) with principal.standing == Standing::DeviceRevoked.
struct DeviceIdentity {
    v1::Device device;
    policy::Principal principal;
};

class IdentityService {
public:
    static constexpr std::string_view loginFailedMessage = "wrong username or password";

    // `hlc` stamps the operator and device records this service writes.
    IdentityService(storage::SqlDatabase &database, const core::Clock &clock, core::HybridLogicalClock &hlc,
                    core::UuidV7Generator &ids, IdentityOptions options);

    // Unauthorized with loginFailedMessage for an unknown username, a wrong password or a
    // disabled account; Throttled naming the wait while the username is locked.
    // A non-empty deviceCredential binds the session to that device (a tablet), so that
    // revoking the device ends the session; Unauthorized if it is not an active tablet.
    Result<Session> login(std::string_view username, std::string_view password,
                          std::string_view deviceCredential = {});
    // When a throttled username may try again; nullopt when it may try now.
    Result<std::optional<std::uint64_t>> loginLockedUntilMs(std::string_view username) const;
    // NotFound for an unknown token; revoking a revoked session is not an error.
    Status logout(std::string_view token);
    // Unauthorized (with the reason) for an unknown, expired or revoked token, a disabled
    // operator or a revoked device.
    Result<policy::Principal> authenticateSession(std::string_view token) const;
    // Unauthorized for an unknown credential; a revoked device: see DeviceIdentity.
    Result<DeviceIdentity> authenticateDevice(std::string_view credential) const;

    // Creates an operator with a fresh id (profile.meta.id is ignored). Invalid for a
    // malformed username, the kiosk role (a device role) or a weak password, or when an
    // operator or coordinator has no presidio; NotFound for an unknown presidio;
    // Conflict for a username taken.
    Result<v1::Operator> createOperator(v1::Operator profile, std::string_view password, std::string_view originDevice = {});
    // Ends every session of the operator. NotFound for an unknown id.
    Status setPassword(std::string_view operatorId, std::string_view password);
    // Marks the operator disabled and ends their sessions at once. NotFound for an unknown id.
    Result<v1::Operator> disableOperator(std::string_view operatorId);

    // Invalid for an unsupported kind; NotFound for an unknown presidio.
    Result<IssuedEnrollmentCode> issueEnrollmentCode(std::string_view presidio, v1::DeviceKind kind,
                                                     std::string_view issuedBy);
    // Unauthorized for a code that is unknown, expired or already used (one message for
    // all three, so that codes cannot be probed). A kiosk gets the first ticket prefix not
    // used by another kiosk of its presidio.
    Result<EnrolledDevice> enrollDevice(std::string_view code, std::string_view label);
    // Marks the device revoked (it will receive Wipe) and ends its sessions at once.
    // NotFound for an unknown id.
    Result<v1::Device> revokeDevice(std::string_view deviceId);

    // Keeps a grant made by policy::grantBreakGlass for its holder's next principals,
    // inside the caller's transaction (the one that logs it).
    Status holdGrant(storage::SqlExecutor &transaction, const policy::BreakGlassGrant &grant);

    const core::Clock &clock() const { return m_clock; }

private:
    Result<policy::Principal> principalFor(const v1::Operator &profile, std::string_view deviceId,
                                           policy::Standing standing) const;
    Result<std::string> municipioOf(std::string_view presidio) const;
    Result<std::vector<policy::BreakGlassGrant>> activeGrants(const std::string &operatorId) const;

    storage::SqlDatabase &m_database;
    const core::Clock &m_clock;
    core::HybridLogicalClock &m_hlc;
    core::UuidV7Generator &m_ids;
    IdentityOptions m_options;
    PasswordHasher m_hasher;
    LoginThrottle m_throttle;
};

// A grant as the API and the store carry it, and back. Invalid for a message whose
// scope is not one of policy's.
v1::Grant grantMessage(const policy::BreakGlassGrant &grant);
Result<policy::BreakGlassGrant> grantOf(std::string_view holder, const v1::Grant &message);
std::optional<policy::GrantScope> grantScopeNamed(std::string_view name);

} // namespace sigess::identity
