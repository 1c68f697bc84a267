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
Status writeRow(storage::SqlExecutor &transaction, const google::protobuf::Message &merged, RowWrite rowWrite)
{
    const auto *record = google::protobuf::DynamicCastToGenerated<Message>(&merged);
    if (record == nullptr)
        return makeError(ErrorCode::Internal, "a " + merged.GetTypeName() + " is not the message its type names");
    Repository repository(transaction);
    if (rowWrite == RowWrite::Insert)
        return repository.create(*record);
    Status updated = repository.update(*record);
    if (updated.ok() || updated.error().code != ErrorCode::NotFound)
        return updated;
    return repository.create(*record);
}

} // namespace

Status projectRecord(storage::SqlExecutor &transaction, const sync::EntityState &merged, RowWrite rowWrite)
{
    switch (merged.kind->type) {
    case v1::ENTITY_TYPE_CITIZEN:
        return writeRow<v1::Citizen, storage::CitizenRepository>(transaction, *merged.message, rowWrite);
    case v1::ENTITY_TYPE_CASE:
        return writeRow<v1::Case, storage::CaseRepository>(transaction, *merged.message, rowWrite);
    case v1::ENTITY_TYPE_INTAKE:
        return writeRow<v1::Intake, storage::IntakeRepository>(transaction, *merged.message, rowWrite);
    case v1::ENTITY_TYPE_TICKET:
        return writeRow<v1::Ticket, storage::TicketRepository>(transaction, *merged.message, rowWrite);
    default:
        return {};
    }
}

} // namespace sigess::syncserver
