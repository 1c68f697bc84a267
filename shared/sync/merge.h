// The merge of replicated operations, the same on every device and on the server.
//
// An Operation carries an entity message (`patch`) and the numbers of the fields it
// sets (`fields`); a listed field absent from the patch is cleared, and a repeated field
// is replaced whole. Each field is merged on its own: the write with the later HLC
// stamp wins, and an exact tie goes to the greater device id. The winning stamps are
// kept per field in the entity's FieldClock, so applying the same operations in any
// order, any number of times, ends in the same entity and the same clock.
//
// The EntityMeta (field 1) belongs to the engine: `id` is the operation's entity id,
// `created`/`origin_device` come from the earliest creation seen, `updated` is the
// latest stamp applied, and `presidio` is read from the creating operation's patch
// (the only meta field a patch may carry, and only when it creates the entity).
// Append-only entities (see entity_registry.h) are created by one OP_KIND_APPEND and
// never changed afterwards; mutable ones take OP_KIND_CREATE and OP_KIND_UPDATE.
//
// decodeOperation() is the structural check of an operation from anywhere (a device's
// outbox, a Push, a Changes frame); the server adds its own rules (server_rules.h).
// Thread safety: pure functions over values.
#pragma once

#include "core/hlc.h"
#include "core/result.h"
#include "sigess/v1/sync.pb.h"
#include "sync/entity_registry.h"
#include "sync/field_clock.h"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace sigess::sync {

struct OperationLimits {
    // An entity's new values; a whole assessment with its answers is a few KiB.
    std::size_t maxPatchBytes = 256 * 1024;
    // Nesting depth the patch parser may recurse into.
    int maxNesting = 16;
};

// An operation that passed the structural checks, with its patch parsed.
struct DecodedOperation {
    const EntityKind *kind = nullptr;
    v1::OpKind opKind = v1::OP_KIND_UNSPECIFIED;
    std::string opId;
    std::string entityId;
    std::string device;
    core::HlcStamp stamp;
    std::vector<int> fields;
    std::unique_ptr<google::protobuf::Message> patch;

    bool creates() const { return opKind != v1::OP_KIND_UPDATE; }
};

// Invalid (with a sentence naming what is wrong) when: the entity type is unknown; an
// id or the device is not canonical UUID text; the stamp is out of range; the kind does
// not suit the entity's write rule; `fields` is empty, repeats a number, names a field
// the entity does not have, or names the meta; the patch does not parse, holds fields
// unknown to this schema, sets a field it does not list, or sets meta other than a
// creation's presidio. TooLarge when the patch is over the limit.
Result<DecodedOperation> decodeOperation(const v1::Operation &operation, const OperationLimits &limits = {});

// One entity as a replica holds it: its message and the stamps of its fields.
struct EntityState {
    const EntityKind *kind = nullptr;
    std::unique_ptr<google::protobuf::Message> message;
    FieldClock clock;

    // An entity nothing has been applied to yet.
    static EntityState blank(const EntityKind &kind);
    // Corrupt when the stored bytes do not parse.
    static Result<EntityState> load(const EntityKind &kind, std::string_view data, std::string_view clock);
    EntityState clone() const;

    // True once a creating operation has been applied.
    bool created() const;
    const v1::EntityMeta &meta() const { return entityMeta(*message); }
    bool operator==(const EntityState &other) const;
};

// Merges one operation into the entity. Invalid when the operation is for another
// entity or type; Conflict when it would create again an append-only entity that an
// earlier, different operation created. Applying an operation already applied changes
// nothing.
Status applyOperation(const DecodedOperation &operation, EntityState &entity);
// The same, moving the winning fields out of the operation's patch instead of copying
// them (its patch then holds what they replaced): for the last state an operation is
// applied to, where the copy would only be thrown away.
Status applyOperationTakingPatch(DecodedOperation &operation, EntityState &entity);
// decodeOperation() followed by the above.
Status applyOperation(
    const v1::Operation &operation, EntityState &entity, const OperationLimits &limits = {});

} // namespace sigess::sync
