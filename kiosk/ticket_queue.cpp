#include "ticket_queue.h"

#include <QDateTime>

#include <algorithm>

namespace sigess::kiosk {

QDate localDay(std::uint64_t wallMs)
{
    return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(wallMs)).date();
}

QString formatTicketNumber(const QString &prefix, int sequence)
{
    return QStringLiteral("%1-%2").arg(prefix).arg(sequence, 3, 10, QLatin1Char('0'));
}

int lastSequence(const std::vector<v1::Ticket> &tickets, const QString &prefix, QDate day)
{
    const QString head = prefix + QLatin1Char('-');
    int last = 0;
    for (const v1::Ticket &ticket : tickets) {
        const QString number = QString::fromStdString(ticket.number());
        if (!number.startsWith(head) || localDay(ticket.issued().wall_ms()) != day)
            continue;
        bool ok = false;
        const int sequence = number.mid(head.size()).toInt(&ok);
        if (ok)
            last = std::max(last, sequence);
    }
    return last;
}

bool calledBefore(const v1::Ticket &a, const v1::Ticket &b)
{
    if (a.priority() != b.priority())
        return a.priority();
    const auto stamp = [](const v1::Ticket &t) { return std::pair(t.issued().wall_ms(), t.issued().counter()); };
    if (stamp(a) != stamp(b))
        return stamp(a) < stamp(b);
    return a.meta().id() < b.meta().id();
}

WaitEstimate estimateWait(
    const std::vector<v1::Ticket> &queue, const v1::Ticket &mine, int minutesPerTicket, int openDesks)
{
    WaitEstimate estimate;
    for (const v1::Ticket &ticket : queue) {
        if (ticket.state() == v1::TICKET_STATE_WAITING && ticket.service() == mine.service()
            && ticket.meta().id() != mine.meta().id() && calledBefore(ticket, mine))
            ++estimate.ahead;
    }
    if (estimate.ahead == 0)
        return estimate;
    const int desks = std::max(1, openDesks);
    const int raw = (estimate.ahead * minutesPerTicket + desks - 1) / desks;
    estimate.minutes = (raw + 4) / 5 * 5;
    return estimate;
}

} // namespace sigess::kiosk
