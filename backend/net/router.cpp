#include "net/router.h"

#include <exception>

namespace sigess::net {

namespace http = boost::beast::http;

namespace {

Response textResponse(http::status status, const Request &request, std::string contentType, std::string body)
{
    Response response{status, request.version()};
    response.set(http::field::content_type, contentType);
    response.set(http::field::cache_control, "no-store");
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

bool isReadMethod(const Request &request)
{
    return request.method() == http::verb::get || request.method() == http::verb::head;
}

Response health(const ServerContext &context, const Request &request)
{
    if (context.draining.load())
        return textResponse(http::status::service_unavailable, request, "application/json",
                            R"({"status":"draining"})");
    if (context.handlers.health) {
        const auto status = context.handlers.health();
        if (!status.ok())
            return makeErrorResponse(http::status::service_unavailable, "unavailable", status.error().message,
                                     request.version());
    }
    return textResponse(http::status::ok, request, "application/json", R"({"status":"ok"})");
}

} // namespace

std::string_view targetPath(std::string_view target)
{
    return target.substr(0, target.find('?'));
}

Response routeRequest(const ServerContext &context, const Request &request, const PeerInfo &peer)
{
    const auto path = targetPath({request.target().data(), request.target().size()});
    if (path == "/healthz" || path == "/metrics") {
        if (!isReadMethod(request))
            return makeErrorResponse(http::status::method_not_allowed, "method_not_allowed",
                                     "only GET and HEAD are allowed here", request.version());
        if (path == "/healthz")
            return health(context, request);
        return textResponse(http::status::ok, request, "text/plain; version=0.0.4",
                            context.registry.renderPrometheus());
    }
    if (path == context.options.syncPath)
        return makeErrorResponse(http::status::upgrade_required, "upgrade_required",
                                 "the sync endpoint speaks WebSocket only", request.version());
    for (const auto &route : context.handlers.routes) {
        if (!path.starts_with(route.prefix))
            continue;
        try {
            return route.handler(request, peer);
        } catch (const std::exception &failure) {
            // A handler bug must cost one request, not the whole server.
            context.logger.log(LogLevel::Error, "handler_exception",
                               {{"path", path}, {"what", failure.what()}});
            return makeErrorResponse(http::status::internal_server_error, "internal",
                                     "the server failed to handle this request", request.version());
        }
    }
    return makeErrorResponse(http::status::not_found, "not_found", "no such resource", request.version());
}

} // namespace sigess::net
