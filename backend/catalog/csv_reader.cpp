#include "catalog/csv_reader.h"

#include <fstream>
#include <sstream>

namespace sigess::catalog {

namespace {

bool isSkipped(const CsvRecord &record)
{
    if (record.fields.empty())
        return true;
    if (record.fields.size() == 1 && record.fields.front().empty())
        return true;
    return record.fields.front().starts_with('#');
}

} // namespace

std::variant<CsvFile, CsvError> parseCsv(std::string_view text, std::string path)
{
    static constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
    if (text.starts_with(kByteOrderMark))
        text.remove_prefix(kByteOrderMark.size());

    CsvFile file;
    file.path = std::move(path);
    std::vector<CsvRecord> records;
    CsvRecord record { 1, {} };
    std::string field;
    std::size_t line = 1;
    std::size_t i = 0;

    auto endRecord = [&] {
        record.fields.push_back(std::move(field));
        field.clear();
        records.push_back(std::move(record));
        record = CsvRecord { line, {} };
    };

    while (i < text.size()) {
        const char c = text[i];
        if (c == '"' && field.empty()) {
            const std::size_t quoteLine = line;
            ++i;
            bool closed = false;
            while (i < text.size()) {
                if (text[i] == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    closed = true;
                    break;
                }
                if (text[i] == '\n')
                    ++line;
                field += text[i++];
            }
            if (!closed)
                return CsvError { quoteLine, "a quoted field is never closed" };
            if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                return CsvError { line, "text follows a closing quote" };
            continue;
        }
        if (c == ',') {
            record.fields.push_back(std::move(field));
            field.clear();
            ++i;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            ++i;
        } else if (c == '\n') {
            ++line;
            endRecord();
            ++i;
        } else {
            field += c;
            ++i;
        }
    }
    if (!field.empty() || !record.fields.empty())
        endRecord();

    for (auto &candidate : records) {
        if (isSkipped(candidate))
            continue;
        if (file.header.empty() && file.headerLine == 0) {
            file.header = std::move(candidate.fields);
            file.headerLine = candidate.line;
        } else {
            file.records.push_back(std::move(candidate));
        }
    }
    return file;
}

std::variant<CsvFile, CsvError> readCsvFile(const std::filesystem::path &file, std::string path)
{
    std::ifstream stream(file, std::ios::binary);
    if (!stream)
        return CsvError { 0, "the file cannot be read" };
    std::ostringstream text;
    text << stream.rdbuf();
    return parseCsv(text.str(), std::move(path));
}

} // namespace sigess::catalog
