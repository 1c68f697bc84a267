// A reader of the catalog's source CSV files (RFC 4180, UTF-8, header line first).
// Each record keeps the line it starts on, so that a rule broken by the record can be
// reported as FILE:LINE. Blank lines and records whose first field starts with '#'
// (comments) are skipped. Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sigess::catalog {

struct CsvRecord {
    std::size_t line = 0;
    std::vector<std::string> fields;
};

struct CsvFile {
    std::string path; // as shown in messages
    std::vector<std::string> header;
    std::size_t headerLine = 0;
    std::vector<CsvRecord> records;
};

// Why a file could not be read as CSV, and the line where reading stopped (0: the file
// itself could not be read). Kept apart from sigess::Error because the builder reports it
// as one of its FILE:LINE issues.
struct CsvError {
    std::size_t line = 0;
    std::string reason;
};

// Fails on a quote that is never closed or text after a closing quote.
std::variant<CsvFile, CsvError> parseCsv(std::string_view text, std::string path);

std::variant<CsvFile, CsvError> readCsvFile(const std::filesystem::path &file, std::string path);

} // namespace sigess::catalog
