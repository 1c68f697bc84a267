#include "sync/record_projection.h"

#include "sigess/v1/entities.pb.h"
#include "storage/case_repository.h"
#include "storage/citizen_repository.h"
#include "storage/intake_repository.h"
#include "storage/ticket_repository.h"

namespace sigess::syncserver {

namespace {

// Update first: most stored entities already have their row, and on PostgreSQL a failed
// INSERT would abort the caller's whole transaction.
template <typename Message, typename Repository>
Status upsert(storage::SqlExecutor &transaction, const google::protobuf::Message &merged)
{
    const auto *record = google::protobuf::DynamicCastToGenerated<Message>(&merged);
    if (record == nullptr)
        return makeError(ErrorCode::Internal, "a " + merged.GetTypeName() + " is not the message its type names");
    Repository repository(transaction);
    Status updated = repository.update(*record);
    if (updated.ok() || updated.error().code != ErrorCode::NotFound)
        return updated;
    return repository.create(*record);
}

} // namespace

Status projectRecord(storage::SqlExecutor &transaction, const sync::EntityState &merged)
{
    switch (merged.kind->type) {
    case v1::ENTITY_TYPE_CITIZEN:
        return upsert<v1::Citizen, storage::CitizenRepository>(transaction, *merged.message);
    case v1::ENTITY_TYPE_CASE:
        return upsert<v1::Case, storage::CaseRepository>(transaction, *merged.message);
    case v1::ENTITY_TYPE_INTAKE:
        return upsert<v1::Intake, storage::IntakeRepository>(transaction, *merged.message);
    case v1::ENTITY_TYPE_TICKET:
        return upsert<v1::Ticket, storage::TicketRepository>(transaction, *merged.message);
    default:
        return {};
    }
}

} // namespace sigess::syncserver
