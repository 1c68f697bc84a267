// sigessctl store verify FILE: tells a plaintext SQLite file from an encrypted one by
// its first 16 bytes, then, given the raw key (SIGESS_STORE_KEY, else a line of 64 hex
// digits on stdin), opens the store and reports its schema version and the HMAC check
// of every page. Exit 0 only for an encrypted store that opens and is intact; 1 for a
// store that fails a check; 2 for a usage error.
#include "ctl/command.h"

#include "store/database.h"
#include "store/migrations.h"
#include "store/raw_key.h"

#include <cstdlib>
#include <fstream>
#include <istream>
#include <ostream>
#include <string>

namespace sigess::ctl {

namespace {

constexpr std::string_view sqliteHeader{"SQLite format 3\0", 16};

int usage(std::ostream &err)
{
    err << "usage: sigessctl store verify FILE\n"
           "  the raw key (64 hex digits) comes from SIGESS_STORE_KEY or, if unset, from stdin\n";
    return 2;
}

Result<store::RawKey> readKey(std::istream &in)
{
    if (const char *fromEnvironment = std::getenv("SIGESS_STORE_KEY"))
        return store::RawKey::fromHex(fromEnvironment);
    std::string line;
    std::getline(in, line);
    if (line.empty())
        return makeError(ErrorCode::Invalid, "no key given: set SIGESS_STORE_KEY or write the key on stdin");
    return store::RawKey::fromHex(line);
}

int verify(const std::string &path, CommandIo io)
{
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        io.err << path << ": no such file or not readable\n";
        return 1;
    }
    std::string header(sqliteHeader.size(), '\0');
    file.read(header.data(), static_cast<std::streamsize>(header.size()));
    if (file.gcount() == 0) {
        io.err << path << ": the file is empty\n";
        return 1;
    }
    if (header == sqliteHeader) {
        io.out << path << ": PLAINTEXT SQLite file (header \"SQLite format 3\"): not encrypted\n";
        return 1;
    }
    io.out << path << ": looks encrypted (no SQLite header)\n";

    Result<store::RawKey> key = readKey(io.in);
    if (!key.ok()) {
        io.err << "sigessctl store verify: " << key.error().message << '\n';
        return 2;
    }
    Result<store::Database> database = store::Database::open(path, *key, store::OpenMode::OpenExisting);
    if (!database.ok()) {
        if (database.error().code == ErrorCode::Unauthorized)
            io.err << path << ": wrong key: the key does not open this store\n";
        else
            io.err << path << ": " << database.error().message << '\n';
        return 1;
    }
    io.out << path << ": opened with the key\n";
    Result<int> version = store::schemaVersion(*database);
    if (!version.ok()) {
        io.err << path << ": " << version.error().message << '\n';
        return 1;
    }
    io.out << "schema version: " << *version << '\n';
    Result<std::string> problems = database->cipherIntegrityCheck();
    if (!problems.ok()) {
        io.err << path << ": " << problems.error().message << '\n';
        return 1;
    }
    if (!problems->empty()) {
        io.out << "cipher_integrity_check: FAILED\n" << *problems << '\n';
        return 1;
    }
    io.out << "cipher_integrity_check: ok\n";
    return 0;
}

} // namespace

int runStore(const Args &args, CommandIo io)
{
    if (args.size() != 2 || args[0] != "verify")
        return usage(io.err);
    return verify(args[1], io);
}

} // namespace sigess::ctl
