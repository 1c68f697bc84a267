#include "sync/merge.h"

#include "core/uuid.h"

#include <algorithm>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/util/message_differencer.h>

namespace sigess::sync {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

Error invalid(std::string message)
{
    return makeError(ErrorCode::Invalid, std::move(message));
}

// Ids take part in tie-breaks and lookups by text, so only one spelling is allowed.
Status checkCanonicalId(std::string_view text, std::string_view what)
{
    // UUID text that parses is canonical unless it spells a digit in upper case; checked
    // so, no id is formatted back to text for the comparison.
    const bool upperCase = std::any_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'F'; });
    if (!upperCase && core::Uuid::parse(text).ok())
        return {};
    constexpr std::size_t shown = 40;
    const std::string excerpt(text.substr(0, shown));
    return invalid("the " + std::string(what) + " '" + excerpt + (text.size() > shown ? "...'" : "'")
        + " is not a UUID in canonical lower-case form");
}

core::HlcStamp storedStamp(const v1::Hlc &hlc)
{
    return core::HlcStamp { hlc.wall_ms(), hlc.counter() };
}

Status checkKind(const EntityKind &kind, v1::OpKind opKind)
{
    const bool appendOnly = kind.writeRule == WriteRule::AppendOnly;
    switch (opKind) {
    case v1::OP_KIND_APPEND:
        if (appendOnly)
            return {};
        return invalid(std::string(kind.name())
            + " is not an append-only collection: it is created with a "
              "create operation, not an append");
    case v1::OP_KIND_CREATE:
    case v1::OP_KIND_UPDATE:
        if (!appendOnly)
            return {};
        return invalid(std::string(kind.name())
            + " is append-only: it is written once with an append "
              "operation and never created again or updated");
    default:
        return invalid(
            "the operation kind " + std::to_string(opKind) + " is not one of create, update, append");
    }
}

Status checkFields(const EntityKind &kind, const v1::Operation &operation, std::vector<int> &fields)
{
    if (operation.fields().empty())
        return invalid("the operation on " + std::string(kind.name()) + " lists no field");
    const Descriptor *descriptor = kind.descriptor();
    for (const std::uint32_t number : operation.fields()) {
        const std::string numberText = std::to_string(number);
        if (number == static_cast<std::uint32_t>(metaFieldNumber))
            return invalid("field 1 of " + std::string(kind.name())
                + " is its meta, which only the sync "
                  "engine writes");
        const FieldDescriptor *field = number > static_cast<std::uint32_t>(FieldDescriptor::kMaxNumber)
            ? nullptr
            : descriptor->FindFieldByNumber(static_cast<int>(number));
        if (field == nullptr)
            return invalid(std::string(kind.name()) + " has no field " + numberText);
        if (std::find(fields.begin(), fields.end(), field->number()) != fields.end())
            return invalid("the operation lists field " + numberText + " (" + field->name() + ") twice");
        fields.push_back(field->number());
    }
    return {};
}

// Whether a field holds a value, as ListFields() would list it.
bool isSet(const Message &message, const Reflection &reflection, const FieldDescriptor &field)
{
    return field.is_repeated() ? reflection.FieldSize(message, &field) > 0 : reflection.HasField(message, &field);
}

// Walks the descriptor rather than ListFields(), which allocates a list per message:
// every patch of a frame (and of a Push) goes through here, nested answers and all.
bool holdsUnknownFields(const Message &message)
{
    const Reflection *reflection = message.GetReflection();
    if (!reflection->GetUnknownFields(message).empty())
        return true;
    const Descriptor *descriptor = message.GetDescriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
        const FieldDescriptor *field = descriptor->field(i);
        if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || !isSet(message, *reflection, *field))
            continue;
        if (!field->is_repeated()) {
            if (holdsUnknownFields(reflection->GetMessage(message, field)))
                return true;
            continue;
        }
        for (int j = 0; j < reflection->FieldSize(message, field); ++j) {
            if (holdsUnknownFields(reflection->GetRepeatedMessage(message, field, j)))
                return true;
        }
    }
    return false;
}

Result<std::unique_ptr<Message>> parsePatch(const EntityKind &kind, const v1::Operation &operation,
    const std::vector<int> &fields, const OperationLimits &limits)
{
    const std::string &bytes = operation.patch();
    if (bytes.size() > limits.maxPatchBytes)
        return makeError(ErrorCode::TooLarge,
            "the new values of the " + std::string(kind.name()) + " take " + std::to_string(bytes.size())
                + " bytes, over the limit of " + std::to_string(limits.maxPatchBytes));
    std::unique_ptr<Message> patch = kind.newMessage();
    google::protobuf::io::CodedInputStream input(
        reinterpret_cast<const std::uint8_t *>(bytes.data()), static_cast<int>(bytes.size()));
    input.SetRecursionLimit(limits.maxNesting);
    if (!patch->ParseFromCodedStream(&input) || !input.ConsumedEntireMessage())
        return invalid("the new values do not parse as a " + std::string(kind.name()));
    if (holdsUnknownFields(*patch))
        return invalid("the new values hold fields unknown to " + std::string(kind.name())
            + " in this version of the schema");

    const Descriptor *descriptor = patch->GetDescriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
        const FieldDescriptor *field = descriptor->field(i);
        if (field->number() != metaFieldNumber && isSet(*patch, *patch->GetReflection(), *field)
            && std::find(fields.begin(), fields.end(), field->number()) == fields.end())
            return invalid("the new values set field " + std::to_string(field->number()) + " ("
                + field->name() + ") of " + std::string(kind.name()) + ", which the operation does not list");
    }
    v1::EntityMeta meta = entityMeta(*patch);
    const bool setsPresidio = !meta.presidio().empty();
    meta.clear_presidio();
    if (meta.ByteSizeLong() != 0 || (setsPresidio && operation.kind() == v1::OP_KIND_UPDATE))
        return invalid("the new values set meta fields of the " + std::string(kind.name())
            + ", which only the sync engine writes (a creation may name its presidio)");
    return patch;
}

} // namespace

Result<DecodedOperation> decodeOperation(const v1::Operation &operation, const OperationLimits &limits)
{
    const EntityKind *kind = findEntityKind(operation.entity_type());
    if (kind == nullptr)
        return invalid("the entity type " + std::to_string(operation.entity_type()) + " is unknown");
    SIGESS_TRY(checkCanonicalId(operation.op_id(), "operation id"));
    SIGESS_TRY(checkCanonicalId(operation.entity_id(), "entity id"));
    SIGESS_TRY(checkCanonicalId(operation.device(), "device id"));
    if (!operation.has_hlc())
        return invalid("the operation carries no HLC stamp");
    Result<core::HlcStamp> stamp = core::HlcStamp::fromProto(operation.hlc());
    if (!stamp.ok())
        return stamp.takeError();
    SIGESS_TRY(checkKind(*kind, operation.kind()));

    DecodedOperation decoded;
    SIGESS_TRY(checkFields(*kind, operation, decoded.fields));
    Result<std::unique_ptr<Message>> patch = parsePatch(*kind, operation, decoded.fields, limits);
    if (!patch.ok())
        return patch.takeError();
    decoded.kind = kind;
    decoded.opKind = operation.kind();
    decoded.opId = operation.op_id();
    decoded.entityId = operation.entity_id();
    decoded.device = operation.device();
    decoded.stamp = *stamp;
    decoded.patch = std::move(patch).value();
    return decoded;
}

EntityState EntityState::blank(const EntityKind &kind)
{
    return EntityState { &kind, kind.newMessage(), {} };
}

Result<EntityState> EntityState::load(const EntityKind &kind, std::string_view data, std::string_view clock)
{
    EntityState entity = blank(kind);
    if (!entity.message->ParseFromArray(data.data(), static_cast<int>(data.size())))
        return makeError(ErrorCode::Corrupt, "a stored " + std::string(kind.name()) + " does not parse");
    Result<FieldClock> parsedClock = FieldClock::parse(clock);
    if (!parsedClock.ok())
        return parsedClock.takeError();
    entity.clock = std::move(parsedClock).value();
    return entity;
}

EntityState EntityState::clone() const
{
    EntityState copy = blank(*kind);
    copy.message->CopyFrom(*message);
    copy.clock = clock;
    return copy;
}

bool EntityState::created() const
{
    return meta().has_created();
}

bool EntityState::operator==(const EntityState &other) const
{
    return kind == other.kind && clock == other.clock
        && google::protobuf::util::MessageDifferencer::Equals(*message, *other.message);
}

namespace {

// Merges `operation` into `entity`, swapping each winning field over from `source`: the
// operation's patch itself, or a copy of it when null.
Status mergeOperation(const DecodedOperation &operation, Message *source, EntityState &entity)
{
    if (entity.kind != operation.kind)
        return invalid("an operation on a " + std::string(operation.kind->name()) + " cannot apply to a "
            + std::string(entity.kind->name()));
    v1::EntityMeta &meta = mutableEntityMeta(*entity.message);
    if (!meta.id().empty() && meta.id() != operation.entityId)
        return invalid("an operation on " + operation.entityId + " cannot apply to " + meta.id());
    const bool firstCreation = !meta.has_created()
        || core::compareWrites(
               operation.stamp, operation.device, storedStamp(meta.created()), meta.origin_device())
            < 0;
    if (operation.kind->writeRule == WriteRule::AppendOnly && meta.has_created()
        && (storedStamp(meta.created()) != operation.stamp || meta.origin_device() != operation.device))
        return makeError(ErrorCode::Conflict,
            "the " + std::string(operation.kind->name()) + " " + operation.entityId
                + " is append-only and already exists: it cannot be written again");

    meta.set_id(operation.entityId);
    if (operation.creates() && firstCreation) {
        *meta.mutable_created() = operation.stamp.toProto();
        meta.set_origin_device(operation.device);
        meta.set_presidio(entityMeta(*operation.patch).presidio());
    }
    if (!meta.has_updated() || storedStamp(meta.updated()) < operation.stamp)
        *meta.mutable_updated() = operation.stamp.toProto();

    const Descriptor *descriptor = operation.kind->descriptor();
    std::vector<const FieldDescriptor *> won;
    for (const int number : operation.fields) {
        if (!entity.clock.isSupersededBy(number, operation.stamp, operation.device))
            continue;
        won.push_back(descriptor->FindFieldByNumber(number));
        entity.clock.record(number, operation.stamp, operation.device);
    }
    if (won.empty())
        return {};
    // Swapping moves each winning field over whole: a value, a replaced repeated field,
    // or the absence that clears it.
    std::unique_ptr<Message> copy;
    if (source == nullptr) {
        copy.reset(operation.patch->New());
        copy->CopyFrom(*operation.patch);
        source = copy.get();
    }
    entity.message->GetReflection()->SwapFields(entity.message.get(), source, won);
    return {};
}

} // namespace

Status applyOperation(const DecodedOperation &operation, EntityState &entity)
{
    return mergeOperation(operation, nullptr, entity);
}

Status applyOperationTakingPatch(DecodedOperation &operation, EntityState &entity)
{
    return mergeOperation(operation, operation.patch.get(), entity);
}

Status applyOperation(const v1::Operation &operation, EntityState &entity, const OperationLimits &limits)
{
    Result<DecodedOperation> decoded = decodeOperation(operation, limits);
    if (!decoded.ok())
        return decoded.takeError();
    return applyOperation(*decoded, entity);
}

} // namespace sigess::sync
