// The kiosk's log category ("sigess.kiosk"): what the kiosk tells whoever looks after it
// (journalctl on a kiosk under systemd), never what a citizen typed.
// Thread safety: Qt's logging is thread-safe.
#pragma once

#include <QLoggingCategory>

namespace sigess::kiosk {

Q_DECLARE_LOGGING_CATEGORY(kioskLog)

} // namespace sigess::kiosk
