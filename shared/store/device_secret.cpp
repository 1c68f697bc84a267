#include "store/device_secret.h"

#include "store/atomic_file.h"

#include <sodium.h>

#include <cstdio>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace sigess::store {

namespace {

std::string octalMode(mode_t mode)
{
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

} // namespace

FileDeviceSecret::FileDeviceSecret(std::string path) : m_path(std::move(path)) {}

Result<DeviceSecret> FileDeviceSecret::secret()
{
    struct stat info {};
    if (::lstat(m_path.c_str(), &info) != 0) {
        const DeviceSecret fresh = DeviceSecret::random();
        const std::string_view bytes(reinterpret_cast<const char *>(fresh.data()), DeviceSecret::size);
        Status created = writeFileAtomically(m_path, bytes, WriteMode::CreateNew);
        // Another process may have created it first; its secret is then the one to use.
        if (!created.ok() && created.error().code != ErrorCode::Conflict)
            return makeError(created.error().code, "cannot create the device secret: " + created.error().message);
        if (::lstat(m_path.c_str(), &info) != 0)
            return makeError(ErrorCode::Unavailable, "cannot read the device secret " + m_path + ": "
                                                         + std::strerror(errno));
    }
    if (!S_ISREG(info.st_mode))
        return makeError(ErrorCode::Forbidden, "the device secret " + m_path + " is not a regular file");
    if ((info.st_mode & 077) != 0)
        return makeError(ErrorCode::Forbidden, "the device secret " + m_path + " may be read by others (mode "
                                                   + octalMode(info.st_mode) + "); it must be 0600");
    if (info.st_uid != ::geteuid())
        return makeError(ErrorCode::Forbidden, "the device secret " + m_path + " belongs to another user");
    Result<std::string> bytes = readSmallFile(m_path, DeviceSecret::size);
    if (!bytes.ok())
        return makeError(bytes.error().code, "cannot read the device secret: " + bytes.error().message);
    if (bytes->size() != DeviceSecret::size) {
        sodium_memzero(bytes->data(), bytes->size());
        return makeError(ErrorCode::Corrupt, "the device secret " + m_path + " holds "
                                                 + std::to_string(bytes->size()) + " bytes instead of 32");
    }
    DeviceSecret secret;
    std::memcpy(secret.data(), bytes->data(), DeviceSecret::size);
    sodium_memzero(bytes->data(), bytes->size());
    return secret;
}

} // namespace sigess::store
