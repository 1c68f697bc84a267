import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Sigess.Ui
import Sigess.Kiosk

// What the citizen is about to send, in their language with Italian beside it for the
// desk; then the ticket is issued (the store works off the GUI thread meanwhile).
KioskPage {
    id: page
    readonly property bool issuing: session.step === KioskSession.Issuing
    title: qsTr("Controlli e confermi")
    canGoBack: !issuing

    Text {
        Layout.fillWidth: true
        text: qsTr("Ha chiesto aiuto per:")
        color: Theme.text
        font.pixelSize: Theme.bodySize
    }
    Repeater {
        model: page.session.needs.selectedSummary
        Text {
            required property string modelData
            required property int index
            Layout.fillWidth: true
            text: "• " + modelData + (page.session.language === "it" ? ""
                  : "  (" + page.session.needs.selectedSummaryItalian[index] + ")")
            color: Theme.text
            font.pixelSize: Theme.bodySize * 1.2
            font.bold: true
            wrapMode: Text.WordWrap
        }
    }
    Text {
        Layout.fillWidth: true
        text: page.session.consentGiven ? qsTr("Lei ha accettato di darci i suoi dati.")
                                        : qsTr("Lei continua senza dare i suoi dati.")
        color: Theme.mutedText
        font.pixelSize: Theme.bodySize
        wrapMode: Text.WordWrap
    }
    BusyIndicator {
        Layout.alignment: Qt.AlignHCenter
        running: page.issuing
        visible: page.issuing
        Accessible.name: qsTr("Un momento, prepariamo il suo numero")
    }
    Item { Layout.fillHeight: true }

    actions: TouchButton {
        text: qsTr("Conferma e prendi il numero")
        enabled: !page.issuing
        onClicked: page.session.confirm()
    }
}
