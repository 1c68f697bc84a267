#include "storage/citizen_repository.h"

#include "storage/parameter_check.h"
#include "storage/repository_support.h"

namespace sigess::storage {

namespace {

// Lower-cased (ASCII letters; other letters are kept as written), runs of white space
// made one space, no space at either end.
std::string searchForm(std::string_view text)
{
    std::string out;
    bool pendingSpace = false;
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace)
            out += ' ';
        pendingSpace = false;
        out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

std::string upperCase(std::string_view text)
{
    std::string out(text);
    for (char &c : out)
        c = c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    return out;
}

bool isAsciiAlphanumeric(std::string_view text)
{
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return false;
    }
    return !text.empty();
}

// Every key that starts with prefix lies in [prefix, prefix + 0xFF): no UTF-8 text
// holds the byte 0xFF.
std::string prefixEnd(std::string prefix)
{
    return prefix + '\xFF';
}

Result<std::vector<Column>> columnsOf(const v1::Citizen &citizen)
{
    const std::string what = "citizen '" + citizen.meta().id() + "'";
    SIGESS_TRY(require(!citizen.meta().id().empty(), what, "an id"));
    SIGESS_TRY(require(!citizen.meta().presidio().empty(), what, "a presidio"));
    Result<SqlBytes> data = serialized(citizen);
    if (!data.ok())
        return data.takeError();
    const std::string family = searchForm(citizen.family_name());
    const std::string given = searchForm(citizen.given_name());
    return std::vector<Column>{
        {"presidio", citizen.meta().presidio()},
        {"codice_fiscale",
         citizen.codice_fiscale().empty() ? SqlValue() : SqlValue(upperCase(citizen.codice_fiscale()))},
        {"name_key", SqlBytes{family + ' ' + given}},
        {"alt_name_key", SqlBytes{given + ' ' + family}},
        {"data", std::move(data).value()},
    };
}

} // namespace

Status CitizenRepository::create(const v1::Citizen &citizen)
{
    Result<std::vector<Column>> columns = columnsOf(citizen);
    if (!columns.ok())
        return columns.takeError();
    columns->push_back({"id", citizen.meta().id()});
    return insertRow(m_sql, "citizens", *columns, "citizen '" + citizen.meta().id() + "'");
}

Status CitizenRepository::update(const v1::Citizen &citizen)
{
    Result<std::vector<Column>> columns = columnsOf(citizen);
    if (!columns.ok())
        return columns.takeError();
    return updateRow(m_sql, "citizens", {"id", citizen.meta().id()}, *columns,
                     "citizen '" + citizen.meta().id() + "'");
}

Status CitizenRepository::storeAll(std::span<const v1::Citizen *const> citizens, OnKeyConflict onConflict)
{
    return storeRecords(m_sql, "citizens", citizens, onConflict, columnsOf, std::to_string(citizens.size()) + " citizens");
}

Result<v1::Citizen> CitizenRepository::byId(std::string_view id)
{
    return readMessage<v1::Citizen>(m_sql, "SELECT data FROM citizens WHERE id = $1", {id},
                                    "no citizen '" + std::string(id) + "'");
}

Result<v1::Citizen> CitizenRepository::byCodiceFiscale(std::string_view codiceFiscale)
{
    return readMessage<v1::Citizen>(m_sql, "SELECT data FROM citizens WHERE codice_fiscale = $1",
                                    {upperCase(codiceFiscale)}, "no citizen with this codice fiscale");
}

Result<Page<v1::Citizen>> CitizenRepository::search(const CitizenSearch &search, const PageRequest &page)
{
    if (search.text.size() > CitizenSearch::maxTextBytes)
        return makeError(ErrorCode::Invalid, "a search text holds at most "
                                                  + std::to_string(CitizenSearch::maxTextBytes) + " bytes");
    if (!isValidUtf8(search.text) || search.text.find('\0') != std::string::npos)
        return makeError(ErrorCode::Invalid, "the search text is not valid UTF-8 or holds a NUL character");
    Result<std::string> limit = limitClause(page);
    if (!limit.ok())
        return limit.takeError();

    Result<std::vector<std::string>> after = std::vector<std::string>();
    if (!page.cursor.empty()) {
        after = decodeCursor(page.cursor, 2);
        if (!after.ok())
            return after.takeError();
    }
    // The rows of the scope after the cursor, in page order, whose `column` lies in
    // [from, to): one index range of a (presidio, column, name_key, id) index.
    const auto rangeOf = [&](SqlBuilder &query, std::string_view column, const SqlValue &from, const SqlValue &to) {
        query.append(" FROM citizens WHERE 1 = 1");
        query.andInScope("presidio", search.scope);
        if (!column.empty()) {
            query.append(" AND ").append(column).append(" >= ").append(query.bind(from));
            query.append(" AND ").append(column).append(" < ").append(query.bind(to));
        }
        if (!after->empty())
            query.append(" AND (name_key, id) > (" + query.bind(SqlBytes{(*after)[0]}) + ", "
                         + query.bind((*after)[1]) + ")");
    };

    const std::string text = searchForm(search.text);
    SqlBuilder query("SELECT data, name_key, id");
    if (text.empty()) {
        rangeOf(query, {}, {}, {});
    } else {
        // One OR over three keys would walk the whole scope in name order, reading every
        // row to test the other two keys; instead each key gets its own index range, cut
        // to one page in page order, and only the page's rows are read whole.
        query.append(" FROM citizens WHERE id IN (SELECT id FROM (");
        const auto branch = [&](std::string_view name, std::string_view column, const SqlValue &from,
                                const SqlValue &to) {
            query.append("SELECT id, name_key FROM (SELECT id, name_key");
            rangeOf(query, column, from, to);
            query.append(" ORDER BY name_key, id").append(*limit).append(") AS ").append(name);
        };
        const SqlValue from = SqlBytes{text};
        const SqlValue to = SqlBytes{prefixEnd(text)};
        branch("by_name", "name_key", from, to);
        query.append(" UNION ");
        branch("by_alt_name", "alt_name_key", from, to);
        if (isAsciiAlphanumeric(text)) {
            // Codici fiscali are upper-case letters and digits, all below '~'.
            const std::string code = upperCase(text);
            query.append(" UNION ");
            branch("by_codice_fiscale", "codice_fiscale", code, code + '~');
        }
        // UNION, not UNION ALL: a citizen found by two keys must take one place in the
        // page, not two. The page is cut before any row is read whole.
        query.append(") AS matches ORDER BY name_key, id").append(*limit).append(")");
    }
    query.append(" ORDER BY name_key, id").append(*limit);
    return readPage<v1::Citizen>(
        m_sql, query, page, [](const SqlRow &row, v1::Citizen &item) { return parseStored(row.bytes(0), item); },
        [](const SqlRow &row) { return encodeCursor({row.bytes(1), row.text(2)}); });
}

} // namespace sigess::storage
