#include "storage/embedded_database.h"

#include "storage/parameter_check.h"
#include "store/atomic_file.h"
#include "store/database.h"
#include "store/device_secret.h"
#include "store/statement.h"
#include "store/transaction.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace sigess::storage {

namespace {

constexpr std::string_view wrappedKeyMagic = "SGSKEY\r\n";
// A key file is a 64-digit hex line or a wrapped key of a few hundred bytes.
constexpr std::size_t maxKeyFileBytes = 4096;

// Rewrites $N to ?N outside quoted literals and identifiers; ?N keeps SQLite's
// numbering equal to PostgreSQL's, so one parameter may appear twice.
std::string sqlitePlaceholders(std::string_view sql)
{
    std::string out;
    out.reserve(sql.size());
    char quote = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (quote != 0) {
            if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
            out += '?';
            continue;
        }
        out += c;
    }
    return out;
}

// Plain reads go to the reader pool; anything else (a write with RETURNING included)
// goes to the writer, so writes queue on our mutex rather than in SQLite's busy loop.
bool isPlainRead(std::string_view sql)
{
    const std::size_t start = sql.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos || sql.size() - start < 6)
        return false;
    std::string keyword(sql.substr(start, 6));
    for (char &c : keyword)
        c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    return keyword == "SELECT";
}

class SqliteRow final : public SqlRow {
public:
    explicit SqliteRow(const store::Statement &statement) : m_statement(statement) {}

    bool isNull(int column) const override { return m_statement.columnIsNull(column); }
    std::int64_t int64(int column) const override { return m_statement.columnInt64(column); }
    double real(int column) const override { return m_statement.columnDouble(column); }
    std::string_view text(int column) const override { return m_statement.columnText(column); }
    std::string bytes(int column) const override { return std::string(m_statement.columnBlob(column)); }

private:
    const store::Statement &m_statement;
};

// One SQLCipher connection as an executor. Used by one thread at a time: the pool
// hands it out under a lock.
class SqliteConnection final : public SqlExecutor {
public:
    explicit SqliteConnection(store::Database database) : m_database(std::move(database)) {}

    Dialect dialect() const override { return Dialect::Sqlite; }

    Result<std::int64_t> execute(std::string_view sql, const SqlParams &params) override
    {
        return executeSlice(sql, params);
    }

    Result<std::int64_t> executeSlice(std::string_view sql, std::span<const SqlValue> params) override
    {
        Result<store::Statement> statement = prepared(sql, params);
        if (!statement.ok())
            return statement.takeError();
        SIGESS_TRY(statement->run());
        return m_database.changes();
    }

    Status query(std::string_view sql, const SqlParams &params, const SqlRowVisitor &visit) override
    {
        Result<store::Statement> statement = prepared(sql, params);
        if (!statement.ok())
            return statement.takeError();
        const SqliteRow row(*statement);
        for (;;) {
            Result<bool> hasRow = statement->step();
            if (!hasRow.ok())
                return hasRow.takeError();
            if (!*hasRow)
                return {};
            SIGESS_TRY(visit(row));
        }
    }

    // Only ever reached inside a transaction (the connection is not handed out
    // otherwise), so this nests as a savepoint.
    Status transaction(const TransactionBody &body) override
    {
        const std::string name = "sigess_savepoint_" + std::to_string(++m_savepointDepth);
        Status result = m_database.exec("SAVEPOINT " + name);
        if (result.ok()) {
            result = body(*this);
            if (!result.ok())
                static_cast<void>(m_database.exec("ROLLBACK TO " + name));
            // RELEASE after ROLLBACK TO drops the savepoint and keeps the outer transaction.
            Status released = m_database.exec("RELEASE " + name);
            if (result.ok())
                result = std::move(released);
        }
        --m_savepointDepth;
        return result;
    }

    Result<store::Database::WalProgress> checkpointPassive() { return m_database.checkpointPassive(); }
    Status exec(std::string_view sql) { return m_database.exec(sql); }

    // Runs body as a whole transaction, BEGIN IMMEDIATE to COMMIT.
    Status runTransaction(const TransactionBody &body)
    {
        Result<store::Transaction> transaction = store::Transaction::begin(m_database);
        if (!transaction.ok())
            return transaction.takeError();
        SIGESS_TRY(body(*this));
        return transaction->commit();
    }

private:
    // The parameters are bound where they lie: they outlive the statement's steps, and the
    // statement clears its bindings when it goes back to the cache.
    Result<store::Statement> prepared(std::string_view sql, std::span<const SqlValue> params)
    {
        SIGESS_TRY(checkParameters(params));
        Result<store::Statement> statement = m_database.prepare(sqlitePlaceholders(sql));
        if (!statement.ok())
            return statement.takeError();
        for (std::size_t i = 0; i < params.size(); ++i) {
            const int index = static_cast<int>(i) + 1;
            const SqlValue &value = params[i];
            switch (value.kind()) {
            case SqlValue::Kind::Null: statement->bindNull(index); break;
            case SqlValue::Kind::Int64: statement->bindInt64(index, value.int64()); break;
            case SqlValue::Kind::Double: statement->bindDouble(index, value.real()); break;
            case SqlValue::Kind::Text: statement->bindTextView(index, value.text()); break;
            case SqlValue::Kind::Bytes: statement->bindBlobView(index, value.bytes()); break;
            case SqlValue::Kind::Array:
                return makeError(ErrorCode::Internal, "parameter $" + std::to_string(index)
                                                          + " is an array, which SQLite cannot bind");
            }
        }
        return statement;
    }

    store::Database m_database;
    int m_savepointDepth = 0;
};

// Copies the WAL into the main file on a thread of its own, beside the writer, whose
// automatic checkpoints are off: so a commit never waits for a checkpoint's page writes
// and syncs (they made the slowest commits), and the copying runs in parallel with the
// next transactions. A checkpoint that fails or finds readers in the way leaves the WAL
// as it is, complete, for the next round. Once it has copied a WAL grown past its
// limit whole, it tells the writer to start the WAL over (takeRestartDue).
class WalCheckpointer {
public:
    WalCheckpointer(SqliteConnection connection, std::chrono::milliseconds interval, int restartFrames)
        : m_connection(std::move(connection))
        , m_restartFrames(restartFrames)
        , m_thread([this, interval] { run(interval); })
    {
    }
    ~WalCheckpointer()
    {
        {
            const std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_one();
        m_thread.join();
    }
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    // True once after a round that copied a WAL longer than the limit whole.
    bool takeRestartDue() { return m_restartDue.exchange(false, std::memory_order_relaxed); }

private:
    void run(std::chrono::milliseconds interval)
    {
        std::unique_lock lock(m_mutex);
        while (!m_wake.wait_for(lock, interval, [this] { return m_stopping; })) {
            const Result<store::Database::WalProgress> progress = m_connection.checkpointPassive();
            if (progress.ok() && progress->complete() && progress->frames > m_restartFrames)
                m_restartDue.store(true, std::memory_order_relaxed);
        }
    }

    SqliteConnection m_connection;
    const int m_restartFrames;
    std::atomic<bool> m_restartDue = false;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;  // last: it starts once everything it uses exists
};

class EmbeddedDatabase final : public SqlDatabase {
public:
    EmbeddedDatabase(SqliteConnection writer, std::vector<std::unique_ptr<SqliteConnection>> readers,
                     SqliteConnection checkpointer, std::chrono::milliseconds checkpointInterval, int walRestartFrames)
        : m_writer(std::move(writer))
        , m_idleReaders(std::move(readers))
        , m_checkpointer(std::move(checkpointer), checkpointInterval, walRestartFrames)
    {
    }

    Dialect dialect() const override { return Dialect::Sqlite; }

    Result<std::int64_t> execute(std::string_view sql, const SqlParams &params) override
    {
        const std::lock_guard lock(m_writerMutex);
        return m_writer.execute(sql, params);
    }

    // A chunk of a multi-row INSERT, an INSERT OR FAIL (storage/bulk_sql.h), in a
    // transaction of its own: outside the caller's transaction nothing else would undo
    // the rows it wrote before failing.
    Result<std::int64_t> executeSlice(std::string_view sql, std::span<const SqlValue> params) override
    {
        std::int64_t changed = 0;
        SIGESS_TRY(transaction([&](SqlExecutor &chunk) -> Status {
            Result<std::int64_t> ran = chunk.executeSlice(sql, params);
            if (!ran.ok())
                return ran.takeError();
            changed = *ran;
            return {};
        }));
        return changed;
    }

    Status query(std::string_view sql, const SqlParams &params, const SqlRowVisitor &visit) override
    {
        if (!isPlainRead(sql)) {
            const std::lock_guard lock(m_writerMutex);
            return m_writer.query(sql, params, visit);
        }
        std::unique_ptr<SqliteConnection> reader = borrowReader();
        Status result = reader->query(sql, params, visit);
        returnReader(std::move(reader));
        return result;
    }

    Status transaction(const TransactionBody &body) override
    {
        const std::lock_guard lock(m_writerMutex);
        // What is left to copy is what was committed since the store's thread copied the
        // rest: its last commit or so. One that fails leaves the WAL to grow until the next.
        if (m_checkpointer.takeRestartDue())
            static_cast<void>(m_writer.checkpointPassive());
        return m_writer.runTransaction(body);
    }

private:
    std::unique_ptr<SqliteConnection> borrowReader()
    {
        std::unique_lock lock(m_readersMutex);
        m_readerReturned.wait(lock, [this] { return !m_idleReaders.empty(); });
        std::unique_ptr<SqliteConnection> reader = std::move(m_idleReaders.back());
        m_idleReaders.pop_back();
        return reader;
    }

    void returnReader(std::unique_ptr<SqliteConnection> reader)
    {
        {
            const std::lock_guard lock(m_readersMutex);
            m_idleReaders.push_back(std::move(reader));
        }
        m_readerReturned.notify_one();
    }

    std::mutex m_writerMutex;
    SqliteConnection m_writer;
    std::mutex m_readersMutex;
    std::condition_variable m_readerReturned;
    std::vector<std::unique_ptr<SqliteConnection>> m_idleReaders;
    WalCheckpointer m_checkpointer;  // after the connections: it stops before they close
};

Result<SqliteConnection> openConnection(const EmbeddedStoreConfig &config, const store::RawKey &key,
                                        store::OpenMode mode)
{
    Result<store::Database> database = store::Database::open(config.path, key, mode);
    if (!database.ok())
        return database.takeError();
    SIGESS_TRY(database->exec("PRAGMA busy_timeout = " + std::to_string(config.busyTimeoutMs)));
    return SqliteConnection(std::move(database).value());
}

} // namespace

Status createKeyFile(const EmbeddedStoreConfig &config, KeyFileFormat format, store::Argon2Cost wrapCost)
{
    if (format == KeyFileFormat::RawHex)
        return store::writeFileAtomically(config.keyFile, store::RawKey::random().toHex() + '\n',
                                          store::WriteMode::CreateNew);
    store::FileDeviceSecret deviceSecret(config.deviceSecretFile);
    store::KeyVault vault(config.keyFile, deviceSecret, wrapCost);
    Result<store::RawKey> created = vault.create(std::nullopt);
    if (!created.ok())
        return created.takeError();
    return {};
}

Result<store::RawKey> loadKey(const EmbeddedStoreConfig &config)
{
    Result<std::string> contents = store::readSmallFile(config.keyFile, maxKeyFileBytes);
    if (!contents.ok())
        return contents.takeError();
    if (std::string_view(*contents).substr(0, wrappedKeyMagic.size()) != wrappedKeyMagic) {
        Result<store::RawKey> key = store::RawKey::fromHex(*contents);
        if (!key.ok())
            return makeError(ErrorCode::Corrupt, "the key file " + config.keyFile
                                                     + " holds neither 64 hex digits nor a wrapped key");
        return key;
    }
    if (config.deviceSecretFile.empty())
        return makeError(ErrorCode::Invalid, "the key file " + config.keyFile
                                                 + " holds a wrapped key, and no device secret file is configured");
    store::FileDeviceSecret deviceSecret(config.deviceSecretFile);
    store::KeyVault vault(config.keyFile, deviceSecret, store::Argon2Cost::moderate());
    Result<store::UnlockedKeys> keys = vault.unlock(std::nullopt);
    if (!keys.ok())
        return keys.takeError();
    return keys->current;
}

Result<std::unique_ptr<SqlDatabase>> openEmbeddedDatabase(const EmbeddedStoreConfig &config)
{
    Result<store::RawKey> key = loadKey(config);
    if (!key.ok())
        return key.takeError();
    return openEmbeddedDatabase(config, *key);
}

Result<std::unique_ptr<SqlDatabase>> openEmbeddedDatabase(const EmbeddedStoreConfig &config,
                                                          const store::RawKey &key)
{
    if (config.readers == 0)
        return makeError(ErrorCode::Invalid, "the embedded store needs at least one reader connection");
    // The writer opens first: it creates a missing file and proves the key.
    Result<SqliteConnection> writer = openConnection(config, key, store::OpenMode::CreateIfMissing);
    if (!writer.ok())
        return writer.takeError();
    SIGESS_TRY(writer->exec("PRAGMA wal_autocheckpoint = 0"));
    Result<SqliteConnection> checkpointer = openConnection(config, key, store::OpenMode::OpenExisting);
    if (!checkpointer.ok())
        return checkpointer.takeError();
    std::vector<std::unique_ptr<SqliteConnection>> readers;
    for (std::size_t i = 0; i < config.readers; ++i) {
        Result<SqliteConnection> reader = openConnection(config, key, store::OpenMode::OpenExisting);
        if (!reader.ok())
            return reader.takeError();
        readers.push_back(std::make_unique<SqliteConnection>(std::move(reader).value()));
    }
    return std::unique_ptr<SqlDatabase>(std::make_unique<EmbeddedDatabase>(
        std::move(writer).value(), std::move(readers), std::move(checkpointer).value(),
        std::chrono::milliseconds(config.checkpointIntervalMs), config.walRestartFrames));
}

} // namespace sigess::storage
