// storage/bulk_sql against both stores: multi-row inserts and key lists of any size
// (PostgreSQL sends each column as one array, the embedded store chunks of VALUES), with
// hostile text and bytes, NULLs, replacing rows by key, a taken key, and a column whose
// values mix kinds. Each test runs once per store on a fresh, empty store.
#include "storage/bulk_sql.h"
#include "backend/storage/store_fixture.h"
#include "support/result_checks.h"

#include <QtTest>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace sigess;
using namespace sigess::storage;
using sigess::test::currentStoreKind;
using sigess::test::StoreKind;
using sigess::test::TestStore;

namespace {

constexpr std::array<std::string_view, 4> columnNames{"id", "number", "label", "blob"};

struct Row {
    std::optional<std::int64_t> number;
    std::optional<std::string> label;
    std::optional<std::string> blob;

    bool operator==(const Row &) const = default;
};

// Text and bytes that an array literal or a statement must not mistake for syntax.
const std::vector<std::string> hostileTexts = {
    "plain", "", "a\"quote", "back\\slash", "\\\"both\"\\", "{braces},and,commas", "NULL", "null",
    " leading and trailing ", "città — 東京 — مرحبا", "tab\tnewline\nend", "'single'", "$1::text[]",
};

std::string hostileBytes(std::size_t n)
{
    std::string bytes;
    for (std::size_t i = 0; i < n % 7 + 1; ++i)
        bytes += static_cast<char>((n * 37 + i * 101) % 256);
    bytes += std::string("\0\\\"{},\xff", 7);
    return bytes;
}

Row rowFor(std::size_t n)
{
    Row row;
    if (n % 5 != 3)
        row.number = static_cast<std::int64_t>(n) * 1'000'000'007 - 9'000'000'000'000'000'000;
    if (n % 4 != 1)
        row.label = hostileTexts[n % hostileTexts.size()] + std::to_string(n);
    if (n % 6 != 2)
        row.blob = hostileBytes(n);
    return row;
}

std::string keyFor(std::size_t n)
{
    return "key \"" + std::to_string(n) + "\\";
}

// The first `count` rows, by key.
std::map<std::string, Row> firstRows(int count)
{
    std::map<std::string, Row> rows;
    for (std::size_t n = 0; n < static_cast<std::size_t>(count); ++n)
        rows[keyFor(n)] = rowFor(n);
    return rows;
}

std::vector<SqlValue> valuesOf(const std::map<std::string, Row> &rows)
{
    std::vector<SqlValue> values;
    for (const auto &[key, row] : rows) {
        values.emplace_back(key);
        values.push_back(row.number ? SqlValue(*row.number) : SqlValue());
        values.push_back(row.label ? SqlValue(*row.label) : SqlValue());
        values.push_back(row.blob ? SqlValue(SqlBytes{*row.blob}) : SqlValue());
    }
    return values;
}

} // namespace

class TestBulkSql : public QObject {
    Q_OBJECT

private:
    sigess::test::TestPostgresServer m_postgres;
    std::unique_ptr<TestStore> m_store;

    SqlDatabase &db() { return m_store->database(); }

    // Fails the test unless the table holds exactly `expected`.
    void expectStored(const std::map<std::string, Row> &expected)
    {
        std::map<std::string, Row> rows;
        EXPECT_OK(db().query("SELECT id, number, label, blob FROM bulk_rows", {}, [&](const SqlRow &sqlRow) -> Status {
            Row &row = rows[std::string(sqlRow.text(0))];
            if (!sqlRow.isNull(1))
                row.number = sqlRow.int64(1);
            if (!sqlRow.isNull(2))
                row.label = std::string(sqlRow.text(2));
            if (!sqlRow.isNull(3))
                row.blob = sqlRow.bytes(3);
            return {};
        }));
        QCOMPARE(rows.size(), expected.size());
        QVERIFY(rows == expected);
    }

    static void addRows()
    {
        QTest::addColumn<int>("rows");
        for (const char *store : {"embedded", "postgres"}) {
            for (const int rows : {1, 2, 64, 65, 300}) {
                const QByteArray tag = QByteArray(store) + "/" + QByteArray::number(rows);
                QTest::newRow(tag.constData()) << rows;
            }
        }
    }

private Q_SLOTS:
    void init()
    {
        Result<std::unique_ptr<TestStore>> opened = TestStore::open(currentStoreKind(), m_postgres);
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().describe().c_str());
        m_store = std::move(opened).value();
        const std::string bytes = db().dialect() == Dialect::Postgres ? "BYTEA" : "BLOB";
        EXPECT_OK(db().execute("CREATE TABLE bulk_rows (id TEXT PRIMARY KEY, number BIGINT, label TEXT UNIQUE, blob "
                                   + bytes + ")",
                               {}));
    }

    void cleanup() { m_store.reset(); }

    void insertsEveryRowAsGiven_data() { addRows(); }
    void insertsEveryRowAsGiven()
    {
        QFETCH(int, rows);
        std::map<std::string, Row> expected = firstRows(rows);
        EXPECT_OK(insertRows(db(), "bulk_rows", columnNames, OnKeyConflict::Fail, valuesOf(expected)));
        expectStored(expected);
    }

    // appendRows (COPY on PostgreSQL) stores hostile text and bytes, NULLs and large
    // numbers as given; a taken key refuses the whole append, text that is not UTF-8 is
    // refused before anything runs.
    void appendsEveryRowAsGiven_data() { addRows(); }
    void appendsEveryRowAsGiven()
    {
        QFETCH(int, rows);
        const std::map<std::string, Row> expected = firstRows(rows);
        EXPECT_OK(appendRows(db(), "bulk_rows", columnNames, valuesOf(expected)));
        expectStored(expected);
        const std::map<std::string, Row> taken{{keyFor(0), rowFor(1000)}, {keyFor(5000), rowFor(5000)}};
        EXPECT_ERROR(db().transaction([&](SqlExecutor &transaction) {
            return appendRows(transaction, "bulk_rows", columnNames, valuesOf(taken));
        }),
                     ErrorCode::Conflict);
        const std::string invalidUtf8("\xc3\x28", 2);
        EXPECT_ERROR(appendRows(db(), "bulk_rows", columnNames,
                                {SqlValue("fresh"), SqlValue(), SqlValue("fine"), SqlValue(), SqlValue("other"),
                                 SqlValue(), SqlValue(invalidUtf8), SqlValue()}),
                     ErrorCode::Invalid);
        expectStored(expected);
    }

    void replacesRowsByKey_data() { addRows(); }
    void replacesRowsByKey()
    {
        QFETCH(int, rows);
        std::map<std::string, Row> expected = firstRows(rows);
        EXPECT_OK(insertRows(db(), "bulk_rows", columnNames, OnKeyConflict::Fail, valuesOf(expected)));
        // Every other row again with new values, and as many new rows.
        std::map<std::string, Row> second;
        for (std::size_t n = 0; n < static_cast<std::size_t>(rows); n += 2)
            second[keyFor(n)] = rowFor(n + 1000);
        for (std::size_t n = 0; n < static_cast<std::size_t>(rows); ++n)
            second[keyFor(n + 5000)] = rowFor(n + 5000);
        EXPECT_OK(insertRows(db(), "bulk_rows", columnNames, OnKeyConflict::Replace, valuesOf(second)));
        for (const auto &[key, row] : second)
            expected[key] = row;
        expectStored(expected);
    }

    void takenKeyFailsWholeStatement_data() { addRows(); }
    void takenKeyFailsWholeStatement()
    {
        QFETCH(int, rows);
        std::map<std::string, Row> first{{keyFor(7), rowFor(7)}};
        EXPECT_OK(insertRows(db(), "bulk_rows", columnNames, OnKeyConflict::Fail, valuesOf(first)));
        std::map<std::string, Row> batch;
        for (std::size_t n = 0; n < static_cast<std::size_t>(rows); ++n)
            batch[keyFor(n + 100)] = rowFor(n + 100);
        batch[keyFor(7)] = rowFor(8);
        const Status failed = db().transaction([&](SqlExecutor &transaction) {
            return insertRows(transaction, "bulk_rows", columnNames, OnKeyConflict::Fail, valuesOf(batch));
        });
        EXPECT_ERROR(failed, ErrorCode::Conflict);
        expectStored(first);
        // Replace takes the key, but not another row's unique label.
        batch.erase(keyFor(7));
        batch[keyFor(99)] = rowFor(7);
        const Status taken = db().transaction([&](SqlExecutor &transaction) {
            return insertRows(transaction, "bulk_rows", columnNames, OnKeyConflict::Replace, valuesOf(batch));
        });
        EXPECT_ERROR(taken, ErrorCode::Conflict);
        expectStored(first);
    }

    // A statement that fails after writing some of its rows (on the embedded store an
    // INSERT OR FAIL keeps them until the caller undoes them) leaves nothing behind:
    // outside a transaction the statement is undone on its own, inside one the savepoint
    // that refused it is, and the transaction goes on to commit what else it wrote.
    void aRefusedStatementLeavesNoRow_data() { sigess::test::addStoreRows(); }
    void aRefusedStatementLeavesNoRow()
    {
        const std::map<std::string, Row> first{{keyFor(7), rowFor(7)}};
        EXPECT_OK(insertRows(db(), "bulk_rows", columnNames, OnKeyConflict::Fail, valuesOf(first)));
        // Keys sort as the rows go in: the taken key is the last row of one statement of four.
        const std::map<std::string, Row> refused{
            {keyFor(4), rowFor(4)}, {keyFor(5), rowFor(5)}, {keyFor(6), rowFor(6)}, {keyFor(7), rowFor(8)}};
        EXPECT_ERROR(insertRows(db(), "bulk_rows", columnNames, OnKeyConflict::Fail, valuesOf(refused)),
                     ErrorCode::Conflict);
        expectStored(first);
        const std::map<std::string, Row> kept{{keyFor(20), rowFor(20)}, {keyFor(21), rowFor(21)}};
        EXPECT_OK(db().transaction([&](SqlExecutor &transaction) -> Status {
            SIGESS_TRY(insertRows(transaction, "bulk_rows", columnNames, OnKeyConflict::Fail, valuesOf(kept)));
            const Status failed = transaction.transaction([&](SqlExecutor &savepoint) {
                return insertRows(savepoint, "bulk_rows", columnNames, OnKeyConflict::Fail, valuesOf(refused));
            });
            if (failed.ok() || failed.error().code != ErrorCode::Conflict)
                return makeError(ErrorCode::Internal, "a taken key was not refused as a conflict");
            return {};
        }));
        std::map<std::string, Row> expected = first;
        expected.insert(kept.begin(), kept.end());
        expectStored(expected);
    }

    // Rows 0, 2, 4... of `rows`: stored, they let the look-ups find half of the keys asked.
    static std::map<std::string, Row> everyOtherRow(int rows)
    {
        std::map<std::string, Row> held;
        for (std::size_t n = 0; n < static_cast<std::size_t>(rows); n += 2)
            held[keyFor(n)] = rowFor(n);
        return held;
    }

    void queryInFindsExactlyTheKeysHeld_data() { addRows(); }
    void queryInFindsExactlyTheKeysHeld()
    {
        QFETCH(int, rows);
        const std::map<std::string, Row> held = everyOtherRow(rows);
        EXPECT_OK(insertRows(db(), "bulk_rows", columnNames, OnKeyConflict::Fail, valuesOf(held)));
        std::vector<SqlValue> keys;
        for (std::size_t n = 0; n < static_cast<std::size_t>(rows); ++n)
            keys.emplace_back(keyFor(n));
        std::map<std::string, std::optional<std::int64_t>> found;
        EXPECT_OK(queryIn(db(), "SELECT id, number FROM bulk_rows WHERE id <> $1 AND id", "", {keyFor(0)}, keys,
                          [&](const SqlRow &row) -> Status {
                              found[std::string(row.text(0))]
                                  = row.isNull(1) ? std::nullopt : std::optional<std::int64_t>(row.int64(1));
                              return {};
                          }));
        std::map<std::string, std::optional<std::int64_t>> expected;
        for (const auto &[key, row] : held) {
            if (key != keyFor(0))
                expected[key] = row.number;
        }
        QVERIFY(found == expected);
    }

    // One index search per key on PostgreSQL: the rows come in the keys' order there (a
    // FOR UPDATE locks them so), and the same rows as queryIn on both stores.
    void queryEachKeyFindsTheKeysHeldInTheirOrder_data() { addRows(); }
    void queryEachKeyFindsTheKeysHeldInTheirOrder()
    {
        QFETCH(int, rows);
        const std::map<std::string, Row> held = everyOtherRow(rows);
        EXPECT_OK(insertRows(db(), "bulk_rows", columnNames, OnKeyConflict::Fail, valuesOf(held)));
        std::vector<SqlValue> keys;
        std::vector<std::string> expected;
        for (std::size_t n = static_cast<std::size_t>(rows); n-- > 0;) {
            keys.emplace_back(keyFor(n));
            if (held.contains(keyFor(n)) && keyFor(n) != keyFor(0))
                expected.push_back(keyFor(n));
        }
        std::vector<std::string> found;
        const std::string_view lock = currentStoreKind() == StoreKind::Postgres ? "FOR UPDATE" : "";
        EXPECT_OK(db().transaction([&](SqlExecutor &transaction) {
            return queryEachKey(transaction, "SELECT id, number FROM bulk_rows WHERE id <> $1 AND id", lock, {keyFor(0)},
                                keys, [&](const SqlRow &row) -> Status {
                                    found.emplace_back(row.text(0));
                                    return {};
                                });
        }));
        // The embedded store's rows come in no particular order.
        if (currentStoreKind() == StoreKind::Embedded) {
            std::sort(found.begin(), found.end());
            std::sort(expected.begin(), expected.end());
        }
        QVERIFY(found == expected);
    }

    void emptyBatchRunsNothing_data() { sigess::test::addStoreRows(); }
    void emptyBatchRunsNothing()
    {
        EXPECT_OK(insertRows(db(), "bulk_rows", columnNames, OnKeyConflict::Fail, {}));
        bool visited = false;
        EXPECT_OK(queryIn(db(), "SELECT id FROM bulk_rows WHERE id", "", {}, {}, [&](const SqlRow &) -> Status {
            visited = true;
            return {};
        }));
        QVERIFY(!visited);
        expectStored({});
    }

    void refusesBadBatches_data() { sigess::test::addStoreRows(); }
    void refusesBadBatches()
    {
        EXPECT_ERROR(executeRows(db(), "INSERT INTO bulk_rows (id, number)", "", 2, {SqlValue("a"), 1, SqlValue("b")}),
                     ErrorCode::Internal);
        const std::string invalidUtf8("\xc3\x28", 2);
        EXPECT_ERROR(insertRows(db(), "bulk_rows", columnNames, OnKeyConflict::Fail,
                                {SqlValue("a"), SqlValue(), SqlValue(invalidUtf8), SqlValue()}),
                     ErrorCode::Invalid);
        // In a later row of a batch too, where PostgreSQL gets it inside an array.
        const std::string withNul("nul\0inside", 11);
        EXPECT_ERROR(insertRows(db(), "bulk_rows", columnNames, OnKeyConflict::Fail,
                                {SqlValue("a"), SqlValue(), SqlValue("fine"), SqlValue(), SqlValue("b"), SqlValue(),
                                 SqlValue(withNul), SqlValue()}),
                     ErrorCode::Invalid);
        expectStored({});
    }

    // Numbers of both kinds at their extremes, and a column that is NULL in every row
    // (sent as a text array, which PostgreSQL assigns to a column of any type).
    void storesNumbersAndAllNullColumns_data() { sigess::test::addStoreRows(); }
    void storesNumbersAndAllNullColumns()
    {
        const std::string real = db().dialect() == Dialect::Postgres ? "DOUBLE PRECISION" : "REAL";
        EXPECT_OK(db().execute("CREATE TABLE bulk_numbers (id BIGINT PRIMARY KEY, ratio " + real + ", missing BIGINT)", {}));
        const std::vector<double> ratios{0.5, -1e300, 2.2250738585072014e-308, 123456.789};
        const std::vector<std::int64_t> ids{INT64_MIN, -1, 0, INT64_MAX};
        std::vector<SqlValue> values;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            values.emplace_back(ids[i]);
            values.emplace_back(ratios[i]);
            values.emplace_back();
        }
        EXPECT_OK(executeRows(db(), "INSERT INTO bulk_numbers (id, ratio, missing)", "", 3, values));
        std::map<std::int64_t, double> stored;
        EXPECT_OK(db().query("SELECT id, ratio, missing FROM bulk_numbers", {}, [&](const SqlRow &row) -> Status {
            if (!row.isNull(2))
                return makeError(ErrorCode::Internal, "a NULL came back as a value");
            stored[row.int64(0)] = row.real(1);
            return {};
        }));
        QCOMPARE(stored.size(), ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i)
            QCOMPARE(stored.at(ids[i]), ratios[i]);
        // Rows with nothing but NULLs are rows all the same.
        EXPECT_OK(db().execute("CREATE TABLE bulk_nulls (note TEXT, missing BIGINT)", {}));
        Result<std::int64_t> inserted
            = executeRows(db(), "INSERT INTO bulk_nulls (note, missing)", "", 2, std::vector<SqlValue>(6));
        EXPECT_OK(inserted);
        QCOMPARE(*inserted, std::int64_t{3});
        std::int64_t nulls = 0;
        EXPECT_OK(db().query("SELECT count(*) FROM bulk_nulls WHERE note IS NULL AND missing IS NULL", {},
                             [&](const SqlRow &row) -> Status {
                                 nulls = row.int64(0);
                                 return {};
                             }));
        QCOMPARE(nulls, std::int64_t{3});
    }

    // PostgreSQL plans a write over whole columns once per connection (a generic plan,
    // which holds no copy of the arrays) and every other statement for its own values,
    // as before; a write that fails inside a savepoint leaves the connection so too.
    void columnWritesKeepOnePlan_data()
    {
        QTest::addColumn<int>("unused");
        QTest::newRow("postgres") << 0;
    }
    void columnWritesKeepOnePlan()
    {
        struct Plans {
            std::int64_t generic = 0;
            std::int64_t custom = 0;
        };
        std::map<std::string, Plans> plans;
        std::string mode;
        const std::map<std::string, Row> rows = firstRows(3);
        EXPECT_OK(db().transaction([&](SqlExecutor &transaction) -> Status {
            for (int run = 0; run < 2; ++run)
                SIGESS_TRY(insertRows(transaction, "bulk_rows", columnNames, OnKeyConflict::Replace, valuesOf(rows)));
            const Status refused = transaction.transaction([&](SqlExecutor &savepoint) {
                return insertRows(savepoint, "bulk_rows", columnNames, OnKeyConflict::Fail, valuesOf(rows));
            });
            if (refused.ok() || refused.error().code != ErrorCode::Conflict)
                return makeError(ErrorCode::Internal, "a taken key was not refused as a conflict");
            SIGESS_TRY(queryIn(transaction, "SELECT id FROM bulk_rows WHERE id", "", {}, {SqlValue(keyFor(0))},
                               [](const SqlRow &) -> Status { return {}; }));
            SIGESS_TRY(transaction.query("SELECT current_setting('plan_cache_mode')", {}, [&](const SqlRow &row) -> Status {
                mode = row.text(0);
                return {};
            }));
            return transaction.query(
                "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE $1",
                {"%bulk_rows%"}, [&](const SqlRow &row) -> Status {
                    const std::string_view statement = row.text(0);
                    const std::string kind = statement.starts_with("SELECT id") ? "lookup"
                                             : statement.find("DO UPDATE") != std::string_view::npos ? "replace"
                                                                                                     : "insert";
                    plans[kind] = Plans{row.int64(1), row.int64(2)};
                    return {};
                });
        }));
        QCOMPARE(mode, std::string("force_custom_plan"));
        QCOMPARE(plans["replace"].generic, 2);
        QCOMPARE(plans["replace"].custom, 0);
        QCOMPARE(plans["insert"].generic, 1);
        QCOMPARE(plans["insert"].custom, 0);
        QCOMPARE(plans["lookup"].generic, 0);
        QCOMPARE(plans["lookup"].custom, 1);
        expectStored(rows);
    }

    // A PostgreSQL array holds one element type; the embedded store refuses a mixed
    // column too, so that no caller comes to rely on one store's leniency.
    void refusesAColumnOfMixedKinds_data() { sigess::test::addStoreRows(); }
    void refusesAColumnOfMixedKinds()
    {
        EXPECT_ERROR(insertRows(db(), "bulk_rows", std::span(columnNames).first(2), OnKeyConflict::Fail,
                                {SqlValue("a"), SqlValue(1), SqlValue("b"), SqlValue("two")}),
                     ErrorCode::Internal);
        EXPECT_ERROR(queryIn(db(), "SELECT id FROM bulk_rows WHERE id", "", {}, {SqlValue("a"), SqlValue(1)},
                             [](const SqlRow &) -> Status { return {}; }),
                     ErrorCode::Internal);
        expectStored({});
    }
};

QTEST_GUILESS_MAIN(TestBulkSql)
#include "tst_bulk_sql.moc"
