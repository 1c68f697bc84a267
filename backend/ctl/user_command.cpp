// sigessctl user add|passwd|disable|list: operator accounts, through identity's service,
// so that the rules (usernames, roles, presidio, password strength, Argon2id, ending
// sessions) are the very ones the API applies. A password is read from stdin, never
// from the command line, where other users of the machine could see it (ps, history).
#include "ctl/admin_store.h"
#include "ctl/command.h"
#include "ctl/command_support.h"
#include "ctl/rights_notice.h"
#include "policy/policy.h"
#include "storage/operator_repository.h"

#include <istream>
#include <optional>
#include <ostream>

namespace sigess::ctl {

namespace {

constexpr std::string_view kCommand = "user";
constexpr std::string_view kUsage
    = "usage: sigessctl user add USERNAME --role ROLE [--presidio CODE] [--name \"DISPLAY NAME\"] [--profile "
      "TEXT]\n"
      "       sigessctl user passwd USERNAME\n"
      "       sigessctl user disable USERNAME\n"
      "       sigessctl user list [--presidio CODE]\n"
      "  every form also takes --config FILE.\n"
      "  ROLE: operator, coordinator, supervisor, admin or auditor; operators and coordinators\n"
      "  belong to a presidio (--presidio, a catalog code).\n"
      "  add and passwd read the password as one line on stdin (at least 10 characters);\n"
      "  passwd and disable end the account's sessions at once.\n";

int usage(CommandIo io, std::string_view problem)
{
    return usageError(io, kCommand, problem, std::string(kUsage) + std::string(configUsage));
}

std::optional<v1::Role> parseRole(std::string_view name)
{
    for (const v1::Role role : policy::allRoles()) {
        if (role != v1::ROLE_UNSPECIFIED && policy::roleName(role) == name)
            return role;
    }
    return std::nullopt;
}

Result<std::string> readPassword(std::istream &in)
{
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    if (line.empty())
        return makeError(ErrorCode::Invalid, "no password: write it as one line on stdin");
    return line;
}

// Ended sessions end the operator's open sync connections too, in running backends.
int announced(AdminStore &store, const std::string &operatorId, CommandIo io)
{
    if (Status told = announceRightsChange(store, v1::ENTITY_TYPE_OPERATOR, operatorId); !told.ok())
        return failure(io, kCommand, told.error().message);
    return exitOk;
}

Result<storage::OperatorAccount> accountNamed(AdminStore &store, std::string_view username)
{
    Result<storage::OperatorAccount> account
        = storage::OperatorRepository(store.database()).byUsername(username);
    if (!account.ok() && account.error().code == ErrorCode::NotFound)
        return makeError(ErrorCode::NotFound, "no operator named '" + std::string(username) + "'");
    return account;
}

int add(AdminStore &store, const ParsedArguments &arguments, v1::Role role, CommandIo io)
{
    Result<std::string> password = readPassword(io.in);
    if (!password.ok())
        return failure(io, kCommand, password.error().message);

    v1::Operator profile;
    profile.set_username(arguments.positional()[1]);
    profile.set_role(role);
    profile.set_display_name(arguments.option("name").value_or(""));
    profile.set_profile(arguments.option("profile").value_or(""));
    profile.mutable_meta()->set_presidio(arguments.option("presidio").value_or(""));
    Result<v1::Operator> created = store.identity().createOperator(profile, *password);
    if (!created.ok()) {
        if (created.error().code == ErrorCode::Conflict)
            return failure(io, kCommand, "the username '" + profile.username() + "' is taken");
        return failure(io, kCommand, created.error().message);
    }
    io.out << "added " << policy::roleName(created->role()) << ' ' << created->username();
    if (!created->meta().presidio().empty())
        io.out << " of presidio " << created->meta().presidio();
    io.out << " (id " << created->meta().id() << ")\n";
    return exitOk;
}

int changePassword(AdminStore &store, const std::string &username, CommandIo io)
{
    Result<storage::OperatorAccount> account = accountNamed(store, username);
    if (!account.ok())
        return failure(io, kCommand, account.error().message);
    Result<std::string> password = readPassword(io.in);
    if (!password.ok())
        return failure(io, kCommand, password.error().message);
    Status changed = store.identity().setPassword(account->profile.meta().id(), *password);
    if (!changed.ok()) {
        const bool refused = changed.error().code == ErrorCode::Invalid;
        return failure(io, kCommand, (refused ? "password refused: " : "") + changed.error().message);
    }
    io.out << "password of " << username << " changed; their sessions have ended\n";
    return announced(store, account->profile.meta().id(), io);
}

int disable(AdminStore &store, const std::string &username, CommandIo io)
{
    Result<storage::OperatorAccount> account = accountNamed(store, username);
    if (!account.ok())
        return failure(io, kCommand, account.error().message);
    Result<v1::Operator> disabled = store.identity().disableOperator(account->profile.meta().id());
    if (!disabled.ok())
        return failure(io, kCommand, disabled.error().message);
    io.out << "disabled " << username << "; their sessions have ended\n";
    return announced(store, disabled->meta().id(), io);
}

int list(AdminStore &store, const ParsedArguments &arguments, CommandIo io)
{
    const std::optional<std::string> presidio = arguments.option("presidio");
    const storage::Scope scope = presidio ? storage::Scope::presidio(*presidio) : storage::Scope::city();
    storage::OperatorRepository operators(store.database());
    storage::PageRequest page;
    page.limit = storage::PageRequest::maxLimit;
    std::size_t count = 0;
    io.out << "username\trole\tpresidio\tstate\tname\n";
    do {
        Result<storage::Page<v1::Operator>> listed = operators.list(scope, page);
        if (!listed.ok())
            return failure(io, kCommand, listed.error().message);
        for (const v1::Operator &account : listed->items) {
            io.out << account.username() << '\t' << policy::roleName(account.role()) << '\t'
                   << (account.meta().presidio().empty() ? "-" : account.meta().presidio()) << '\t'
                   << (account.disabled() ? "disabled" : "active") << '\t' << account.display_name() << '\n';
        }
        count += listed->items.size();
        page.cursor = listed->nextCursor;
    } while (!page.cursor.empty());
    io.out << count << " operators\n";
    return exitOk;
}

} // namespace

int runUser(const Args &args, CommandIo io)
{
    Result<ParsedArguments> arguments
        = parseArguments(args, { { "config", "role", "presidio", "name", "profile" }, {} });
    if (!arguments.ok())
        return usage(io, arguments.error().message);
    const std::vector<std::string> &positional = arguments->positional();
    if (positional.empty())
        return usage(io, "which action: add, passwd, disable or list?");
    const std::string &action = positional[0];
    const std::size_t expected = action == "list" ? 1 : 2;
    if (action != "add" && action != "passwd" && action != "disable" && action != "list")
        return usage(io, "unknown action '" + action + "'");
    if (positional.size() != expected)
        return usage(io, expected == 1 ? action + " takes no argument" : action + " takes one USERNAME");
    const bool optionsOnlyForAdd
        = arguments->option("role") || arguments->option("name") || arguments->option("profile");
    if (action != "add" && optionsOnlyForAdd)
        return usage(io, "--role, --name and --profile are for add");
    if (action != "add" && action != "list" && arguments->option("presidio"))
        return usage(io, "--presidio is for add and list");

    std::optional<v1::Role> role;
    if (action == "add") {
        const std::optional<std::string> roleName = arguments->option("role");
        if (!roleName)
            return usage(io, "add needs --role");
        role = parseRole(*roleName);
        if (!role || *role == v1::ROLE_KIOSK)
            return usage(io, "'" + *roleName + "' is not an operator's role");
    }

    Result<std::unique_ptr<AdminStore>> store = AdminStore::open(*arguments);
    if (!store.ok())
        return failure(io, kCommand, store.error().message);
    if (action == "add")
        return add(**store, *arguments, *role, io);
    if (action == "passwd")
        return changePassword(**store, positional[1], io);
    if (action == "disable")
        return disable(**store, positional[1], io);
    return list(**store, *arguments, io);
}

} // namespace sigess::ctl
