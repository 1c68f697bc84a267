// Enrolls a kiosk (`sigess-kiosk --config FILE --enroll CODE`): trades the one-time code
// an administrator issued for the device id and credential (shared/sync_client's
// exchangeEnrollmentCode, at the config's sync_url and ca_file), writes the credential
// to the config's credential_file (owner-only), and records device_id, presidio and
// ticket_prefix in the config file, so the next start syncs.
// Thread safety: blocks for the exchange; call it before the UI starts.
#pragma once

#include "core/result.h"

#include <QString>

namespace sigess::kiosk {

// The enrolled device's id.
Result<QString> enrollKiosk(const QString &configPath, const QString &code);

} // namespace sigess::kiosk
