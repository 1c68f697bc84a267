// sigessctl device enroll|list|revoke: kiosks and tablets, through identity's service.
// An enrollment code is printed once, here, and stored only as its hash; the admin reads
// it out or types it on the device, which exchanges it for its own credential. The codes
// issued from the server shell are recorded as issued by "sigessctl" (there is no
// operator session here: whoever can run this already controls the server).
#include "core/text_codec.h"
#include "ctl/admin_store.h"
#include "ctl/command.h"
#include "ctl/command_support.h"
#include "ctl/rights_notice.h"
#include "storage/device_repository.h"

#include <optional>
#include <ostream>

namespace sigess::ctl {

namespace {

constexpr std::string_view kCommand = "device";
constexpr std::string_view kIssuer = "sigessctl";
constexpr std::string_view kUsage
    = "usage: sigessctl device enroll --presidio CODE --kind kiosk|tablet\n"
      "       sigessctl device list [--presidio CODE]\n"
      "       sigessctl device revoke ID\n"
      "  every form also takes --config FILE.\n"
      "  enroll prints a one-time code and when it expires; revoke marks the device\n"
      "  for Wipe (at its next connection) and ends its sessions at once.\n";

int usage(CommandIo io, std::string_view problem)
{
    return usageError(io, kCommand, problem, std::string(kUsage) + std::string(configUsage));
}

std::optional<v1::DeviceKind> parseKind(std::string_view name)
{
    if (name == "kiosk")
        return v1::DEVICE_KIND_KIOSK;
    if (name == "tablet")
        return v1::DEVICE_KIND_TABLET;
    return std::nullopt;
}

std::string_view kindName(v1::DeviceKind kind)
{
    switch (kind) {
    case v1::DEVICE_KIND_KIOSK:
        return "kiosk";
    case v1::DEVICE_KIND_TABLET:
        return "tablet";
    default:
        return "unknown";
    }
}

int enroll(AdminStore &store, const std::string &presidio, v1::DeviceKind kind, CommandIo io)
{
    Result<identity::IssuedEnrollmentCode> issued
        = store.identity().issueEnrollmentCode(presidio, kind, kIssuer);
    if (!issued.ok())
        return failure(io, kCommand, issued.error().message);
    io.out << "enrollment code: " << issued->code << '\n'
           << "for a " << kindName(kind) << " of presidio " << presidio << "; it works once, until "
           << core::isoDateTime(issued->expiresMs) << '\n';
    return exitOk;
}

int list(AdminStore &store, const ParsedArguments &arguments, CommandIo io)
{
    const std::optional<std::string> presidio = arguments.option("presidio");
    const storage::Scope scope = presidio ? storage::Scope::presidio(*presidio) : storage::Scope::city();
    storage::DeviceRepository devices(store.database());
    storage::PageRequest page;
    page.limit = storage::PageRequest::maxLimit;
    std::size_t count = 0;
    io.out << "id\tkind\tpresidio\tticket prefix\tstate\tlast seen\tlabel\n";
    do {
        Result<storage::Page<v1::Device>> listed = devices.list(scope, page);
        if (!listed.ok())
            return failure(io, kCommand, listed.error().message);
        for (const v1::Device &device : listed->items) {
            io.out << device.meta().id() << '\t' << kindName(device.kind()) << '\t'
                   << device.meta().presidio() << '\t'
                   << (device.ticket_prefix().empty() ? "-" : device.ticket_prefix()) << '\t'
                   << (device.revoked() ? "REVOKED" : "active") << '\t'
                   << (device.has_last_seen() ? core::isoDateTime(device.last_seen().wall_ms()) : "never") << '\t'
                   << device.label() << '\n';
        }
        count += listed->items.size();
        page.cursor = listed->nextCursor;
    } while (!page.cursor.empty());
    io.out << count << " devices\n";
    return exitOk;
}

int revoke(AdminStore &store, const std::string &deviceId, CommandIo io)
{
    Result<v1::Device> revoked = store.identity().revokeDevice(deviceId);
    if (!revoked.ok()) {
        if (revoked.error().code == ErrorCode::NotFound)
            return failure(io, kCommand, "no device with id " + deviceId);
        return failure(io, kCommand, revoked.error().message);
    }
    io.out << "revoked " << kindName(revoked->kind()) << ' ' << deviceId << " of presidio "
           << revoked->meta().presidio()
           << ": it will be wiped at its next connection; its sessions have ended\n";
    if (Status told = announceRightsChange(store, v1::ENTITY_TYPE_DEVICE, deviceId); !told.ok())
        return failure(io, kCommand, told.error().message);
    return exitOk;
}

} // namespace

int runDevice(const Args &args, CommandIo io)
{
    Result<ParsedArguments> arguments = parseArguments(args, { { "config", "presidio", "kind" }, {} });
    if (!arguments.ok())
        return usage(io, arguments.error().message);
    const std::vector<std::string> &positional = arguments->positional();
    if (positional.empty())
        return usage(io, "which action: enroll, list or revoke?");
    const std::string &action = positional[0];
    if (action != "enroll" && action != "list" && action != "revoke")
        return usage(io, "unknown action '" + action + "'");
    const std::size_t expected = action == "revoke" ? 2 : 1;
    if (positional.size() != expected)
        return usage(io, expected == 2 ? "revoke takes one device ID" : action + " takes no argument");
    if (action != "enroll" && arguments->option("kind"))
        return usage(io, "--kind is for enroll");
    if (action == "revoke" && arguments->option("presidio"))
        return usage(io, "revoke takes only the device ID");

    std::optional<v1::DeviceKind> kind;
    if (action == "enroll") {
        const std::optional<std::string> kindText = arguments->option("kind");
        if (!arguments->option("presidio") || !kindText)
            return usage(io, "enroll needs --presidio and --kind");
        kind = parseKind(*kindText);
        if (!kind)
            return usage(io, "'" + *kindText + "' is not a device kind (kiosk or tablet)");
    }

    Result<std::unique_ptr<AdminStore>> store = AdminStore::open(*arguments);
    if (!store.ok())
        return failure(io, kCommand, store.error().message);
    if (action == "enroll")
        return enroll(**store, *arguments->option("presidio"), *kind, io);
    if (action == "list")
        return list(**store, *arguments, io);
    return revoke(**store, positional[1], io);
}

} // namespace sigess::ctl
