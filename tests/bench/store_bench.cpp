// store_bench: the cost of encryption in the SIgeSS store. Each workload runs in pairs
// in the same process on the same data, an unkeyed file (same library, same settings,
// no encryption) then an SQLCipher file with a raw key, and prints one JSON line:
// {"name","value","unit","peer","peer_value","ratio"}: the keyed and unkeyed medians in
// operations per CPU-second, and the median of the per-pair ratios keyed/unkeyed.
// "naive" lines use SQLCipher's defaults with random (v4) ids and one row per
// transaction; the plain names use the settings and write pattern of docs/store.md;
// "store.upsert.recent" is the tuned upsert with updates skewed to recent rows.
//   store_bench [--smoke]   (--smoke: tiny sizes, for CI; its figures mean nothing)
#include "core/clock.h"
#include "core/uuid.h"
#include "store/database.h"
#include "store/transaction.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
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
    int naiveWrites; // the same one row per transaction: fewer, or they would fill the run
    int repetitions; // pairs of runs, medians reported
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
    "CREATE INDEX IF NOT EXISTS record_kind ON record(kind, updated);";
constexpr std::string_view insertSql =
    "INSERT INTO record (id, presidio, kind, updated, body) VALUES (?, ?, ?, ?, ?)";
constexpr std::string_view upsertSql =
    "INSERT INTO record (id, presidio, kind, updated, body) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET presidio = excluded.presidio, kind = excluded.kind,"
    " updated = excluded.updated, body = excluded.body";

enum class Side { Keyed, Unkeyed };

class Bench {
public:
    Bench(std::filesystem::path dir, Sizes sizes) : m_dir(std::move(dir)), m_sizes(sizes) {}

    void pointReads(const Variant &variant)
    {
        report("store.point_read", variant, [&](Side side) { return pointReads(variant, side); });
    }

    void inserts(const Variant &variant)
    {
        report("store.insert", variant, [&](Side side) { return writes(variant, side, insertSql, 0); });
    }

    void upserts(const Variant &variant)
    {
        report("store.upsert", variant, [&](Side side) { return writes(variant, side, upsertSql, m_sizes.rows); });
    }

private:
    Database openFresh(const Variant &variant, Side side)
    {
        const std::string path = (m_dir / (side == Side::Keyed ? "keyed.db" : "unkeyed.db")).string();
        for (const char *suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path + suffix);
        Database database = side == Side::Keyed
                                ? check(Database::open(path, m_key, OpenMode::CreateIfMissing, variant.settings))
                                : check(Database::openUnencrypted(path, OpenMode::CreateIfMissing, variant.settings));
        check(database.exec(schema));
        return database;
    }

    // Writes count rows with fresh ids, batch rows per transaction; returns the ids.
    std::vector<Id> write(Database &database, const Variant &variant, std::string_view sql, int count,
                          IdSource &ids, const std::vector<Id> &reuse)
    {
        std::vector<Id> written;
        written.reserve(static_cast<std::size_t>(count));
        std::mt19937_64 pick(7);
        // reuse is in insertion order, and ids are time-ordered: the newest rows last.
        const std::size_t recentFrom = reuse.size() - reuse.size() / 5;
        for (int done = 0; done < count;) {
            Transaction transaction = check(Transaction::begin(database));
            for (int i = 0; i < variant.batch && done < count; ++i, ++done) {
                // Upserts: half update an existing row, half insert a new one.
                const bool update = !reuse.empty() && (pick() & 1) != 0;
                std::size_t target = 0;
                if (update) {
                    const bool recent = variant.updates == UpdateTarget::Recent && pick() % 5 != 0;
                    target = recent ? recentFrom + pick() % (reuse.size() - recentFrom) : pick() % reuse.size();
                }
                const Id id = update ? reuse[target] : ids.next();
                Statement statement = check(database.prepare(sql));
                statement.bindBlob(1, bytesOf(id))
                    .bindInt64(2, done % 26)
                    .bindInt64(3, done % 40)
                    .bindInt64(4, done)
                    .bindBlob(5, m_bodies[static_cast<std::size_t>(done) % m_bodies.size()]);
                check(statement.run());
                written.push_back(id);
            }
            check(transaction.commit());
        }
        return written;
    }

    // Preloads are not measured; they only need to be the same on both sides.
    std::vector<Id> preload(Database &database, const Variant &variant, IdSource &ids)
    {
        Variant bulk = variant;
        bulk.batch = 1000;
        return write(database, bulk, insertSql, m_sizes.rows, ids, {});
    }

    // ops/s of variant.writes rows written through sql, after preloading rows if asked.
    double writes(const Variant &variant, Side side, std::string_view sql, int preloadRows)
    {
        Database database = openFresh(variant, side);
        IdSource ids(variant.ids);
        const std::vector<Id> existing = preloadRows > 0 ? preload(database, variant, ids) : std::vector<Id>{};
        const double start = cpuSeconds();
        write(database, variant, sql, variant.writes, ids, existing);
        return variant.writes / secondsSince(start);
    }

    double pointReads(const Variant &variant, Side side)
    {
        std::vector<Id> ids;
        {
            Database database = openFresh(variant, side);
            IdSource source(variant.ids);
            ids = preload(database, variant, source);
        }
        // A new connection: its cache starts cold, as after a restart.
        Database database = side == Side::Keyed
                                ? check(Database::open((m_dir / "keyed.db").string(), m_key, OpenMode::OpenExisting, variant.settings))
                                : check(Database::openUnencrypted((m_dir / "unkeyed.db").string(), OpenMode::OpenExisting,
                                                                  variant.settings));
        std::mt19937_64 pick(11);
        std::int64_t checksum = 0;
        const double start = cpuSeconds();
        for (int i = 0; i < m_sizes.reads; ++i) {
            Statement statement = check(database.prepare("SELECT presidio, kind, updated, body FROM record WHERE id = ?"));
            statement.bindBlob(1, bytesOf(ids[pick() % ids.size()]));
            if (!check(statement.step()))
                fail(makeError(ErrorCode::NotFound, "a preloaded row is missing"));
            checksum += statement.columnInt64(2) + static_cast<std::int64_t>(statement.columnBlob(3).size());
        }
        const double seconds = secondsSince(start);
        if (checksum == 0)
            fail(makeError(ErrorCode::Internal, "read nothing"));
        return m_sizes.reads / seconds;
    }

    template <typename Measure>
    void report(std::string_view name, const Variant &variant, Measure measure)
    {
        std::vector<double> keyed;
        std::vector<double> unkeyed;
        std::vector<double> ratios;
        // The two runs of a pair follow each other, so they share the load of a shared
        // machine; the median of the pairs' ratios is the steadiest figure it gives.
        for (int i = 0; i < m_sizes.repetitions; ++i) {
            unkeyed.push_back(measure(Side::Unkeyed));
            keyed.push_back(measure(Side::Keyed));
            ratios.push_back(keyed.back() / unkeyed.back());
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

    static double secondsSince(double start) { return cpuSeconds() - start; }

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
    defaults.hmacAlgorithm = "HMAC_SHA512";
    // One transaction per sync frame: a Changes frame pulled with limit 10,000 (docs/store.md).
    const Variant naive{".naive", defaults, IdKind::RandomV4, 1, sizes.naiveWrites};
    const Variant tuned{"", StoreSettings{}, IdKind::TimeOrderedV7, 10000, sizes.writes};
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
    std::filesystem::remove_all(dir);
    return 0;
}
