// sigessctl seed: the synthetic city (seed/generator.h) written into the configured
// store, for demos and benchmarks. The city streams in; records are buffered and
// written a batch of citizens (with everything that belongs to them) per transaction,
// which keeps each commit large enough to be cheap and small enough not to hold the
// embedded store's writer for long.
//
// Every seeded operator gets the same demo password: hashed once with identity's
// Argon2id hasher (one hash for 900 accounts, where 900 hashes would take minutes), and
// either read from stdin or drawn at random and printed once.
//
// A store that already holds a city (operators, devices, citizens, records or audit
// events) is refused, so that a demo city is never mixed into real data by mistake;
// --force first empties the city's tables (not the audit log, which is evidence and is
// never deleted by sigessctl).
//
// The city's people and their records are written the way the server writes any
// replicated entity (sync/server_writes.h), each stamped with the moment the history
// says it was made: the sync log then holds them, so a demo tablet receives its
// caseload (with its visits, notes, assessments and interventions, which have no API
// table), and the API's tables hold the same records.
#include "ctl/admin_store.h"
#include "ctl/command.h"
#include "ctl/command_support.h"
#include "ctl/store_checks.h"
#include "core/clock.h"
#include "core/hlc.h"
#include "core/uuid.h"
#include "identity/password.h"
#include "identity/secret.h"
#include "policy/policy.h"
#include "seed/generator.h"
#include "storage/operator_repository.h"
#include "storage/presidio_repository.h"
#include "sync/entity_registry.h"
#include "sync/postgres_change_feed.h"
#include "sync/server_writes.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <iomanip>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <vector>

namespace sigess::ctl {

namespace {

constexpr std::string_view kCommand = "seed";
constexpr std::string_view kUsage
    = "usage: sigessctl seed [--seed N] [--citizens N] [--catalog FILE] [--password-stdin] [--force] "
      "[--config FILE]\n"
      "  Writes a synthetic city (the catalog's municipi and presidi, 900 operators, N citizens\n"
      "  (default 10000) with their tickets, intakes and cases) into the configured store.\n"
      "  The same --seed (default 1) and catalog give the same city, record for record.\n"
      "  The catalog release is --catalog FILE, else the config's catalog.release.\n"
      "  Every operator gets one demo password: read as one line on stdin with\n"
      "  --password-stdin, else drawn at random and printed once.\n"
      "  A store that already holds operators, devices, citizens, records or audit events is\n"
      "  refused; --force empties those tables first (the audit log is kept).\n";
constexpr std::size_t kCitizensPerTransaction = 10'000;
// The embedded store's writer, for the length of the seed: a page cache that holds the
// city's indexes (inserts land all over them, ids being spread over five years of
// history), and checkpoints of the write-ahead log ten times rarer, so that a page
// dirtied by many batches is written back once rather than once per batch.
constexpr std::string_view kBulkLoadPragmas[]
    = { "PRAGMA cache_size = -262144", "PRAGMA wal_autocheckpoint = 10000" };
constexpr std::size_t kExamplesPerRole = 3;
// Any name but a backend's own: each backend's feed ignores only what it sent itself.
constexpr char kSeedSender[] = "sigessctl seed";
// The tables a --force seed empties, children before parents. The audit log is not one;
// the sync log's head keeps counting, so no device's cursor ever points into a new city.
constexpr std::array kCityTables = { "sessions", "enrollment_codes", "devices", "sync_ops", "sync_entities",
    "tickets", "intakes", "cases", "citizens", "operators", "presidi" };

int usage(CommandIo io, std::string_view problem)
{
    return usageError(io, kCommand, problem, std::string(kUsage) + std::string(configUsage));
}

template <typename Number> std::optional<Number> parseNumber(const std::string &text)
{
    Number value {};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc {} || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// Buffers the city and writes it a batch at a time: presidi and operators to their
// tables, every replicated record through the sync log.
class StoreSink final : public seed::SeedSink {
public:
    StoreSink(storage::SqlDatabase &database, std::string passwordHash, core::HybridLogicalClock &hlc,
        core::UuidV7Generator &ids)
        : m_database(database)
        , m_passwordHash(std::move(passwordHash))
        , m_hlc(hlc)
        , m_ids(ids)
    {
    }

    Status accept(const v1::Presidio &presidio) override { return keep(m_presidi, presidio); }
    Status accept(const v1::Operator &account) override
    {
        std::vector<std::string> &examples = m_examples[account.role()];
        if (examples.size() < kExamplesPerRole)
            examples.push_back(account.username());
        return keep(m_operators, account);
    }
    Status accept(const v1::Citizen &citizen) override
    {
        // A citizen's records follow the citizen, so a batch ends just before the next one.
        if (m_citizens >= kCitizensPerTransaction)
            SIGESS_TRY(flush());
        ++m_citizens;
        return record(citizen);
    }
    Status accept(const v1::Ticket &ticket) override { return record(ticket); }
    Status accept(const v1::Intake &intake) override { return record(intake); }
    Status accept(const v1::Case &caseFile) override { return record(caseFile); }
    Status accept(const v1::Intervention &intervention) override { return record(intervention); }
    Status accept(const v1::Visit &visit) override { return record(visit); }
    Status accept(const v1::Note &note) override { return record(note); }
    Status accept(const v1::Assessment &assessment) override { return record(assessment); }

    Status flush()
    {
        syncserver::PendingChanges committed;
        Status written = m_database.transaction([&](storage::SqlExecutor &sql) -> Status {
            for (const v1::Presidio &presidio : m_presidi)
                SIGESS_TRY(storage::PresidioRepository(sql).upsert(presidio));
            for (const v1::Operator &account : m_operators)
                SIGESS_TRY(storage::OperatorRepository(sql).create(account, m_passwordHash));
            syncserver::ServerWrites writes(sql, m_hlc, m_ids);
            for (const std::unique_ptr<google::protobuf::Message> &entity : m_records) {
                const v1::Hlc &created = sync::entityMeta(*entity).created();
                SIGESS_TRY(writes.create(*entity, core::HlcStamp { created.wall_ms(), created.counter() }));
            }
            Result<syncserver::PendingChanges> logged = writes.finish();
            if (!logged.ok())
                return logged.takeError();
            committed = std::move(logged).value();
            return {};
        });
        if (!written.ok())
            return written;
        // Backends running on a PostgreSQL store hear of the city at once, as of their own
        // writes (NOTIFY on their feed's channel); on the embedded store their feed looks
        // at the store itself.
        if (m_database.dialect() == storage::Dialect::Postgres && !committed.changes.empty()) {
            Status told = syncserver::notifyInstances(m_database, syncserver::defaultFeedChannel, kSeedSender,
                                                      committed.changes, committed.latest);
            if (!told.ok())
                return makeError(told.error().code, "the records are stored, but running backends could not be told at "
                                                    "once (" + told.error().message
                                                        + "); devices learn of them when they next pull");
        }
        m_presidi.clear();
        m_operators.clear();
        m_records.clear();
        m_citizens = 0;
        return {};
    }

    // A few usernames of each role, in the order they were made.
    const std::map<v1::Role, std::vector<std::string>> &examples() const { return m_examples; }

private:
    template <typename Message> static Status keep(std::vector<Message> &into, const Message &message)
    {
        into.push_back(message);
        return {};
    }
    template <typename Message> Status record(const Message &message)
    {
        m_records.push_back(std::make_unique<Message>(message));
        return {};
    }

    storage::SqlDatabase &m_database;
    std::string m_passwordHash;
    std::vector<v1::Presidio> m_presidi;
    core::HybridLogicalClock &m_hlc;
    core::UuidV7Generator &m_ids;
    std::vector<v1::Operator> m_operators;
    // Citizens, then each one's records, in the order the city was made.
    std::vector<std::unique_ptr<google::protobuf::Message>> m_records;
    std::size_t m_citizens = 0;  // in m_records
    std::map<v1::Role, std::vector<std::string>> m_examples;
};

Status emptyCityTables(storage::SqlDatabase &database)
{
    return database.transaction([](storage::SqlExecutor &sql) -> Status {
        for (const char *table : kCityTables) {
            Result<std::int64_t> deleted = sql.execute("DELETE FROM " + std::string(table), {});
            if (!deleted.ok())
                return deleted.takeError();
        }
        return {};
    });
}

void printSummary(const seed::SeedSummary &summary, std::ostream &out)
{
    out << "municipi " << summary.municipi << ", presidi " << summary.presidi << ", operators "
        << summary.operators << ", citizens " << summary.citizens << " ("
        << summary.citizensWithoutCodiceFiscale << " without a codice fiscale), tickets " << summary.tickets
        << ", intakes " << summary.intakes << ", cases " << summary.cases << '\n'
        << "for devices only (the sync log; no API table): interventions " << summary.interventions
        << ", visits " << summary.visits << ", notes " << summary.notes << ", assessments "
        << summary.assessments << '\n';
}

void printCredentials(
    const StoreSink &sink, const std::optional<std::string> &shownPassword, std::ostream &out)
{
    if (shownPassword)
        out << "demo password of every operator (shown only now): " << *shownPassword << '\n';
    else
        out << "every operator has the password given on stdin\n";
    for (const auto &[role, usernames] : sink.examples()) {
        out << "  " << policy::roleName(role) << ':';
        for (const std::string &username : usernames)
            out << ' ' << username;
        out << '\n';
    }
}

} // namespace

int runSeed(const Args &args, CommandIo io)
{
    Result<ParsedArguments> arguments = parseArguments(
        args, { { "config", "seed", "citizens", "catalog" }, { "password-stdin", "force" } });
    if (!arguments.ok())
        return usage(io, arguments.error().message);
    if (!arguments->positional().empty())
        return usage(io, "unexpected argument " + arguments->positional().front());
    seed::SeedConfig config;
    if (const auto text = arguments->option("seed")) {
        const auto number = parseNumber<std::uint64_t>(*text);
        if (!number)
            return usage(io, "--seed takes a whole number, not '" + *text + "'");
        config.seed = *number;
    }
    if (const auto text = arguments->option("citizens")) {
        const auto number = parseNumber<std::size_t>(*text);
        if (!number)
            return usage(io, "--citizens takes a whole number, not '" + *text + "'");
        config.citizens = *number;
    }

    std::optional<std::string> shownPassword;
    std::string password;
    if (arguments->flag("password-stdin")) {
        std::getline(io.in, password);
        if (!password.empty() && password.back() == '\r')
            password.pop_back();
    } else {
        // Sixty random bits in groups a person can type at a login screen.
        password = identity::randomEnrollmentCode();
        shownPassword = password;
    }
    Result<std::string> passwordHash
        = identity::PasswordHasher(identity::PasswordCost::interactive()).hash(password);
    if (!passwordHash.ok())
        return failure(io, kCommand, "demo password refused: " + passwordHash.error().message);

    Result<std::unique_ptr<AdminStore>> store = AdminStore::open(*arguments);
    if (!store.ok())
        return failure(io, kCommand, store.error().message);
    storage::SqlDatabase &database = (*store)->database();
    const std::string catalogFile = arguments->option("catalog").value_or((*store)->config().catalogRelease);
    Result<core::Catalog> catalog = core::Catalog::fromFile(catalogFile);
    if (!catalog.ok())
        return failure(io, kCommand, "catalog " + catalogFile + ": " + catalog.error().message);

    Result<RecordCounts> before = countRecords(database);
    if (!before.ok())
        return failure(io, kCommand, before.error().message);
    if (before->holdsCity()) {
        if (!arguments->flag("force")) {
            io.err << "sigessctl seed: the store is not empty: ";
            printCounts(*before, io.err);
            io.err << "seed a fresh store, or pass --force to empty it first (the audit log is kept)\n";
            return exitFailure;
        }
        if (Status emptied = emptyCityTables(database); !emptied.ok())
            return failure(io, kCommand, "cannot empty the store: " + emptied.error().message);
        io.out << "emptied the city's tables (--force)\n";
    }

    if (database.dialect() == storage::Dialect::Sqlite) {
        for (const std::string_view pragma : kBulkLoadPragmas) {
            if (Result<std::int64_t> set = database.execute(pragma, {}); !set.ok())
                return failure(io, kCommand, set.error().message);
        }
    }
    const auto started = std::chrono::steady_clock::now();
    core::SystemClock clock;
    core::HybridLogicalClock hlc(clock);
    core::UuidV7Generator ids(clock);
    StoreSink sink(database, std::move(passwordHash).value(), hlc, ids);
    Result<seed::SeedSummary> summary = seed::generateCity(*catalog, config, sink);
    if (summary.ok()) {
        if (Status flushed = sink.flush(); !flushed.ok())
            summary = flushed.takeError();
    }
    if (!summary.ok())
        return failure(
            io, kCommand, "seeding stopped part-way (seed again with --force): " + summary.error().message);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;

    io.out << "seeded the city of seed " << config.seed << " from catalog release "
           << catalog->release().number() << " in " << std::fixed << std::setprecision(1) << elapsed.count()
           << " s (" << std::setprecision(0)
           << static_cast<double>(summary->citizens) / std::max(elapsed.count(), 1e-3) << " citizens/s)\n";
    printSummary(*summary, io.out);
    Result<RecordCounts> after = countRecords(database);
    if (!after.ok())
        return failure(io, kCommand, after.error().message);
    io.out << "the store now holds: ";
    printCounts(*after, io.out);
    printCredentials(sink, shownPassword, io.out);
    return exitOk;
}

} // namespace sigess::ctl
