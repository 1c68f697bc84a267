// Internal to api/: what every endpoint handler is given (the services, the request as
// parsed by the router, the caller), and the helpers they share for authorization,
// auditing, paging and replies. Not part of the API's public surface.
// Thread safety: a Context is shared by all requests and immutable after construction
// (its services are thread-safe); a Call belongs to one request.
#pragma once

#include "api/api.h"
#include "api/audit_trail.h"
#include "api/cursor.h"
#include "audit/access_event.h"
#include "storage/page.h"
#include "sync/server_writes.h"

#include <boost/beast/http/status.hpp>
#include <google/protobuf/message.h>

#include <chrono>
#include <functional>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sigess::api {

struct Context {
    Context(ApiServices servicesIn, ApiOptions options);

    ApiServices services;
    std::size_t maxBodyBytes;
    CursorSigner cursors;
    AuditTrail trail;
    std::map<std::string, std::string, std::less<>> municipioOfPresidio;  // from the catalog

    std::string municipioOf(std::string_view presidio) const;
};

struct Call {
    const net::Request &request;
    const EndpointInfo &endpoint;
    std::vector<std::string> pathParameters;  // the {} segments, in order
    std::map<std::string, std::string, std::less<>> query;
    policy::Principal principal;
    std::string sessionToken;  // set for a session caller
    // Set by a handler that fails with ErrorCode::Throttled: the Retry-After it answers.
    std::optional<std::uint64_t> retryAfterSeconds;

    std::string_view body() const { return request.body(); }
    std::string queryValue(std::string_view name) const;
};

struct Reply {
    boost::beast::http::status status = boost::beast::http::status::ok;
    std::string json;
};

// The Authorization header split into its scheme ("Bearer", "Device") and secret.
struct Credentials {
    std::string_view scheme;
    std::string_view secret;
};
Credentials credentialsOf(const net::Request &request);
// Case-insensitive, as HTTP compares authorization schemes.
bool sameWord(std::string_view a, std::string_view b);

Reply reply(const google::protobuf::Message &message,
            boost::beast::http::status status = boost::beast::http::status::ok);

// Parses the body into message (see json_body.h), with the context's size limit.
Status readBody(const Context &context, const Call &call, google::protobuf::Message &message);

Error missingField(std::string_view field);

// Asks policy for the endpoint's resource and action on target. A denial is Forbidden;
// when `record` names a personal record, the denied attempt is also audited.
Result<policy::Decision> authorizeCall(Context &context, Call &call, policy::Resource resource, policy::Action action,
                                       const policy::Target &target, const audit::AccessedRecord *record = nullptr);

// Reads of personal records: the access is in the log before the caller sees the data.
Status auditRead(Context &context, const std::vector<v1::AuditEvent> &events);

// Paging: the limit and the caller's cursor (checked against this very list).
Result<storage::PageRequest> pageRequest(const Context &context, const Call &call);
std::string sealCursor(const Context &context, const Call &call, std::string_view inner);

// Scope attributes of records, for policy::Target.
Result<policy::Target> citizenTarget(Context &context, const v1::Citizen &citizen);
Result<policy::Target> intakeTarget(Context &context, const v1::Intake &intake);
policy::Target caseTarget(const Context &context, const v1::Case &caseRecord);
// A collection in a presidio ("" for the whole city).
policy::Target presidioTarget(const Context &context, std::string_view presidio);

// The presidio a list looks in: the `presidio` query parameter, else the caller's own.
std::string listPresidio(const Call &call);

// A stamp for a record the server writes.
v1::Hlc stampNow(Context &context);

// Writes of replicated records (citizens, intakes, tickets, cases) go through the sync
// log (sync/server_writes.h), so devices in scope receive them: body writes them and
// collects their audit events, all in one transaction, and the changes are published
// on the feed once it committed.
using RecordWriteBody = std::function<Status(syncserver::ServerWrites &writes, std::vector<v1::AuditEvent> &events)>;
Status writeRecords(Context &context, const RecordWriteBody &body);

// Invalid naming the field when `code` is unknown in the catalog system or retired (with
// its successor).
Status checkCode(const Context &context, std::string_view system, std::string_view code, std::string_view field);

// Today's date (UTC) by the context's clock.
std::chrono::year_month_day today(const Context &context);

// Endpoint handlers, grouped by file.
namespace endpoints {
Result<Reply> login(Context &, Call &);
Result<Reply> logout(Context &, Call &);
Result<Reply> me(Context &, Call &);
Result<Reply> listPresidi(Context &, Call &);
Result<Reply> listOperators(Context &, Call &);
Result<Reply> createOperator(Context &, Call &);
Result<Reply> readOperator(Context &, Call &);
Result<Reply> disableOperator(Context &, Call &);
Result<Reply> issueEnrollment(Context &, Call &);
Result<Reply> exchangeEnrollment(Context &, Call &);
Result<Reply> listDevices(Context &, Call &);
Result<Reply> readOwnDevice(Context &, Call &);
Result<Reply> revokeDevice(Context &, Call &);
Result<Reply> breakGlass(Context &, Call &);

Result<Reply> searchCitizens(Context &, Call &);
Result<Reply> createCitizen(Context &, Call &);
Result<Reply> readCitizen(Context &, Call &);
Result<Reply> updateCitizen(Context &, Call &);
Result<Reply> listIntakes(Context &, Call &);
Result<Reply> createIntake(Context &, Call &);
Result<Reply> readIntake(Context &, Call &);
Result<Reply> listTickets(Context &, Call &);
Result<Reply> createTicket(Context &, Call &);

Result<Reply> callNextTicket(Context &, Call &);
Result<Reply> recallTicket(Context &, Call &);
Result<Reply> serveTicket(Context &, Call &);
Result<Reply> closeTicketAsNoShow(Context &, Call &);
Result<Reply> referTicket(Context &, Call &);

Result<Reply> listCases(Context &, Call &);
Result<Reply> openCase(Context &, Call &);
Result<Reply> readCase(Context &, Call &);
Result<Reply> assignCase(Context &, Call &);
Result<Reply> closeCase(Context &, Call &);
Result<Reply> reopenCase(Context &, Call &);

Result<Reply> listAudit(Context &, Call &);
Result<Reply> verifyAudit(Context &, Call &);
Result<Reply> citizenAccessReport(Context &, Call &);
} // namespace endpoints

} // namespace sigess::api
