#include "api/api.h"

#include "api/context.h"
#include "api/json_body.h"
#include "core/text_codec.h"

#include <boost/beast/http/field.hpp>

#include <array>
#include <exception>

namespace sigess::api {

namespace http = boost::beast::http;
using policy::Action;
using policy::Resource;
using V = http::verb;

namespace {

constexpr std::string_view apiPrefix = "/api/v1/";
constexpr std::size_t maxPathSegments = 8;
constexpr std::size_t maxQueryBytes = 2048;

// The API, one row per endpoint: the router, the docs and the role-matrix test all read it.
const std::array kEndpoints = {
    EndpointInfo {V::post, "/api/v1/login", Caller::Anyone, std::nullopt, Action::Create, Body::Json, "", endpoints::login},
    EndpointInfo {V::post, "/api/v1/logout", Caller::Session, std::nullopt, Action::Update, Body::None, "", endpoints::logout},
    EndpointInfo {V::get, "/api/v1/me", Caller::Session, Resource::Operator, Action::Read, Body::None, "", endpoints::me},
    EndpointInfo {V::get, "/api/v1/presidi", Caller::Either, Resource::Presidio, Action::List, Body::None, "",
                  endpoints::listPresidi},
    EndpointInfo {V::get, "/api/v1/operators", Caller::Session, Resource::Operator, Action::List, Body::None,
                  "presidio,cursor,limit", endpoints::listOperators},
    EndpointInfo {V::post, "/api/v1/operators", Caller::Session, Resource::Operator, Action::Create, Body::Json, "",
                  endpoints::createOperator},
    EndpointInfo {V::get, "/api/v1/operators/{}", Caller::Session, Resource::Operator, Action::Read, Body::None, "",
                  endpoints::readOperator},
    EndpointInfo {V::post, "/api/v1/operators/{}/disable", Caller::Session, Resource::Operator, Action::Update, Body::None, "",
                  endpoints::disableOperator},
    EndpointInfo {V::post, "/api/v1/devices/enrollments", Caller::Session, Resource::Device, Action::Enroll, Body::Json, "",
                  endpoints::issueEnrollment},
    EndpointInfo {V::post, "/api/v1/devices/exchange", Caller::Anyone, std::nullopt, Action::Create, Body::Json, "",
                  endpoints::exchangeEnrollment},
    EndpointInfo {V::get, "/api/v1/devices", Caller::Session, Resource::Device, Action::List, Body::None,
                  "presidio,cursor,limit", endpoints::listDevices},
    EndpointInfo {V::get, "/api/v1/devices/self", Caller::Device, Resource::Device, Action::Read, Body::None, "",
                  endpoints::readOwnDevice},
    EndpointInfo {V::post, "/api/v1/devices/{}/revoke", Caller::Session, Resource::Device, Action::Revoke, Body::None, "",
                  endpoints::revokeDevice},
    EndpointInfo {V::get, "/api/v1/citizens", Caller::Either, Resource::Citizen, Action::List, Body::None,
                  "q,presidio,cursor,limit", endpoints::searchCitizens},
    EndpointInfo {V::post, "/api/v1/citizens", Caller::Either, Resource::Citizen, Action::Create, Body::Json, "",
                  endpoints::createCitizen},
    EndpointInfo {V::get, "/api/v1/citizens/{}", Caller::Either, Resource::Citizen, Action::Read, Body::None, "",
                  endpoints::readCitizen},
    EndpointInfo {V::put, "/api/v1/citizens/{}", Caller::Either, Resource::Citizen, Action::Update, Body::Json, "",
                  endpoints::updateCitizen},
    EndpointInfo {V::get, "/api/v1/presidi/{}/intakes", Caller::Either, Resource::Intake, Action::List, Body::None,
                  "cursor,limit", endpoints::listIntakes},
    EndpointInfo {V::post, "/api/v1/presidi/{}/intakes", Caller::Either, Resource::Intake, Action::Create, Body::Json, "",
                  endpoints::createIntake},
    EndpointInfo {V::get, "/api/v1/intakes/{}", Caller::Either, Resource::Intake, Action::Read, Body::None, "",
                  endpoints::readIntake},
    EndpointInfo {V::get, "/api/v1/presidi/{}/tickets", Caller::Either, Resource::Ticket, Action::List, Body::None,
                  "state,cursor,limit", endpoints::listTickets},
    EndpointInfo {V::post, "/api/v1/presidi/{}/tickets", Caller::Either, Resource::Ticket, Action::Create, Body::Json, "",
                  endpoints::createTicket},
    EndpointInfo {V::post, "/api/v1/presidi/{}/desks/{}/call-next", Caller::Either, Resource::Ticket, Action::Update,
                  Body::None, "", endpoints::callNextTicket},
    EndpointInfo {V::post, "/api/v1/tickets/{}/recall", Caller::Either, Resource::Ticket, Action::Update, Body::None, "",
                  endpoints::recallTicket},
    EndpointInfo {V::post, "/api/v1/tickets/{}/served", Caller::Either, Resource::Ticket, Action::Update, Body::None, "",
                  endpoints::serveTicket},
    EndpointInfo {V::post, "/api/v1/tickets/{}/no-show", Caller::Either, Resource::Ticket, Action::Update, Body::None, "",
                  endpoints::closeTicketAsNoShow},
    EndpointInfo {V::post, "/api/v1/tickets/{}/referred", Caller::Either, Resource::Ticket, Action::Update, Body::None, "",
                  endpoints::referTicket},
    EndpointInfo {V::get, "/api/v1/cases", Caller::Either, Resource::Case, Action::List, Body::None,
                  "presidio,operator,citizen,state,cursor,limit", endpoints::listCases},
    EndpointInfo {V::post, "/api/v1/cases", Caller::Either, Resource::Case, Action::Create, Body::Json, "", endpoints::openCase},
    EndpointInfo {V::get, "/api/v1/cases/{}", Caller::Either, Resource::Case, Action::Read, Body::None, "", endpoints::readCase},
    EndpointInfo {V::post, "/api/v1/cases/{}/assign", Caller::Either, Resource::Case, Action::Assign, Body::Json, "",
                  endpoints::assignCase},
    EndpointInfo {V::post, "/api/v1/cases/{}/close", Caller::Either, Resource::Case, Action::Close, Body::Json, "",
                  endpoints::closeCase},
    EndpointInfo {V::post, "/api/v1/cases/{}/reopen", Caller::Either, Resource::Case, Action::Update, Body::None, "",
                  endpoints::reopenCase},
    EndpointInfo {V::get, "/api/v1/audit", Caller::Either, Resource::Audit, Action::List, Body::None, "cursor,limit",
                  endpoints::listAudit},
    EndpointInfo {V::get, "/api/v1/audit/verify", Caller::Either, Resource::Audit, Action::Verify, Body::None, "",
                  endpoints::verifyAudit},
    EndpointInfo {V::get, "/api/v1/audit/citizens/{}", Caller::Either, Resource::Audit, Action::Read, Body::None,
                  "cursor,limit", endpoints::citizenAccessReport},
    EndpointInfo {V::post, "/api/v1/break-glass", Caller::Session, std::nullopt, Action::Create, Body::Json, "",
                  endpoints::breakGlass},
};

http::status statusOf(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Invalid: return http::status::bad_request;
    case ErrorCode::NotFound: return http::status::not_found;
    case ErrorCode::Conflict: return http::status::conflict;
    case ErrorCode::Unauthorized: return http::status::unauthorized;
    case ErrorCode::Forbidden: return http::status::forbidden;
    case ErrorCode::TooLarge: return http::status::payload_too_large;
    case ErrorCode::Unavailable: return http::status::service_unavailable;
    case ErrorCode::Throttled: return http::status::too_many_requests;
    case ErrorCode::Corrupt:
    case ErrorCode::Internal: return http::status::internal_server_error;
    }
    return http::status::internal_server_error;
}

std::string codeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Invalid: return "invalid";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::Conflict: return "conflict";
    case ErrorCode::Unauthorized: return "unauthorized";
    case ErrorCode::Forbidden: return "forbidden";
    case ErrorCode::TooLarge: return "too_large";
    case ErrorCode::Corrupt: return "corrupt";
    case ErrorCode::Unavailable: return "unavailable";
    case ErrorCode::Throttled: return "too_many_requests";
    case ErrorCode::Internal: return "internal";
    }
    return "internal";
}

void finish(net::Response &response, const net::Request &request)
{
    response.version(request.version());
    response.keep_alive(request.keep_alive());
    response.set(http::field::cache_control, "no-store");
}

net::Response errorResponse(const net::Request &request, const Error &error,
                            std::optional<std::uint64_t> retryAfterSeconds = std::nullopt)
{
    // Internal failures say nothing of the store or the code behind them to the client.
    const std::string message = error.code == ErrorCode::Internal ? "internal error" : error.message;
    net::Response response = net::makeErrorResponse(statusOf(error.code), codeName(error.code), message,
                                                    request.version());
    if (error.code == ErrorCode::Unauthorized)
        response.set(http::field::www_authenticate, "Bearer");
    if (error.code == ErrorCode::Throttled && retryAfterSeconds)
        response.set(http::field::retry_after, std::to_string(*retryAfterSeconds));
    finish(response, request);
    return response;
}

net::Response plainError(const net::Request &request, http::status status, const std::string &code,
                         const std::string &message)
{
    net::Response response = net::makeErrorResponse(status, code, message, request.version());
    finish(response, request);
    return response;
}

std::vector<std::string_view> splitPath(std::string_view path)
{
    std::vector<std::string_view> segments;
    std::size_t start = 1;  // past the leading '/'
    while (start <= path.size()) {
        const std::size_t slash = path.find('/', start);
        const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
        segments.push_back(path.substr(start, end - start));
        if (slash == std::string_view::npos)
            break;
        start = slash + 1;
    }
    return segments;
}

Result<std::string> percentDecode(std::string_view text, bool plusIsSpace)
{
    std::string decoded;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size())
                return makeError(ErrorCode::Invalid, "a truncated %-escape in the request target");
            const int high = core::hexValue(text[i + 1]);
            const int low = core::hexValue(text[i + 2]);
            if (high < 0 || low < 0)
                return makeError(ErrorCode::Invalid, "a malformed %-escape in the request target");
            decoded += static_cast<char>(high * 16 + low);
            i += 2;
        } else if (c == '+' && plusIsSpace) {
            decoded += ' ';
        } else {
            decoded += c;
        }
    }
    if (!isValidUtf8(decoded) || decoded.find('\0') != std::string::npos)
        return makeError(ErrorCode::Invalid, "the request target is not valid UTF-8 text");
    return decoded;
}

bool allowedParameter(std::string_view allowed, std::string_view name)
{
    while (!allowed.empty()) {
        const std::size_t comma = allowed.find(',');
        if (allowed.substr(0, comma) == name)
            return true;
        if (comma == std::string_view::npos)
            break;
        allowed.remove_prefix(comma + 1);
    }
    return false;
}

Status parseQuery(std::string_view query, const EndpointInfo &endpoint,
                  std::map<std::string, std::string, std::less<>> &into)
{
    if (query.size() > maxQueryBytes)
        return makeError(ErrorCode::TooLarge, "the query string is longer than " + std::to_string(maxQueryBytes) + " bytes");
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view {} : query.substr(amp + 1);
        if (pair.empty())
            continue;
        const std::size_t eq = pair.find('=');
        auto name = percentDecode(pair.substr(0, eq), true);
        if (!name)
            return name.takeError();
        auto value = percentDecode(eq == std::string_view::npos ? std::string_view {} : pair.substr(eq + 1), true);
        if (!value)
            return value.takeError();
        if (!allowedParameter(endpoint.queryParameters, *name)) {
            std::string message = "unknown query parameter '" + *name + "'";
            message += endpoint.queryParameters.empty() ? "; this endpoint takes none"
                                                         : "; allowed: " + std::string(endpoint.queryParameters);
            return makeError(ErrorCode::Invalid, message);
        }
        if (!into.emplace(std::move(name).value(), std::move(value).value()).second)
            return makeError(ErrorCode::Invalid, "a query parameter is repeated");
    }
    return {};
}

Status authenticate(Context &context, Call &call)
{
    const Caller caller = call.endpoint.caller;
    if (caller == Caller::Anyone)
        return {};
    const Credentials credentials = credentialsOf(call.request);
    if (credentials.scheme.empty())
        return makeError(ErrorCode::Unauthorized, "this endpoint needs \"Authorization: Bearer <session token>\""
                                                  " or \"Authorization: Device <credential>\"");
    if (sameWord(credentials.scheme, "Bearer")) {
        if (caller == Caller::Device)
            return makeError(ErrorCode::Unauthorized, "this endpoint is for enrolled devices, not sessions");
        auto principal = context.services.identity.authenticateSession(credentials.secret);
        if (!principal)
            return principal.takeError();
        call.principal = std::move(principal).value();
        call.sessionToken = std::string(credentials.secret);
        return {};
    }
    if (sameWord(credentials.scheme, "Device")) {
        if (caller == Caller::Session)
            return makeError(ErrorCode::Unauthorized, "this endpoint needs an operator's session");
        auto device = context.services.identity.authenticateDevice(credentials.secret);
        if (!device)
            return device.takeError();
        if (device->principal.standing == policy::Standing::DeviceRevoked)
            return makeError(ErrorCode::Unauthorized, "the device is revoked");
        call.principal = std::move(device->principal);
        return {};
    }
    return makeError(ErrorCode::Unauthorized, "unknown authorization scheme; use Bearer or Device");
}

} // namespace

Api::Api(ApiServices services, ApiOptions options)
    : m_context(std::make_unique<Context>(services, std::move(options)))
{
}

Api::~Api() = default;

std::span<const EndpointInfo> Api::endpoints()
{
    return kEndpoints;
}

net::Response Api::handle(const net::Request &request, const net::PeerInfo &) const
{
    const std::string_view target(request.target().data(), request.target().size());
    const std::size_t question = target.find('?');
    const std::string_view path = target.substr(0, question);
    const std::string_view query = question == std::string_view::npos ? std::string_view {} : target.substr(question + 1);
    if (!path.starts_with(apiPrefix))
        return plainError(request, http::status::not_found, "not_found", "no such endpoint");

    const std::vector<std::string_view> segments = splitPath(path);
    if (segments.size() > maxPathSegments)
        return plainError(request, http::status::not_found, "not_found", "no such endpoint");
    const EndpointInfo *endpoint = nullptr;
    bool pathKnown = false;
    std::vector<std::string_view> parameters;
    for (const EndpointInfo &candidate : kEndpoints) {
        const std::vector<std::string_view> pattern = splitPath(candidate.path);
        if (pattern.size() != segments.size())
            continue;
        std::vector<std::string_view> captured;
        bool matches = true;
        for (std::size_t i = 0; i < pattern.size() && matches; ++i) {
            if (pattern[i] == "{}")
                captured.push_back(segments[i]);
            else
                matches = pattern[i] == segments[i];
        }
        // A literal segment beats a parameter: /devices/self is not /devices/{id}.
        if (!matches)
            continue;
        pathKnown = true;
        if (candidate.method == request.method() && (endpoint == nullptr || captured.size() < parameters.size())) {
            endpoint = &candidate;
            parameters = std::move(captured);
        }
    }
    if (endpoint == nullptr) {
        if (pathKnown)
            return plainError(request, http::status::method_not_allowed, "method_not_allowed",
                              "this endpoint does not take " + std::string(request.method_string()));
        return plainError(request, http::status::not_found, "not_found", "no such endpoint");
    }

    Call call {request, *endpoint, {}, {}, {}, {}, {}};
    for (std::string_view segment : parameters) {
        auto decoded = percentDecode(segment, false);
        if (!decoded)
            return errorResponse(request, decoded.error());
        if (decoded->empty())
            return plainError(request, http::status::not_found, "not_found", "no such endpoint");
        call.pathParameters.push_back(std::move(decoded).value());
    }
    if (Status parsed = parseQuery(query, *endpoint, call.query); !parsed)
        return errorResponse(request, parsed.error());

    if (request.body().size() > m_context->maxBodyBytes) {
        return errorResponse(request, makeError(ErrorCode::TooLarge, "the request body is larger than "
                                                                         + std::to_string(m_context->maxBodyBytes)
                                                                         + " bytes"));
    }
    if (endpoint->body == Body::None && !request.body().empty())
        return errorResponse(request, makeError(ErrorCode::Invalid, "this endpoint takes no request body"));
    if (endpoint->body == Body::Json && !request.body().empty()) {
        const auto type = request.find(http::field::content_type);
        const std::string_view value = type == request.end()
                                           ? std::string_view {}
                                           : std::string_view(type->value().data(), type->value().size());
        if (!value.starts_with("application/json"))
            return plainError(request, http::status::unsupported_media_type, "unsupported_media_type",
                              "the request body must be application/json");
    }

    if (Status authenticated = authenticate(*m_context, call); !authenticated)
        return errorResponse(request, authenticated.error());

    Result<Reply> outcome = makeError(ErrorCode::Internal, "internal error");
    try {
        outcome = endpoint->handler(*m_context, call);
    } catch (const std::exception &) {
        // A bug in one handler must not take the server down; the client sees a 500.
        outcome = makeError(ErrorCode::Internal, "internal error");
    }
    if (!outcome)
        return errorResponse(request, outcome.error(), call.retryAfterSeconds);

    net::Response response {outcome->status, request.version()};
    response.set(http::field::content_type, "application/json");
    response.body() = std::move(outcome->json);
    response.prepare_payload();
    finish(response, request);
    return response;
}

} // namespace sigess::api
