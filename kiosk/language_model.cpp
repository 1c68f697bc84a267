#include "language_model.h"

namespace sigess::kiosk {

LanguageModel::LanguageModel(const core::Catalog &catalog, QObject *parent)
    : QAbstractListModel(parent), m_catalog(catalog)
{
}

int LanguageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_catalog.release().language_info_size();
}

QVariant LanguageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const v1::Language &language = m_catalog.release().language_info(index.row());
    switch (role) {
    case LangRole: return QString::fromStdString(language.lang());
    case Qt::DisplayRole:
    case NameRole: return QString::fromStdString(language.name());
    case RightToLeftRole: return language.right_to_left();
    default: return {};
    }
}

QHash<int, QByteArray> LanguageModel::roleNames() const
{
    return { { LangRole, "lang" }, { NameRole, "name" }, { RightToLeftRole, "rightToLeft" } };
}

const v1::Language *LanguageModel::find(const QString &lang) const
{
    for (const v1::Language &language : m_catalog.release().language_info()) {
        if (QString::fromStdString(language.lang()) == lang)
            return &language;
    }
    return nullptr;
}

bool LanguageModel::contains(const QString &lang) const
{
    return find(lang) != nullptr;
}

bool LanguageModel::rightToLeft(const QString &lang) const
{
    const v1::Language *language = find(lang);
    return language && language->right_to_left();
}

} // namespace sigess::kiosk
