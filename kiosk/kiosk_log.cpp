#include "kiosk_log.h"

namespace sigess::kiosk {

Q_LOGGING_CATEGORY(kioskLog, "sigess.kiosk", QtInfoMsg)

} // namespace sigess::kiosk
