// The rules of a presidio's ticket queue as a kiosk sees it: how numbers are made and
// kept unique, the order in which desks call tickets, and the wait a citizen is told.
//
// A number is the kiosk's letter, a dash and a sequence that starts again each day:
// "A-023". Enrolment gives each kiosk of a presidio a letter of its own (A, B, ...;
// KioskConfig::numberPrefix), so two kiosks never issue the same number even when both
// are offline, without asking anyone. Desks call priority tickets first, then by arrival.
// Thread safety: pure functions.
#pragma once

#include "sigess/v1/entities.pb.h"

#include <QDate>
#include <QString>

#include <cstdint>
#include <vector>

namespace sigess::kiosk {

// The local calendar day of a wall-clock time (ms since the epoch).
QDate localDay(std::uint64_t wallMs);

// "A" and 23 -> "A-023"; sequences over 999 keep all their digits.
QString formatTicketNumber(const QString &prefix, int sequence);

// The highest sequence a ticket of `tickets` issued on `day` carries under `prefix`;
// 0 when there is none.
int lastSequence(const std::vector<v1::Ticket> &tickets, const QString &prefix, QDate day);

// True when desks call `a` before `b`: priority first, then earlier issue stamp.
bool calledBefore(const v1::Ticket &a, const v1::Ticket &b);

struct WaitEstimate {
    int ahead = 0;    // tickets of the same service waiting to be called before this one
    int minutes = 0;  // rounded up to the next five minutes, 0 when nobody is ahead
};

WaitEstimate estimateWait(
    const std::vector<v1::Ticket> &queue, const v1::Ticket &mine, int minutesPerTicket, int openDesks);

} // namespace sigess::kiosk
