#include "kiosk_session.h"

#include "barcode_wedge.h"
#include "receipt.h"

#include "core/codice_fiscale.h"

#include <QDateTime>
#include <QLocale>

#include <chrono>

namespace sigess::kiosk {

namespace {

std::chrono::year_month_day today(const core::Clock &clock)
{
    const std::chrono::sys_time<std::chrono::milliseconds> now { std::chrono::milliseconds(clock.nowMs()) };
    return std::chrono::year_month_day { std::chrono::floor<std::chrono::days>(now) };
}

bool onlyLettersAndDigits(const QString &text)
{
    return std::ranges::all_of(text, [](QChar c) { return c.isLetterOrNumber() && c.unicode() < 0x80; });
}

} // namespace

KioskSession::KioskSession(
    const core::Catalog &catalog, const core::Clock &clock, CheckInService &service, QObject *parent)
    : QObject(parent)
    , m_catalog(catalog)
    , m_clock(clock)
    , m_service(service)
    , m_languages(catalog)
    , m_needs(catalog)
    , m_inactivity(clock, static_cast<std::uint64_t>(service.config().idleSeconds) * 1000,
          static_cast<std::uint64_t>(service.config().countdownSeconds) * 1000)
    , m_language(QString::fromUtf8(core::kReferenceLanguage))
{
    connect(&m_needs, &NeedModel::selectionChanged, this, &KioskSession::touched);
    connect(this, &KioskSession::languageChanged, this, [this] { m_narrator.setLanguage(m_language); });
    connect(this, &KioskSession::cleared, &m_narrator, &Narrator::stop);
    connect(&m_inactivity, &InactivityGuard::expired, this, &KioskSession::clear);
    connect(&m_service, &CheckInService::checkedIn, this, &KioskSession::onCheckedIn);
    connect(&m_service, &CheckInService::checkInFailed, this, [this] {
        if (m_step != Step::Issuing)
            return;
        go(Step::Confirm);
        fail(tr("Non è stato possibile registrare la sua richiesta. Per favore si rivolga allo sportello."));
    });
    connect(&m_service, &CheckInService::printed, this, [this](bool succeeded) {
        if (m_step != Step::Ticket || m_printState != PrintState::Printing)
            return;
        m_printState = succeeded ? PrintState::Printed : PrintState::PrintFailed;
        Q_EMIT ticketChanged();
    });
}

bool KioskSession::rightToLeft() const
{
    return m_languages.rightToLeft(m_language);
}

void KioskSession::go(Step step)
{
    if (!m_errorMessage.isEmpty()) {
        m_errorMessage.clear();
        Q_EMIT errorMessageChanged();
    }
    m_step = step;
    m_inactivity.setArmed(step != Step::Welcome);
    Q_EMIT stepChanged();
}

void KioskSession::fail(const QString &message)
{
    m_errorMessage = message;
    Q_EMIT errorMessageChanged();
}

void KioskSession::touched()
{
    m_inactivity.noteActivity();
}

void KioskSession::chooseLanguage(const QString &lang)
{
    if (m_step != Step::Welcome || !m_languages.contains(lang))
        return;
    m_language = lang;
    m_needs.setLanguage(lang);
    Q_EMIT languageChanged();
    go(Step::Privacy);
}

void KioskSession::giveConsent()
{
    if (m_step != Step::Privacy)
        return;
    m_consent = true;
    go(Step::Identify);
}

void KioskSession::continueWithoutData()
{
    if (m_step != Step::Privacy)
        return;
    m_consent = false;
    go(Step::Needs);
}

void KioskSession::setCodiceFiscale(const QString &text)
{
    if (m_step != Step::Identify)
        return;
    touched();
    m_codiceFiscale = QString::fromStdString(core::normalizeCodiceFiscale(text.toStdString()));
    validateCodiceFiscale();
}

void KioskSession::validateCodiceFiscale()
{
    const qsizetype length = m_codiceFiscale.size();
    if (length == 0) {
        m_cfStatus = CfStatus::Empty;
        m_cfMessage.clear();
    } else if (!onlyLettersAndDigits(m_codiceFiscale)) {
        m_cfStatus = CfStatus::Invalid;
        m_cfMessage = tr("Il codice fiscale contiene solo lettere e numeri. Lo controlli sulla tessera sanitaria.");
    } else if (length < BarcodeWedge::codiceFiscaleLength) {
        m_cfStatus = CfStatus::Incomplete;
        m_cfMessage = tr("%1 caratteri su 16").arg(length);
    } else if (length > BarcodeWedge::codiceFiscaleLength) {
        m_cfStatus = CfStatus::Invalid;
        m_cfMessage = tr("Il codice fiscale ha 16 caratteri: forse ne è stato scritto uno in più.");
    } else if (core::parseCodiceFiscale(m_codiceFiscale.toStdString(), today(m_clock)).ok()) {
        m_cfStatus = CfStatus::Valid;
        m_cfMessage = tr("Il codice fiscale è corretto.");
    } else {
        m_cfStatus = CfStatus::Invalid;
        m_cfMessage = tr("Questo codice non sembra giusto. Lo controlli sulla tessera sanitaria, "
                         "oppure continui senza: va bene lo stesso.");
    }
    Q_EMIT identityChanged();
}

void KioskSession::confirmCodiceFiscale()
{
    if (m_step == Step::Identify && m_cfStatus == CfStatus::Valid)
        go(Step::Needs);
}

void KioskSession::scanCodiceFiscale(const QString &text)
{
    if (m_step != Step::Identify)
        return;
    setCodiceFiscale(text);
    confirmCodiceFiscale();
}

void KioskSession::setGivenName(const QString &text)
{
    if (m_step != Step::Identify)
        return;
    touched();
    m_givenName = text.simplified().left(60);
    Q_EMIT identityChanged();
}

void KioskSession::setPhone(const QString &text)
{
    if (m_step != Step::Identify)
        return;
    touched();
    QString digits;
    for (QChar c : text) {
        if (c.isDigit() || (c == QLatin1Char('+') && digits.isEmpty()))
            digits.append(c);
    }
    m_phone = digits.left(16);
    Q_EMIT identityChanged();
}

void KioskSession::continueWithName()
{
    if (m_step != Step::Identify)
        return;
    if (m_givenName.isEmpty())
        return fail(tr("Scriva il suo nome, oppure torni indietro e continui senza dati."));
    // The name path replaces a half-typed codice fiscale rather than sending both.
    m_codiceFiscale.clear();
    validateCodiceFiscale();
    go(Step::Needs);
}

void KioskSession::toggleNeed(const QString &code)
{
    if (m_step == Step::Needs)
        m_needs.toggle(code);
}

void KioskSession::setDetail(const QString &text)
{
    if (m_step != Step::Needs)
        return;
    touched();
    m_detail = text.left(detailMaxLength);
    Q_EMIT detailChanged();
}

void KioskSession::reviewNeeds()
{
    if (m_step != Step::Needs)
        return;
    if (m_needs.selectedCount() == 0)
        return fail(tr("Tocchi almeno un riquadro: quello che più si avvicina al suo bisogno."));
    go(Step::Confirm);
}

void KioskSession::confirm()
{
    if (m_step != Step::Confirm)
        return;
    v1::Intake intake;
    intake.set_language(m_language.toStdString());
    intake.set_consent_given(m_consent);
    if (m_consent) {
        intake.set_codice_fiscale(m_cfStatus == CfStatus::Valid ? m_codiceFiscale.toStdString() : std::string());
        intake.set_given_name(m_givenName.toStdString());
        intake.set_phone(m_phone.toStdString());
    }
    for (const std::string &code : m_needs.selectedCodes())
        intake.add_needs(code);
    intake.set_detail(m_detail.toStdString());
    intake.set_priority(m_needs.discreetSelected());
    go(Step::Issuing);
    m_service.checkIn(std::move(intake));
}

void KioskSession::onCheckedIn(const CheckIn &checkIn)
{
    if (m_step != Step::Issuing)
        return;
    // What the citizen typed is in the encrypted store now; the screen no longer needs it.
    m_codiceFiscale.clear();
    m_givenName.clear();
    m_phone.clear();
    m_detail.clear();
    validateCodiceFiscale();
    Q_EMIT detailChanged();

    m_ticketNumber = QString::fromStdString(checkIn.ticket.number());
    m_ticketQr = ticketQrPayload(QString::fromStdString(checkIn.ticket.meta().id()));
    m_waitMinutes = checkIn.wait.minutes;
    m_waitingAhead = checkIn.wait.ahead;
    m_printState = m_service.hasPrinter() ? PrintState::Printing : PrintState::NoPrinter;
    if (m_service.hasPrinter()) {
        const QDateTime issued = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(checkIn.ticket.issued().wall_ms()));
        m_service.print(encodeEscPos({ presidioName(), m_ticketNumber,
            QLocale(QLocale::Italian).toString(issued, QStringLiteral("dd/MM/yyyy HH:mm")), m_waitMinutes,
            m_waitingAhead, m_ticketQr }));
    }
    Q_EMIT ticketChanged();
    go(Step::Ticket);
}

QString KioskSession::presidioName() const
{
    const std::string code = m_service.config().presidio.toStdString();
    for (const v1::PresidioInfo &presidio : m_catalog.release().presidi()) {
        if (presidio.code() == code)
            return QString::fromStdString(presidio.name());
    }
    return m_service.config().presidio;
}

void KioskSession::back()
{
    switch (m_step) {
    case Step::Privacy: return go(Step::Welcome);
    case Step::Identify: return go(Step::Privacy);
    case Step::Needs: return go(m_consent ? Step::Identify : Step::Privacy);
    case Step::Confirm: return go(Step::Needs);
    case Step::Welcome:
    case Step::Issuing:
    case Step::Ticket: return;
    }
}

void KioskSession::clear()
{
    m_consent = false;
    m_codiceFiscale.clear();
    m_givenName.clear();
    m_phone.clear();
    m_detail.clear();
    m_ticketNumber.clear();
    m_ticketQr.clear();
    m_waitMinutes = 0;
    m_waitingAhead = 0;
    m_printState = PrintState::NoPrinter;
    m_needs.clearSelection();
    validateCodiceFiscale();
    Q_EMIT detailChanged();
    Q_EMIT ticketChanged();
    if (m_language != QString::fromUtf8(core::kReferenceLanguage)) {
        m_language = QString::fromUtf8(core::kReferenceLanguage);
        m_needs.setLanguage(m_language);
        Q_EMIT languageChanged();
    }
    go(Step::Welcome);
    Q_EMIT cleared();
}

} // namespace sigess::kiosk
