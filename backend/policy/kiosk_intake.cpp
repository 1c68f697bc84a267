#include "policy/kiosk_intake.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace sigess::policy {

namespace {

constexpr std::array<std::string_view, 12> kAllowList = {
    "meta",     "codice_fiscale", "given_name",  "phone",           "language",      "needs",
    "detail",   "priority",       "access_channel", "referral_source", "consent_given", "ticket",
};

} // namespace

std::span<const std::string_view> kioskIntakeFieldAllowList()
{
    return kAllowList;
}

Status checkKioskIntake(const v1::Intake &intake)
{
    const google::protobuf::Reflection *reflection = intake.GetReflection();
    if (!reflection->GetUnknownFields(intake).empty() || !reflection->GetUnknownFields(intake.meta()).empty())
        return makeError(ErrorCode::Invalid, "the intake carries fields unknown to this server");

    // In proto3 a field is "set" when it differs from its default, which is what ListFields
    // reports: an empty string sent by a kiosk carries nothing and is harmless.
    std::vector<const google::protobuf::FieldDescriptor *> fields;
    reflection->ListFields(intake, &fields);
    for (const google::protobuf::FieldDescriptor *field : fields) {
        if (std::ranges::find(kAllowList, field->name()) == kAllowList.end()) {
            return makeError(ErrorCode::Forbidden,
                             "a kiosk may not set the intake field '" + field->name() + "'");
        }
    }
    return {};
}

} // namespace sigess::policy
