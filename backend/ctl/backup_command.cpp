// sigessctl backup DEST and sigessctl restore SRC.
//
// Backup is online and consistent: the server may go on writing.
//  - Embedded store: SQLite's VACUUM INTO, which copies one read snapshot (so a
//    transaction is either whole in the copy or absent) into a new file that SQLCipher
//    encrypts under the same key. The copy is written beside DEST, synced, opened and
//    verified (schema, integrity of every page, audit chain), then renamed to DEST, so
//    DEST only ever names a whole, verified backup. Keep the key file apart from it.
//  - PostgreSQL: pg_dump's custom format (one REPEATABLE READ snapshot) of the schema
//    the store lives in, checked by reading its table of contents back with pg_restore.
//    The connection comes from the config's conninfo, handed to pg_dump through libpq's
//    environment variables, so a password never shows in the process list.
//
// Restore refuses a store that holds a city unless --force, verifies what it restored
// (schema version, integrity, audit chain), and never leaves a half-restored store. The
// restored sync log gets a new epoch (a random id of its history) in the same
// all-or-nothing step, so every device's cursor from before is known as foreign and the
// device is reset to the restored store at its next Pull (sync/sync_service.h):
//  - Embedded: the backup is copied beside the store, opened with the configured key,
//    verified and given its new epoch, then renamed over the store file. The server must
//    be stopped: a store whose write-ahead log another process holds open is refused.
//    Its next start reads the new epoch.
//  - PostgreSQL: pg_restore --clean into the schema the backup was taken from, which must
//    be the configured store's schema, run by psql in one transaction with the new epoch
//    and a NOTIFY on the sync feed's channel, so that backends serving meanwhile forget
//    what they hold of the old log and tell their devices at once.
#include "config/storage_config.h"
#include "ctl/admin_store.h"
#include "ctl/command.h"
#include "ctl/command_support.h"
#include "ctl/store_checks.h"
#include "storage/embedded_database.h"
#include "storage/schema.h"
#include "storage/storage.h"
#include "sync/change_feed.h"
#include "sync/postgres_change_feed.h"
#include "store/database.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <libpq-fe.h>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <poll.h>
#include <regex>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>
#include <variant>

extern char **environ;

namespace sigess::ctl {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kBackupUsage
    = "usage: sigessctl backup DEST [--config FILE]\n"
      "  An online, consistent backup of the configured store while the server runs.\n"
      "  Embedded store: an encrypted copy under the store's own key (keep the key file,\n"
      "  backed up apart); PostgreSQL: a pg_dump archive in custom format (needs pg_dump).\n"
      "  DEST must not exist; the backup is verified before it appears under that name.\n";
constexpr std::string_view kRestoreUsage
    = "usage: sigessctl restore SRC [--force] [--config FILE]\n"
      "  Replaces the configured store with a backup made by sigessctl backup, then verifies\n"
      "  it (schema version, integrity, audit chain). A store holding a city is refused\n"
      "  unless --force. The city goes back to the backup: whatever was written after it\n"
      "  was taken is gone, and every device drops what it holds from the server and\n"
      "  downloads the restored store again at its next sync, keeping only its own changes\n"
      "  not yet sent. Embedded store: stop sigess-backend first; the backup must open with\n"
      "  the configured key file. PostgreSQL: needs pg_restore and psql; the backup's schema\n"
      "  must be the store's; running backends are told and reset their devices at once.\n";

struct ProgramOutput {
    int exitStatus = 0;
    std::string out;
    std::string err;
};

// A program found on PATH and its arguments.
struct Command {
    std::string program;
    std::vector<std::string> arguments;
};

void closeAll(std::vector<int> &fds)
{
    for (const int fd : fds)
        ::close(fd);
    fds.clear();
}

int waitFor(pid_t child)
{
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) { }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs programs found on PATH with extra environment variables, each one's output the
// next one's input (the first reads nothing), and collects the last one's output and
// everyone's errors (polled together, so no pipe can fill up and stall a child). The
// exit status is the first failing program's.
Result<ProgramOutput> runPipeline(const std::vector<Command> &commands,
    const std::map<std::string, std::string> &environment)
{
    std::map<std::string, std::string> merged;
    for (char **entry = environ; *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const std::size_t equals = text.find('=');
        if (equals != std::string_view::npos)
            merged[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
    }
    for (const auto &[name, value] : environment)
        merged[name] = value;
    std::vector<std::string> environmentText;
    for (const auto &[name, value] : merged)
        environmentText.push_back(name + "=" + value);
    std::vector<char *> envp;
    for (std::string &entry : environmentText)
        envp.push_back(entry.data());
    envp.push_back(nullptr);

    std::vector<pid_t> children;
    std::vector<int> readEnds;  // the errors of each program, then the last one's output
    int input = -1;
    std::optional<Error> failed;
    for (std::size_t i = 0; i < commands.size() && !failed; ++i) {
        int outPipe[2];
        int errPipe[2];
        if (::pipe2(outPipe, O_CLOEXEC) != 0) {
            failed = makeError(ErrorCode::Internal, std::string("pipe: ") + std::strerror(errno));
            break;
        }
        if (::pipe2(errPipe, O_CLOEXEC) != 0) {
            failed = makeError(ErrorCode::Internal, std::string("pipe: ") + std::strerror(errno));
            ::close(outPipe[0]);
            ::close(outPipe[1]);
            break;
        }
        std::vector<std::string> argumentText { commands[i].program };
        argumentText.insert(argumentText.end(), commands[i].arguments.begin(), commands[i].arguments.end());
        std::vector<char *> argv;
        for (std::string &argument : argumentText)
            argv.push_back(argument.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        if (input < 0)
            posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        else
            posix_spawn_file_actions_adddup2(&actions, input, STDIN_FILENO);
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], STDERR_FILENO);
        pid_t child = 0;
        const int spawned
            = ::posix_spawnp(&child, commands[i].program.c_str(), &actions, nullptr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        ::close(outPipe[1]);
        ::close(errPipe[1]);
        if (input >= 0)
            ::close(input);
        input = outPipe[0];
        readEnds.push_back(errPipe[0]);
        if (spawned != 0) {
            failed = makeError(ErrorCode::Unavailable,
                "cannot run " + commands[i].program + ": " + std::strerror(spawned)
                    + " (it comes with the PostgreSQL client: deploy/install-deps)");
            break;
        }
        children.push_back(child);
    }
    if (failed) {
        // The programs already running read an end of input, or write into a closed pipe.
        if (input >= 0)
            ::close(input);
        closeAll(readEnds);
        for (const pid_t child : children)
            waitFor(child);
        return *failed;
    }
    readEnds.push_back(input);

    ProgramOutput output;
    std::vector<pollfd> fds;
    for (const int fd : readEnds)
        fds.push_back(pollfd { fd, POLLIN, 0 });
    std::size_t open = fds.size();
    while (open > 0) {
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0)
                continue;
            char buffer[65536];
            const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
            if (got > 0) {
                (i + 1 == fds.size() ? output.out : output.err).append(buffer, static_cast<std::size_t>(got));
            } else if (got == 0 || errno != EINTR) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            }
        }
    }
    for (const pollfd &fd : fds) {
        if (fd.fd >= 0)
            ::close(fd.fd);
    }
    for (const pid_t child : children) {
        const int status = waitFor(child);
        if (output.exitStatus == 0)
            output.exitStatus = status;
    }
    return output;
}

Result<ProgramOutput> runChecked(const std::vector<Command> &commands,
    const std::map<std::string, std::string> &environment)
{
    Result<ProgramOutput> ran = runPipeline(commands, environment);
    if (ran.ok() && ran->exitStatus != 0) {
        std::string names;
        for (const Command &command : commands)
            names += (names.empty() ? "" : " | ") + command.program;
        return makeError(ErrorCode::Unavailable,
            names + " failed (exit status " + std::to_string(ran->exitStatus) + "): " + ran->err);
    }
    return ran;
}

// The conninfo as libpq's environment variables (PGHOST, PGPASSWORD, PGOPTIONS...).
Result<std::map<std::string, std::string>> libpqEnvironment(const std::string &conninfo)
{
    char *parseError = nullptr;
    PQconninfoOption *options = PQconninfoParse(conninfo.c_str(), &parseError);
    if (options == nullptr) {
        std::string message = parseError != nullptr ? parseError : "out of memory";
        PQfreemem(parseError);
        return makeError(ErrorCode::Invalid, "storage.conninfo: " + message);
    }
    std::map<std::string, std::string> environment;
    for (const PQconninfoOption *option = options; option->keyword != nullptr; ++option) {
        if (option->val != nullptr && option->envvar != nullptr && *option->val != '\0')
            environment[option->envvar] = option->val;
    }
    PQconninfoFree(options);
    return environment;
}

// Where the PostgreSQL store lives: its database and the schema its tables are in.
struct PostgresLocation {
    std::string database;
    std::string schema;
};

Result<PostgresLocation> locate(storage::SqlDatabase &database)
{
    PostgresLocation location;
    Status read
        = database.query("SELECT current_database(), current_schema()", {}, [&](const storage::SqlRow &row) {
              location.database = row.text(0);
              location.schema = row.isNull(1) ? "" : std::string(row.text(1));
              return Status {};
          });
    if (!read.ok())
        return read.takeError();
    if (location.schema.empty())
        return makeError(ErrorCode::Invalid, "the connection's search_path names no existing schema");
    return location;
}

// The schemas a pg_dump archive creates, from its table of contents
// ("6; 2615 16384 SCHEMA - name owner").
Result<std::vector<std::string>> archiveSchemas(
    const std::string &archive, const std::map<std::string, std::string> &environment)
{
    Result<ProgramOutput> listed = runChecked({ { "pg_restore", { "--list", archive } } }, environment);
    if (!listed.ok())
        return makeError(
            ErrorCode::Corrupt, archive + " is not a readable pg_dump archive: " + listed.error().message);
    std::vector<std::string> schemas;
    static const std::regex schemaLine(R"(^\d+; \d+ \d+ SCHEMA - (\S+) )");
    std::istringstream lines(listed->out);
    for (std::string line; std::getline(lines, line);) {
        std::smatch match;
        if (std::regex_search(line, match, schemaLine))
            schemas.push_back(match[1]);
    }
    return schemas;
}

Status syncPath(const fs::path &path, int flags)
{
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0)
        return makeError(
            ErrorCode::Unavailable, "cannot open " + path.string() + ": " + std::strerror(errno));
    const int synced = ::fsync(fd);
    ::close(fd);
    if (synced != 0)
        return makeError(
            ErrorCode::Unavailable, "cannot sync " + path.string() + ": " + std::strerror(errno));
    return {};
}

// Makes a finished file durable under its final name: its bytes, the rename, the directory.
Status publish(const fs::path &from, const fs::path &to)
{
    SIGESS_TRY(syncPath(from, O_RDONLY));
    std::error_code error;
    fs::rename(from, to, error);
    if (error)
        return makeError(ErrorCode::Unavailable,
            "cannot rename " + from.string() + " to " + to.string() + ": " + error.message());
    return syncPath(to.has_parent_path() ? to.parent_path() : fs::path("."), O_RDONLY | O_DIRECTORY);
}

fs::path besides(const fs::path &path, std::string_view suffix)
{
    fs::path sibling = path;
    sibling += suffix;
    return sibling;
}

void removeQuietly(const fs::path &path)
{
    std::error_code ignored;
    fs::remove(path, ignored);
}

// Opens an embedded store file with the configured key file and runs the full check.
Status verifyEmbeddedFile(const config::BackendConfig &config, const fs::path &file, std::ostream &out)
{
    storage::EmbeddedStoreConfig embedded = std::get<storage::EmbeddedStoreConfig>(config::storageConfigOf(config.storage, adminConnections));
    embedded.path = file.string();
    Result<std::unique_ptr<storage::SqlDatabase>> database = storage::openEmbeddedDatabase(embedded);
    if (!database.ok()) {
        if (database.error().code == ErrorCode::Unauthorized)
            return makeError(ErrorCode::Unauthorized,
                "it does not open with the key in " + config.storage.keyFile
                    + " (was it made under another key?)");
        return database.takeError();
    }
    return verifyStore(**database, out);
}

Result<std::string> pragmaValue(storage::SqlDatabase &database, const std::string &pragma)
{
    std::string value;
    Status read = database.query("PRAGMA " + pragma, {}, [&](const storage::SqlRow &row) {
        value = row.text(0);
        return Status {};
    });
    if (!read.ok())
        return read.takeError();
    return value;
}

using PragmaValues = std::vector<std::pair<std::string, std::string>>;

Status setPragmas(storage::SqlDatabase &database, const PragmaValues &values)
{
    for (const auto &[pragma, value] : values) {
        Result<std::int64_t> set = database.execute("PRAGMA " + pragma + " = " + value, {});
        if (!set.ok())
            return set.takeError();
    }
    return {};
}

// VACUUM INTO encrypts its copy under the store's key but with SQLCipher's process-wide
// default page settings, not the store's own (store/database.h sets those on each
// connection), so a copy made with the library's defaults would not open as a store.
// The defaults are set to the store's for the copy and put back afterwards; no store
// connection reads them, since each sets its settings explicitly.
Status vacuumInto(storage::SqlDatabase &database, const fs::path &copy)
{
    const store::StoreSettings settings;
    const PragmaValues wanted = {
        { "cipher_default_page_size", std::to_string(settings.cipherPageSize) },
        { "cipher_default_hmac_algorithm", settings.hmacAlgorithm },
    };
    PragmaValues previous;
    for (const auto &[pragma, value] : wanted) {
        Result<std::string> current = pragmaValue(database, pragma);
        if (!current.ok())
            return current.takeError();
        previous.emplace_back(pragma, *current);
    }
    SIGESS_TRY(setPragmas(database, wanted));
    Result<std::int64_t> copied = database.execute("VACUUM INTO $1", { copy.string() });
    Status restored = setPragmas(database, previous);
    if (!copied.ok())
        return copied.takeError();
    return restored;
}

int backupEmbedded(AdminStore &store, const fs::path &destination, CommandIo io)
{
    const fs::path partial = besides(destination, ".partial");
    removeQuietly(partial);
    Status copied = vacuumInto(store.database(), partial);
    if (!copied.ok()) {
        removeQuietly(partial);
        return failure(io, "backup", "cannot copy the store: " + copied.error().message);
    }
    if (Status verified = verifyEmbeddedFile(store.config(), partial, io.out); !verified.ok()) {
        removeQuietly(partial);
        return failure(io, "backup", "the copy fails verification: " + verified.error().message);
    }
    if (Status published = publish(partial, destination); !published.ok()) {
        removeQuietly(partial);
        return failure(io, "backup", published.error().message);
    }
    io.out << "backup written to " << destination.string() << " (encrypted under the key in "
           << store.config().storage.keyFile << ")\n";
    return exitOk;
}

int backupPostgres(AdminStore &store, const fs::path &destination, CommandIo io)
{
    Result<PostgresLocation> location = locate(store.database());
    if (!location.ok())
        return failure(io, "backup", location.error().message);
    Result<std::map<std::string, std::string>> environment
        = libpqEnvironment(store.config().storage.conninfo);
    if (!environment.ok())
        return failure(io, "backup", environment.error().message);
    const fs::path partial = besides(destination, ".partial");
    removeQuietly(partial);
    Result<ProgramOutput> dumped = runChecked({ { "pg_dump",
                                                    { "--format=custom", "--no-password", "--schema=" + location->schema,
                                                        "--file=" + partial.string(), "--dbname=" + location->database } } },
        *environment);
    if (!dumped.ok()) {
        removeQuietly(partial);
        return failure(io, "backup", dumped.error().message);
    }
    Result<std::vector<std::string>> schemas = archiveSchemas(partial.string(), *environment);
    if (!schemas.ok()) {
        removeQuietly(partial);
        return failure(io, "backup", "the dump fails verification: " + schemas.error().message);
    }
    if (Status published = publish(partial, destination); !published.ok()) {
        removeQuietly(partial);
        return failure(io, "backup", published.error().message);
    }
    io.out << "backup written to " << destination.string() << " (pg_dump custom format, schema "
           << location->schema << " of database " << location->database << ")\n";
    return exitOk;
}

// Refuses (returns false, having said why) a store that holds a city, unless forced.
bool mayOverwrite(storage::SqlDatabase &database, bool force, CommandIo io)
{
    Result<RecordCounts> counts = countRecords(database);
    if (!counts.ok()) {
        failure(io, "restore", counts.error().message);
        return false;
    }
    if (!counts->holdsCity())
        return true;
    if (force) {
        io.out << "replacing a store that holds: ";
        printCounts(*counts, io.out);
        return true;
    }
    io.err << "sigessctl restore: the store is not empty: ";
    printCounts(*counts, io.err);
    io.err << "restore into an empty store, or pass --force to replace it\n";
    return false;
}

bool walInUse(const fs::path &storeFile)
{
    return fs::exists(besides(storeFile, "-wal"));
}

// Gives the sync log of the copy about to replace the store a new epoch (the backup
// carries the epoch of the store it was taken from), migrating the copy first as the
// server would. Written before the copy takes the store's name, so the store never
// holds the restored log under an epoch devices already know.
Status renewEmbeddedEpoch(const config::BackendConfig &config, const fs::path &file)
{
    storage::StorageConfig copy = config::storageConfigOf(config.storage, adminConnections);
    std::get<storage::EmbeddedStoreConfig>(copy).path = file.string();
    Result<std::unique_ptr<storage::SqlDatabase>> database = storage::openStorage(copy);
    if (!database.ok())
        return database.takeError();
    return (*database)->transaction([](storage::SqlExecutor &transaction) -> Status {
        Result<std::int64_t> renewed
            = transaction.execute(storage::renewLogEpochStatement(transaction.dialect()), {});
        if (!renewed.ok())
            return renewed.takeError();
        return {};
    });
}

int restoreEmbedded(const config::BackendConfig &config, const fs::path &source, bool force, CommandIo io)
{
    const fs::path storeFile = config.storage.path;
    if (fs::exists(storeFile)) {
        Result<std::unique_ptr<AdminStore>> store = AdminStore::open(config);
        if (!store.ok())
            return failure(io, "restore", store.error().message);
        if (!mayOverwrite((*store)->database(), force, io))
            return exitFailure;
    }
    const std::string inUse
        = "the store's write-ahead log is held open by another process: stop sigess-backend first";
    if (walInUse(storeFile))
        return failure(io, "restore", inUse);

    const fs::path incoming = besides(storeFile, ".restoring");
    removeQuietly(incoming);
    std::error_code error;
    fs::copy_file(source, incoming, error);
    if (error)
        return failure(io, "restore", "cannot copy " + source.string() + ": " + error.message());
    if (Status verified = verifyEmbeddedFile(config, incoming, io.out); !verified.ok()) {
        removeQuietly(incoming);
        return failure(io, "restore",
            "the backup fails verification, the store is unchanged: " + verified.error().message);
    }
    if (Status renewed = renewEmbeddedEpoch(config, incoming); !renewed.ok()) {
        removeQuietly(incoming);
        return failure(io, "restore", "cannot give the restored log a new epoch, the store is unchanged: "
                + renewed.error().message);
    }
    if (walInUse(storeFile)) {
        removeQuietly(incoming);
        return failure(io, "restore", inUse);
    }
    removeQuietly(besides(storeFile, "-shm"));
    if (Status published = publish(incoming, storeFile); !published.ok()) {
        removeQuietly(incoming);
        return failure(io, "restore", published.error().message);
    }
    io.out << "restored " << storeFile.string() << " from " << source.string() << '\n';
    return exitOk;
}

// A SQL identifier ('"') or literal ('\'') of any text.
std::string sqlQuoted(std::string_view text, char quote)
{
    std::string out(1, quote);
    for (const char c : text) {
        out += c;
        if (c == quote)
            out += quote;
    }
    return out + quote;
}

// What runs in a PostgreSQL restore's transaction after the backup's own statements: the
// log gets a new epoch (a backup older than the epoch, schema step 7, gets its first one
// as the store is migrated next), and every backend listening is told that the log was
// replaced (change_feed.h logReplaced).
std::string afterPostgresRestore(const std::string &schema)
{
    const std::string notice
        = syncserver::encodeFeedPayloads("sigessctl restore", { syncserver::logReplaced() }, 0).front();
    return "SET LOCAL search_path TO " + sqlQuoted(schema, '"') + ";\n"
        + "DO $restore$ BEGIN IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = "
          "current_schema() AND table_name = 'sync_head' AND column_name = 'epoch') THEN "
        + storage::renewLogEpochStatement(storage::Dialect::Postgres) + "; END IF; END $restore$;\n"
        + "SELECT pg_notify(" + sqlQuoted(syncserver::defaultFeedChannel, '\'') + ", " + sqlQuoted(notice, '\'') + ")";
}

int restorePostgres(const config::BackendConfig &config, const fs::path &source, bool force, CommandIo io)
{
    Result<std::map<std::string, std::string>> environment = libpqEnvironment(config.storage.conninfo);
    if (!environment.ok())
        return failure(io, "restore", environment.error().message);
    PostgresLocation location;
    {
        Result<std::unique_ptr<AdminStore>> store = AdminStore::open(config);
        if (!store.ok())
            return failure(io, "restore", store.error().message);
        if (!mayOverwrite((*store)->database(), force, io))
            return exitFailure;
        Result<PostgresLocation> located = locate((*store)->database());
        if (!located.ok())
            return failure(io, "restore", located.error().message);
        location = std::move(located).value();
    }
    Result<std::vector<std::string>> schemas = archiveSchemas(source.string(), *environment);
    if (!schemas.ok())
        return failure(io, "restore", schemas.error().message);
    if (*schemas != std::vector<std::string> { location.schema }) {
        std::string found;
        for (const std::string &schema : *schemas)
            found += (found.empty() ? "" : ", ") + schema;
        return failure(io, "restore",
            "the backup holds schema " + (found.empty() ? "(none)" : found)
                + " but the configured store is schema " + location.schema);
    }
    // pg_restore writes the archive out as SQL, which psql runs in one transaction
    // followed by the log's new epoch and the notice to the running backends: all of it
    // commits or nothing does, and a NOTIFY is delivered only at the commit.
    Result<ProgramOutput> restored = runChecked(
        { { "pg_restore",
              { "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file=-", source.string() } },
            { "psql",
                { "--no-psqlrc", "--quiet", "--no-password", "--single-transaction", "--set=ON_ERROR_STOP=1",
                    "--dbname=" + location.database, "--file=-", "--command=" + afterPostgresRestore(location.schema) } } },
        *environment);
    if (!restored.ok())
        return failure(io, "restore", "nothing was restored: " + restored.error().message);
    Result<std::unique_ptr<AdminStore>> reopened = AdminStore::open(config);
    if (!reopened.ok())
        return failure(io, "restore", reopened.error().message);
    if (Status verified = verifyStore((*reopened)->database(), io.out); !verified.ok())
        return failure(io, "restore", "the restored store fails verification: " + verified.error().message);
    io.out << "restored schema " << location.schema << " of database " << location.database << " from "
           << source.string() << '\n';
    return exitOk;
}

} // namespace

int runBackup(const Args &args, CommandIo io)
{
    const std::string usage = std::string(kBackupUsage) + std::string(configUsage);
    Result<ParsedArguments> arguments = parseArguments(args, { { "config" }, {} });
    if (!arguments.ok())
        return usageError(io, "backup", arguments.error().message, usage);
    if (arguments->positional().size() != 1)
        return usageError(io, "backup", "backup takes one DEST", usage);
    const fs::path destination = arguments->positional()[0];
    if (fs::exists(destination))
        return failure(
            io, "backup", destination.string() + " exists: a backup never overwrites, choose a new name");
    Result<std::unique_ptr<AdminStore>> store = AdminStore::open(*arguments);
    if (!store.ok())
        return failure(io, "backup", store.error().message);
    if ((*store)->config().storage.kind == config::StorageKind::PostgreSql)
        return backupPostgres(**store, destination, io);
    return backupEmbedded(**store, destination, io);
}

int runRestore(const Args &args, CommandIo io)
{
    const std::string usage = std::string(kRestoreUsage) + std::string(configUsage);
    Result<ParsedArguments> arguments = parseArguments(args, { { "config" }, { "force" } });
    if (!arguments.ok())
        return usageError(io, "restore", arguments.error().message, usage);
    if (arguments->positional().size() != 1)
        return usageError(io, "restore", "restore takes one SRC", usage);
    const fs::path source = arguments->positional()[0];
    if (!fs::is_regular_file(source))
        return failure(io, "restore", source.string() + ": no such backup file");
    Result<config::BackendConfig> config = AdminStore::readConfig(*arguments);
    if (!config.ok())
        return failure(io, "restore", config.error().message);
    const bool force = arguments->flag("force");
    if (config->storage.kind == config::StorageKind::PostgreSql)
        return restorePostgres(*config, source, force, io);
    return restoreEmbedded(*config, source, force, io);
}

} // namespace sigess::ctl
