#include "sync/record_projection.h"

#include "sigess/v1/entities.pb.h"
#include "storage/case_repository.h"
#include "storage/citizen_repository.h"
#include "storage/intake_repository.h"
#include "storage/ticket_repository.h"

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

} // namespace

Status projectRecords(storage::SqlExecutor &transaction, std::span<const ProjectedRecord> records)
{
    SIGESS_TRY((writeTable<v1::Citizen, storage::CitizenRepository>(transaction, v1::ENTITY_TYPE_CITIZEN, records)));
    SIGESS_TRY((writeTable<v1::Case, storage::CaseRepository>(transaction, v1::ENTITY_TYPE_CASE, records)));
    SIGESS_TRY((writeTable<v1::Intake, storage::IntakeRepository>(transaction, v1::ENTITY_TYPE_INTAKE, records)));
    return writeTable<v1::Ticket, storage::TicketRepository>(transaction, v1::ENTITY_TYPE_TICKET, records);
}

Status projectRecord(storage::SqlExecutor &transaction, const sync::EntityState &merged, RowWrite rowWrite)
{
    const ProjectedRecord record{&merged, rowWrite};
    return projectRecords(transaction, std::span(&record, 1));
}

} // namespace sigess::syncserver
