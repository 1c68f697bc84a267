#include "queue_model.h"

#include <algorithm>

namespace sigess::kiosk {

QueueModel::QueueModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int QueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_calls.size());
}

QVariant QueueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const v1::Ticket &ticket = m_calls[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case NumberRole: return QString::fromStdString(ticket.number());
    case DeskRole: return QString::fromStdString(ticket.desk());
    case LatestRole: return index.row() == 0;
    default: return {};
    }
}

QHash<int, QByteArray> QueueModel::roleNames() const
{
    return { { NumberRole, "number" }, { DeskRole, "desk" }, { LatestRole, "latest" } };
}

void QueueModel::setTickets(const std::vector<v1::Ticket> &tickets)
{
    std::vector<v1::Ticket> calls;
    int waiting = 0;
    for (const v1::Ticket &ticket : tickets) {
        if (ticket.state() == v1::TICKET_STATE_CALLED)
            calls.push_back(ticket);
        else if (ticket.state() == v1::TICKET_STATE_WAITING)
            ++waiting;
    }
    const auto calledAt = [](const v1::Ticket &t) { return std::pair(t.called().wall_ms(), t.called().counter()); };
    std::ranges::sort(calls, [&](const v1::Ticket &a, const v1::Ticket &b) { return calledAt(a) > calledAt(b); });

    std::vector<v1::Ticket> fresh;
    for (const v1::Ticket &ticket : calls) {
        const QString id = QString::fromStdString(ticket.meta().id());
        // Ordered like the stamps (wall time, then counter), so a recall compares as new.
        const quint64 stamp = (quint64 { ticket.called().wall_ms() } << 16) | (ticket.called().counter() & 0xFFFFu);
        const auto seen = m_announced.constFind(id);
        if (seen == m_announced.cend() || *seen != stamp) {
            m_announced.insert(id, stamp);
            fresh.push_back(ticket);
        }
    }
    if (calls.size() > static_cast<std::size_t>(shownCalls))
        calls.resize(shownCalls);

    beginResetModel();
    m_calls = std::move(calls);
    endResetModel();
    if (waiting != m_waitingCount) {
        m_waitingCount = waiting;
        Q_EMIT waitingCountChanged();
    }
    if (m_primed) {
        // Oldest first, so the last announcement is the latest call.
        for (auto it = fresh.rbegin(); it != fresh.rend(); ++it)
            Q_EMIT called(QString::fromStdString(it->number()), QString::fromStdString(it->desk()));
    }
    m_primed = true;
}

} // namespace sigess::kiosk
