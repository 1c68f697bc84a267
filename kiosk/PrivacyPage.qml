import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Sigess.Ui
import Sigess.Kiosk

// The short privacy notice (informativa) and the choice: give data, or go on without.
KioskPage {
    id: page
    title: qsTr("I suoi dati")
    spokenText: title + ". " + notice.text

    Flickable {
        Layout.fillWidth: true
        Layout.fillHeight: true
        contentHeight: notice.implicitHeight
        clip: true
        Text {
            id: notice
            width: parent.width
            color: Theme.text
            font.pixelSize: Theme.bodySize
            wrapMode: Text.WordWrap
            textFormat: Text.PlainText
            lineHeight: 1.3
            text: qsTr("Il Comune di Roma usa i dati che lei ci dà solo per aiutarla: per capire di cosa ha bisogno e per prepararsi a incontrarla.")
                + "\n\n" + qsTr("I dati restano nel sistema dei servizi sociali. Non li vede nessun altro e non sono mai mostrati su questo schermo alla persona che viene dopo di lei.")
                + "\n\n" + qsTr("Può continuare anche senza dare i suoi dati: riceverà comunque un numero e sarà ascoltato.")
                + "\n\n" + qsTr("Può chiedere allo sportello di vedere, correggere o cancellare i suoi dati.")
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }
    }

    actions: [
        TouchButton {
            text: qsTr("Continuo senza dare i miei dati")
            onClicked: page.session.continueWithoutData()
        },
        TouchButton {
            text: qsTr("Accetto")
            onClicked: page.session.giveConsent()
        }
    ]
}
