// The paper ticket: its content and its ESC/POS encoding for a thermal receipt
// printer (58/80 mm, the command set every such printer understands: ESC @, ESC a,
// GS !, GS v 0 raster for the QR code, GS V cut), and writing it to the printer's
// device file. The printed text is Italian, for staff, and in code page 858 (ESC t 19)
// because a printer's built-in fonts cover Latin script only; the citizen's language
// is on screen. Nothing personal is printed: presidio, number, time, wait, QR.
// Thread safety: pure functions; printReceipt writes a file (call it off the GUI thread).
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

namespace sigess::kiosk {

struct Receipt {
    QString presidio;      // the presidio's name
    QString number;        // "A1-023"
    QString issuedAt;      // "29/11/2026 09:41"
    int waitMinutes = 0;
    int ahead = 0;
    QString qrPayload;     // what the QR code carries
};

// The payload of a ticket's QR code: no personal data, only the ticket id a desk scans.
QString ticketQrPayload(const QString &ticketId);

QByteArray encodeEscPos(const Receipt &receipt);

// Writes the bytes to the device file (e.g. /dev/usb/lp0). Unavailable, with the
// reason, when the printer cannot be opened or takes fewer bytes than sent.
Status printReceipt(const QByteArray &escPos, const QString &device);

} // namespace sigess::kiosk
