#include "store/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

namespace sigess::store {

namespace {

Error systemError(const std::string &what, int error)
{
    const ErrorCode code = error == ENOENT ? ErrorCode::NotFound
                           : error == EEXIST ? ErrorCode::Conflict
                                             : ErrorCode::Unavailable;
    return makeError(code, what + ": " + std::strerror(error));
}

Status writeAll(int fd, std::string_view bytes, const std::string &path)
{
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return systemError("cannot write " + path, errno);
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    if (::fsync(fd) != 0)
        return systemError("cannot sync " + path, errno);
    return {};
}

Status syncDirectoryOf(const std::string &path)
{
    std::string directory = std::filesystem::path(path).parent_path().string();
    if (directory.empty())
        directory = ".";
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return systemError("cannot open directory " + directory, errno);
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0)
        return systemError("cannot sync directory " + directory, error);
    return {};
}

} // namespace

Status writeFileAtomically(const std::string &path, std::string_view bytes, WriteMode mode)
{
    const std::string temporary = path + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return systemError("cannot create " + temporary, errno);
    Status written = writeAll(fd, bytes, temporary);
    ::close(fd);
    if (written.ok()) {
        // link() fails when the target exists, which rename() would silently replace.
        const int rc = mode == WriteMode::Replace ? ::rename(temporary.c_str(), path.c_str())
                                                  : ::link(temporary.c_str(), path.c_str());
        if (rc != 0)
            written = systemError("cannot put " + path + " in place", errno);
    }
    if (mode == WriteMode::CreateNew || !written.ok())
        ::unlink(temporary.c_str());
    SIGESS_TRY(written);
    return syncDirectoryOf(path);
}

Result<std::string> readSmallFile(const std::string &path, std::size_t maxBytes)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return systemError("cannot open " + path, errno);
    std::string bytes(maxBytes + 1, '\0');
    std::size_t total = 0;
    while (total < bytes.size()) {
        const ssize_t got = ::read(fd, bytes.data() + total, bytes.size() - total);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            const int error = errno;
            ::close(fd);
            return systemError("cannot read " + path, error);
        }
        if (got == 0)
            break;
        total += static_cast<std::size_t>(got);
    }
    ::close(fd);
    if (total > maxBytes)
        return makeError(ErrorCode::Corrupt, path + " is larger than " + std::to_string(maxBytes) + " bytes");
    bytes.resize(total);
    return bytes;
}

} // namespace sigess::store
