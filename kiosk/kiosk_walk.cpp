#include "kiosk_walk.h"

#include <QEventLoop>
#include <QTimer>

namespace sigess::kiosk {

namespace {

constexpr int kIssueTimeoutMs = 30'000;

bool waitForTicket(KioskSession &session)
{
    if (session.step() != KioskSession::Step::Issuing)
        return session.step() == KioskSession::Step::Ticket;
    QEventLoop loop;
    QObject::connect(&session, &KioskSession::stepChanged, &loop, &QEventLoop::quit);
    QTimer::singleShot(kIssueTimeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return session.step() == KioskSession::Step::Ticket;
}

} // namespace

bool walkEveryStep(KioskSession &session, const QString &lang, const std::function<void(const QString &)> &atStep)
{
    using Step = KioskSession::Step;
    const auto at = [&](Step expected, const char *name) {
        if (session.step() != expected)
            return false;
        atStep(QString::fromLatin1(name));
        return true;
    };
    session.clear();
    if (!at(Step::Welcome, "welcome"))
        return false;
    session.chooseLanguage(lang);
    if (!at(Step::Privacy, "privacy"))
        return false;
    session.giveConsent();
    session.setCodiceFiscale(QStringLiteral("RSSMRA85T10A562"));
    if (!at(Step::Identify, "identify"))
        return false;
    session.setCodiceFiscale(QStringLiteral("RSSMRA85T10A562S"));
    session.confirmCodiceFiscale();
    const QModelIndex first = session.needs()->index(0);
    session.toggleNeed(first.data(NeedModel::CodeRole).toString());
    if (!at(Step::Needs, "needs"))
        return false;
    session.reviewNeeds();
    if (!at(Step::Confirm, "confirm"))
        return false;
    session.confirm();
    if (!waitForTicket(session) || !at(Step::Ticket, "ticket"))
        return false;
    return true;
}

} // namespace sigess::kiosk
