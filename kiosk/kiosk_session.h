// One citizen's visit to the kiosk, as a state machine the pages follow:
//   Welcome (language) -> Privacy (consent, or continue without data)
//   -> Identify (codice fiscale typed or scanned, or first name and optional phone)
//   -> Needs (tiles, optional detail) -> Confirm -> Issuing -> Ticket -> Welcome.
// Continuing without data skips Identify. Choosing a discreet need (safety) makes the
// intake and its ticket a priority, with neutral wording on every later screen.
// Every field lives here, not in QML: clear() (the privacy timeout, "start again", the
// end of a visit) empties all of them, restores Italian and tells the pages to drop
// whatever they hold. Nothing of one citizen survives into the next visit.
// Thread safety: GUI thread only.
#pragma once

#include "check_in_service.h"
#include "inactivity_guard.h"
#include "language_model.h"
#include "narrator.h"
#include "need_model.h"

#include "core/catalog.h"
#include "core/clock.h"

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace sigess::kiosk {

class KioskSession : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The kiosk builds its session at start-up.")
    Q_PROPERTY(Step step READ step NOTIFY stepChanged)
    Q_PROPERTY(QString language READ language NOTIFY languageChanged)
    Q_PROPERTY(bool rightToLeft READ rightToLeft NOTIFY languageChanged)
    Q_PROPERTY(bool consentGiven READ consentGiven NOTIFY stepChanged)
    Q_PROPERTY(QString codiceFiscale READ codiceFiscale NOTIFY identityChanged)
    Q_PROPERTY(CfStatus codiceFiscaleStatus READ codiceFiscaleStatus NOTIFY identityChanged)
    Q_PROPERTY(QString codiceFiscaleMessage READ codiceFiscaleMessage NOTIFY identityChanged)
    Q_PROPERTY(QString givenName READ givenName NOTIFY identityChanged)
    Q_PROPERTY(QString phone READ phone NOTIFY identityChanged)
    Q_PROPERTY(QString detail READ detail NOTIFY detailChanged)
    Q_PROPERTY(int detailLimit READ detailLimit CONSTANT)
    Q_PROPERTY(QString ticketNumber READ ticketNumber NOTIFY ticketChanged)
    Q_PROPERTY(QString ticketQr READ ticketQr NOTIFY ticketChanged)
    Q_PROPERTY(int waitMinutes READ waitMinutes NOTIFY ticketChanged)
    Q_PROPERTY(int waitingAhead READ waitingAhead NOTIFY ticketChanged)
    Q_PROPERTY(PrintState printState READ printState NOTIFY ticketChanged)
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorMessageChanged)
    Q_PROPERTY(sigess::kiosk::LanguageModel *languages READ languages CONSTANT)
    Q_PROPERTY(sigess::kiosk::NeedModel *needs READ needs CONSTANT)
    Q_PROPERTY(sigess::kiosk::InactivityGuard *inactivity READ inactivity CONSTANT)
    Q_PROPERTY(sigess::kiosk::Narrator *narrator READ narrator CONSTANT)

public:
    enum class Step { Welcome, Privacy, Identify, Needs, Confirm, Issuing, Ticket };
    Q_ENUM(Step)
    enum class CfStatus { Empty, Incomplete, Invalid, Valid };
    Q_ENUM(CfStatus)
    enum class PrintState { NoPrinter, Printing, Printed, PrintFailed };
    Q_ENUM(PrintState)

    static constexpr int detailMaxLength = 200;

    // catalog, clock and service must outlive the session.
    KioskSession(const core::Catalog &catalog, const core::Clock &clock, CheckInService &service,
        QObject *parent = nullptr);

    Step step() const { return m_step; }
    QString language() const { return m_language; }
    bool rightToLeft() const;
    bool consentGiven() const { return m_consent; }
    QString codiceFiscale() const { return m_codiceFiscale; }
    CfStatus codiceFiscaleStatus() const { return m_cfStatus; }
    QString codiceFiscaleMessage() const { return m_cfMessage; }
    QString givenName() const { return m_givenName; }
    QString phone() const { return m_phone; }
    QString detail() const { return m_detail; }
    int detailLimit() const { return detailMaxLength; }
    QString ticketNumber() const { return m_ticketNumber; }
    QString ticketQr() const { return m_ticketQr; }
    int waitMinutes() const { return m_waitMinutes; }
    int waitingAhead() const { return m_waitingAhead; }
    PrintState printState() const { return m_printState; }
    QString errorMessage() const { return m_errorMessage; }
    LanguageModel *languages() { return &m_languages; }
    NeedModel *needs() { return &m_needs; }
    InactivityGuard *inactivity() { return &m_inactivity; }
    Narrator *narrator() { return &m_narrator; }

    Q_INVOKABLE void chooseLanguage(const QString &lang);
    Q_INVOKABLE void giveConsent();
    Q_INVOKABLE void continueWithoutData();
    Q_INVOKABLE void setCodiceFiscale(const QString &text);
    Q_INVOKABLE void confirmCodiceFiscale();
    // A health card read by the barcode scanner; taken only on the identification step.
    Q_INVOKABLE void scanCodiceFiscale(const QString &text);
    Q_INVOKABLE void setGivenName(const QString &text);
    Q_INVOKABLE void setPhone(const QString &text);
    Q_INVOKABLE void continueWithName();
    Q_INVOKABLE void toggleNeed(const QString &code);
    Q_INVOKABLE void setDetail(const QString &text);
    Q_INVOKABLE void reviewNeeds();
    Q_INVOKABLE void confirm();
    Q_INVOKABLE void back();
    Q_INVOKABLE void clear();
    // Any touch or key: postpones the privacy timeout.
    Q_INVOKABLE void touched();

    // True when the name and phone steps were offered (consent given).
    bool mayHoldPersonalData() const { return m_consent; }

Q_SIGNALS:
    void stepChanged();
    void languageChanged();
    void identityChanged();
    void detailChanged();
    void ticketChanged();
    void errorMessageChanged();
    // Everything was wiped: pages drop their text, the app clears the clipboard.
    void cleared();

private:
    void go(Step step);
    void fail(const QString &message);
    void validateCodiceFiscale();
    void onCheckedIn(const CheckIn &checkIn);
    QString presidioName() const;

    const core::Catalog &m_catalog;
    const core::Clock &m_clock;
    CheckInService &m_service;
    LanguageModel m_languages;
    NeedModel m_needs;
    InactivityGuard m_inactivity;
    Narrator m_narrator;

    Step m_step = Step::Welcome;
    QString m_language;
    bool m_consent = false;
    QString m_codiceFiscale;
    CfStatus m_cfStatus = CfStatus::Empty;
    QString m_cfMessage;
    QString m_givenName;
    QString m_phone;
    QString m_detail;
    QString m_ticketNumber;
    QString m_ticketQr;
    int m_waitMinutes = 0;
    int m_waitingAhead = 0;
    PrintState m_printState = PrintState::NoPrinter;
    QString m_errorMessage;
};

} // namespace sigess::kiosk
