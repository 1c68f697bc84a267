#include "kiosk_app.h"

#include "qr_code.h"

#include <QClipboard>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QQmlEngine>

namespace sigess::kiosk {

KioskApp::KioskApp(KioskConfig config, core::Catalog catalog, const core::Clock &clock, store::Argon2Cost argon2,
    sync::SyncClient *client, QObject *parent)
    : QObject(parent)
    , m_catalog(std::move(catalog))
    , m_service(std::make_unique<CheckInService>(std::move(config), clock, argon2, client))
    , m_session(std::make_unique<KioskSession>(m_catalog, clock, *m_service))
    , m_announcer(std::make_unique<CallAnnouncer>(*m_session->narrator(),
          m_service->config().spokenCalls ? CallAnnouncer::Speech::On : CallAnnouncer::Speech::Off,
          CallAnnouncer::chimeForThisMachine()))
{
    connect(m_service.get(), &CheckInService::queueChanged, this, [this] { m_queue.setTickets(m_service->queue()); });
    connect(m_service.get(), &CheckInService::outOfServiceChanged, m_session.get(), &KioskSession::clear);
    connect(m_session.get(), &KioskSession::languageChanged, this, [this] { applyLanguage(m_session->language()); });
    connect(m_session.get(), &KioskSession::cleared, this, [] {
        if (auto *gui = qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
            gui->clipboard()->clear();
    });
}

KioskApp::~KioskApp()
{
    if (m_translatorInstalled)
        QCoreApplication::removeTranslator(&m_translator);
}

QString KioskApp::presidioName() const
{
    const std::string code = m_service->config().presidio.toStdString();
    for (const v1::PresidioInfo &presidio : m_catalog.release().presidi()) {
        if (presidio.code() == code)
            return QString::fromStdString(presidio.name());
    }
    return m_service->config().presidio;
}

void KioskApp::attach(QQmlEngine &engine)
{
    engine.addImageProvider(QStringLiteral("qr"), new QrImageProvider);
    m_engine = &engine;
}

bool KioskApp::applyLanguage(const QString &lang)
{
    if (m_translatorInstalled) {
        QCoreApplication::removeTranslator(&m_translator);
        m_translatorInstalled = false;
    }
    bool loaded = lang == QString::fromUtf8(core::kReferenceLanguage);
    if (!loaded && m_translator.load(QStringLiteral(":/i18n/sigess_kiosk_%1.qm").arg(lang)))
        loaded = m_translatorInstalled = QCoreApplication::installTranslator(&m_translator);
    if (m_engine)
        m_engine->retranslate();
    return loaded;
}

bool KioskApp::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::TouchBegin:
        m_session->touched();
        break;
    case QEvent::KeyPress: {
        m_session->touched();
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (const auto scanned = m_wedge.enter(key->timestamp())) {
                m_session->scanCodiceFiscale(*scanned);
                return true;
            }
        } else if (key->text().size() == 1 && key->text().front().isLetterOrNumber()) {
            m_wedge.character(key->text().front(), key->timestamp());
        }
        break;
    }
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace sigess::kiosk
