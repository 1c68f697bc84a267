// What an enrolled device says Hello with, as SyncWorld hands it out and the device
// side of the sync tests (device_support.h, the kill -9 child) uses it.
// Thread safety: a plain value.
#pragma once

#include "sigess/v1/sync.pb.h"

#include <string>

namespace sigess::test {

struct DeviceCredentials {
    std::string id;
    std::string credential;
    std::string session;  // tablets: the signed-in operator's session token

    v1::Hello hello() const
    {
        v1::Hello hello;
        hello.set_device_id(id);
        hello.set_device_credential(credential);
        hello.set_operator_session(session);
        hello.set_protocol_version(1);
        return hello;
    }
};

} // namespace sigess::test
