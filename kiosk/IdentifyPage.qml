import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Sigess.Ui
import Sigess.Kiosk

// Identification: the codice fiscale typed (checked as it is typed) or read from the
// health card by the scanner, or, without one, a first name and an optional phone.
KioskPage {
    id: page
    title: qsTr("Chi è lei?")

    Text {
        Layout.fillWidth: true
        text: qsTr("Scriva il suo codice fiscale, oppure avvicini il codice a barre della tessera sanitaria al lettore.")
        color: Theme.text
        font.pixelSize: Theme.bodySize
        wrapMode: Text.WordWrap
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: 2 * Theme.spacing
        TouchTextField {
            id: codiceFiscale
            Layout.fillWidth: true
            focus: true
            text: page.session.codiceFiscale
            placeholderText: qsTr("Codice fiscale")
            maximumLength: 20
            font.capitalization: Font.AllUppercase
            inputMethodHints: Qt.ImhNoPredictiveText | Qt.ImhSensitiveData | Qt.ImhPreferUppercase | Qt.ImhLatinOnly
            onTextEdited: page.session.setCodiceFiscale(text)
            Keys.onReturnPressed: page.session.confirmCodiceFiscale()
        }
        TouchButton {
            text: qsTr("Continua")
            enabled: page.session.codiceFiscaleStatus === KioskSession.Valid
            onClicked: page.session.confirmCodiceFiscale()
        }
    }
    Text {
        Layout.fillWidth: true
        text: page.session.codiceFiscaleMessage
        visible: text.length > 0
        color: page.session.codiceFiscaleStatus === KioskSession.Invalid ? Theme.danger : Theme.mutedText
        font.pixelSize: Theme.bodySize
        wrapMode: Text.WordWrap
        Accessible.role: Accessible.StaticText
        Accessible.name: text
    }

    Rectangle { Layout.fillWidth: true; Layout.preferredHeight: 2; color: Theme.surface }

    Text {
        Layout.fillWidth: true
        text: qsTr("Non ha il codice fiscale? Ci dica solo il suo nome.")
        color: Theme.text
        font.pixelSize: Theme.bodySize
        font.bold: true
        wrapMode: Text.WordWrap
    }
    TouchTextField {
        Layout.fillWidth: true
        text: page.session.givenName
        placeholderText: qsTr("Nome")
        maximumLength: 60
        onTextEdited: page.session.setGivenName(text)
    }
    TouchTextField {
        Layout.fillWidth: true
        text: page.session.phone
        placeholderText: qsTr("Telefono (se vuole)")
        maximumLength: 16
        inputMethodHints: Qt.ImhDialableCharactersOnly | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData
        onTextEdited: page.session.setPhone(text)
    }
    Item { Layout.fillHeight: true }

    actions: TouchButton {
        text: qsTr("Continua con il nome")
        onClicked: page.session.continueWithName()
    }
}
