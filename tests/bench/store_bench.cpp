// store_bench: the cost of encryption in the SIgeSS store. Each workload runs in the
// same process on the same rows against an SQLCipher file with a raw key and an
// unkeyed file (same library, same settings, no encryption), several times, and
// prints one JSON line: {"name","value","unit","peer","peer_value","ratio"}: the keyed
// and unkeyed medians in operations per CPU-second, and the median of the runs'
// ratios keyed/unkeyed.
// "naive" lines use SQLCipher's defaults with random (v4) ids and one row per
// transaction; the plain names use the settings and write pattern of docs/store.md;
// "store.upsert.recent" is the tuned upsert with updates skewed to recent rows.
// "store.sync_ingest.naive" is DESIGN.md's reference for the backend's sync ingest: each
// operation written as three rows (the log's, the entity's, the API table's), one
// statement each, a thousand operations a transaction, on SQLCipher's defaults with
// random ids. DESIGN.md quotes ~55,000 ops/s encrypted and ~80,000 plain for it; run on
// the machine that runs sync_bench, it says what those figures are there.
//   store_bench [--smoke]   (--smoke: tiny sizes, for CI; its figures mean nothing)
#include "core/clock.h"
#include "core/uuid.h"
#include "store/database.h"
#include "store/transaction.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <time.h>

using namespace sigess;
using namespace sigess::store;

namespace {

struct Sizes {
    int rows;        // preloaded for reads and upserts
    int reads;
    int writes;      // rows inserted, rows upserted, with the tuned write pattern
    int naiveWrites; // rows written one per transaction: fewer, or they would fill the run
    int repetitions; // runs, medians reported
};

enum class IdKind { RandomV4, TimeOrderedV7 };

// Which existing rows the updates of an upsert hit.
enum class UpdateTarget {
    Uniform,  // any row, uniformly: the worst case, every update on its own page
    Recent,   // 80 % of them among the newest 20 % of rows: entities being worked on
};

struct Variant {
    std::string_view suffix;  // "" for the tuned figures
    StoreSettings settings;
    IdKind ids;
    int batch;                // rows per transaction
    int writes;               // rows inserted or upserted per run
    UpdateTarget updates = UpdateTarget::Uniform;
};

using Id = core::Uuid::Bytes;

[[noreturn]] void fail(const Error &error)
{
    std::fprintf(stderr, "store_bench: %s\n", error.describe().c_str());
    std::exit(1);
}

template <typename T>
T check(Result<T> result)
{
    if (!result.ok())
        fail(result.error());
    return std::move(result).value();
}

void check(Status status)
{
    if (!status.ok())
        fail(status.error());
}

class IdSource {
public:
    explicit IdSource(IdKind kind) : m_kind(kind), m_v7(m_clock) {}

    Id next()
    {
        if (m_kind == IdKind::TimeOrderedV7)
            return m_v7.next().bytes();
        Id id;
        for (std::size_t i = 0; i < id.size(); i += 8) {
            const std::uint64_t bits = m_random();
            for (std::size_t j = 0; j < 8; ++j)
                id[i + j] = static_cast<std::uint8_t>(bits >> (8 * j));
        }
        id[6] = static_cast<std::uint8_t>((id[6] & 0x0f) | 0x40);
        id[8] = static_cast<std::uint8_t>((id[8] & 0x3f) | 0x80);
        return id;
    }

private:
    IdKind m_kind;
    core::SystemClock m_clock;
    core::UuidV7Generator m_v7;
    std::mt19937_64 m_random{20240611};
};

// A serialized entity of about 300 bytes: what the store keeps beside its columns.
std::string bodyFor(std::uint64_t seed)
{
    std::string body(300, '\0');
    std::mt19937_64 random(seed);
    for (char &c : body)
        c = static_cast<char>(random() % 96 + 32);
    return body;
}

std::string_view bytesOf(const Id &id)
{
    return {reinterpret_cast<const char *>(id.data()), id.size()};
}

constexpr std::string_view schema =
    "CREATE TABLE IF NOT EXISTS record (id BLOB PRIMARY KEY NOT NULL, presidio INTEGER NOT NULL,"
    " kind INTEGER NOT NULL, updated INTEGER NOT NULL, body BLOB NOT NULL);"
    "CREATE INDEX IF NOT EXISTS record_presidio ON record(presidio, updated);"
    "CREATE INDEX IF NOT EXISTS record_kind ON record(kind, updated);"
    "CREATE TABLE IF NOT EXISTS op_log (sequence INTEGER PRIMARY KEY, op_id BLOB NOT NULL UNIQUE,"
    " entity_id BLOB NOT NULL, body BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS entity (id BLOB PRIMARY KEY NOT NULL, presidio INTEGER NOT NULL,"
    " body BLOB NOT NULL);";
constexpr std::string_view insertSql =
    "INSERT INTO record (id, presidio, kind, updated, body) VALUES (?, ?, ?, ?, ?)";
constexpr std::string_view upsertSql =
    "INSERT INTO record (id, presidio, kind, updated, body) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET presidio = excluded.presidio, kind = excluded.kind,"
    " updated = excluded.updated, body = excluded.body";

enum class Side { Keyed, Unkeyed };

// One write of a workload: the row's id and the serial number its columns derive from;
// op is the id of the operation that wrote it, for the workloads that log one.
struct Row {
    Id id;
    int serial;
    Id op{};
};

// One statement a workload runs for each of its rows, and how it binds the row.
struct RowStatement {
    std::string_view sql;
    void (*bind)(Statement &statement, const Row &row, std::string_view body);
};

void bindRecord(Statement &statement, const Row &row, std::string_view body)
{
    statement.bindBlob(1, bytesOf(row.id))
        .bindInt64(2, row.serial % 26)
        .bindInt64(3, row.serial % 40)
        .bindInt64(4, row.serial)
        .bindBlob(5, body);
}

void bindLogEntry(Statement &statement, const Row &row, std::string_view body)
{
    statement.bindBlob(1, bytesOf(row.op)).bindBlob(2, bytesOf(row.id)).bindBlob(3, body);
}

void bindEntity(Statement &statement, const Row &row, std::string_view body)
{
    statement.bindBlob(1, bytesOf(row.id)).bindInt64(2, row.serial % 26).bindBlob(3, body);
}

constexpr std::array<RowStatement, 1> insertRecord{{{insertSql, bindRecord}}};
constexpr std::array<RowStatement, 1> upsertRecord{{{upsertSql, bindRecord}}};
constexpr std::array<RowStatement, 3> ingestOperation{{
    {"INSERT INTO op_log (op_id, entity_id, body) VALUES (?, ?, ?)", bindLogEntry},
    {"INSERT INTO entity (id, presidio, body) VALUES (?, ?, ?)", bindEntity},
    {insertSql, bindRecord},
}};

struct CpuSeconds {
    double keyed = 0;
    double unkeyed = 0;
};

struct Pair {
    Database keyed;
    Database unkeyed;

    Database &side(Side which) { return which == Side::Keyed ? keyed : unkeyed; }
};

// Each figure is measured in lockstep: the workload is cut into steps, and every step
// runs on the unkeyed file and on the keyed file back to back (alternating which goes
// first), each timed on its own. Both sides thus see the same load from the other
// users of a shared machine, step by step; comparing whole runs made one after the
// other let the ratio swing by ±0.1 between identical runs.
class Bench {
public:
    Bench(std::filesystem::path dir, Sizes sizes) : m_dir(std::move(dir)), m_sizes(sizes) {}

    void pointReads(const Variant &variant)
    {
        report("store.point_read", variant, m_sizes.reads, [&] { return pointReadSeconds(variant); });
    }

    void inserts(const Variant &variant)
    {
        report("store.insert", variant, variant.writes, [&] { return writeSeconds(variant, insertRecord, false); });
    }

    void upserts(const Variant &variant)
    {
        report("store.upsert", variant, variant.writes, [&] { return writeSeconds(variant, upsertRecord, true); });
    }

    void syncIngest(const Variant &variant)
    {
        report("store.sync_ingest", variant, variant.writes,
               [&] { return writeSeconds(variant, ingestOperation, false); });
    }

private:
    std::string pathOf(Side side) const { return (m_dir / (side == Side::Keyed ? "keyed.db" : "unkeyed.db")).string(); }

    Database open(const Variant &variant, Side side, OpenMode mode)
    {
        return side == Side::Keyed ? check(Database::open(pathOf(side), m_key, mode, variant.settings))
                                   : check(Database::openUnencrypted(pathOf(side), mode, variant.settings));
    }

    Database openFresh(const Variant &variant, Side side)
    {
        for (const char *suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(pathOf(side) + suffix);
        Database database = open(variant, side, OpenMode::CreateIfMissing);
        check(database.exec(schema));
        return database;
    }

    Pair openFreshPair(const Variant &variant)
    {
        return Pair{openFresh(variant, Side::Keyed), openFresh(variant, Side::Unkeyed)};
    }

    // Runs steps of the workload on both sides in lockstep; returns each side's CPU time.
    template <typename Step>
    static CpuSeconds lockstep(int steps, Step step)
    {
        CpuSeconds spent;
        for (int i = 0; i < steps; ++i) {
            const Side first = i % 2 == 0 ? Side::Unkeyed : Side::Keyed;
            for (const Side side : {first, first == Side::Keyed ? Side::Unkeyed : Side::Keyed}) {
                const double start = cpuSeconds();
                step(side, i);
                (side == Side::Keyed ? spent.keyed : spent.unkeyed) += cpuSeconds() - start;
            }
        }
        return spent;
    }

    // count new rows: the same ids on both sides, so both build the same b-trees.
    static std::vector<Row> newRows(IdSource &ids, int count)
    {
        std::vector<Row> rows;
        rows.reserve(static_cast<std::size_t>(count));
        for (int i = 0; i < count; ++i) {
            const Id id = ids.next();
            rows.push_back({id, i, ids.next()});
        }
        return rows;
    }

    // count upserts: half update an existing row, half insert a new one.
    static std::vector<Row> upsertRows(const Variant &variant, IdSource &ids, const std::vector<Row> &existing, int count)
    {
        std::mt19937_64 pick(7);
        // existing is in insertion order, and ids are time-ordered: the newest rows last.
        const std::size_t recentFrom = existing.size() - existing.size() / 5;
        std::vector<Row> rows;
        rows.reserve(static_cast<std::size_t>(count));
        for (int i = 0; i < count; ++i) {
            if ((pick() & 1) == 0) {
                rows.push_back({ids.next(), i});
                continue;
            }
            const bool recent = variant.updates == UpdateTarget::Recent && pick() % 5 != 0;
            const std::size_t target = recent ? recentFrom + pick() % (existing.size() - recentFrom)
                                              : pick() % existing.size();
            rows.push_back({existing[target].id, i});
        }
        return rows;
    }

    // Writes rows through statements, batch rows per transaction, a slice at a time:
    // a transaction may span several slices, so that lockstep can interleave the sides
    // finely even when transactions are large.
    class Writer {
    public:
        Writer(Bench &bench, Database &database, std::span<const RowStatement> statements, int batch)
            : m_bench(bench), m_database(database), m_statements(statements), m_batch(batch)
        {
        }

        void write(const Row *rows, std::size_t count)
        {
            for (std::size_t i = 0; i < count; ++i) {
                if (!m_transaction)
                    m_transaction.emplace(check(Transaction::begin(m_database)));
                const Row &row = rows[i];
                const std::string &body = m_bench.m_bodies[static_cast<std::size_t>(row.serial) % m_bench.m_bodies.size()];
                for (const RowStatement &each : m_statements) {
                    Statement statement = check(m_database.prepare(each.sql));
                    each.bind(statement, row, body);
                    check(statement.run());
                }
                if (++m_inTransaction == m_batch)
                    finish();
            }
        }

        void finish()
        {
            if (m_transaction)
                check(m_transaction->commit());
            m_transaction.reset();
            m_inTransaction = 0;
        }

    private:
        Bench &m_bench;
        Database &m_database;
        std::span<const RowStatement> m_statements;
        int m_batch;
        std::optional<Transaction> m_transaction;
        int m_inTransaction = 0;
    };

    // Preloads are not measured; they only need to be the same on both sides.
    std::vector<Row> preload(Pair &pair, IdSource &ids)
    {
        std::vector<Row> rows = newRows(ids, m_sizes.rows);
        for (const Side side : {Side::Keyed, Side::Unkeyed}) {
            Writer writer(*this, pair.side(side), insertRecord, 1000);
            writer.write(rows.data(), rows.size());
            writer.finish();
        }
        return rows;
    }

    CpuSeconds writeSeconds(const Variant &variant, std::span<const RowStatement> statements, bool upsert)
    {
        Pair pair = openFreshPair(variant);
        IdSource ids(variant.ids);
        const std::vector<Row> rows = upsert ? upsertRows(variant, ids, preload(pair, ids), variant.writes)
                                             : newRows(ids, variant.writes);
        Writer keyed(*this, pair.keyed, statements, variant.batch);
        Writer unkeyed(*this, pair.unkeyed, statements, variant.batch);
        // Slices of whole transactions when they are small, so that reading the clock
        // stays noise; a commit falls in the slice of its transaction's last rows.
        const int sliceRows = variant.batch >= 1000 ? 1000 : variant.batch * (1000 / variant.batch);
        const std::size_t slice = static_cast<std::size_t>(sliceRows);
        const int steps = static_cast<int>((rows.size() + slice - 1) / slice);
        return lockstep(steps, [&](Side side, int step) {
            Writer &writer = side == Side::Keyed ? keyed : unkeyed;
            const std::size_t first = static_cast<std::size_t>(step) * slice;
            writer.write(rows.data() + first, std::min(rows.size() - first, slice));
            if (step == steps - 1)
                writer.finish();
        });
    }

    CpuSeconds pointReadSeconds(const Variant &variant)
    {
        std::vector<Row> rows;
        {
            Pair pair = openFreshPair(variant);
            IdSource ids(variant.ids);
            rows = preload(pair, ids);
        }
        // New connections: their caches start cold, as after a restart.
        Pair pair{open(variant, Side::Keyed, OpenMode::OpenExisting), open(variant, Side::Unkeyed, OpenMode::OpenExisting)};
        std::mt19937_64 pick(11);
        std::vector<std::size_t> targets(static_cast<std::size_t>(m_sizes.reads));
        for (std::size_t &target : targets)
            target = pick() % rows.size();
        constexpr int readsPerStep = 2000;
        const int steps = (m_sizes.reads + readsPerStep - 1) / readsPerStep;
        return lockstep(steps, [&](Side side, int step) {
            Database &database = pair.side(side);
            const std::size_t first = static_cast<std::size_t>(step) * readsPerStep;
            const std::size_t last = std::min(targets.size(), first + readsPerStep);
            std::int64_t checksum = 0;
            for (std::size_t i = first; i < last; ++i) {
                Statement statement = check(database.prepare("SELECT presidio, kind, updated, body FROM record WHERE id = ?"));
                statement.bindBlob(1, bytesOf(rows[targets[i]].id));
                if (!check(statement.step()))
                    fail(makeError(ErrorCode::NotFound, "a preloaded row is missing"));
                checksum += statement.columnInt64(2) + static_cast<std::int64_t>(statement.columnBlob(3).size());
            }
            if (checksum == 0)
                fail(makeError(ErrorCode::Internal, "read nothing"));
        });
    }

    template <typename Measure>
    void report(std::string_view name, const Variant &variant, int operations, Measure measure)
    {
        std::vector<double> keyed;
        std::vector<double> unkeyed;
        std::vector<double> ratios;
        for (int i = 0; i < m_sizes.repetitions; ++i) {
            const CpuSeconds spent = measure();
            keyed.push_back(operations / spent.keyed);
            unkeyed.push_back(operations / spent.unkeyed);
            ratios.push_back(spent.unkeyed / spent.keyed);
        }
        std::printf("{\"name\":\"%.*s%.*s\",\"value\":%.0f,\"unit\":\"ops/s\",\"peer\":\"sqlcipher-unkeyed\","
                    "\"peer_value\":%.0f,\"ratio\":%.3f}\n",
                    static_cast<int>(name.size()), name.data(), static_cast<int>(variant.suffix.size()),
                    variant.suffix.data(), median(keyed), median(unkeyed), median(ratios));
        std::fflush(stdout);
    }

    static double median(std::vector<double> values)
    {
        const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
        std::nth_element(values.begin(), middle, values.end());
        return *middle;
    }

    // CPU time of the process, not wall time: the machine is shared, and the cost of
    // encryption is CPU; waiting for a core to be free would only add noise.
    static double cpuSeconds()
    {
        timespec now {};
        ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
        return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
    }

    std::filesystem::path m_dir;
    Sizes m_sizes;
    RawKey m_key = RawKey::random();
    std::vector<std::string> m_bodies = [] {
        std::vector<std::string> bodies;
        for (std::uint64_t i = 0; i < 64; ++i)
            bodies.push_back(bodyFor(i));
        return bodies;
    }();
};

} // namespace

int main(int argc, char **argv)
{
    const bool smoke = argc > 1 && std::string_view(argv[1]) == "--smoke";
    if (argc > 2 || (argc == 2 && !smoke)) {
        std::fprintf(stderr, "usage: store_bench [--smoke]\n");
        return 2;
    }
    const Sizes sizes = smoke ? Sizes{200, 500, 200, 50, 1} : Sizes{20000, 100000, 20000, 4000, 5};

    std::string dirTemplate = (std::filesystem::temp_directory_path() / "store_bench.XXXXXX").string();
    if (::mkdtemp(dirTemplate.data()) == nullptr) {
        std::perror("store_bench: mkdtemp");
        return 1;
    }
    const std::filesystem::path dir = dirTemplate;

    StoreSettings defaults;
    defaults.cacheKiB = 2000;  // SQLite's default cache_size of -2000
    defaults.hmacAlgorithm = "HMAC_SHA512";  // SQLCipher 4's default
    // One transaction per sync frame: a Changes frame pulled with limit 10,000 (docs/store.md).
    const Variant naive{".naive", defaults, IdKind::RandomV4, 1, sizes.naiveWrites};
    const Variant tuned{"", StoreSettings{}, IdKind::TimeOrderedV7, 10000, sizes.writes};
    // Sync ingest commits batches: DESIGN.md's naive reference is batched, naive only in
    // its settings, ids and statements.
    const Variant naiveBatched{".naive", defaults, IdKind::RandomV4, 1000, sizes.writes};
    Variant recent = tuned;
    recent.suffix = ".recent";
    recent.updates = UpdateTarget::Recent;
    Bench bench(dir, sizes);
    for (const Variant &variant : {naive, tuned}) {
        bench.pointReads(variant);
        bench.inserts(variant);
        bench.upserts(variant);
    }
    bench.upserts(recent);
    bench.syncIngest(naiveBatched);
    bench.syncIngest(tuned);
    std::filesystem::remove_all(dir);
    return 0;
}
