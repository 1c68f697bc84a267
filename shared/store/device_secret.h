// The device-bound half of the key that wraps a store's database key. The interface
// is the seam where a TPM-sealed secret plugs in; FileDeviceSecret is the fallback for
// devices without one: 32 random bytes in a file that only its owner (root on a
// deployed device) may read, created on first use.
// Thread safety: FileDeviceSecret holds no state beyond its path; concurrent first
// uses create the file exactly once.
#pragma once

#include "core/result.h"
#include "store/raw_key.h"

#include <string>

namespace sigess::store {

// A 256-bit secret, wiped from memory like a database key.
using DeviceSecret = RawKey;

class DeviceSecretSource {
public:
    virtual ~DeviceSecretSource() = default;
    virtual Result<DeviceSecret> secret() = 0;
};

class FileDeviceSecret final : public DeviceSecretSource {
public:
    explicit FileDeviceSecret(std::string path);

    // Creates the file (mode 0600) if absent. Refuses (ErrorCode::Forbidden) a file
    // that its group or others may access, or that belongs to another user: such a
    // secret may already be copied and no longer binds the store to this device.
    Result<DeviceSecret> secret() override;

private:
    std::string m_path;
};

} // namespace sigess::store
