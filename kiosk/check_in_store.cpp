#include "check_in_store.h"

#include "store/vaulted_database.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace sigess::kiosk {

namespace {

constexpr std::string_view kInPerson = "IN_PERSON";

// Every Intake field a kiosk writes, and every Ticket field.
const std::vector<int> kIntakeFields = { v1::Intake::kCodiceFiscaleFieldNumber, v1::Intake::kGivenNameFieldNumber,
    v1::Intake::kPhoneFieldNumber, v1::Intake::kLanguageFieldNumber, v1::Intake::kNeedsFieldNumber,
    v1::Intake::kDetailFieldNumber, v1::Intake::kPriorityFieldNumber, v1::Intake::kAccessChannelFieldNumber,
    v1::Intake::kConsentGivenFieldNumber, v1::Intake::kTicketFieldNumber };
const std::vector<int> kTicketFields = { v1::Ticket::kNumberFieldNumber, v1::Ticket::kServiceFieldNumber,
    v1::Ticket::kStateFieldNumber, v1::Ticket::kPriorityFieldNumber, v1::Ticket::kIssuedFieldNumber,
    v1::Ticket::kIntakeFieldNumber };

Status ensureFolderOf(const QString &path)
{
    if (QDir().mkpath(QFileInfo(path).absolutePath()))
        return {};
    return makeError(ErrorCode::Unavailable, "cannot create the folder of " + path.toStdString());
}

} // namespace

struct CheckInStore::Parts {
    Parts(const KioskConfig &kioskConfig, const core::Clock &wallClock, store::Argon2Cost argon2)
        : config(kioskConfig)
        , clock(wallClock)
        , secret(kioskConfig.deviceSecretPath.toStdString())
        , vault(kioskConfig.keyPath.toStdString(), secret, argon2)
        , hlc(wallClock)
        , ids(wallClock)
    {
    }

    KioskConfig config;
    const core::Clock &clock;
    store::FileDeviceSecret secret;
    store::KeyVault vault;
    core::HybridLogicalClock hlc;
    core::UuidV7Generator ids;
    std::optional<store::Database> database;
    std::optional<sync::Replica> replica;
    std::vector<v1::Ticket> today; // in call order
    QDate day;
};

CheckInStore::CheckInStore(std::unique_ptr<Parts> parts)
    : m_parts(std::move(parts))
{
}

CheckInStore::~CheckInStore() = default;

const std::vector<int> &CheckInStore::personalIntakeFields()
{
    static const std::vector<int> fields = { v1::Intake::kCodiceFiscaleFieldNumber,
        v1::Intake::kGivenNameFieldNumber, v1::Intake::kPhoneFieldNumber, v1::Intake::kNeedsFieldNumber,
        v1::Intake::kDetailFieldNumber };
    return fields;
}

Result<std::unique_ptr<CheckInStore>> CheckInStore::open(
    const KioskConfig &config, const core::Clock &clock, store::Argon2Cost argon2)
{
    for (const QString &path : { config.storePath, config.keyPath, config.deviceSecretPath })
        SIGESS_TRY(ensureFolderOf(path));
    auto parts = std::make_unique<Parts>(config, clock, argon2);
    Result<store::Database> database = store::openVaulted(
        config.storePath.toStdString(), parts->vault, std::nullopt, store::OpenMode::CreateIfMissing);
    if (!database.ok())
        return database.takeError();
    parts->database.emplace(std::move(database).value());
    Result<sync::Replica> replica
        = sync::Replica::open(*parts->database, config.deviceId.toStdString(), parts->hlc, parts->ids);
    if (!replica.ok())
        return replica.takeError();
    parts->replica.emplace(std::move(replica).value());

    std::unique_ptr<CheckInStore> result(new CheckInStore(std::move(parts)));
    SIGESS_TRY(result->reloadQueue());
    return result;
}

Status CheckInStore::reloadQueue()
{
    Parts &p = *m_parts;
    p.day = localDay(p.clock.nowMs());
    Result<std::vector<sync::EntityState>> tickets = p.replica->entities(v1::ENTITY_TYPE_TICKET);
    if (!tickets.ok())
        return tickets.takeError();
    p.today.clear();
    for (const sync::EntityState &state : *tickets) {
        v1::Ticket ticket;
        ticket.CopyFrom(*state.message);
        if (ticket.meta().presidio() == p.config.presidio.toStdString() && localDay(ticket.issued().wall_ms()) == p.day)
            p.today.push_back(std::move(ticket));
    }
    std::ranges::sort(p.today, calledBefore);
    return {};
}

std::vector<v1::Ticket> CheckInStore::todaysQueue() const
{
    return m_parts->today;
}

Result<CheckIn> CheckInStore::checkIn(v1::Intake intake)
{
    Parts &p = *m_parts;
    if (localDay(p.clock.nowMs()) != p.day)
        SIGESS_TRY(reloadQueue());

    const std::string presidio = p.config.presidio.toStdString();
    const std::string intakeId = p.ids.next().toString();
    v1::Ticket ticket;
    ticket.mutable_meta()->set_id(p.ids.next().toString());
    ticket.mutable_meta()->set_presidio(presidio);
    ticket.set_number(formatTicketNumber(p.config.numberPrefix(), lastSequence(p.today, p.config.numberPrefix(), p.day) + 1)
                          .toStdString());
    ticket.set_service(p.config.service.toStdString());
    ticket.set_state(v1::TICKET_STATE_WAITING);
    ticket.set_priority(intake.priority());
    *ticket.mutable_issued() = p.hlc.now().toProto();
    ticket.set_intake(intakeId);

    intake.mutable_meta()->Clear();
    intake.mutable_meta()->set_id(intakeId);
    intake.mutable_meta()->set_presidio(presidio);
    intake.set_access_channel(std::string(kInPerson));
    intake.set_ticket(ticket.meta().id());

    Result<v1::Operation> intakeOp = p.replica->recordChange(v1::ENTITY_TYPE_INTAKE, intake, kIntakeFields);
    if (!intakeOp.ok())
        return intakeOp.takeError();
    Result<v1::Operation> ticketOp = p.replica->recordChange(v1::ENTITY_TYPE_TICKET, ticket, kTicketFields);
    if (!ticketOp.ok())
        return ticketOp.takeError();

    p.today.insert(std::ranges::upper_bound(p.today, ticket, calledBefore), ticket);
    CheckIn result { ticket, estimateWait(p.today, ticket, p.config.minutesPerTicket, p.config.openDesks) };
    return result;
}

sync::Replica &CheckInStore::replica()
{
    return *m_parts->replica;
}

Status CheckInStore::purgeAcknowledged()
{
    Result<std::size_t> purged = m_parts->replica->purgeAcknowledged(v1::ENTITY_TYPE_INTAKE, personalIntakeFields());
    if (!purged.ok())
        return purged.takeError();
    return {};
}

Result<std::size_t> CheckInStore::outboxSize()
{
    return m_parts->replica->outboxSize();
}

Result<std::optional<v1::Intake>> CheckInStore::intake(const std::string &id)
{
    Result<std::optional<sync::EntityState>> state = m_parts->replica->entity(v1::ENTITY_TYPE_INTAKE, id);
    if (!state.ok())
        return state.takeError();
    if (!state->has_value())
        return std::optional<v1::Intake>();
    v1::Intake intake;
    intake.CopyFrom(*(*state)->message);
    return std::optional<v1::Intake>(std::move(intake));
}

Status eraseKioskFiles(const KioskConfig &config)
{
    QStringList paths;
    for (const QString &suffix : { QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal") })
        paths << config.storePath + suffix;
    paths << config.keyPath << config.credentialPath;
    std::optional<Error> failed;
    for (const QString &path : std::as_const(paths)) {
        if (!path.isEmpty() && QFile::exists(path) && !QFile::remove(path) && !failed)
            failed = makeError(ErrorCode::Unavailable, "cannot erase " + path.toStdString());
    }
    if (failed)
        return *failed;
    return {};
}

} // namespace sigess::kiosk
