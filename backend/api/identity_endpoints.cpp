// Endpoints about who is who: login and logout, the caller, presidi, operators, devices
// and breaking the glass.
#include "api/context.h"

#include "identity/identity_service.h"
#include "policy/break_glass.h"
#include "sigess/v1/api.pb.h"
#include "storage/case_repository.h"
#include "storage/citizen_repository.h"
#include "storage/device_repository.h"
#include "storage/operator_repository.h"
#include "storage/presidio_repository.h"

#include <algorithm>
#include <cstdint>

namespace sigess::api::endpoints {

namespace http = boost::beast::http;
using policy::Action;
using policy::Resource;

namespace {

storage::Scope storageScope(const std::string &presidio)
{
    return presidio.empty() ? storage::Scope::city() : storage::Scope::presidio(presidio);
}

policy::Target operatorTarget(const Context &context, const v1::Operator &profile)
{
    policy::Target target = presidioTarget(context, profile.meta().presidio());
    target.id = profile.meta().id();
    return target;
}

policy::Target deviceTarget(const Context &context, const v1::Device &device)
{
    policy::Target target = presidioTarget(context, device.meta().presidio());
    target.id = device.meta().id();
    return target;
}

Result<v1::Me> meOf(Context &context, const policy::Principal &principal, const v1::Operator &profile)
{
    v1::Me me;
    me.set_role(principal.role);
    *me.mutable_operator_() = profile;
    me.set_presidio(principal.presidio);
    me.set_municipio(principal.municipio);
    if (!principal.deviceId.empty()) {
        auto device = storage::DeviceRepository(context.services.database).byId(principal.deviceId);
        if (!device)
            return device.takeError();
        *me.mutable_device() = device->device;
    }
    for (const policy::BreakGlassGrant &grant : principal.grants)
        *me.add_grants() = identity::grantMessage(grant);
    return me;
}

Result<v1::Operator> loadOperator(Context &context, const std::string &id)
{
    auto account = storage::OperatorRepository(context.services.database).byId(id);
    if (!account)
        return account.takeError();
    return std::move(account->profile);
}

Result<v1::Device> loadDevice(Context &context, const std::string &id)
{
    auto record = storage::DeviceRepository(context.services.database).byId(id);
    if (!record)
        return record.takeError();
    return std::move(record->device);
}

// Whether the subject of a grant exists, so that nobody holds a grant on nothing.
Status checkGrantSubject(Context &context, policy::GrantScope scope, const std::string &subject)
{
    const auto found = [](auto lookedUp, const char *what) -> Status {
        if (lookedUp)
            return {};
        if (lookedUp.error().code == ErrorCode::NotFound)
            return makeError(ErrorCode::NotFound, std::string("no ") + what + " has this id");
        return lookedUp.takeError();
    };
    switch (scope) {
    case policy::GrantScope::Citizen:
        return found(storage::CitizenRepository(context.services.database).byId(subject), "citizen");
    case policy::GrantScope::Case:
        return found(storage::CaseRepository(context.services.database).byId(subject), "case");
    case policy::GrantScope::Presidio:
        return context.municipioOfPresidio.contains(subject)
                   ? Status {}
                   : makeError(ErrorCode::NotFound, "no presidio has this code in the catalog");
    }
    return makeError(ErrorCode::Invalid, "unknown grant scope");
}

// Whole seconds until a throttled username may try again, at least one: a client that
// honours Retry-After must not come back while the lock still holds.
std::uint64_t retryAfterSeconds(Context &context, std::string_view username)
{
    const std::uint64_t now = context.services.clock.nowMs();
    auto until = context.services.identity.loginLockedUntilMs(username);
    const std::uint64_t untilMs = until && *until ? **until : now;
    return std::max<std::uint64_t>(1, (untilMs - std::min(untilMs, now) + 999) / 1000);
}

} // namespace

Result<Reply> login(Context &context, Call &call)
{
    v1::LoginRequest request;
    SIGESS_TRY(readBody(context, call, request));
    if (request.username().empty())
        return missingField("username");
    if (request.password().empty())
        return missingField("password");
    // A tablet logs its operator in with its own credential, binding the session to it.
    const Credentials credentials = credentialsOf(call.request);
    if (!credentials.scheme.empty() && !sameWord(credentials.scheme, "Device"))
        return makeError(ErrorCode::Invalid, "login takes no session; only a tablet's Device credential");
    const std::string deviceCredential(credentials.secret);
    auto session = context.services.identity.login(request.username(), request.password(), deviceCredential);
    if (!session) {
        if (session.error().code == ErrorCode::Throttled)
            call.retryAfterSeconds = retryAfterSeconds(context, request.username());
        return session.takeError();
    }
    v1::LoginResponse response;
    response.set_token(session->token);
    response.set_expires_at_ms(session->expiresMs);
    auto me = meOf(context, session->principal, session->profile);
    if (!me)
        return me.takeError();
    *response.mutable_me() = std::move(me).value();
    return reply(response);
}

Result<Reply> logout(Context &context, Call &call)
{
    SIGESS_TRY(context.services.identity.logout(call.sessionToken));
    // A tablet syncing on this session is refused at once, on every instance.
    context.services.feed.publish(
        {syncserver::rightsChanged(v1::ENTITY_TYPE_OPERATOR, call.principal.operatorId)}, 0, nullptr);
    return reply(v1::LogoutResponse {});
}

Result<Reply> me(Context &context, Call &call)
{
    auto profile = loadOperator(context, call.principal.operatorId);
    if (!profile)
        return profile.takeError();
    SIGESS_TRY(authorizeCall(context, call, Resource::Operator, Action::Read, operatorTarget(context, *profile)));
    auto me = meOf(context, call.principal, *profile);
    if (!me)
        return me.takeError();
    return reply(*me);
}

Result<Reply> listPresidi(Context &context, Call &call)
{
    SIGESS_TRY(authorizeCall(context, call, Resource::Presidio, Action::List, policy::Target {}));
    auto presidi = storage::PresidioRepository(context.services.database).list(storage::Scope::city());
    if (!presidi)
        return presidi.takeError();
    v1::PresidioList list;
    for (v1::Presidio &presidio : *presidi)
        *list.add_presidi() = std::move(presidio);
    return reply(list);
}

Result<Reply> listOperators(Context &context, Call &call)
{
    const std::string presidio = listPresidio(call);
    SIGESS_TRY(authorizeCall(context, call, Resource::Operator, Action::List, presidioTarget(context, presidio)));
    auto page = pageRequest(context, call);
    if (!page)
        return page.takeError();
    auto listed = storage::OperatorRepository(context.services.database).list(storageScope(presidio), *page);
    if (!listed)
        return listed.takeError();
    v1::OperatorList list;
    for (v1::Operator &profile : listed->items) {
        const auto decision = policy::authorize(call.principal, Resource::Operator, Action::Read,
                                                operatorTarget(context, profile), context.services.clock);
        if (decision.allowed)
            *list.add_operators() = std::move(profile);
    }
    list.set_next_cursor(sealCursor(context, call, listed->nextCursor));
    return reply(list);
}

Result<Reply> createOperator(Context &context, Call &call)
{
    v1::CreateOperatorRequest request;
    SIGESS_TRY(readBody(context, call, request));
    if (request.username().empty())
        return missingField("username");
    if (request.password().empty())
        return missingField("password");
    if (request.role() == v1::ROLE_UNSPECIFIED)
        return missingField("role");
    if (!v1::Role_IsValid(request.role()))
        return makeError(ErrorCode::Invalid, "role is not one of the known roles");
    if (!request.presidio().empty() && !context.municipioOfPresidio.contains(request.presidio()))
        return makeError(ErrorCode::Invalid, "presidio is not a presidio code of the catalog");
    SIGESS_TRY(authorizeCall(context, call, Resource::Operator, Action::Create,
                             presidioTarget(context, request.presidio())));
    v1::Operator profile;
    profile.mutable_meta()->set_presidio(request.presidio());
    profile.set_username(request.username());
    profile.set_display_name(request.display_name());
    profile.set_role(request.role());
    profile.set_profile(request.profile());
    auto created = context.services.identity.createOperator(profile, request.password(), call.principal.deviceId);
    if (!created)
        return created.takeError();
    return reply(*created, http::status::created);
}

Result<Reply> readOperator(Context &context, Call &call)
{
    auto profile = loadOperator(context, call.pathParameters.at(0));
    if (!profile)
        return profile.takeError();
    SIGESS_TRY(authorizeCall(context, call, Resource::Operator, Action::Read, operatorTarget(context, *profile)));
    return reply(*profile);
}

Result<Reply> disableOperator(Context &context, Call &call)
{
    auto profile = loadOperator(context, call.pathParameters.at(0));
    if (!profile)
        return profile.takeError();
    SIGESS_TRY(authorizeCall(context, call, Resource::Operator, Action::Update, operatorTarget(context, *profile)));
    auto disabled = context.services.identity.disableOperator(profile->meta().id());
    if (!disabled)
        return disabled.takeError();
    context.services.feed.publish({syncserver::rightsChanged(v1::ENTITY_TYPE_OPERATOR, disabled->meta().id())}, 0,
                                  nullptr);
    return reply(*disabled);
}

Result<Reply> issueEnrollment(Context &context, Call &call)
{
    v1::EnrollmentRequest request;
    SIGESS_TRY(readBody(context, call, request));
    if (request.presidio().empty())
        return missingField("presidio");
    if (request.kind() == v1::DEVICE_KIND_UNSPECIFIED)
        return missingField("kind");
    if (!context.municipioOfPresidio.contains(request.presidio()))
        return makeError(ErrorCode::Invalid, "presidio is not a presidio code of the catalog");
    SIGESS_TRY(authorizeCall(context, call, Resource::Device, Action::Enroll,
                             presidioTarget(context, request.presidio())));
    auto issued = context.services.identity.issueEnrollmentCode(request.presidio(), request.kind(),
                                                                call.principal.operatorId);
    if (!issued)
        return issued.takeError();
    v1::EnrollmentResponse response;
    response.set_code(issued->code);
    response.set_expires_at_ms(issued->expiresMs);
    return reply(response, http::status::created);
}

Result<Reply> exchangeEnrollment(Context &context, Call &call)
{
    v1::DeviceExchangeRequest request;
    SIGESS_TRY(readBody(context, call, request));
    if (request.code().empty())
        return missingField("code");
    auto enrolled = context.services.identity.enrollDevice(request.code(), request.label());
    if (!enrolled)
        return enrolled.takeError();
    v1::DeviceExchangeResponse response;
    *response.mutable_device() = std::move(enrolled->device);
    response.set_credential(enrolled->credential);
    return reply(response, http::status::created);
}

Result<Reply> listDevices(Context &context, Call &call)
{
    const std::string presidio = listPresidio(call);
    SIGESS_TRY(authorizeCall(context, call, Resource::Device, Action::List, presidioTarget(context, presidio)));
    auto page = pageRequest(context, call);
    if (!page)
        return page.takeError();
    auto listed = storage::DeviceRepository(context.services.database).list(storageScope(presidio), *page);
    if (!listed)
        return listed.takeError();
    v1::DeviceList list;
    for (v1::Device &device : listed->items) {
        const auto decision = policy::authorize(call.principal, Resource::Device, Action::Read,
                                                deviceTarget(context, device), context.services.clock);
        if (decision.allowed)
            *list.add_devices() = std::move(device);
    }
    list.set_next_cursor(sealCursor(context, call, listed->nextCursor));
    return reply(list);
}

Result<Reply> readOwnDevice(Context &context, Call &call)
{
    auto device = loadDevice(context, call.principal.deviceId);
    if (!device)
        return device.takeError();
    SIGESS_TRY(authorizeCall(context, call, Resource::Device, Action::Read, deviceTarget(context, *device)));
    return reply(*device);
}

Result<Reply> revokeDevice(Context &context, Call &call)
{
    auto device = loadDevice(context, call.pathParameters.at(0));
    if (!device)
        return device.takeError();
    SIGESS_TRY(authorizeCall(context, call, Resource::Device, Action::Revoke, deviceTarget(context, *device)));
    auto revoked = context.services.identity.revokeDevice(device->meta().id());
    if (!revoked)
        return revoked.takeError();
    context.services.feed.publish({syncserver::rightsChanged(v1::ENTITY_TYPE_DEVICE, revoked->meta().id())}, 0,
                                  nullptr);
    return reply(*revoked);
}

Result<Reply> breakGlass(Context &context, Call &call)
{
    v1::BreakGlassRequest request;
    SIGESS_TRY(readBody(context, call, request));
    if (request.scope().empty())
        return missingField("scope");
    const auto named = identity::grantScopeNamed(request.scope());
    if (!named)
        return makeError(ErrorCode::Invalid, "scope is one of \"citizen\", \"case\" and \"presidio\"");
    const policy::GrantScope scope = *named;
    if (request.subject().empty())
        return missingField("subject");
    if (request.reason().empty())
        return missingField("reason");
    auto grant = policy::grantBreakGlass(call.principal, scope, request.subject(), request.reason(),
                                         context.services.clock);
    if (!grant)
        return grant.takeError();
    SIGESS_TRY(checkGrantSubject(context, scope, request.subject()));
    // The grant and its flagged audit event, with its reason, commit together.
    Status held = context.trail.write([&](storage::SqlExecutor &sql, std::vector<v1::AuditEvent> &events) -> Status {
        SIGESS_TRY(context.services.identity.holdGrant(sql, *grant));
        events.push_back(context.trail.breakGlass(call.principal, *grant));
        return {};
    });
    SIGESS_TRY(held);
    v1::BreakGlassResponse response;
    *response.mutable_grant() = identity::grantMessage(*grant);
    return reply(response, http::status::created);
}

} // namespace sigess::api::endpoints
