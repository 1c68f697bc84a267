// The waiting-room display's view of today's queue: the tickets desks have called,
// latest first, each with its desk. Numbers only: a ticket never carries a name.
// When a ticket is newly called, or called again by its desk (a recall: a new called
// stamp), called() tells the display to chime and announce it.
// Thread safety: GUI thread only.
#pragma once

#include "sigess/v1/entities.pb.h"

#include <QAbstractListModel>
#include <QHash>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace sigess::kiosk {

class QueueModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Fed by the kiosk's check-in service.")
    Q_PROPERTY(int waitingCount READ waitingCount NOTIFY waitingCountChanged)

public:
    enum Roles { NumberRole = Qt::UserRole + 1, DeskRole, LatestRole };
    Q_ENUM(Roles)

    static constexpr int shownCalls = 8;

    explicit QueueModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Today's queue as the store holds it, in any order.
    void setTickets(const std::vector<v1::Ticket> &tickets);
    int waitingCount() const { return m_waitingCount; }

Q_SIGNALS:
    void waitingCountChanged();
    void called(const QString &number, const QString &desk);

private:
    std::vector<v1::Ticket> m_calls;
    QHash<QString, quint64> m_announced; // id -> called stamp (packed HLC) last seen
    int m_waitingCount = 0;
    bool m_primed = false;     // the first snapshot is history, not news
};

} // namespace sigess::kiosk
