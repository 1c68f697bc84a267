#include "call_announcer.h"

#include "kiosk_log.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFileInfo>
#include <QAudioDevice>
#include <QMediaDevices>
#include <QSoundEffect>

namespace sigess::kiosk {

namespace {

// Qt Multimedia plays through PulseAudio (or PipeWire's PulseAudio socket) on Linux, and
// asking it for the outputs of a machine with no sound server prints a warning of its
// own; so the server's socket is looked for where libpulse looks first.
bool soundServerPresent()
{
    if (qEnvironmentVariableIsSet("PULSE_SERVER"))
        return true;
    const QString runtime = qEnvironmentVariable("XDG_RUNTIME_DIR");
    return (!runtime.isEmpty() && QFileInfo::exists(runtime + QStringLiteral("/pulse/native")))
        || QFileInfo::exists(QStringLiteral("/run/pulse/native"));
}

} // namespace

CallAnnouncer::Chime CallAnnouncer::chimeForThisMachine()
{
    if (!soundServerPresent())
        return Chime::Silent;
    return QMediaDevices::audioOutputs().isEmpty() ? Chime::Silent : Chime::Audible;
}

CallAnnouncer::CallAnnouncer(Narrator &narrator, Speech speech, Chime chime, QObject *parent)
    : QObject(parent)
    , m_narrator(narrator)
    , m_speech(speech)
    , m_chimeMode(chime)
{
    if (m_chimeMode == Chime::Silent)
        qCInfo(kioskLog, "no audio output: calls are announced without the chime");
    m_afterChime.setSingleShot(true);
    m_afterChime.setInterval(chimeMs);
    connect(&m_afterChime, &QTimer::timeout, this, [this] {
        if (m_speech == Speech::On && m_narrator.available())
            m_narrator.say(m_lastAnnouncement);
    });
}

void CallAnnouncer::announce(const QString &words)
{
    if (m_chimeMode == Chime::Audible) {
        // Loaded on the first call, so a kiosk that never announces never decodes it.
        if (!m_chime) {
            m_chime = new QSoundEffect(this);
            m_chime->setSource(QUrl(QStringLiteral("qrc:/sigess/kiosk/sounds/chime.wav")));
        }
        // A call that comes while the last one is still chiming replaces it: the room
        // hears the latest call in full rather than two halves.
        m_chime->stop();
        m_chime->play();
    }
    m_lastAnnouncement = words;
    ++m_announcements;
    m_afterChime.start();
    Q_EMIT announced(words);
}

CallAnnouncer::~CallAnnouncer()
{
    // Qt 6.4's sample cache deadlocks at exit while it is still decoding a sample, so the
    // chime finishes loading before the announcer goes.
    const QDeadlineTimer deadline(2000);
    while (m_chime && m_chime->status() == QSoundEffect::Loading && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
}

} // namespace sigess::kiosk
