// A walk through every kiosk screen with the session's real API, as a citizen would
// go: welcome, privacy, identification, needs (the countdown overlay shown over them),
// confirmation and ticket. `--self-test` uses it to load every page, and the
// screenshot test to photograph each. The check-in it makes is real: run it on a
// throwaway store. `atStep` is called with a short name once each screen is shown.
// Thread safety: GUI thread only; spins the event loop while the ticket is issued.
#pragma once

#include "kiosk_session.h"

#include <QString>

#include <functional>

namespace sigess::kiosk {

// False when the session did not reach a screen (then `atStep` was not called for it).
bool walkEveryStep(KioskSession &session, const QString &lang, const std::function<void(const QString &)> &atStep);

} // namespace sigess::kiosk
