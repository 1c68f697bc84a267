// The JSON API under /api/v1/: a plain function from an HTTP request to its response,
// handed to net/ as an HttpHandler and called directly by tests (no sockets).
//
// Every endpoint is a row of one table (endpoints()): method, path pattern, and the
// policy resource and action it authorizes against, so that tests can walk the policy
// table through the API. Requests authenticate with "Authorization: Bearer <session
// token>" (operators) or "Authorization: Device <credential>" (kiosks); every decision
// goes through policy::authorize, and every read or write of a personal record (citizen,
// intake, case) appends an event to the audit chain, denied attempts included.
//
// Bodies are Protobuf JSON (shared/proto/sigess/v1/api.proto and the entities), parsed
// with unknown fields refused; errors are {"error":{"code":"invalid","message":"..."}}
// with the status of their ErrorCode (400, 401, 403, 404, 409, 413, 503, 500). Lists are
// paged with signed cursors (api/cursor.h).
//
// Thread safety: handle() may be called from any number of threads at once.
#pragma once

#include "core/catalog.h"
#include "core/clock.h"
#include "core/hlc.h"
#include "core/result.h"
#include "core/uuid.h"
#include "identity/identity_service.h"
#include "net/handler.h"
#include "policy/policy.h"
#include "storage/sql.h"
#include "sync/change_feed.h"

#include <boost/beast/http/verb.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sigess::api {

struct ApiServices {
    storage::SqlDatabase &database;
    identity::IdentityService &identity;
    const core::Catalog &catalog;
    const core::Clock &clock;
    core::HybridLogicalClock &hlc;
    core::UuidV7Generator &ids;
    // Where committed changes to replicated records are announced, so devices hear of
    // what the API wrote.
    syncserver::ChangeFeed &feed;
};

struct ApiOptions {
    std::size_t maxBodyBytes = 64 * 1024;
    std::string cursorKey;  // at least 32 secret bytes; signs pagination cursors
};

// Who may call an endpoint before policy is asked.
enum class Caller {
    Anyone,    // login, device enrollment exchange: the body carries the secret
    Session,   // an operator's session token
    Device,    // a device credential
    Either,    // either of the two
};

// Whether an endpoint reads a JSON body; one that does not refuses any body, rather than
// ignoring what a client may believe it sent.
enum class Body { None, Json };

struct Context;
struct Call;
struct Reply;
using EndpointHandler = Result<Reply> (*)(Context &, Call &);

struct EndpointInfo {
    boost::beast::http::verb method;
    std::string_view path;  // "/api/v1/citizens/{}": {} matches one path segment
    Caller caller;
    // The policy row the endpoint is decided by; nullopt for endpoints that act only on
    // the caller's own credentials (login, logout, exchange, break the glass).
    std::optional<policy::Resource> resource;
    policy::Action action;
    Body body;
    std::string_view queryParameters;  // the names allowed, comma-separated
    EndpointHandler handler;
};

class Api {
public:
    Api(ApiServices services, ApiOptions options);
    ~Api();

    net::Response handle(const net::Request &request, const net::PeerInfo &peer) const;

    static std::span<const EndpointInfo> endpoints();

private:
    std::unique_ptr<Context> m_context;
};

} // namespace sigess::api
