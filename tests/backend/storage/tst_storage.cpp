// The storage layer against both stores: every repository operation, keyset pages,
// scopes, conflicts, hostile text, transactions and concurrency. Each data-driven test
// runs once per store (rows "embedded" and "postgres") on a fresh, empty store.
#include "storage/audit_repository.h"
#include "storage/case_repository.h"
#include "storage/citizen_repository.h"
#include "storage/device_repository.h"
#include "storage/intake_repository.h"
#include "storage/operator_repository.h"
#include "storage/presidio_repository.h"
#include "storage/session_repository.h"
#include "storage/ticket_repository.h"
#include "storage/storage.h"
#include "backend/storage/store_fixture.h"
#include "support/result_checks.h"

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

using namespace sigess;
using namespace sigess::storage;
using sigess::test::addStoreRows;
using sigess::test::currentStoreKind;
using sigess::test::StoreKind;
using sigess::test::TestStore;

namespace {

std::string idFor(int n)
{
    char text[40];
    std::snprintf(text, sizeof text, "01900000-0000-7000-8000-%012x", n);
    return text;
}

v1::EntityMeta meta(const std::string &id, const std::string &presidio)
{
    v1::EntityMeta m;
    m.set_id(id);
    m.set_presidio(presidio);
    return m;
}

v1::Citizen citizen(int n, const std::string &presidio, const std::string &family, const std::string &given,
                    const std::string &cf = {})
{
    v1::Citizen c;
    *c.mutable_meta() = meta(idFor(n), presidio);
    c.set_family_name(family);
    c.set_given_name(given);
    c.set_codice_fiscale(cf);
    return c;
}

v1::Operator operatorNamed(int n, const std::string &username, const std::string &presidio)
{
    v1::Operator o;
    *o.mutable_meta() = meta(idFor(n), presidio);
    o.set_username(username);
    o.set_display_name("Operator " + username);
    o.set_role(v1::ROLE_OPERATOR);
    return o;
}

v1::AuditEvent auditEvent(int n, const std::string &citizenId, const std::string &previousHash)
{
    v1::AuditEvent e;
    *e.mutable_meta() = meta(idFor(n), "P-M01-01");
    e.set_actor(idFor(900));
    e.set_citizen(citizenId);
    e.set_action("read");
    e.set_at_ms(1000 + static_cast<std::uint64_t>(n));
    e.set_previous_hash(previousHash);
    e.set_hash("hash-" + std::to_string(n) + std::string(1, '\0') + "\xff");
    return e;
}

template <typename T>
T valueOf(Result<T> result)
{
    if (!result.ok())
        qFatal("unexpected error: %s", result.error().describe().c_str());
    return std::move(result).value();
}

std::int64_t countRows(SqlExecutor &sql, const std::string &table)
{
    std::int64_t count = -1;
    Status read = sql.query("SELECT count(*) FROM " + table, {}, [&](const SqlRow &row) -> Status {
        count = row.int64(0);
        return {};
    });
    return read.ok() ? count : -1;
}

} // namespace

class TestStorage : public QObject {
    Q_OBJECT

private:
    sigess::test::TestPostgresServer m_postgres;
    std::unique_ptr<TestStore> m_store;

    SqlDatabase &db() { return m_store->database(); }

    void seedPresidi()
    {
        PresidioRepository presidi(db());
        for (const auto &[code, municipio] : {std::pair{"P-M01-01", "M01"}, std::pair{"P-M01-02", "M01"},
                                              std::pair{"P-M02-01", "M02"}}) {
            v1::Presidio p;
            p.set_code(code);
            p.set_municipio(municipio);
            p.set_name(std::string("Presidio ") + code);
            EXPECT_OK(presidi.upsert(p));
        }
    }

private Q_SLOTS:
    void init()
    {
        // Rows are tagged by store, or by store and case: "postgres/quote".
        if (QByteArray(QTest::currentDataTag()).isEmpty())
            return;
        Result<std::unique_ptr<TestStore>> opened = TestStore::open(currentStoreKind(), m_postgres);
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().describe().c_str());
        m_store = std::move(opened).value();
    }

    void cleanup() { m_store.reset(); }

    void schemaIsCurrent_data() { addStoreRows(); }
    void schemaIsCurrent()
    {
        QCOMPARE(valueOf(schemaVersion(db())), latestSchemaVersion());
        // Migrating again changes nothing.
        EXPECT_OK(migrateSchema(db()));
        QCOMPARE(valueOf(schemaVersion(db())), latestSchemaVersion());
        // A store from a newer program is refused.
        EXPECT_OK(db().execute("INSERT INTO schema_version (version) VALUES ($1)", {latestSchemaVersion() + 1}));
        EXPECT_ERROR(migrateSchema(db()), ErrorCode::Conflict);
    }

    // Schema step 6: on SQLite the sync log is rebuilt keyed by its sequence, which only
    // a column declared INTEGER PRIMARY KEY is (the rowid), with every row, key and index
    // it had; PostgreSQL's log stays as it was, not rewritten.
    // Schema step 7: the log's epoch, random for each store, new stores and migrated ones
    // alike; a migrated store keeps its head and its log.
    void syncLogGetsAnEpoch_data() { addStoreRows(); }
    void syncLogGetsAnEpoch()
    {
        // The head's sequence and epoch; an empty epoch when they cannot be read.
        const auto headOf = [](SqlDatabase &database) {
            std::pair<std::int64_t, std::string> head{-1, {}};
            static_cast<void>(database.query("SELECT sequence, epoch FROM sync_head WHERE id = 1", {},
                                             [&](const SqlRow &row) -> Status {
                                                 head = {row.int64(0), std::string(row.text(1))};
                                                 return {};
                                             }));
            return head;
        };
        const auto epochOf = [&headOf](SqlDatabase &database) { return headOf(database).second; };
        const std::string fresh = epochOf(db());
        QCOMPARE(fresh.size(), std::size_t(32));
        QVERIFY(std::all_of(fresh.begin(), fresh.end(), [](char c) { return std::isxdigit(c) && !std::isupper(c); }));

        m_store.reset();
        m_store = valueOf(TestStore::open(currentStoreKind(), m_postgres, 6));
        EXPECT_OK(db().execute("UPDATE sync_head SET sequence = 41 WHERE id = 1", {}));
        EXPECT_OK(migrateSchema(db()));
        const std::string migrated = epochOf(db());
        QCOMPARE(migrated.size(), std::size_t(32));
        QVERIFY(migrated != fresh);
        QCOMPARE(headOf(db()).first, std::int64_t(41));

        // What a restore runs: a new epoch, the head kept.
        EXPECT_OK(db().execute(renewLogEpochStatement(db().dialect()), {}));
        const std::string renewed = epochOf(db());
        QCOMPARE(renewed.size(), std::size_t(32));
        QVERIFY(renewed != migrated);
    }

    void syncLogMigratesToItsSequenceKey_data() { addStoreRows(); }
    void syncLogMigratesToItsSequenceKey()
    {
        m_store.reset();
        m_store = valueOf(TestStore::open(currentStoreKind(), m_postgres, 5));
        QCOMPARE(valueOf(schemaVersion(db())), 5);
        const bool sqlite = db().dialect() == Dialect::Sqlite;

        // Rows as an older program logged them, with sequences beyond 32 bits and
        // operations of every byte, inserted in an order of their own.
        struct LogRow {
            std::int64_t sequence;
            std::string opId;
            std::int64_t type;
            std::string entityId;
            std::string presidio;
            std::string assigned;
            std::string operation;
            bool operator==(const LogRow &) const = default;
        };
        std::vector<LogRow> rows;
        for (int n = 0; n < 300; ++n) {
            std::string operation;
            for (int b = 0; b < 40 + n; ++b)
                operation += static_cast<char>((n * 7 + b) & 0xff);
            rows.push_back({(std::int64_t{1} << 33) + n, idFor(1000 + n), n % 5 + 1, idFor(n / 3),
                            n % 2 == 0 ? "P-M01-01" : "P-M02-01", n % 4 == 0 ? "" : idFor(900 + n % 3), operation});
        }
        const auto insert = [](SqlExecutor &sql, const LogRow &row) {
            return sql.execute("INSERT INTO sync_ops (sequence, op_id, entity_type, entity_id, presidio, assigned, "
                                "operation) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                {row.sequence, row.opId, row.type, row.entityId, row.presidio, row.assigned,
                                 SqlBytes{row.operation}});
        };
        EXPECT_OK(db().transaction([&](SqlExecutor &transaction) -> Status {
            for (std::size_t i = 0; i < rows.size(); ++i) {
                Result<std::int64_t> inserted = insert(transaction, rows[(i * 7) % rows.size()]);
                if (!inserted.ok())
                    return inserted.takeError();
            }
            return {};
        }));
        // -1 when the query fails.
        const auto storage = [this, sqlite] {
            std::int64_t value = -1;
            const Status read = db().query(sqlite ? "SELECT count(*) FROM sync_ops WHERE rowid = sequence"
                                                  : "SELECT relfilenode FROM pg_class WHERE oid = 'sync_ops'::regclass",
                                           {}, [&](const SqlRow &row) -> Status {
                                               value = row.int64(0);
                                               return {};
                                           });
            return read.ok() ? value : -1;
        };
        const std::int64_t storageBefore = storage();

        EXPECT_OK(migrateSchema(db()));
        QCOMPARE(valueOf(schemaVersion(db())), latestSchemaVersion());

        std::vector<LogRow> stored;
        EXPECT_OK(db().query("SELECT sequence, op_id, entity_type, entity_id, presidio, assigned, operation FROM sync_ops "
                             "ORDER BY sequence",
                             {}, [&](const SqlRow &row) -> Status {
                                 stored.push_back({row.int64(0), std::string(row.text(1)), row.int64(2),
                                                   std::string(row.text(3)), std::string(row.text(4)),
                                                   std::string(row.text(5)), row.bytes(6)});
                                 return {};
                             }));
        QVERIFY(stored == rows);
        // Both keys still hold: a taken op id, a taken sequence.
        LogRow again = rows.back();
        again.sequence += 1;
        EXPECT_ERROR(insert(db(), again), ErrorCode::Conflict);
        again = rows.front();
        again.opId = idFor(5000);
        EXPECT_ERROR(insert(db(), again), ErrorCode::Conflict);

        std::vector<std::string> indexes;
        EXPECT_OK(db().query(sqlite ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sync_ops' "
                                      "ORDER BY name"
                                    : "SELECT indexname FROM pg_indexes WHERE tablename = 'sync_ops' "
                                      "AND schemaname = current_schema() ORDER BY indexname",
                             {}, [&](const SqlRow &row) -> Status {
                                 indexes.emplace_back(row.text(0));
                                 return {};
                             }));
        if (sqlite) {
            // Every row's sequence is now its rowid (it was not: the rowids counted
            // 1, 2, 3...), and no index on the sequence is left beside the table.
            QCOMPARE(storageBefore, std::int64_t{0});
            QCOMPARE(storage(), static_cast<std::int64_t>(rows.size()));
            QCOMPARE(indexes, (std::vector<std::string>{"sync_ops_entity_id", "sync_ops_op_id"}));
            // The log's look-ups: a pull's range of sequences on the table itself, an op id
            // and an entity's history on their indexes.
            const std::vector<std::pair<std::string, std::string>> plans{
                {"SELECT operation FROM sync_ops WHERE sequence > 1 ORDER BY sequence LIMIT 10",
                 "SEARCH sync_ops USING INTEGER PRIMARY KEY (rowid>?)"},
                {"SELECT 1 FROM sync_ops WHERE op_id = 'x'", "SEARCH sync_ops USING COVERING INDEX sync_ops_op_id (op_id=?)"},
                {"SELECT operation FROM sync_ops WHERE entity_type = 1 AND entity_id = 'x' AND sequence < 9 "
                 "ORDER BY sequence",
                 "SEARCH sync_ops USING INDEX sync_ops_entity_id (entity_id=? AND entity_type=? AND sequence<?)"},
            };
            for (const auto &[query, expected] : plans) {
                std::string plan;
                EXPECT_OK(db().query("EXPLAIN QUERY PLAN " + query, {}, [&](const SqlRow &row) -> Status {
                    plan += std::string(row.text(3));
                    return {};
                }));
                QCOMPARE(plan, expected);
            }
        } else {
            QCOMPARE(storage(), storageBefore);
            QCOMPARE(indexes, (std::vector<std::string>{"sync_ops_entity_id", "sync_ops_op_id_key", "sync_ops_pkey"}));
        }
    }

    void valuesRoundTrip_data() { addStoreRows(); }
    void valuesRoundTrip()
    {
        EXPECT_OK(db().execute("CREATE TABLE sample (i BIGINT, r DOUBLE PRECISION, t TEXT, b "
                                   + std::string(db().dialect() == Dialect::Postgres ? "BYTEA" : "BLOB") + ")",
                               {}));
        const std::string bytes("\0\x01\xff\x7f'\"\\", 7);
        EXPECT_OK(db().execute("INSERT INTO sample (i, r, t, b) VALUES ($1, $2, $3, $4)",
                               {std::int64_t{-9007199254740993}, 2.5, "città ☂ 中文", SqlBytes{bytes}}));
        EXPECT_OK(db().execute("INSERT INTO sample (i, r, t, b) VALUES ($1, $2, $3, $4)",
                               {SqlValue(), SqlValue(), SqlValue(), SqlValue()}));
        int rows = 0;
        int nullRows = 0;
        EXPECT_OK(db().query("SELECT i, r, t, b FROM sample", {}, [&](const SqlRow &row) -> Status {
            ++rows;
            if (row.isNull(0) && row.isNull(1) && row.isNull(2) && row.isNull(3))
                ++nullRows;
            return {};
        }));
        QCOMPARE(nullRows, 1);
        QCOMPARE(rows, 2);
        EXPECT_OK(db().query("SELECT i, r, t, b FROM sample WHERE i IS NOT NULL", {}, [&](const SqlRow &row) -> Status {
            [&] {
                QCOMPARE(row.int64(0), std::int64_t{-9007199254740993});
                QCOMPARE(row.real(1), 2.5);
                QCOMPARE(std::string(row.text(2)), std::string("città ☂ 中文"));
                QCOMPARE(row.bytes(3), bytes);
            }();
            return {};
        }));
        // The same parameter used twice, and a dollar sign inside a literal left alone.
        std::string echoed;
        EXPECT_OK(db().query("SELECT t || '$1' || $1 || $1 FROM sample WHERE i = $2", {"x", std::int64_t{-9007199254740993}},
                             [&](const SqlRow &row) -> Status {
                                 echoed = std::string(row.text(0));
                                 return {};
                             }));
        QCOMPARE(echoed, std::string("città ☂ 中文$1xx"));
        QCOMPARE(valueOf(db().execute("UPDATE sample SET t = $1", {"y"})), std::int64_t{2});
    }

    void operators_data() { addStoreRows(); }
    void operators()
    {
        OperatorRepository operators(db());
        v1::Operator anna = operatorNamed(1, "anna", "P-M01-01");
        EXPECT_OK(operators.create(anna, "$argon2id$v=19$hash-a"));
        OperatorAccount found = valueOf(operators.byUsername("anna"));
        QCOMPARE(found.profile.meta().id(), idFor(1));
        QCOMPARE(found.passwordHash, std::string("$argon2id$v=19$hash-a"));
        QCOMPARE(valueOf(operators.byId(idFor(1))).profile.username(), std::string("anna"));

        EXPECT_ERROR(operators.create(operatorNamed(2, "anna", "P-M01-02"), "h"), ErrorCode::Conflict);
        EXPECT_ERROR(operators.create(operatorNamed(1, "other", "P-M01-02"), "h"), ErrorCode::Conflict);
        v1::Operator noRole = operatorNamed(3, "norole", "P-M01-01");
        noRole.set_role(v1::ROLE_UNSPECIFIED);
        EXPECT_ERROR(operators.create(noRole, "h"), ErrorCode::Invalid);
        EXPECT_ERROR(operators.byUsername("nobody"), ErrorCode::NotFound);

        anna.set_role(v1::ROLE_COORDINATOR);
        anna.set_disabled(true);
        EXPECT_OK(operators.update(anna));
        EXPECT_OK(operators.setPasswordHash(idFor(1), "$argon2id$v=19$hash-b"));
        found = valueOf(operators.byId(idFor(1)));
        QCOMPARE(found.profile.role(), v1::ROLE_COORDINATOR);
        QVERIFY(found.profile.disabled());
        QCOMPARE(found.passwordHash, std::string("$argon2id$v=19$hash-b"));
        EXPECT_ERROR(operators.update(operatorNamed(99, "ghost", "P-M01-01")), ErrorCode::NotFound);
        EXPECT_ERROR(operators.setPasswordHash(idFor(99), "h"), ErrorCode::NotFound);

        seedPresidi();
        for (int i = 10; i < 17; ++i)
            EXPECT_OK(operators.create(operatorNamed(i, "op" + std::to_string(i), i % 2 ? "P-M01-02" : "P-M02-01"), "h"));
        std::vector<std::string> names;
        PageRequest page{{}, 2};
        for (;;) {
            Page<v1::Operator> got = valueOf(operators.list(Scope::municipio("M01"), page));
            for (const auto &o : got.items)
                names.push_back(o.username());
            if (got.nextCursor.empty())
                break;
            page.cursor = got.nextCursor;
        }
        QCOMPARE(names, (std::vector<std::string>{"anna", "op11", "op13", "op15"}));
        QCOMPARE(valueOf(operators.list(Scope::city(), {{}, 100})).items.size(), std::size_t{8});
        EXPECT_ERROR(operators.list(Scope::city(), {{}, 0}), ErrorCode::Invalid);
        EXPECT_ERROR(operators.list(Scope::city(), {{}, PageRequest::maxLimit + 1}), ErrorCode::Invalid);
        EXPECT_ERROR(operators.list(Scope::city(), {"zz-not-a-cursor", 10}), ErrorCode::Invalid);
    }

    void sessions_data() { addStoreRows(); }
    void sessions()
    {
        SessionRepository sessions(db());
        const std::string hashA("\0\xff session a", 12);
        const std::string hashB("\0\xff session b", 12);
        EXPECT_OK(sessions.create({hashA, idFor(1), {}, 100, 200, false}));
        EXPECT_OK(sessions.create({hashB, idFor(1), idFor(50), 100, 500, false}));
        EXPECT_OK(sessions.create({"c", idFor(2), idFor(50), 100, 500, false}));
        EXPECT_ERROR(sessions.create({hashA, idFor(3), {}, 1, 2, false}), ErrorCode::Conflict);
        EXPECT_ERROR(sessions.create({{}, idFor(3), {}, 1, 2, false}), ErrorCode::Invalid);

        SessionRecord a = valueOf(sessions.byTokenHash(hashA));
        QCOMPARE(a.operatorId, idFor(1));
        QCOMPARE(a.expiresMs, std::uint64_t{200});
        QVERIFY(!a.revoked);
        EXPECT_ERROR(sessions.byTokenHash(std::string("\0\xff session", 10)), ErrorCode::NotFound);

        EXPECT_OK(sessions.revoke(hashA));
        QVERIFY(valueOf(sessions.byTokenHash(hashA)).revoked);
        EXPECT_ERROR(sessions.revoke("unknown"), ErrorCode::NotFound);
        QCOMPARE(valueOf(sessions.revokeAllForOperator(idFor(1))), std::int64_t{1});
        QVERIFY(valueOf(sessions.byTokenHash(hashB)).revoked);
        QCOMPARE(valueOf(sessions.revokeAllForDevice(idFor(50))), std::int64_t{1});
        QVERIFY(valueOf(sessions.byTokenHash("c")).revoked);
        QCOMPARE(valueOf(sessions.deleteExpired(300)), std::int64_t{1});
        EXPECT_ERROR(sessions.byTokenHash(hashA), ErrorCode::NotFound);
        QCOMPARE(countRows(db(), "sessions"), std::int64_t{2});
    }

    void devicesAndEnrollment_data() { addStoreRows(); }
    void devicesAndEnrollment()
    {
        DeviceRepository devices(db());
        EnrollmentCode code{"code-1", "P-M01-01", v1::DEVICE_KIND_KIOSK, idFor(1), 1000, 2000, {}};
        EXPECT_OK(devices.createEnrollmentCode(code));
        EXPECT_ERROR(devices.createEnrollmentCode(code), ErrorCode::Conflict);
        EXPECT_OK(devices.createEnrollmentCode({"code-2", "P-M01-01", v1::DEVICE_KIND_TABLET, idFor(1), 1000, 2000, {}}));
        EXPECT_ERROR(devices.createEnrollmentCode({"code-3", "P-M01-01", v1::DEVICE_KIND_UNSPECIFIED, idFor(1), 1, 2, {}}),
                     ErrorCode::Invalid);

        EXPECT_ERROR(devices.redeemEnrollmentCode("code-2", idFor(60), 2000), ErrorCode::Unauthorized);
        EnrollmentCode redeemed = valueOf(devices.redeemEnrollmentCode("code-1", idFor(60), 1500));
        QCOMPARE(redeemed.presidio, std::string("P-M01-01"));
        QCOMPARE(redeemed.kind, v1::DEVICE_KIND_KIOSK);
        QCOMPARE(redeemed.redeemedBy, idFor(60));
        EXPECT_ERROR(devices.redeemEnrollmentCode("code-1", idFor(61), 1500), ErrorCode::Conflict);
        EXPECT_ERROR(devices.redeemEnrollmentCode("nope", idFor(61), 1500), ErrorCode::NotFound);

        v1::Device kiosk;
        *kiosk.mutable_meta() = meta(idFor(60), "P-M01-01");
        kiosk.set_kind(v1::DEVICE_KIND_KIOSK);
        kiosk.set_label("Waiting room");
        EXPECT_OK(devices.create(kiosk, "credential-60"));
        EXPECT_ERROR(devices.create(kiosk, "credential-other"), ErrorCode::Conflict);
        v1::Device tablet = kiosk;
        tablet.mutable_meta()->set_id(idFor(61));
        tablet.mutable_meta()->set_presidio("P-M02-01");
        tablet.set_kind(v1::DEVICE_KIND_TABLET);
        EXPECT_ERROR(devices.create(tablet, "credential-60"), ErrorCode::Conflict);
        EXPECT_OK(devices.create(tablet, "credential-61"));

        QCOMPARE(valueOf(devices.byCredentialHash("credential-61")).device.meta().id(), idFor(61));
        QCOMPARE(valueOf(devices.byId(idFor(60))).credentialHash, std::string("credential-60"));
        kiosk.set_revoked(true);
        EXPECT_OK(devices.update(kiosk));
        QVERIFY(valueOf(devices.byId(idFor(60))).device.revoked());
        QCOMPARE(valueOf(devices.byId(idFor(60))).credentialHash, std::string("credential-60"));
        EXPECT_ERROR(devices.byId(idFor(62)), ErrorCode::NotFound);

        seedPresidi();
        Page<v1::Device> m01 = valueOf(devices.list(Scope::municipio("M01"), {{}, 10}));
        QCOMPARE(m01.items.size(), std::size_t{1});
        QCOMPARE(m01.items[0].meta().id(), idFor(60));
        Page<v1::Device> first = valueOf(devices.list(Scope::city(), {{}, 1}));
        QCOMPARE(first.items[0].meta().id(), idFor(60));
        Page<v1::Device> second = valueOf(devices.list(Scope::city(), {first.nextCursor, 1}));
        QCOMPARE(second.items[0].meta().id(), idFor(61));
        QVERIFY(second.nextCursor.empty());
    }

    void enrollmentCodeRedeemedOnceUnderConcurrency_data() { addStoreRows(); }
    void enrollmentCodeRedeemedOnceUnderConcurrency()
    {
        DeviceRepository devices(db());
        EXPECT_OK(devices.createEnrollmentCode({"shared", "P-M01-01", v1::DEVICE_KIND_TABLET, idFor(1), 0, 10, {}}));
        std::atomic<int> redeemed = 0;
        std::atomic<int> refused = 0;
        std::vector<std::thread> threads;
        for (int t = 0; t < 6; ++t) {
            threads.emplace_back([&, t] {
                DeviceRepository mine(db());
                Result<EnrollmentCode> got = mine.redeemEnrollmentCode("shared", idFor(100 + t), 5);
                (got.ok() ? redeemed : refused)++;
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        QCOMPARE(redeemed.load(), 1);
        QCOMPARE(refused.load(), 5);
    }

    void presidi_data() { addStoreRows(); }
    void presidi()
    {
        seedPresidi();
        PresidioRepository presidi(db());
        v1::Presidio moved = valueOf(presidi.byCode("P-M01-02"));
        moved.set_municipio("M02");
        EXPECT_OK(presidi.upsert(moved));
        QCOMPARE(valueOf(presidi.byCode("P-M01-02")).municipio(), std::string("M02"));
        QCOMPARE(valueOf(presidi.list(Scope::municipio("M02"))).size(), std::size_t{2});
        QCOMPARE(valueOf(presidi.list(Scope::city())).size(), std::size_t{3});
        QCOMPARE(valueOf(presidi.list(Scope::presidio("P-M01-01")))[0].name(), std::string("Presidio P-M01-01"));
        EXPECT_ERROR(presidi.byCode("P-XX"), ErrorCode::NotFound);
        EXPECT_ERROR(presidi.upsert(v1::Presidio()), ErrorCode::Invalid);
    }

    void citizens_data() { addStoreRows(); }
    void citizens()
    {
        CitizenRepository citizens(db());
        EXPECT_OK(citizens.create(citizen(1, "P-M01-01", "Rossi", "Mario", "rssmra85t10a562s")));
        EXPECT_OK(citizens.create(citizen(2, "P-M01-01", "Bianchi", "Anna")));
        EXPECT_OK(citizens.create(citizen(3, "P-M01-01", "Verdi", "Luca")));  // no CF: many may lack one
        EXPECT_ERROR(citizens.create(citizen(4, "P-M01-02", "Neri", "Ugo", "RSSMRA85T10A562S")), ErrorCode::Conflict);
        EXPECT_ERROR(citizens.create(citizen(1, "P-M01-02", "Neri", "Ugo")), ErrorCode::Conflict);
        EXPECT_ERROR(citizens.create(citizen(5, "", "Neri", "Ugo")), ErrorCode::Invalid);

        QCOMPARE(valueOf(citizens.byId(idFor(1))).given_name(), std::string("Mario"));
        QCOMPARE(valueOf(citizens.byCodiceFiscale("RSSMRA85T10A562S")).meta().id(), idFor(1));
        EXPECT_ERROR(citizens.byCodiceFiscale("XXXXXX00X00X000X"), ErrorCode::NotFound);
        EXPECT_ERROR(citizens.byId(idFor(77)), ErrorCode::NotFound);

        v1::Citizen anna = valueOf(citizens.byId(idFor(2)));
        anna.set_family_name("Bianchi Rossi");
        anna.set_codice_fiscale("BNCNNA90A41H501X");
        EXPECT_OK(citizens.update(anna));
        QCOMPARE(valueOf(citizens.byCodiceFiscale("bncnna90a41h501x")).family_name(), std::string("Bianchi Rossi"));
        anna.set_codice_fiscale("RSSMRA85T10A562S");
        EXPECT_ERROR(citizens.update(anna), ErrorCode::Conflict);
        EXPECT_ERROR(citizens.update(citizen(77, "P-M01-01", "X", "Y")), ErrorCode::NotFound);
    }

    void citizenSearch_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected");
        for (const char *store : {"embedded", "postgres"}) {
            const auto row = [&](const char *name, const QString &text, const QStringList &expected) {
                QTest::addRow("%s/%s", store, name) << text << expected;
            };
            row("family then given", "rossi m", {"Mario Rossi"});
            row("given then family", "MARIO  r", {"Mario Rossi"});
            row("family prefix", "ro", {"Mario Rossi", "Roberta Rossini"});
            row("codice fiscale prefix", "rssmra", {"Mario Rossi"});
            row("nothing", "zzz", {});
            row("like wildcard stays literal", "%", {});
            row("underscore stays literal", "r_ssi", {});
            row("quote", "o'brien", {"Sean O'Brien"});
            row("empty lists the scope", "", {"Ali Ben", "Sean O'Brien", "Mario Rossi", "Roberta Rossini"});
        }
    }
    void citizenSearch()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        seedPresidi();
        CitizenRepository citizens(db());
        EXPECT_OK(citizens.create(citizen(1, "P-M01-01", "Rossi", "Mario", "RSSMRA85T10A562S")));
        EXPECT_OK(citizens.create(citizen(2, "P-M01-02", "Rossini", "Roberta")));
        EXPECT_OK(citizens.create(citizen(3, "P-M01-01", "O'Brien", "Sean")));
        EXPECT_OK(citizens.create(citizen(4, "P-M01-02", "Ben", "Ali")));
        // Outside the scope: must never appear.
        EXPECT_OK(citizens.create(citizen(5, "P-M02-01", "Rossi", "Marta", "RSSMRT80A41H501Z")));
        Page<v1::Citizen> found = valueOf(citizens.search({text.toStdString(), Scope::municipio("M01")}, {{}, 50}));
        QStringList names;
        for (const v1::Citizen &c : found.items)
            names << QString::fromStdString(c.given_name() + " " + c.family_name());
        QCOMPARE(names, expected);
    }

    // A search reads each key (family-given, given-family, codice fiscale) as its own
    // range: paging must still give every match once, in name order, with matches of
    // the three keys interleaved and citizens matching by more than one key.
    void citizenSearchPagesMergeTheKeys_data() { addStoreRows(); }
    void citizenSearchPagesMergeTheKeys()
    {
        seedPresidi();
        CitizenRepository citizens(db());
        std::vector<std::string> expected;  // name keys of the matches, in page order
        for (int i = 0; i < 24; ++i) {
            const std::string n = (i < 10 ? "0" : "") + std::to_string(i);
            switch (i % 4) {
            case 0:  // by family name
                EXPECT_OK(citizens.create(citizen(i, "P-M01-01", "Ros" + n, "Zeno")));
                expected.push_back("ros" + n + " zeno");
                break;
            case 1:  // by given name
                EXPECT_OK(citizens.create(citizen(i, "P-M01-01", "Abate" + n, "Rosa")));
                expected.push_back("abate" + n + " rosa");
                break;
            case 2:  // both ways round
                EXPECT_OK(citizens.create(citizen(i, "P-M01-01", "Rosi" + n, "Rossana")));
                expected.push_back("rosi" + n + " rossana");
                break;
            default:  // no match, in scope and out of it
                EXPECT_OK(citizens.create(citizen(i, "P-M01-01", "Verdi" + n, "Anna")));
                EXPECT_OK(citizens.create(citizen(100 + i, "P-M02-01", "Ros" + n, "Rosa")));
                break;
            }
        }
        // And by codice fiscale ("ROS..." is a prefix of no name here).
        EXPECT_OK(citizens.create(citizen(200, "P-M01-01", "Bianchi", "Luca", "ROSLCU80A01H501U")));
        expected.push_back("bianchi luca");
        std::ranges::sort(expected);
        std::vector<std::string> seen;
        PageRequest page{{}, 4};
        for (;;) {
            Page<v1::Citizen> got = valueOf(citizens.search({"ros", Scope::presidio("P-M01-01")}, page));
            QVERIFY(got.items.size() <= 4);
            for (const v1::Citizen &c : got.items) {
                std::string key = c.family_name() + " " + c.given_name();
                std::ranges::transform(key, key.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
                seen.push_back(key);
            }
            if (got.nextCursor.empty())
                break;
            page.cursor = got.nextCursor;
        }
        QCOMPARE(seen, expected);
    }

    void citizenSearchNeverLeavesScope_data() { addStoreRows(); }
    void citizenSearchNeverLeavesScope()
    {
        seedPresidi();
        CitizenRepository citizens(db());
        for (int i = 0; i < 30; ++i) {
            static const char *const presidi[] = {"P-M01-01", "P-M01-02", "P-M02-01"};
            EXPECT_OK(citizens.create(citizen(i, presidi[i % 3], "Esposito", "Nome" + std::to_string(i))));
        }
        const std::pair<Scope, std::set<std::string>> cases[] = {
            {Scope::presidio("P-M01-01"), {"P-M01-01"}},
            {Scope::municipio("M01"), {"P-M01-01", "P-M01-02"}},
            {Scope::municipio("M02"), {"P-M02-01"}},
            {Scope::municipio("M99"), {}},
            {Scope::presidio("' OR 1=1 --"), {}},
        };
        for (const auto &[scope, allowed] : cases) {
            for (const std::string text : {"", "esp", "nome1", "' OR ''='"}) {
                PageRequest page{{}, 3};
                std::size_t seen = 0;
                for (;;) {
                    Page<v1::Citizen> got = valueOf(citizens.search({text, scope}, page));
                    for (const v1::Citizen &c : got.items) {
                        QVERIFY2(allowed.count(c.meta().presidio()) == 1, c.meta().presidio().c_str());
                        ++seen;
                    }
                    if (got.nextCursor.empty())
                        break;
                    page.cursor = got.nextCursor;
                }
                if (text == "" || text == "esp")
                    QCOMPARE(seen, allowed.size() * 10);
            }
        }
        // A cursor taken from one scope and replayed in another still stays in the other.
        Page<v1::Citizen> m02 = valueOf(citizens.search({"", Scope::municipio("M02")}, {{}, 2}));
        Page<v1::Citizen> replayed = valueOf(citizens.search({"", Scope::presidio("P-M01-01")}, {m02.nextCursor, 50}));
        for (const v1::Citizen &c : replayed.items)
            QCOMPARE(c.meta().presidio(), std::string("P-M01-01"));
        EXPECT_ERROR(citizens.search({"", Scope::city()}, {"00.00.00", 5}), ErrorCode::Invalid);
        EXPECT_ERROR(citizens.search({std::string(CitizenSearch::maxTextBytes + 1, 'a'), Scope::city()}, {{}, 5}),
                     ErrorCode::Invalid);
    }

    void paginationIsStableUnderInserts_data() { addStoreRows(); }
    void paginationIsStableUnderInserts()
    {
        CitizenRepository citizens(db());
        IntakeRepository intakes(db());
        for (int i = 0; i < 40; i += 2) {
            EXPECT_OK(citizens.create(citizen(i, "P-M01-01", "Family" + std::to_string(100 + i), "Given")));
            v1::Intake intake;
            *intake.mutable_meta() = meta(idFor(1000 + i), "P-M01-01");
            EXPECT_OK(intakes.create(intake));
        }
        std::set<std::string> seenCitizens;
        std::set<std::string> seenIntakes;
        PageRequest citizenPage{{}, 7};
        PageRequest intakePage{{}, 7};
        int inserted = 1;
        bool citizensDone = false;
        bool intakesDone = false;
        while (!citizensDone || !intakesDone) {
            if (!citizensDone) {
                Page<v1::Citizen> got = valueOf(citizens.search({"family", Scope::presidio("P-M01-01")}, citizenPage));
                for (const v1::Citizen &c : got.items)
                    QVERIFY2(seenCitizens.insert(c.meta().id()).second, "a citizen came twice");
                citizensDone = got.nextCursor.empty();
                citizenPage.cursor = got.nextCursor;
            }
            if (!intakesDone) {
                Page<v1::Intake> got = valueOf(intakes.listByPresidio("P-M01-01", intakePage));
                for (const v1::Intake &i : got.items)
                    QVERIFY2(seenIntakes.insert(i.meta().id()).second, "an intake came twice");
                intakesDone = got.nextCursor.empty();
                intakePage.cursor = got.nextCursor;
            }
            // New rows land before and after the cursor between pages.
            if (inserted < 40) {
                EXPECT_OK(citizens.create(citizen(inserted, "P-M01-01", "Family" + std::to_string(100 + inserted), "New")));
                v1::Intake intake;
                *intake.mutable_meta() = meta(idFor(1000 + inserted), "P-M01-01");
                EXPECT_OK(intakes.create(intake));
                inserted += 2;
            }
        }
        for (int i = 0; i < 40; i += 2) {
            QVERIFY(seenCitizens.count(idFor(i)) == 1);
            QVERIFY(seenIntakes.count(idFor(1000 + i)) == 1);
        }
    }

    void intakesAndTickets_data() { addStoreRows(); }
    void intakesAndTickets()
    {
        IntakeRepository intakes(db());
        v1::Intake intake;
        *intake.mutable_meta() = meta(idFor(1), "P-M01-01");
        intake.add_needs("NEED_HOUSING");
        intake.set_detail("sfratto; \"urgente\" -- 100%");
        EXPECT_OK(intakes.create(intake));
        EXPECT_ERROR(intakes.create(intake), ErrorCode::Conflict);
        intake.set_ticket(idFor(2));
        intake.set_citizen(idFor(9));
        EXPECT_OK(intakes.update(intake));
        v1::Intake stored = valueOf(intakes.byId(idFor(1)));
        QCOMPARE(stored.ticket(), idFor(2));
        QCOMPARE(stored.detail(), intake.detail());
        EXPECT_ERROR(intakes.byId(idFor(3)), ErrorCode::NotFound);
        v1::Intake other;
        *other.mutable_meta() = meta(idFor(4), "P-M02-01");
        EXPECT_OK(intakes.create(other));
        QCOMPARE(valueOf(intakes.listByPresidio("P-M01-01", {{}, 10})).items.size(), std::size_t{1});

        TicketRepository tickets(db());
        const auto ticket = [](int n, const std::string &presidio, const std::string &number) {
            v1::Ticket t;
            *t.mutable_meta() = meta(idFor(n), presidio);
            t.set_number(number);
            t.set_state(v1::TICKET_STATE_WAITING);
            return t;
        };
        EXPECT_OK(tickets.create(ticket(10, "P-M01-01", "A-001")));
        EXPECT_OK(tickets.create(ticket(11, "P-M01-01", "A-002")));
        EXPECT_OK(tickets.create(ticket(12, "P-M02-01", "A-001")));
        EXPECT_ERROR(tickets.create(ticket(13, "P-M01-01", "A-001")), ErrorCode::Conflict);
        EXPECT_ERROR(tickets.create(ticket(14, "P-M01-01", "")), ErrorCode::Invalid);
        v1::Ticket called = valueOf(tickets.byId(idFor(10)));
        called.set_state(v1::TICKET_STATE_CALLED);
        called.set_desk("3");
        EXPECT_OK(tickets.update(called));
        QCOMPARE(valueOf(tickets.byId(idFor(10))).desk(), std::string("3"));
        Page<v1::Ticket> waiting = valueOf(tickets.listByPresidio("P-M01-01", v1::TICKET_STATE_WAITING, {{}, 10}));
        QCOMPARE(waiting.items.size(), std::size_t{1});
        QCOMPARE(waiting.items[0].number(), std::string("A-002"));
        Page<v1::Ticket> all = valueOf(tickets.listByPresidio("P-M01-01", v1::TICKET_STATE_UNSPECIFIED, {{}, 1}));
        QCOMPARE(all.items[0].number(), std::string("A-001"));
        all = valueOf(tickets.listByPresidio("P-M01-01", v1::TICKET_STATE_UNSPECIFIED, {all.nextCursor, 1}));
        QCOMPARE(all.items[0].number(), std::string("A-002"));
        QVERIFY(all.nextCursor.empty());
        EXPECT_ERROR(tickets.update(ticket(99, "P-M01-01", "Z-1")), ErrorCode::NotFound);
    }

    void cases_data() { addStoreRows(); }
    void cases()
    {
        seedPresidi();
        CaseRepository cases(db());
        const auto makeCase = [](int n, const std::string &presidio, const std::string &operatorId,
                                 const std::string &citizenId) {
            v1::Case c;
            *c.mutable_meta() = meta(idFor(n), presidio);
            c.set_citizen(citizenId);
            c.set_responsible_operator(operatorId);
            c.set_state("OPEN");
            c.add_target_groups("FAMIGLIA_MINORI");
            return c;
        };
        EXPECT_OK(cases.create(makeCase(1, "P-M01-01", idFor(100), idFor(200))));
        EXPECT_OK(cases.create(makeCase(2, "P-M01-01", idFor(101), idFor(201))));
        EXPECT_OK(cases.create(makeCase(3, "P-M01-02", idFor(100), idFor(202))));
        EXPECT_OK(cases.create(makeCase(4, "P-M02-01", idFor(100), idFor(200))));
        EXPECT_ERROR(cases.create(makeCase(1, "P-M01-01", idFor(100), idFor(200))), ErrorCode::Conflict);
        EXPECT_ERROR(cases.create(makeCase(5, "P-M01-01", idFor(100), "")), ErrorCode::Invalid);

        v1::Case closed = valueOf(cases.byId(idFor(2)));
        closed.set_state("CLOSED");
        closed.set_closed_on("2024-05-01");
        closed.set_responsible_operator(idFor(100));
        EXPECT_OK(cases.update(closed));
        QCOMPARE(valueOf(cases.byId(idFor(2))).closed_on(), std::string("2024-05-01"));
        EXPECT_ERROR(cases.byId(idFor(9)), ErrorCode::NotFound);

        const auto ids = [&](const CaseFilter &filter) {
            std::vector<std::string> out;
            PageRequest page{{}, 1};
            for (;;) {
                Page<v1::Case> got = valueOf(cases.list(filter, page));
                for (const v1::Case &c : got.items)
                    out.push_back(c.meta().id());
                if (got.nextCursor.empty())
                    return out;
                page.cursor = got.nextCursor;
            }
        };
        QCOMPARE(ids({Scope::city(), idFor(100), {}, {}}), (std::vector{idFor(1), idFor(2), idFor(3), idFor(4)}));
        QCOMPARE(ids({Scope::municipio("M01"), idFor(100), {}, {}}), (std::vector{idFor(1), idFor(2), idFor(3)}));
        QCOMPARE(ids({Scope::presidio("P-M01-01"), {}, {}, "CLOSED"}), (std::vector{idFor(2)}));
        QCOMPARE(ids({Scope::city(), {}, idFor(200), {}}), (std::vector{idFor(1), idFor(4)}));
        QCOMPARE(ids({Scope::presidio("P-M02-01"), idFor(101), {}, {}}), std::vector<std::string>{});
    }

    void auditChain_data() { addStoreRows(); }
    void auditChain()
    {
        AuditRepository audit(db());
        QCOMPARE(valueOf(audit.head()).sequence, std::int64_t{0});
        QVERIFY(valueOf(audit.head()).hash.empty());
        EXPECT_ERROR(audit.append(auditEvent(1, idFor(500), "not-the-head")), ErrorCode::Conflict);
        QCOMPARE(valueOf(audit.append(auditEvent(1, idFor(500), {}))), std::int64_t{1});
        EXPECT_ERROR(audit.append(auditEvent(2, idFor(500), {})), ErrorCode::Conflict);
        std::string previous = auditEvent(1, idFor(500), {}).hash();
        for (int n = 2; n <= 7; ++n) {
            v1::AuditEvent event = auditEvent(n, n % 2 ? idFor(500) : idFor(501), previous);
            QCOMPARE(valueOf(audit.append(event)), std::int64_t{n});
            previous = event.hash();
        }
        EXPECT_ERROR(audit.append(auditEvent(8, idFor(500), auditEvent(3, {}, {}).hash())), ErrorCode::Conflict);
        // A rejected append wrote nothing: no event, head unchanged.
        EXPECT_ERROR(audit.append(auditEvent(7, idFor(500), previous)), ErrorCode::Conflict);
        QCOMPARE(valueOf(audit.head()).sequence, std::int64_t{7});
        QCOMPARE(valueOf(audit.head()).hash, previous);
        QCOMPARE(countRows(db(), "audit_events"), std::int64_t{7});

        std::vector<AuditEntry> scanned = valueOf(audit.scan(2, 3));
        QCOMPARE(scanned.size(), std::size_t{3});
        QCOMPARE(scanned[0].sequence, std::int64_t{3});
        QCOMPARE(scanned[0].event.previous_hash(), auditEvent(2, {}, {}).hash());
        std::vector<std::int64_t> forCitizen;
        PageRequest page{{}, 2};
        for (;;) {
            Page<AuditEntry> got = valueOf(audit.byCitizen(idFor(500), page));
            for (const AuditEntry &entry : got.items)
                forCitizen.push_back(entry.sequence);
            if (got.nextCursor.empty())
                break;
            page.cursor = got.nextCursor;
        }
        QCOMPARE(forCitizen, (std::vector<std::int64_t>{1, 3, 5, 7}));
    }

    void auditChainNeverForksUnderConcurrency_data() { addStoreRows(); }
    void auditChainNeverForksUnderConcurrency()
    {
        constexpr int threadCount = 4;
        constexpr int perThread = 15;
        std::atomic<int> nextId = 1;
        std::vector<std::thread> threads;
        std::atomic<int> failures = 0;
        for (int t = 0; t < threadCount; ++t) {
            threads.emplace_back([&] {
                AuditRepository audit(db());
                for (int i = 0; i < perThread; ++i) {
                    const int n = nextId++;
                    for (;;) {
                        Result<AuditHead> head = audit.head();
                        if (!head.ok()) {
                            ++failures;
                            return;
                        }
                        Result<std::int64_t> appended = audit.append(auditEvent(n, idFor(500), head->hash));
                        if (appended.ok())
                            break;
                        if (appended.error().code != ErrorCode::Conflict) {
                            ++failures;
                            return;
                        }
                    }
                }
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        QCOMPARE(failures.load(), 0);
        AuditRepository audit(db());
        std::vector<AuditEntry> all = valueOf(audit.scan(0, PageRequest::maxLimit));
        QCOMPARE(all.size(), std::size_t{threadCount * perThread});
        std::string previous;
        for (std::size_t i = 0; i < all.size(); ++i) {
            QCOMPARE(all[i].sequence, static_cast<std::int64_t>(i + 1));
            QCOMPARE(all[i].event.previous_hash(), previous);
            previous = all[i].event.hash();
        }
        QCOMPARE(valueOf(audit.head()).hash, previous);
    }

    void metacharactersStayData_data() { addStoreRows(); }
    void metacharactersStayData()
    {
        const std::string hostile[] = {
            "Robert'); DROP TABLE citizens; --",
            "\" OR \"\"=\"",
            "100% _wild_ \\escape\\",
            "$1 ?1 ? :name @p",
            "x'00' || CHR(0)",
        };
        CitizenRepository citizens(db());
        OperatorRepository operators(db());
        int n = 0;
        for (const std::string &text : hostile) {
            ++n;
            EXPECT_OK(citizens.create(citizen(n, "P-M01-01", text, text, {})));
            EXPECT_OK(operators.create(operatorNamed(n, text, text), text));
            QCOMPARE(valueOf(citizens.byId(idFor(n))).family_name(), text);
            QCOMPARE(valueOf(operators.byUsername(text)).passwordHash, text);
            Page<v1::Citizen> found = valueOf(citizens.search({text, Scope::presidio("P-M01-01")}, {{}, 50}));
            QCOMPARE(found.items.size(), std::size_t{1});
            QCOMPARE(found.items[0].meta().id(), idFor(n));
            QCOMPARE(valueOf(operators.list(Scope::presidio(text), {{}, 10})).items.size(), std::size_t{1});
        }
        QCOMPARE(countRows(db(), "citizens"), std::int64_t{5});
        QCOMPARE(countRows(db(), "operators"), std::int64_t{5});
    }

    void invalidTextIsRefused_data() { addStoreRows(); }
    void invalidTextIsRefused()
    {
        const std::string invalid[] = {
            std::string("Ross\xc3", 5),            // truncated sequence
            std::string("\xc0\xaf", 2),            // overlong '/'
            std::string("\xed\xa0\x80", 3),        // UTF-16 surrogate
            std::string("\xf4\x90\x80\x80", 4),    // beyond U+10FFFF
            std::string("\xff", 1),
            std::string("nul\0inside", 10),
        };
        CitizenRepository citizens(db());
        OperatorRepository operators(db());
        for (const std::string &text : invalid) {
            EXPECT_ERROR(citizens.create(citizen(1, "P-M01-01", text, "Mario")), ErrorCode::Invalid);
            EXPECT_ERROR(operators.create(operatorNamed(2, text, "P-M01-01"), "h"), ErrorCode::Invalid);
            EXPECT_ERROR(citizens.search({text, Scope::city()}, {{}, 10}), ErrorCode::Invalid);
            EXPECT_ERROR(db().execute("SELECT $1", {text}), ErrorCode::Invalid);
            EXPECT_ERROR(citizens.byId(text), ErrorCode::Invalid);
        }
        // A cursor is hex: a tampered one that decodes to invalid text is refused too.
        EXPECT_ERROR(operators.list(Scope::city(), {"ff", 10}), ErrorCode::Invalid);
        QCOMPARE(countRows(db(), "citizens"), std::int64_t{0});
        QCOMPARE(countRows(db(), "operators"), std::int64_t{0});
        // Valid text in every script stays exactly as written.
        const std::string scripts = "Nguyễn Văn — محمد — 张伟 — Ōtsuka 🙂";
        EXPECT_OK(citizens.create(citizen(3, "P-M01-01", scripts, scripts)));
        QCOMPARE(valueOf(citizens.byId(idFor(3))).family_name(), scripts);
    }

    void transactionsRollBack_data() { addStoreRows(); }
    void transactionsRollBack()
    {
        // The body fails after writing: nothing stays.
        Status failed = db().transaction([&](SqlExecutor &tx) -> Status {
            SIGESS_TRY(CitizenRepository(tx).create(citizen(1, "P-M01-01", "Rossi", "Mario")));
            SIGESS_TRY(IntakeRepository(tx).create([] {
                v1::Intake i;
                *i.mutable_meta() = meta(idFor(2), "P-M01-01");
                return i;
            }()));
            return makeError(ErrorCode::Invalid, "the caller changed its mind");
        });
        EXPECT_ERROR(failed, ErrorCode::Invalid);
        QCOMPARE(countRows(db(), "citizens"), std::int64_t{0});
        QCOMPARE(countRows(db(), "intakes"), std::int64_t{0});

        // A constraint violation half-way: the first write is undone too.
        EXPECT_OK(CitizenRepository(db()).create(citizen(5, "P-M01-01", "Verdi", "Ada", "VRDDAA80A41H501X")));
        Status conflicted = db().transaction([&](SqlExecutor &tx) -> Status {
            SIGESS_TRY(CitizenRepository(tx).create(citizen(6, "P-M01-01", "Neri", "Ugo")));
            return CitizenRepository(tx).create(citizen(7, "P-M01-01", "Gialli", "Eva", "VRDDAA80A41H501X"));
        });
        EXPECT_ERROR(conflicted, ErrorCode::Conflict);
        QCOMPARE(countRows(db(), "citizens"), std::int64_t{1});

        // A nested failure rolls back to its savepoint and the outer work commits.
        EXPECT_OK(db().transaction([&](SqlExecutor &tx) -> Status {
            SIGESS_TRY(CitizenRepository(tx).create(citizen(8, "P-M01-01", "Blu", "Ivo")));
            Status inner = tx.transaction([&](SqlExecutor &nested) -> Status {
                SIGESS_TRY(CitizenRepository(nested).create(citizen(9, "P-M01-01", "Rosa", "Lia")));
                return CitizenRepository(nested).create(citizen(8, "P-M01-01", "Dup", "Id"));
            });
            if (inner.ok() || inner.error().code != ErrorCode::Conflict)
                return makeError(ErrorCode::Internal, "the nested write should have collided");
            // The audit append's own savepoint composes inside the caller's transaction.
            return AuditRepository(tx).append(auditEvent(1, idFor(8), {})).ok()
                       ? Status()
                       : makeError(ErrorCode::Internal, "append failed");
        }));
        QCOMPARE(countRows(db(), "citizens"), std::int64_t{2});
        EXPECT_ERROR(CitizenRepository(db()).byId(idFor(9)), ErrorCode::NotFound);
        QCOMPARE(valueOf(AuditRepository(db()).head()).sequence, std::int64_t{1});

        // The store keeps serving after all of it.
        EXPECT_OK(CitizenRepository(db()).create(citizen(10, "P-M01-01", "Oro", "Teo")));
    }

    void concurrentWriters_data() { addStoreRows(); }
    void concurrentWriters()
    {
        constexpr int threadCount = 6;
        constexpr int perThread = 40;
        std::atomic<int> failures = 0;
        std::vector<std::thread> threads;
        for (int t = 0; t < threadCount; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < perThread; ++i) {
                    const int n = t * perThread + i;
                    // Half as single statements, half as transactions with a read inside.
                    Status written = i % 2 == 0
                                         ? CitizenRepository(db()).create(citizen(n, "P-M01-01", "Writer", std::to_string(n)))
                                         : db().transaction([&](SqlExecutor &tx) -> Status {
                                               SIGESS_TRY(CitizenRepository(tx).create(
                                                   citizen(n, "P-M01-01", "Writer", std::to_string(n))));
                                               Result<v1::Citizen> back = CitizenRepository(tx).byId(idFor(n));
                                               return back.ok() ? Status() : back.takeError();
                                           });
                    Result<Page<v1::Citizen>> read = CitizenRepository(db()).search({"writer", Scope::city()}, {{}, 5});
                    if (!written.ok() || !read.ok())
                        ++failures;
                }
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(countRows(db(), "citizens"), std::int64_t{threadCount * perThread});
    }

    void transactionsRetryAfterADeadlock_data() { addStoreRows(); }
    void transactionsRetryAfterADeadlock()
    {
        EXPECT_OK(db().execute("CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)", {}));
        EXPECT_OK(db().execute("INSERT INTO counters (name, value) VALUES ('a', 0), ('b', 0)", {}));
        // Each transaction takes one row, waits for the other to take the other row, then
        // wants it: PostgreSQL breaks the deadlock by failing one, which must be rerun
        // and then succeed. The rerun waits for the other to commit, since on a busy
        // machine it could otherwise take its first row again before the other, woken,
        // takes it, and deadlock a second time. The embedded store serializes writers,
        // so there the second never gets in while the first waits, and the waits are
        // skipped.
        const bool postgres = db().dialect() == Dialect::Postgres;
        std::mutex mutex;
        std::condition_variable changed;
        int holding = 0;
        int finished = 0;
        std::atomic<int> attempts = 0;
        const auto crossUpdate = [&](const char *first, const char *second) {
            const Status done = db().transaction([&](SqlExecutor &tx) -> Status {
                const bool firstAttempt = attempts++ < 2;
                if (postgres && !firstAttempt) {
                    std::unique_lock lock(mutex);
                    changed.wait(lock, [&] { return finished == 1; });
                }
                SIGESS_TRY(tx.execute("UPDATE counters SET value = value + 1 WHERE name = $1", {first}));
                if (postgres && firstAttempt) {
                    std::unique_lock lock(mutex);
                    ++holding;
                    changed.notify_all();
                    changed.wait(lock, [&] { return holding == 2; });
                }
                Result<std::int64_t> updated = tx.execute("UPDATE counters SET value = value + 1 WHERE name = $1", {second});
                return updated.ok() ? Status() : updated.takeError();
            });
            const std::lock_guard lock(mutex);
            ++finished;
            changed.notify_all();
            return done;
        };
        Status one;
        Status two;
        std::thread a([&] { one = crossUpdate("a", "b"); });
        std::thread b([&] { two = crossUpdate("b", "a"); });
        a.join();
        b.join();
        EXPECT_OK(one);
        EXPECT_OK(two);
        QCOMPARE(attempts.load(), postgres ? 3 : 2);
        std::vector<std::int64_t> values;
        EXPECT_OK(db().query("SELECT value FROM counters ORDER BY name", {}, [&](const SqlRow &row) -> Status {
            values.push_back(row.int64(0));
            return {};
        }));
        QCOMPARE(values, (std::vector<std::int64_t>{2, 2}));
    }

    void storeThatCannotOpen_data() { addStoreRows(); }
    void storeThatCannotOpen()
    {
        if (m_store->embedded()) {
            // A wrong key is Unauthorized, and leaves the store to its right key.
            EXPECT_OK(CitizenRepository(db()).create(citizen(1, "P-M01-01", "Rossi", "Mario")));
            m_store->close();
            EXPECT_ERROR(openEmbeddedDatabase(*m_store->embedded(), store::RawKey::random()), ErrorCode::Unauthorized);
            std::unique_ptr<SqlDatabase> reopened = valueOf(openEmbeddedDatabase(*m_store->embedded(), m_store->key()));
            QCOMPARE(valueOf(CitizenRepository(*reopened).byId(idFor(1))).family_name(), std::string("Rossi"));
        } else {
            // Nothing listens on a port just freed: Unavailable, with libpq's words.
            PostgresStoreConfig down{"host=127.0.0.1 port=" + std::to_string(sigess::testing::freeLoopbackPort())
                                         + " user=postgres dbname=postgres",
                                     2, 2};
            Result<std::unique_ptr<SqlDatabase>> opened = openPostgresDatabase(down);
            EXPECT_ERROR(opened, ErrorCode::Unavailable);
            QVERIFY2(opened.error().message.find("127.0.0.1") != std::string::npos, opened.error().message.c_str());
            EXPECT_ERROR(openStorage(StorageConfig(down)), ErrorCode::Unavailable);
        }
    }

    void postgresReconnectsAfterALostConnection()
    {
        PostgresStoreConfig config{valueOf(m_postgres.connectionString()), 1, 5};
        std::unique_ptr<SqlDatabase> database = valueOf(openPostgresDatabase(config));
        std::int64_t pid = 0;
        EXPECT_OK(database->query("SELECT pg_backend_pid()", {}, [&](const SqlRow &row) -> Status {
            pid = row.int64(0);
            return {};
        }));
        EXPECT_OK(m_postgres.terminateBackend(pid));
        // A transaction finds its pooled connection dead at BEGIN and runs on a new one.
        std::int64_t newPid = 0;
        EXPECT_OK(database->transaction([&](SqlExecutor &tx) {
            return tx.query("SELECT pg_backend_pid()", {}, [&](const SqlRow &row) -> Status {
                newPid = row.int64(0);
                return {};
            });
        }));
        QVERIFY(newPid != 0 && newPid != pid);
        // A lost connection in the middle of a plain statement is Unavailable, once.
        EXPECT_OK(m_postgres.terminateBackend(newPid));
        EXPECT_ERROR(database->execute("SELECT 1", {}), ErrorCode::Unavailable);
        EXPECT_OK(database->execute("SELECT 1", {}));
    }

    void embeddedKeyFiles()
    {
        QTemporaryDir dir;
        EmbeddedStoreConfig raw = TestStore::embeddedConfig(dir.path());
        EXPECT_ERROR(loadKey(raw), ErrorCode::NotFound);
        EXPECT_OK(createKeyFile(raw, KeyFileFormat::RawHex));
        EXPECT_ERROR(createKeyFile(raw, KeyFileFormat::RawHex), ErrorCode::Conflict);
        std::unique_ptr<SqlDatabase> opened = valueOf(openStorage(StorageConfig(raw)));
        EXPECT_OK(CitizenRepository(*opened).create(citizen(1, "P-M01-01", "Rossi", "Mario")));
        opened.reset();
        opened = valueOf(openStorage(StorageConfig(raw)));
        QCOMPARE(valueOf(CitizenRepository(*opened).byId(idFor(1))).given_name(), std::string("Mario"));
        opened.reset();

        // The wrapped form opens only with its device secret.
        EmbeddedStoreConfig wrapped = raw;
        wrapped.path = QDir(dir.path()).filePath("wrapped.db").toStdString();
        wrapped.keyFile = QDir(dir.path()).filePath("wrapped.key").toStdString();
        EXPECT_OK(createKeyFile(wrapped, KeyFileFormat::Wrapped, store::Argon2Cost::cheapestForTests()));
        EXPECT_OK(openStorage(StorageConfig(wrapped)));
        EmbeddedStoreConfig otherDevice = wrapped;
        otherDevice.deviceSecretFile = QDir(dir.path()).filePath("other.secret").toStdString();
        EXPECT_ERROR(loadKey(otherDevice), ErrorCode::Unauthorized);
        EmbeddedStoreConfig noSecret = wrapped;
        noSecret.deviceSecretFile.clear();
        EXPECT_ERROR(loadKey(noSecret), ErrorCode::Invalid);

        QFile garbage(QDir(dir.path()).filePath("garbage.key"));
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write("not a key\n");
        garbage.close();
        EmbeddedStoreConfig corrupt = raw;
        corrupt.keyFile = garbage.fileName().toStdString();
        EXPECT_ERROR(loadKey(corrupt), ErrorCode::Corrupt);
    }
};

QTEST_GUILESS_MAIN(TestStorage)
#include "tst_storage.moc"
