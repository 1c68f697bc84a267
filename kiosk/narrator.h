// Read-aloud through Qt TextToSpeech, where the kiosk has a speech engine and a voice
// for the chosen language; otherwise `available` is false and the pages hide their
// "read aloud" button (text stays the first sense, speech the second).
// Thread safety: GUI thread only.
#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

#include <memory>

class QTextToSpeech;

namespace sigess::kiosk {

class Narrator : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The kiosk session owns its narrator.")
    Q_PROPERTY(bool available READ available NOTIFY availableChanged)

public:
    explicit Narrator(QObject *parent = nullptr);
    ~Narrator() override;

    bool available() const { return m_available; }
    // Picks a voice for the language (ISO 639-1); unavailable when there is none.
    void setLanguage(const QString &lang);
    Q_INVOKABLE void say(const QString &text);
    Q_INVOKABLE void stop();

Q_SIGNALS:
    void availableChanged();

private:
    std::unique_ptr<QTextToSpeech> m_speech; // null when no engine is installed
    bool m_available = false;
};

} // namespace sigess::kiosk
