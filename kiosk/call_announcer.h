// How the waiting-room display announces a call: a short chime (sounds/chime.wav, in the
// resources) and then, where spoken calls are on and the display has a voice, the call
// read aloud once the chime has rung, so the two never talk over each other. A recall
// by the desk is announced again (QueueModel tells a recall from a repeat). Every
// announcement is counted and kept as lastAnnouncement: a test, offscreen and usually
// without a sound card, sees that the call was announced and with which words.
// A machine without an audio output (or without a sound server to ask) gets no chime at
// all (no QSoundEffect is made, so Qt Multimedia has nothing to complain about), one line
// in the kiosk's log saying so, and the same announcements otherwise.
// Thread safety: GUI thread only.
#pragma once

#include "narrator.h"

#include <QObject>
#include <QString>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

class QSoundEffect;

namespace sigess::kiosk {

class CallAnnouncer : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The kiosk app owns the display's announcer.")
    Q_PROPERTY(QString lastAnnouncement READ lastAnnouncement NOTIFY announced)
    Q_PROPERTY(int announcements READ announcements NOTIFY announced)

public:
    enum class Speech { Off, On };
    enum class Chime { Audible, Silent };
    Q_ENUM(Chime)

    // Silent when this machine has no audio output (asks Qt Multimedia once).
    static Chime chimeForThisMachine();

    // The chime's length: the speech waits this long after it starts.
    static constexpr int chimeMs = 1300;

    CallAnnouncer(Narrator &narrator, Speech speech, Chime chime, QObject *parent = nullptr);
    ~CallAnnouncer() override;

    QString lastAnnouncement() const { return m_lastAnnouncement; }
    int announcements() const { return m_announcements; }

    // Chimes, then says `words` (already in the display's language) if speech is on.
    Q_INVOKABLE void announce(const QString &words);

Q_SIGNALS:
    void announced(const QString &words);

private:
    Narrator &m_narrator;
    Speech m_speech;
    Chime m_chimeMode;
    QSoundEffect *m_chime = nullptr; // a child, made on the first audible call
    QTimer m_afterChime;
    QString m_lastAnnouncement;
    int m_announcements = 0;
};

} // namespace sigess::kiosk
