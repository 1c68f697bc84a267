#include "need_model.h"

#include <QCoreApplication>

#include <algorithm>
#include <map>

namespace sigess::kiosk {

namespace {

constexpr std::string_view kNeedSystem = "NEED";
// Italian is the source language of the kiosk's own strings.
constexpr const char *kDiscreetWording = QT_TRANSLATE_NOOP("NeedModel", "Un colloquio riservato");

// The catalog names icons; the kiosk draws them with the colour emoji font
// (fonts-noto-color-emoji), which every kiosk language's reader recognises.
QString symbolFor(const std::string &icon)
{
    static const std::map<std::string, QString, std::less<>> symbols = {
        { "home", QStringLiteral("🏠") }, { "euro", QStringLiteral("💶") }, { "work", QStringLiteral("💼") },
        { "family", QStringLiteral("👪") }, { "accessible", QStringLiteral("♿") },
        { "elderly", QStringLiteral("🧓") }, { "health", QStringLiteral("🩺") },
        { "documents", QStringLiteral("📄") }, { "shield", QStringLiteral("🤝") }, { "chat", QStringLiteral("💬") },
        { "food", QStringLiteral("🍲") }, { "help", QStringLiteral("❓") },
    };
    const auto found = symbols.find(icon);
    return found == symbols.end() ? QStringLiteral("❓") : found->second;
}

} // namespace

NeedModel::NeedModel(const core::Catalog &catalog, QObject *parent)
    : QAbstractListModel(parent), m_catalog(catalog)
{
    for (const v1::CatalogCode *code : catalog.codes(kNeedSystem)) {
        if (!code->retired())
            m_needs.push_back({ code });
    }
    std::ranges::stable_sort(m_needs, {}, [](const Need &need) { return need.code->sort_order(); });
}

int NeedModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_needs.size());
}

QString NeedModel::discreetWording()
{
    return QCoreApplication::translate("NeedModel", kDiscreetWording);
}

QString NeedModel::label(const Need &need, std::string_view lang) const
{
    return QString::fromUtf8(core::pickLocalized(need.code->labels(), lang).text);
}

QVariant NeedModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Need &need = m_needs[static_cast<std::size_t>(index.row())];
    switch (role) {
    case CodeRole: return QString::fromStdString(need.code->code());
    case SymbolRole: return symbolFor(need.code->icon());
    case Qt::DisplayRole:
    case LabelRole: return label(need, m_lang);
    case ItalianLabelRole: return label(need, core::kReferenceLanguage);
    case DescriptionRole: return QString::fromUtf8(core::pickLocalized(need.code->descriptions(), m_lang).text);
    case SelectedRole: return need.selected;
    case DiscreetRole: return need.code->urgency() == v1::URGENCY_URGENT_DISCREET;
    default: return {};
    }
}

QHash<int, QByteArray> NeedModel::roleNames() const
{
    return { { CodeRole, "code" }, { SymbolRole, "symbol" }, { LabelRole, "label" },
        { ItalianLabelRole, "italianLabel" }, { DescriptionRole, "description" }, { SelectedRole, "selected" },
        { DiscreetRole, "discreet" } };
}

void NeedModel::setLanguage(const QString &lang)
{
    m_lang = lang.toStdString();
    if (!m_needs.empty())
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), { LabelRole, DescriptionRole, Qt::DisplayRole });
    Q_EMIT selectionChanged();
}

void NeedModel::toggle(const QString &code)
{
    for (std::size_t row = 0; row < m_needs.size(); ++row) {
        if (QString::fromStdString(m_needs[row].code->code()) != code)
            continue;
        m_needs[row].selected = !m_needs[row].selected;
        const QModelIndex changed = index(static_cast<int>(row));
        Q_EMIT dataChanged(changed, changed, { SelectedRole });
        Q_EMIT selectionChanged();
        return;
    }
}

void NeedModel::clearSelection()
{
    for (std::size_t row = 0; row < m_needs.size(); ++row) {
        if (!m_needs[row].selected)
            continue;
        m_needs[row].selected = false;
        const QModelIndex changed = index(static_cast<int>(row));
        Q_EMIT dataChanged(changed, changed, { SelectedRole });
    }
    Q_EMIT selectionChanged();
}

int NeedModel::selectedCount() const
{
    return static_cast<int>(std::ranges::count_if(m_needs, &Need::selected));
}

std::vector<std::string> NeedModel::selectedCodes() const
{
    std::vector<std::string> codes;
    for (const Need &need : m_needs) {
        if (need.selected)
            codes.push_back(need.code->code());
    }
    return codes;
}

bool NeedModel::discreetSelected() const
{
    return std::ranges::any_of(m_needs, [](const Need &need) {
        return need.selected && need.code->urgency() == v1::URGENCY_URGENT_DISCREET;
    });
}

QStringList NeedModel::summary(std::string_view lang) const
{
    QStringList lines;
    for (const Need &need : m_needs) {
        if (!need.selected)
            continue;
        if (need.code->urgency() != v1::URGENCY_URGENT_DISCREET)
            lines << label(need, lang);
        else if (lang == core::kReferenceLanguage)
            lines << QString::fromUtf8(kDiscreetWording);
        else
            lines << discreetWording();
    }
    return lines;
}

QStringList NeedModel::selectedSummary() const
{
    return summary(m_lang);
}

QStringList NeedModel::selectedSummaryItalian() const
{
    return summary(core::kReferenceLanguage);
}

} // namespace sigess::kiosk
