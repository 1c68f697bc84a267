#include "sync/record_projection.h"

#include "core/text_codec.h"
#include "sigess/v1/entities.pb.h"
#include "sync/sync_repository.h"
#include "storage/case_repository.h"
#include "storage/citizen_repository.h"
#include "storage/intake_repository.h"
#include "storage/ticket_repository.h"

#include <optional>
#include <string>
#include <vector>

namespace sigess::syncserver {

namespace {

// One table's rows of a batch: the entities of its type, by kind of write.
template <typename Message, typename Repository>
Status writeTable(storage::SqlExecutor &transaction, v1::EntityType type, std::span<const ProjectedRecord> records)
{
    std::vector<const Message *> inserts;
    std::vector<const Message *> upserts;
    for (const ProjectedRecord &record : records) {
        if (record.merged->kind->type != type)
            continue;
        const auto *message = google::protobuf::DynamicCastToGenerated<Message>(record.merged->message.get());
        if (message == nullptr)
            return makeError(ErrorCode::Internal,
                             "a " + record.merged->message->GetTypeName() + " is not the message its type names");
        (record.rowWrite == RowWrite::Insert ? inserts : upserts).push_back(message);
    }
    Repository repository(transaction);
    SIGESS_TRY(repository.storeAll(inserts, storage::OnKeyConflict::Fail));
    return repository.storeAll(upserts, storage::OnKeyConflict::Replace);
}

using Clash = Result<std::optional<std::string>>;

// The record a look-up found; null when it found none (NotFound is an answer, any
// other error is not).
template <typename Message>
Result<const Message *> foundRecord(const Result<Message> &lookedUp)
{
    if (lookedUp.ok())
        return &*lookedUp;
    if (lookedUp.error().code == ErrorCode::NotFound)
        return static_cast<const Message *>(nullptr);
    return lookedUp.error();
}

// The id an Insert brings is held by a row already: the record was created before.
template <typename Repository>
Clash idClash(storage::SqlExecutor &transaction, const ProjectedRecord &record)
{
    if (record.rowWrite != RowWrite::Insert)
        return std::optional<std::string>();
    const std::string &id = record.merged->meta().id();
    const auto holder = Repository(transaction).byId(id);
    const auto held = foundRecord(holder);
    if (!held.ok())
        return held.error();
    if (*held == nullptr)
        return std::optional<std::string>();
    return std::optional<std::string>(alreadyRegistered(*record.merged->kind, id));
}

Clash citizenClash(storage::SqlExecutor &transaction, const ProjectedRecord &record)
{
    const auto &citizen = static_cast<const v1::Citizen &>(*record.merged->message);
    if (!citizen.codice_fiscale().empty()) {
        const Result<v1::Citizen> holder = storage::CitizenRepository(transaction).byCodiceFiscale(citizen.codice_fiscale());
        const Result<const v1::Citizen *> other = foundRecord(holder);
        if (!other.ok())
            return other.error();
        if (*other != nullptr && (*other)->meta().id() != citizen.meta().id())
            return std::optional<std::string>(
                "A citizen with codice fiscale " + citizen.codice_fiscale()
                + " is already registered (another record): find that citizen and add to their record instead of "
                  "registering them again, or correct the codice fiscale.");
    }
    return idClash<storage::CitizenRepository>(transaction, record);
}

Clash ticketClash(storage::SqlExecutor &transaction, const ProjectedRecord &record)
{
    const auto &ticket = static_cast<const v1::Ticket &>(*record.merged->message);
    const std::uint64_t issuedMs = ticket.issued().wall_ms();
    const Result<v1::Ticket> holder = storage::TicketRepository(transaction)
                                          .byNumber(ticket.meta().presidio(), storage::TicketRepository::dayOf(issuedMs),
                                                    ticket.number());
    const Result<const v1::Ticket *> other = foundRecord(holder);
    if (!other.ok())
        return other.error();
    if (*other != nullptr && (*other)->meta().id() != ticket.meta().id())
        return std::optional<std::string>(
            "Ticket " + ticket.number() + " was already issued at presidio " + ticket.meta().presidio()
            + (ticket.has_issued() ? " on " + core::isoDate(issuedMs) : std::string(" that day"))
            + " (another ticket holds that number), so this one cannot be kept: give the citizen a new ticket.");
    return idClash<storage::TicketRepository>(transaction, record);
}

Clash clashOf(storage::SqlExecutor &transaction, const ProjectedRecord &record)
{
    switch (record.merged->kind->type) {
    case v1::ENTITY_TYPE_CITIZEN:
        return citizenClash(transaction, record);
    case v1::ENTITY_TYPE_TICKET:
        return ticketClash(transaction, record);
    case v1::ENTITY_TYPE_CASE:
        return idClash<storage::CaseRepository>(transaction, record);
    case v1::ENTITY_TYPE_INTAKE:
        return idClash<storage::IntakeRepository>(transaction, record);
    default:
        return std::optional<std::string>();
    }
}

} // namespace

Status projectRecords(storage::SqlExecutor &transaction, std::span<const ProjectedRecord> records)
{
    SIGESS_TRY((writeTable<v1::Citizen, storage::CitizenRepository>(transaction, v1::ENTITY_TYPE_CITIZEN, records)));
    SIGESS_TRY((writeTable<v1::Case, storage::CaseRepository>(transaction, v1::ENTITY_TYPE_CASE, records)));
    SIGESS_TRY((writeTable<v1::Intake, storage::IntakeRepository>(transaction, v1::ENTITY_TYPE_INTAKE, records)));
    return writeTable<v1::Ticket, storage::TicketRepository>(transaction, v1::ENTITY_TYPE_TICKET, records);
}

Error explainRefusal(storage::SqlExecutor &transaction, const ProjectedRecord &record)
{
    Clash clash = clashOf(transaction, record);
    if (!clash.ok())
        return clash.takeError();
    if (*clash)
        return makeError(ErrorCode::Conflict, std::move(**clash));
    // Every unique value is free again: the row that held one was gone by the look-up.
    return makeError(ErrorCode::Conflict, "This record clashed with another written at the same moment (the same id, "
                                          "codice fiscale or ticket number); send it again.");
}

Error explainRefusal(storage::SqlExecutor &transaction, const sync::DecodedOperation &operation)
{
    Result<std::optional<sync::EntityState>> held
        = SyncRepository(transaction).loadEntity(*operation.kind, operation.entityId);
    if (!held.ok())
        return held.takeError();
    sync::EntityState merged = held->has_value() ? (*held)->clone() : sync::EntityState::blank(*operation.kind);
    if (Status applied = sync::applyOperation(operation, merged); !applied.ok())
        return applied.takeError();
    return explainRefusal(transaction, ProjectedRecord{&merged, held->has_value() ? RowWrite::Upsert : RowWrite::Insert});
}

std::string alreadyRegistered(const sync::EntityKind &kind, std::string_view id)
{
    // The message's name in words: "CarePlanGoal" is a "care plan goal".
    std::string words;
    for (const char c : kind.name()) {
        const bool upper = c >= 'A' && c <= 'Z';
        if (upper && !words.empty())
            words += ' ';
        words += upper ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return "The " + words + " " + std::string(id)
           + " is already registered on the server, so it cannot be created again: it was sent before; keep the one "
             "the server holds.";
}

Status projectRecord(storage::SqlExecutor &transaction, const sync::EntityState &merged, RowWrite rowWrite)
{
    const ProjectedRecord record{&merged, rowWrite};
    return projectRecords(transaction, std::span(&record, 1));
}

} // namespace sigess::syncserver
