// Fixtures of the kiosk tests: the catalog built from deploy/catalog/, a kiosk's
// configuration in a temporary folder, and an in-process sync server (a test double
// of the backend built from shared/sync's merge and server rules) behind a SyncLink.
#pragma once

#include "catalog/builder.h"
#include "core/catalog.h"
#include "kiosk_config.h"
#include "sync/merge.h"
#include "sync/server_rules.h"
#include "sync_link.h"

#include <QTemporaryDir>
#include <atomic>
#include <QtGlobal>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace sigess::kiosk::testing {

inline core::Catalog deployCatalog()
{
    catalog::BuildResult built = catalog::buildCatalog(std::filesystem::path(SIGESS_SOURCE_DIR) / "deploy" / "catalog");
    if (!built.ok())
        qFatal("deploy/catalog does not build: %s", built.errors.front().describe().c_str());
    Result<core::Catalog> loaded = core::Catalog::fromRelease(std::move(built.release));
    if (!loaded.ok())
        qFatal("%s", loaded.error().describe().c_str());
    return std::move(loaded).value();
}

// A kiosk of presidio P-M01-01 with its files in `dir`; `prefix` tells kiosks apart.
inline KioskConfig kioskConfig(const QTemporaryDir &dir, const QString &deviceId, const QString &prefix)
{
    KioskConfig config = developmentKioskConfig(deviceId);
    config.ticketPrefix = prefix;
    config.storePath = dir.filePath(prefix + QStringLiteral("-kiosk.db"));
    config.keyPath = dir.filePath(prefix + QStringLiteral("-kiosk.key"));
    config.deviceSecretPath = dir.filePath(prefix + QStringLiteral("-device-secret"));
    return config;
}

// The backend's sync endpoint without a network: it remembers applied op ids, checks
// every new operation with the server rules, merges it, and keeps a log whose positions
// are the cursors. It answers at once, on the caller's thread, unless it is offline.
class FakeSyncServer {
public:
    v1::Ack push(const v1::Push &batch)
    {
        v1::Ack ack;
        ack.set_batch_id(batch.batch_id());
        for (const v1::Operation &operation : batch.ops()) {
            if (m_applied.contains(operation.op_id())) {
                ack.add_accepted(operation.op_id());
                continue;
            }
            Result<sync::DecodedOperation> decoded = sync::decodeOperation(operation, m_rules.limits());
            if (!decoded.ok())
                qFatal("the kiosk pushed an operation that does not decode: %s", decoded.error().message.c_str());
            const auto key = std::make_pair(decoded->kind->type, decoded->entityId);
            const auto held = m_entities.find(key);
            if (auto rejection = m_rules.check(*decoded, held == m_entities.end() ? nullptr : &held->second)) {
                *ack.add_rejected() = *rejection;
                continue;
            }
            sync::EntityState &entity
                = m_entities.try_emplace(key, sync::EntityState::blank(*decoded->kind)).first->second;
            if (!sync::applyOperation(*decoded, entity).ok())
                qFatal("an operation the rules accepted does not merge");
            m_applied.insert(operation.op_id());
            m_log.push_back(operation);
            ack.add_accepted(operation.op_id());
        }
        return ack;
    }

    v1::Changes pull(const v1::Pull &request) const
    {
        const std::size_t from = request.cursor().empty() ? 0 : std::stoul(request.cursor());
        const std::size_t to = std::min(m_log.size(), from + std::max<std::size_t>(1, request.limit()));
        v1::Changes changes;
        for (std::size_t i = from; i < to; ++i)
            *changes.add_ops() = m_log[i];
        changes.set_next_cursor(std::to_string(to));
        changes.set_more(to < m_log.size());
        return changes;
    }

    // A desk's change made on the server (a call), as another device would send it.
    void record(const v1::Operation &operation)
    {
        v1::Push push;
        *push.add_ops() = operation;
        const v1::Ack ack = this->push(push);
        if (ack.accepted_size() != 1)
            qFatal("the server refused a desk's operation: %s", ack.rejected(0).reason().c_str());
    }

    const sync::EntityState *entity(v1::EntityType type, const std::string &id) const
    {
        const auto found = m_entities.find(std::make_pair(type, id));
        return found == m_entities.end() ? nullptr : &found->second;
    }
    std::size_t entityCount(v1::EntityType type) const
    {
        return static_cast<std::size_t>(std::ranges::count_if(m_entities, [type](const auto &e) { return e.first.first == type; }));
    }

private:
    sync::ServerRules m_rules { sync::standardCaseTransitions() };
    std::set<std::string> m_applied;
    std::vector<v1::Operation> m_log;
    std::map<std::pair<v1::EntityType, std::string>, sync::EntityState> m_entities;
};

class FakeSyncLink final : public SyncLink {
public:
    explicit FakeSyncLink(FakeSyncServer &server) : m_server(server) {}

    void setOnline(bool online)
    {
        m_online = online;
        if (online && m_events.connected)
            m_events.connected();
    }
    void notifyChanges()
    {
        if (m_events.changesAvailable)
            m_events.changesAvailable();
    }

    void setEvents(Events events) override { m_events = std::move(events); }
    void push(v1::Push batch, AckHandler done) override
    {
        if (!m_online)
            return done(makeError(ErrorCode::Unavailable, "offline"));
        done(m_server.push(batch));
    }
    void pull(v1::Pull request, ChangesHandler done) override
    {
        if (!m_online)
            return done(makeError(ErrorCode::Unavailable, "offline"));
        done(m_server.pull(request));
    }

private:
    FakeSyncServer &m_server;
    Events m_events;
    std::atomic<bool> m_online = false;
};

} // namespace sigess::kiosk::testing
