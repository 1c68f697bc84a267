#include "storage/postgres_database.h"

#include "core/text_codec.h"
#include "storage/parameter_check.h"

#include <libpq-fe.h>

#include <array>
#include <charconv>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sigess::storage {

namespace {

// Type oids from PostgreSQL's catalog (pg_type.dat); stable across versions.
constexpr Oid boolOid = 16;
constexpr Oid byteaOid = 17;
constexpr Oid int8Oid = 20;
constexpr Oid float8Oid = 701;
constexpr Oid textOid = 25;
constexpr Oid int8ArrayOid = 1016;
constexpr Oid float8ArrayOid = 1022;
constexpr Oid textArrayOid = 1009;
constexpr Oid byteaArrayOid = 1001;

Oid arrayTypeOf(SqlArray::Element element)
{
    switch (element) {
    case SqlArray::Element::Int64: return int8ArrayOid;
    case SqlArray::Element::Double: return float8ArrayOid;
    case SqlArray::Element::Text: return textArrayOid;
    case SqlArray::Element::Bytes: return byteaArrayOid;
    }
    throw std::logic_error("an array parameter of no known element type");
}

constexpr int maxTransactionAttempts = 5;

struct PgResultDeleter {
    void operator()(PGresult *result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

struct PgConnDeleter {
    void operator()(PGconn *connection) const { PQfinish(connection); }
};
using PgConn = std::unique_ptr<PGconn, PgConnDeleter>;

std::string trimmed(std::string text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

// Why a statement failed, as far as retrying goes.
enum class Failure {
    None,
    Lost,       // the connection is gone; nothing more can run on it
    RaceLost,   // serialization failure or deadlock: the transaction may run again
    Other,
};

Error errorFromSqlState(std::string_view sqlState, std::string message)
{
    ErrorCode code = ErrorCode::Internal;
    const std::string_view errorClass = sqlState.substr(0, 2);
    if (errorClass == "23")
        code = ErrorCode::Conflict;
    else if (errorClass == "22" || errorClass == "42")
        code = ErrorCode::Invalid;
    else if (errorClass == "08" || errorClass == "40" || errorClass == "53" || errorClass == "57")
        code = ErrorCode::Unavailable;
    return makeError(code, std::move(message));
}

class PgRow final : public SqlRow {
public:
    PgRow(const PGresult *result, int row) : m_result(result), m_row(row) {}

    bool isNull(int column) const override { return PQgetisnull(m_result, m_row, column) != 0; }

    std::int64_t int64(int column) const override
    {
        const std::string_view value = text(column);
        if (PQftype(m_result, column) == boolOid)
            return value == "t" ? 1 : 0;
        std::int64_t number = 0;
        const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (error != std::errc() || end != value.data() + value.size())
            throw std::logic_error("column " + std::to_string(column) + " read as an integer holds '"
                                   + std::string(value) + "'");
        return number;
    }

    double real(int column) const override
    {
        const std::string_view value = text(column);
        double number = 0;
        const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (error != std::errc() || end != value.data() + value.size())
            throw std::logic_error("column " + std::to_string(column) + " read as a number holds '"
                                   + std::string(value) + "'");
        return number;
    }

    std::string_view text(int column) const override
    {
        return {PQgetvalue(m_result, m_row, column),
                static_cast<std::size_t>(PQgetlength(m_result, m_row, column))};
    }

    // bytea comes back in its text form, "\x" and two hex digits per byte.
    std::string bytes(int column) const override
    {
        const std::string_view value = text(column);
        std::string out;
        if (PQftype(m_result, column) != byteaOid || value.substr(0, 2) != "\\x" || !core::decodeHex(value.substr(2), out))
            throw std::logic_error("column " + std::to_string(column) + " read as bytes is not a bytea");
        return out;
    }

private:
    const PGresult *m_result;
    int m_row;
};

// One server connection as an executor, with its own prepared statements. Used by one
// thread at a time: the pool hands it out under a lock.
class PgConnection final : public SqlExecutor {
public:
    explicit PgConnection(PgConn connection) : m_connection(std::move(connection)) {}

    Dialect dialect() const override { return Dialect::Postgres; }

    bool broken() const { return PQstatus(m_connection.get()) != CONNECTION_OK; }
    Failure lastFailure() const { return m_lastFailure; }

    Result<std::int64_t> execute(std::string_view sql, const SqlParams &params) override
    {
        return rowsChanged(run(sql, params, Plan::Custom));
    }

    // A custom plan, which this connection makes for every other run (connect() says
    // why), takes each column array into the plan as a constant and copies it twice on
    // the way, megabytes for a group's log rows: 14 % of PostgreSQL's CPU in sync_bench's
    // ingest went to planning these statements. Their plan is the same whatever the
    // values, so it is made once and kept.
    Result<std::int64_t> executeColumns(std::string_view sql, const SqlParams &params) override
    {
        return rowsChanged(run(sql, params, Plan::Generic));
    }

    Result<std::int64_t> copyRows(std::string_view copyStatement, std::string_view data) override
    {
        PGconn *connection = m_connection.get();
        const PgResult started(PQexec(connection, std::string(copyStatement).c_str()));
        if (started == nullptr || PQresultStatus(started.get()) != PGRES_COPY_IN) {
            SIGESS_TRY(check(started.get(), copyStatement));
            return makeError(ErrorCode::Internal, "PostgreSQL did not start copying (in \"" + std::string(copyStatement)
                                                      + "\")");
        }
        // PQputCopyData takes an int's worth at a time.
        constexpr std::size_t piece = std::size_t{1} << 30;
        bool sent = true;
        for (std::size_t done = 0; sent && done < data.size(); done += piece) {
            const std::string_view part = data.substr(done, piece);
            sent = PQputCopyData(connection, part.data(), static_cast<int>(part.size())) == 1;
        }
        sent = sent && PQputCopyEnd(connection, nullptr) == 1;
        // The COPY's own result, then nothing; read whatever happened, so that nothing is
        // left pending on the connection.
        PgResult finished(PQgetResult(connection));
        while (PGresult *extra = PQgetResult(connection))
            PQclear(extra);
        if (!sent) {
            m_lastFailure = broken() ? Failure::Lost : Failure::Other;
            return makeError(ErrorCode::Unavailable, "cannot send rows to PostgreSQL: "
                                                         + trimmed(PQerrorMessage(connection)) + " (in \""
                                                         + std::string(copyStatement) + "\")");
        }
        SIGESS_TRY(check(finished.get(), copyStatement));
        return rowsChanged(std::move(finished));
    }

    Status query(std::string_view sql, const SqlParams &params, const SqlRowVisitor &visit) override
    {
        Result<PgResult> result = run(sql, params, Plan::Custom);
        if (!result.ok())
            return result.takeError();
        const int rows = PQntuples(result->get());
        for (int row = 0; row < rows; ++row)
            SIGESS_TRY(visit(PgRow(result->get(), row)));
        return {};
    }

    // Only ever reached inside a transaction (the connection is not handed out
    // otherwise), so this nests as a savepoint.
    Status transaction(const TransactionBody &body) override
    {
        const std::string name = "sigess_savepoint_" + std::to_string(++m_savepointDepth);
        Status result = command("SAVEPOINT " + name);
        if (result.ok()) {
            result = body(*this);
            // A deadlock or serialization failure inside the savepoint is the whole
            // transaction's lost race: the outer transaction() must still see it after
            // the rollback to the savepoint succeeded, to run the transaction again.
            const Failure bodyFailure = result.ok() ? Failure::None : m_lastFailure;
            if (!result.ok())
                static_cast<void>(command("ROLLBACK TO SAVEPOINT " + name));
            Status released = command("RELEASE SAVEPOINT " + name);
            if (result.ok())
                result = std::move(released);
            if (bodyFailure == Failure::RaceLost)
                m_lastFailure = Failure::RaceLost;
        }
        --m_savepointDepth;
        return result;
    }

    // A statement with no parameters, not worth preparing (BEGIN, COMMIT...).
    Status command(const std::string &sql)
    {
        PgResult result(PQexec(m_connection.get(), sql.c_str()));
        return check(result.get(), sql);
    }

private:
    enum class Plan { Custom, Generic };

    static Result<std::int64_t> rowsChanged(Result<PgResult> result)
    {
        if (!result.ok())
            return result.takeError();
        const char *affected = PQcmdTuples(result->get());
        std::int64_t count = 0;
        std::from_chars(affected, affected + std::char_traits<char>::length(affected), count);
        return count;
    }

    Result<PgResult> run(std::string_view sql, const SqlParams &params, Plan plan)
    {
        SIGESS_TRY(checkParameters(params));
        std::vector<Oid> types;
        std::vector<std::string> numbers;  // the text form of numeric parameters
        std::vector<const char *> values;
        std::vector<int> lengths;
        std::vector<int> formats;
        types.reserve(params.size());
        numbers.reserve(params.size());
        values.reserve(params.size());
        lengths.reserve(params.size());
        formats.reserve(params.size());
        // Text, bytes and arrays are sent from the parameters' own storage, which
        // outlives the call: a batch's arrays run to megabytes, not worth a copy.
        const auto pass = [&](Oid type, const std::string &value, int format) {
            types.push_back(type);
            values.push_back(value.data());
            lengths.push_back(static_cast<int>(value.size()));
            formats.push_back(format);
        };
        // The cache key includes the parameter types the statement was prepared with.
        std::string key(sql);
        key += '\0';
        for (const SqlValue &value : params) {
            switch (value.kind()) {
            case SqlValue::Kind::Null:
                types.push_back(0);
                values.push_back(nullptr);
                lengths.push_back(0);
                formats.push_back(0);
                break;
            case SqlValue::Kind::Int64: pass(int8Oid, numbers.emplace_back(std::to_string(value.int64())), 0); break;
            case SqlValue::Kind::Double: {
                char buffer[32];
                const auto end = std::to_chars(buffer, buffer + sizeof buffer, value.real()).ptr;
                pass(float8Oid, numbers.emplace_back(buffer, end), 0);
                break;
            }
            case SqlValue::Kind::Text: pass(textOid, value.text(), 0); break;
            case SqlValue::Kind::Bytes: pass(byteaOid, value.bytes(), 1); break;
            case SqlValue::Kind::Array: pass(arrayTypeOf(value.array().element), value.array().binary, 1); break;
            }
            key += static_cast<char>('0' + static_cast<int>(value.kind()));
            if (value.kind() == SqlValue::Kind::Array)
                key += static_cast<char>('0' + static_cast<int>(value.array().element));
        }

        Result<std::string> name = preparedName(key, sql, types);
        if (!name.ok())
            return name.takeError();
        if (plan == Plan::Generic)
            return runGeneric(*name, sql, values, lengths, formats);
        PgResult result(PQexecPrepared(m_connection.get(), name->c_str(), static_cast<int>(params.size()),
                                       values.data(), lengths.data(), formats.data(), 0));
        SIGESS_TRY(check(result.get(), sql));
        return result;
    }

    // Runs the prepared statement on its generic plan: the connection's plan mode is
    // switched to generic and back around it, the three in one round trip (pipeline
    // mode). A failed statement skips the switch back but leaves its transaction failed,
    // and the rollback that must follow undoes the first switch as well.
    Result<PgResult> runGeneric(const std::string &name, std::string_view sql, const std::vector<const char *> &values,
                                const std::vector<int> &lengths, const std::vector<int> &formats)
    {
        PGconn *connection = m_connection.get();
        const auto setMode = [connection](const char *statement) {
            return PQsendQueryParams(connection, statement, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
        };
        const bool sent = PQenterPipelineMode(connection) == 1 && setMode("SET plan_cache_mode = force_generic_plan")
                          && PQsendQueryPrepared(connection, name.c_str(), static_cast<int>(values.size()),
                                                 values.data(), lengths.data(), formats.data(), 0) == 1
                          && setMode("SET plan_cache_mode = force_custom_plan") && PQpipelineSync(connection) == 1;
        if (!sent) {
            m_lastFailure = broken() ? Failure::Lost : Failure::Other;
            return makeError(ErrorCode::Unavailable, "cannot send a statement to PostgreSQL: "
                                                         + trimmed(PQerrorMessage(connection)) + " (in \""
                                                         + std::string(sql) + "\")");
        }
        // Each statement's result, then the sync point; every one is read whatever
        // failed, so that the connection leaves pipeline mode with nothing pending.
        std::array<PgResult, 3> results;
        for (PgResult &result : results) {
            result.reset(PQgetResult(connection));
            while (PGresult *extra = PQgetResult(connection))
                PQclear(extra);
        }
        const PgResult synced(PQgetResult(connection));
        const bool closed = synced != nullptr && PQresultStatus(synced.get()) == PGRES_PIPELINE_SYNC
                            && PQexitPipelineMode(connection) == 1;
        for (const PgResult &result : results)
            SIGESS_TRY(check(result.get(), sql));
        if (!closed) {
            m_lastFailure = broken() ? Failure::Lost : Failure::Other;
            return makeError(ErrorCode::Unavailable, "PostgreSQL did not end a pipeline: "
                                                         + trimmed(PQerrorMessage(connection)));
        }
        return std::move(results[1]);
    }

    Result<std::string> preparedName(const std::string &key, std::string_view sql, const std::vector<Oid> &types)
    {
        const auto found = m_prepared.find(key);
        if (found != m_prepared.end())
            return found->second;
        std::string name = "sigess_" + std::to_string(m_prepared.size() + 1);
        const std::string text(sql);
        PgResult result(PQprepare(m_connection.get(), name.c_str(), text.c_str(), static_cast<int>(types.size()),
                                  types.data()));
        SIGESS_TRY(check(result.get(), sql));
        m_prepared.emplace(key, name);
        return name;
    }

    Status check(const PGresult *result, std::string_view sql)
    {
        const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
            m_lastFailure = Failure::None;
            return {};
        }
        if (broken()) {
            m_lastFailure = Failure::Lost;
            return makeError(ErrorCode::Unavailable,
                             "the connection to PostgreSQL was lost: " + trimmed(PQerrorMessage(m_connection.get())));
        }
        const char *state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
        const std::string sqlState = state != nullptr ? state : "";
        m_lastFailure = sqlState == "40001" || sqlState == "40P01" ? Failure::RaceLost : Failure::Other;
        const std::string message = result != nullptr ? trimmed(PQresultErrorMessage(result))
                                                      : trimmed(PQerrorMessage(m_connection.get()));
        return errorFromSqlState(sqlState, message + " (in \"" + std::string(sql) + "\")");
    }

    PgConn m_connection;
    std::unordered_map<std::string, std::string> m_prepared;
    Failure m_lastFailure = Failure::None;
    int m_savepointDepth = 0;
};

Result<std::unique_ptr<PgConnection>> connect(const PostgresStoreConfig &config)
{
    const std::string timeout = std::to_string(config.connectTimeoutSeconds);
    // Later keywords override earlier ones, and dbname may itself be a URI or a
    // conninfo string (expand_dbname), so our settings sit after the caller's.
    const char *const keywords[] = {"dbname", "connect_timeout", "client_encoding", "application_name", nullptr};
    const char *const values[] = {config.connectionString.c_str(), timeout.c_str(), "UTF8", "sigess-backend",
                                  nullptr};
    PgConn connection(PQconnectdbParams(keywords, values, 1));
    if (connection == nullptr)
        return makeError(ErrorCode::Unavailable, "cannot connect to PostgreSQL: out of memory");
    if (PQstatus(connection.get()) != CONNECTION_OK)
        return makeError(ErrorCode::Unavailable,
                         "cannot connect to PostgreSQL: " + trimmed(PQerrorMessage(connection.get())));
    // Notices (an IF NOT EXISTS that skipped, a cascading drop) are not errors; libpq
    // would print each to stderr, which in a server is noise among structured logs.
    PQsetNoticeProcessor(connection.get(), [](void *, const char *) {}, nullptr);
    auto pgConnection = std::make_unique<PgConnection>(std::move(connection));
    // Every statement of ours is fully parameterized; keep the server's own quoting
    // rules fixed whatever the server's configuration says.
    SIGESS_TRY(pgConnection->command("SET standard_conforming_strings = on"));
    // A prepared statement's generic plan is costed once, with the table sizes of that
    // moment, and kept until the server's next ANALYZE of the table: one prepared while
    // the sync log was small kept probing (entity_type) alone and filtering every
    // entity of the type by id, a cost that grew with the log (a 50,000-operation
    // ingest read 7 million index entries). Our statements are short, so planning each
    // execution for its own values and the tables' current size costs little.
    SIGESS_TRY(pgConnection->command("SET plan_cache_mode = force_custom_plan"));
    return pgConnection;
}

class PostgresDatabase final : public SqlDatabase {
public:
    PostgresDatabase(PostgresStoreConfig config, std::unique_ptr<PgConnection> first)
        : m_config(std::move(config)), m_open(1)
    {
        m_idle.push_back(std::move(first));
    }

    Dialect dialect() const override { return Dialect::Postgres; }

    Result<std::int64_t> execute(std::string_view sql, const SqlParams &params) override
    {
        Result<Lease> lease = borrow();
        if (!lease.ok())
            return lease.takeError();
        return lease->connection().execute(sql, params);
    }

    Result<std::int64_t> executeColumns(std::string_view sql, const SqlParams &params) override
    {
        Result<Lease> lease = borrow();
        if (!lease.ok())
            return lease.takeError();
        return lease->connection().executeColumns(sql, params);
    }

    Result<std::int64_t> copyRows(std::string_view copyStatement, std::string_view data) override
    {
        Result<Lease> lease = borrow();
        if (!lease.ok())
            return lease.takeError();
        return lease->connection().copyRows(copyStatement, data);
    }

    Status query(std::string_view sql, const SqlParams &params, const SqlRowVisitor &visit) override
    {
        Result<Lease> lease = borrow();
        if (!lease.ok())
            return lease.takeError();
        return lease->connection().query(sql, params, visit);
    }

    Status transaction(const TransactionBody &body) override
    {
        Status last;
        for (int attempt = 0; attempt < maxTransactionAttempts; ++attempt) {
            Result<Lease> lease = borrow();
            if (!lease.ok())
                return lease.takeError();
            PgConnection &connection = lease->connection();
            last = connection.command("BEGIN");
            if (!last.ok()) {
                // A pooled connection that the server dropped fails at BEGIN, before
                // any of body's work: a fresh connection may safely run it all.
                if (connection.lastFailure() == Failure::Lost)
                    continue;
                return last;
            }
            last = body(connection);
            if (last.ok())
                last = connection.command("COMMIT");
            if (last.ok())
                return {};
            const Failure failure = connection.lastFailure();
            if (failure != Failure::Lost)
                static_cast<void>(connection.command("ROLLBACK"));
            if (failure != Failure::RaceLost)
                return last;
        }
        return makeError(ErrorCode::Unavailable, "the transaction did not go through after "
                                                     + std::to_string(maxTransactionAttempts)
                                                     + " attempts: " + last.error().message);
    }

private:
    // A connection borrowed from the pool; given back on destruction, or closed if
    // it broke, so the pool opens a fresh one when next needed.
    class Lease {
    public:
        Lease(PostgresDatabase &pool, std::unique_ptr<PgConnection> connection)
            : m_pool(&pool), m_connection(std::move(connection))
        {
        }
        Lease(Lease &&other) noexcept
            : m_pool(std::exchange(other.m_pool, nullptr)), m_connection(std::move(other.m_connection))
        {
        }
        Lease &operator=(Lease &&) = delete;
        Lease(const Lease &) = delete;
        Lease &operator=(const Lease &) = delete;
        ~Lease()
        {
            if (m_pool != nullptr)
                m_pool->giveBack(std::move(m_connection));
        }
        PgConnection &connection() { return *m_connection; }

    private:
        PostgresDatabase *m_pool;
        std::unique_ptr<PgConnection> m_connection;
    };

    Result<Lease> borrow()
    {
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return !m_idle.empty() || m_open < m_config.connections; });
            if (!m_idle.empty()) {
                std::unique_ptr<PgConnection> connection = std::move(m_idle.back());
                m_idle.pop_back();
                return Lease(*this, std::move(connection));
            }
            ++m_open;
        }
        // Connecting takes a round trip or more: done outside the lock.
        Result<std::unique_ptr<PgConnection>> connection = connect(m_config);
        if (!connection.ok()) {
            giveBack(nullptr);
            return connection.takeError();
        }
        return Lease(*this, std::move(connection).value());
    }

    void giveBack(std::unique_ptr<PgConnection> connection)
    {
        {
            const std::lock_guard lock(m_mutex);
            if (connection != nullptr && !connection->broken())
                m_idle.push_back(std::move(connection));
            else
                --m_open;
        }
        m_changed.notify_one();
    }

    const PostgresStoreConfig m_config;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<std::unique_ptr<PgConnection>> m_idle;
    std::size_t m_open;
};

} // namespace

Result<std::unique_ptr<SqlDatabase>> openPostgresDatabase(const PostgresStoreConfig &config)
{
    if (config.connections == 0)
        return makeError(ErrorCode::Invalid, "the PostgreSQL store needs at least one connection");
    Result<std::unique_ptr<PgConnection>> first = connect(config);
    if (!first.ok())
        return first.takeError();
    return std::unique_ptr<SqlDatabase>(std::make_unique<PostgresDatabase>(config, std::move(first).value()));
}

} // namespace sigess::storage
