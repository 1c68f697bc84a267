import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Sigess.Ui
import Sigess.Kiosk

// The ticket: the number the citizen will be called by (never their name), the wait,
// the QR code, and whether it was printed.
KioskPage {
    id: page
    title: qsTr("Il suo numero")
    canGoBack: false
    spokenText: title + ": " + session.ticketNumber

    Text {
        Layout.alignment: Qt.AlignHCenter
        text: page.session.ticketNumber
        color: Theme.text
        font.pixelSize: Theme.titleSize * 3
        font.bold: true
        Accessible.role: Accessible.StaticText
        Accessible.name: page.title + " " + text
    }
    Text {
        Layout.fillWidth: true
        horizontalAlignment: Text.AlignHCenter
        text: page.session.waitingAhead === 0 ? qsTr("Non c'è nessuno prima di lei.")
              : qsTr("Persone prima di lei: %1. Attesa stimata: circa %2 minuti.")
                    .arg(page.session.waitingAhead).arg(page.session.waitMinutes)
        color: Theme.text
        font.pixelSize: Theme.bodySize * 1.2
        wrapMode: Text.WordWrap
    }
    Image {
        Layout.alignment: Qt.AlignHCenter
        Layout.preferredWidth: Math.min(page.width, page.height) * 0.3
        Layout.preferredHeight: Layout.preferredWidth
        source: page.session.ticketQr.length > 0 ? "image://qr/" + page.session.ticketQr : ""
        sourceSize: Qt.size(Layout.preferredWidth, Layout.preferredWidth)
        smooth: false
        Accessible.role: Accessible.Graphic
        Accessible.name: qsTr("Codice QR del suo numero")
    }
    Text {
        Layout.fillWidth: true
        horizontalAlignment: Text.AlignHCenter
        text: [qsTr("Ricordi il suo numero o lo fotografi: non c'è una stampante."),
               qsTr("Stampa del biglietto in corso…"),
               qsTr("Prenda il biglietto stampato."),
               qsTr("La stampante non funziona: ricordi il suo numero o lo fotografi.")][page.session.printState]
        color: Theme.text
        font.pixelSize: Theme.bodySize
        wrapMode: Text.WordWrap
    }
    Text {
        Layout.fillWidth: true
        horizontalAlignment: Text.AlignHCenter
        text: qsTr("La chiameremo per numero, mai per nome. Guardi lo schermo della sala d'attesa.")
        color: Theme.mutedText
        font.pixelSize: Theme.bodySize
        wrapMode: Text.WordWrap
    }
    Item { Layout.fillHeight: true }

    actions: TouchButton {
        text: qsTr("Fine")
        onClicked: page.session.clear()
    }
}
