// Fixture of the sigessctl admin-command tests: a fresh store of either kind (from
// store_fixture.h) with a sigess-backend config file that names it, so a test runs a
// command exactly as an administrator would (`--config FILE`), with string streams for
// stdin, stdout and stderr, and also reaches the store directly to set it up or check it.
// Rows of the data-driven tests are tagged by store, or by store and case:
// "embedded", "postgres/changed reason".
#pragma once

#include "audit/chain.h"
#include "backend/storage/store_fixture.h"
#include "ctl/command.h"
#include "storage/audit_repository.h"
#include "storage/presidio_repository.h"
#include "storage/sql.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <sstream>
#include <string>

namespace sigess::test {

// Fails the test (and returns from it) unless the Result or Status is ok.
#define SIGESS_VERIFY_OK(expr)                                                                               \
    do {                                                                                                     \
        const auto &sigess_checked_ = (expr);                                                                \
        QVERIFY2(                                                                                            \
            sigess_checked_.ok(), sigess_checked_.ok() ? "" : sigess_checked_.error().describe().c_str());   \
    } while (false)

struct Outcome {
    int status = -1;
    std::string out;
    std::string err;

    // For QVERIFY2 messages: what the command said.
    std::string said() const
    {
        return "status " + std::to_string(status) + "\nout:\n" + out + "err:\n" + err;
    }
};

using Command = int (*)(const ctl::Args &, ctl::CommandIo);

inline bool writeFile(const QString &path, const std::string &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(text.data(), static_cast<qint64>(text.size())) == static_cast<qint64>(text.size());
}

// Links an event after the log's head and appends it, as the API's audit trail does.
inline Status appendAuditEvent(storage::SqlExecutor &sql, const v1::AuditEvent &event)
{
    storage::AuditRepository log(sql);
    Result<storage::AuditHead> head = log.head();
    if (!head.ok())
        return head.takeError();
    const audit::ChainHead after { static_cast<std::uint64_t>(head->sequence), head->hash };
    Result<std::int64_t> appended = log.append(audit::chainEvent(after, event));
    if (!appended.ok())
        return appended.takeError();
    return {};
}

// A loopback, plaintext sigess-backend config around the [storage] section's lines.
inline std::string configText(const std::string &storageLines, const std::string &catalogRelease)
{
    return "[listen]\naddress = 127.0.0.1\nport = 8443\nplaintext = true\n[storage]\n" + storageLines
        + "[catalog]\nrelease = " + catalogRelease + "\n";
}

class AdminFixture {
public:
    // catalogRelease: the file the config names as catalog.release (only seed reads it).
    static Result<std::unique_ptr<AdminFixture>> open(
        StoreKind kind, TestPostgresServer &server, const std::string &catalogRelease)
    {
        Result<std::unique_ptr<TestStore>> store = TestStore::open(kind, server);
        if (!store.ok())
            return store.takeError();
        auto fixture = std::unique_ptr<AdminFixture>(new AdminFixture(std::move(store).value()));
        std::string storage;
        if (kind == StoreKind::Embedded) {
            const storage::EmbeddedStoreConfig &embedded = *fixture->m_store->embedded();
            if (!writeFile(QString::fromStdString(embedded.keyFile), fixture->m_store->key().toHex() + "\n"))
                return makeError(ErrorCode::Unavailable, "cannot write the key file");
            storage = "kind = embedded\npath = " + embedded.path + "\nkey_file = " + embedded.keyFile + "\n";
        } else {
            storage
                = "kind = postgresql\nconninfo = " + fixture->m_store->postgres()->connectionString + "\n";
        }
        fixture->m_configFile = fixture->m_dir.filePath("backend.conf").toStdString();
        if (!writeFile(QString::fromStdString(fixture->m_configFile), configText(storage, catalogRelease)))
            return makeError(ErrorCode::Unavailable, "cannot write the config file");
        return fixture;
    }

    // Runs a subcommand with --config added, stdin given as text.
    Outcome run(Command command, ctl::Args args, const std::string &stdinText = {}) const
    {
        args.push_back("--config");
        args.push_back(m_configFile);
        return runWithoutConfig(command, args, stdinText);
    }

    static Outcome runWithoutConfig(Command command, const ctl::Args &args, const std::string &stdinText = {})
    {
        std::istringstream in(stdinText);
        std::ostringstream out;
        std::ostringstream err;
        Outcome outcome;
        outcome.status = command(args, { in, out, err });
        outcome.out = out.str();
        outcome.err = err.str();
        return outcome;
    }

    storage::SqlDatabase &database() { return m_store->database(); }
    TestStore &store() { return *m_store; }
    const std::string &configFile() const { return m_configFile; }
    QString dir() const { return m_dir.path(); }

    // The store's own connections closed (a restore of the embedded store needs no other
    // process, nor this one, holding it), then opened again.
    void closeDatabase() { m_store->close(); }
    Status reopenDatabase()
    {
        Result<std::unique_ptr<storage::SqlDatabase>> database = m_store->embedded()
            ? storage::openEmbeddedDatabase(*m_store->embedded(), m_store->key())
            : storage::openPostgresDatabase(*m_store->postgres());
        if (!database.ok())
            return database.takeError();
        m_reopened = std::move(database).value();
        return {};
    }
    // After reopenDatabase(): the new connection.
    storage::SqlDatabase &reopened() { return *m_reopened; }

    // A presidio for accounts and devices to belong to.
    Status addPresidio(const std::string &code, const std::string &municipio)
    {
        v1::Presidio presidio;
        presidio.set_code(code);
        presidio.set_municipio(municipio);
        presidio.set_name("Presidio " + code);
        return storage::PresidioRepository(database()).upsert(presidio);
    }

private:
    explicit AdminFixture(std::unique_ptr<TestStore> store)
        : m_store(std::move(store))
    {
    }

    QTemporaryDir m_dir;
    std::unique_ptr<TestStore> m_store;
    std::string m_configFile;
    std::unique_ptr<storage::SqlDatabase> m_reopened;
};

} // namespace sigess::test
