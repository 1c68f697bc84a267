// The settings of one kiosk, read from an INI file (deploy/kiosk/kiosk.conf.example):
// where its store, device secret and catalog are, which presidio and service it serves,
// the ticket prefix enrolment gave it, and the receipt printer's device file.
// Thread safety: a value type.
#pragma once

#include "core/result.h"
#include "sync_client/sync_client.h"

#include <QString>

namespace sigess::kiosk {

struct KioskConfig {
    QString deviceId;           // canonical UUID given at enrolment
    QString presidio;           // catalog code, e.g. "P-M01-01"
    QString service;            // the queue this kiosk issues tickets for
    QString serviceLetter;      // the letter of a kiosk not enrolled (it has no prefix), "A"
    QString ticketPrefix;       // enrolment's letter for this kiosk, unique in its presidio ("A", "B"...)
    QString storePath;          // the encrypted store
    QString keyPath;            // its wrapped key
    QString deviceSecretPath;   // root-only file holding the device secret
    QString catalogPath;        // the catalog release
    QString printerDevice;      // e.g. /dev/usb/lp0; empty: the ticket is shown on screen
    QString syncUrl;            // wss://backend:8443/v1/sync; empty: the kiosk stays offline
    QString caFile;             // the CA that signed the backend's certificate
    QString credentialPath;     // root-only file holding the device credential (--enroll)
    int minutesPerTicket = 12;  // average time a desk spends on one citizen
    int openDesks = 2;          // desks serving this queue, for the wait estimate
    int idleSeconds = 60;       // without a touch, then the countdown
    int countdownSeconds = 15;  // before everything is cleared
    bool spokenCalls = true;    // the display reads each call aloud after its chime

    // What a ticket number starts with: the letter enrolment gave this kiosk, which is
    // already unique in the presidio ("B" -> "B-023"), or the service letter on a kiosk
    // never enrolled. Both together would double the letter ("AA-023").
    QString numberPrefix() const { return ticketPrefix.isEmpty() ? serviceLetter : ticketPrefix; }
};

// Reads the file; keys missing from it keep the defaults below, relative paths are
// resolved against the file's folder. Invalid when the file cannot be read or a value
// is malformed (deviceId not a UUID, a number not positive).
Result<KioskConfig> loadKioskConfig(const QString &path);

// The sync client options a configured kiosk connects with: its sync URL and CA file,
// its device id and the credential read from its credential file. Invalid (naming what
// is missing) when the config has no sync_url or the credential cannot be read.
Result<sync::SyncClientOptions> syncClientOptions(const KioskConfig &config);

// True when the kiosk is meant to sync (sync_url set) but holds no credential file: it was
// never enrolled, or the backend wiped it. Such a kiosk can only show that it is out of
// service until staff enroll it again.
bool awaitsEnrollment(const KioskConfig &config);

// The settings of a development run from the repository root: store under var/kiosk/,
// catalog var/catalog/current.pb, first presidio of the demo data, no printer.
KioskConfig developmentKioskConfig(const QString &deviceId);

} // namespace sigess::kiosk
