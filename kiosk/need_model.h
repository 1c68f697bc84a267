// The catalog's need categories as the kiosk's tiles, in the chosen language with the
// Italian label beside it for staff, and which ones the citizen has chosen. A category
// whose urgency is URGENT_DISCREET (violence, safety) shows its catalog label on its
// tile, so that it can be found, but everywhere afterwards (summary, ticket) only a
// neutral wording, and choosing it makes the intake a priority one.
// Thread safety: GUI thread only.
#pragma once

#include "core/catalog.h"

#include <QAbstractListModel>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include <vector>

namespace sigess::kiosk {

class NeedModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Built from the catalog by the kiosk session.")
    Q_PROPERTY(int selectedCount READ selectedCount NOTIFY selectionChanged)
    Q_PROPERTY(QStringList selectedSummary READ selectedSummary NOTIFY selectionChanged)
    Q_PROPERTY(QStringList selectedSummaryItalian READ selectedSummaryItalian NOTIFY selectionChanged)

public:
    enum Roles {
        CodeRole = Qt::UserRole + 1,
        SymbolRole,
        LabelRole,
        ItalianLabelRole,
        DescriptionRole,
        SelectedRole,
        DiscreetRole,
    };
    Q_ENUM(Roles)

    explicit NeedModel(const core::Catalog &catalog, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setLanguage(const QString &lang);
    Q_INVOKABLE void toggle(const QString &code);
    void clearSelection();

    int selectedCount() const;
    std::vector<std::string> selectedCodes() const;
    bool discreetSelected() const;
    // What the summary and ticket show, in the chosen language and in Italian.
    QStringList selectedSummary() const;
    QStringList selectedSummaryItalian() const;

    // The neutral wording of a discreet category, in the current UI language.
    static QString discreetWording();

Q_SIGNALS:
    void selectionChanged();

private:
    struct Need {
        const v1::CatalogCode *code;
        bool selected = false;
    };

    QString label(const Need &need, std::string_view lang) const;
    QStringList summary(std::string_view lang) const;

    const core::Catalog &m_catalog;
    std::vector<Need> m_needs;
    std::string m_lang = std::string(core::kReferenceLanguage);
};

} // namespace sigess::kiosk
