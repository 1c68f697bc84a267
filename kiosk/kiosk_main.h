// The whole life of sigess-kiosk after QGuiApplication exists (main.cpp stays a few
// lines). Options:
//   --config FILE     the kiosk's settings (deploy/kiosk/kiosk.conf.example); without
//                     it, a development kiosk from the repository root (var/kiosk/)
//   --display         the waiting-room display instead of the check-in screens
//   --windowed        a window instead of full screen (development)
//   --self-test       walk every screen offscreen on a throwaway store, in Italian and
//                     Arabic; exit non-zero on any QML error or warning
//   --screenshot FILE with --self-test: save the last rendered frame
//   --enroll CODE     with --config: trade an enrollment code for the device credential
//                     (kiosk_enrollment.h), then exit
// A config with sync_url syncs with the backend through shared/sync_client; without it the
// kiosk works offline and its intakes wait in the outbox. A config with sync_url but no
// credential file (never enrolled, or wiped) starts showing only that the kiosk is out of
// service, with the --enroll command for staff, and exits 0 when quit.
// Thread safety: GUI thread only.
#pragma once

#include <QStringList>

namespace sigess::kiosk {

// Whether the arguments ask for the check-in screens (which need the virtual keyboard).
bool wantsCheckInScreens(const QStringList &arguments);

int runKiosk(const QStringList &arguments);

} // namespace sigess::kiosk
