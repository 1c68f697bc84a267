#include "narrator.h"

#include <QLocale>
#include <QTextToSpeech>

namespace sigess::kiosk {

Narrator::Narrator(QObject *parent)
    : QObject(parent)
{
    // Asking for an engine when none is installed only yields a warning; ask first.
    if (!QTextToSpeech::availableEngines().isEmpty())
        m_speech = std::make_unique<QTextToSpeech>();
    setLanguage(QStringLiteral("it"));
}

Narrator::~Narrator() = default;

void Narrator::setLanguage(const QString &lang)
{
    bool available = false;
    if (m_speech && m_speech->state() != QTextToSpeech::Error) {
        const QLocale wanted(lang);
        for (const QLocale &locale : m_speech->availableLocales()) {
            if (locale.language() == wanted.language()) {
                m_speech->setLocale(locale);
                available = true;
                break;
            }
        }
    }
    if (available != m_available) {
        m_available = available;
        Q_EMIT availableChanged();
    }
}

void Narrator::say(const QString &text)
{
    if (m_available)
        m_speech->say(text);
}

void Narrator::stop()
{
    if (m_speech)
        m_speech->stop();
}

} // namespace sigess::kiosk
