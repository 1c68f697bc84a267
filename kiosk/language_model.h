// The catalog's kiosk languages for the language picker, each named in itself, with
// its writing direction. Thread safety: GUI thread only.
#pragma once

#include "core/catalog.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace sigess::kiosk {

class LanguageModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Built from the catalog by the kiosk session.")

public:
    enum Roles { LangRole = Qt::UserRole + 1, NameRole, RightToLeftRole };
    Q_ENUM(Roles)

    explicit LanguageModel(const core::Catalog &catalog, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool contains(const QString &lang) const;
    bool rightToLeft(const QString &lang) const;

private:
    const v1::Language *find(const QString &lang) const;

    const core::Catalog &m_catalog;
};

} // namespace sigess::kiosk
