// A simulated device for the sync tests: its own SQLCipher store under a random key
// in a temporary directory, a manual wall clock, its HLC and id generator, and the
// replica over them. close() and open() again act like a restart of the app.
#pragma once

#include "core/clock.h"
#include "core/hlc.h"
#include "core/uuid.h"
#include "store/database.h"
#include "store/raw_key.h"
#include "sync/replica.h"

#include <QString>
#include <QtGlobal>

#include <memory>
#include <string>

namespace sigess::sync::testing {

class TestDevice {
public:
    TestDevice(const QString &directory, std::string deviceId, std::uint64_t startMs)
        : m_path((directory + "/" + QString::fromStdString(deviceId) + ".db").toStdString())
        , m_key(store::RawKey::random())
        , m_deviceId(std::move(deviceId))
        , m_clock(startMs)
    {
    }

    // Opens (or reopens) the store and the replica; false, with a warning, on failure.
    bool open()
    {
        m_hlc = std::make_unique<core::HybridLogicalClock>(m_clock);
        m_ids = std::make_unique<core::UuidV7Generator>(m_clock);
        Result<store::Database> database
            = store::Database::open(m_path, m_key, store::OpenMode::CreateIfMissing);
        if (!database.ok()) {
            qWarning("%s", database.error().describe().c_str());
            return false;
        }
        m_database = std::make_unique<store::Database>(std::move(database).value());
        Result<Replica> replica = Replica::open(*m_database, m_deviceId, *m_hlc, *m_ids);
        if (!replica.ok()) {
            qWarning("%s", replica.error().describe().c_str());
            return false;
        }
        m_replica = std::make_unique<Replica>(std::move(replica).value());
        return true;
    }

    void close()
    {
        m_replica.reset();
        m_database.reset();
    }

    // A second connection to the same store, as another part of the app would hold.
    Result<store::Database> connect() const
    {
        return store::Database::open(m_path, m_key, store::OpenMode::OpenExisting);
    }

    Replica &replica() { return *m_replica; }
    core::ManualClock &clock() { return m_clock; }
    const std::string &id() const { return m_deviceId; }

private:
    std::string m_path;
    store::RawKey m_key;
    std::string m_deviceId;
    core::ManualClock m_clock;
    std::unique_ptr<core::HybridLogicalClock> m_hlc;
    std::unique_ptr<core::UuidV7Generator> m_ids;
    std::unique_ptr<store::Database> m_database;
    std::unique_ptr<Replica> m_replica;
};

} // namespace sigess::sync::testing
