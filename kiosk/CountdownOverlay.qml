import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Sigess.Ui
import Sigess.Kiosk

// The privacy countdown, over everything: a touch keeps the visit going, otherwise
// everything is cleared at zero.
Rectangle {
    id: overlay
    required property InactivityGuard guard
    color: Theme.text
    Accessible.role: Accessible.AlertMessage
    Accessible.name: message.text

    MouseArea { anchors.fill: parent; onClicked: overlay.guard.noteActivity() }

    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width * 0.8
        spacing: 4 * Theme.spacing
        Text {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("È ancora qui?")
            color: Theme.background
            font.pixelSize: Theme.titleSize
            font.bold: true
            wrapMode: Text.WordWrap
        }
        Text {
            Layout.alignment: Qt.AlignHCenter
            text: overlay.guard.secondsLeft
            color: Theme.focus
            font.pixelSize: Theme.titleSize * 4
            font.bold: true
        }
        Text {
            id: message
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Per proteggere i suoi dati, tra %1 secondi tutto sarà cancellato e si ricomincia.").arg(overlay.guard.secondsLeft)
            color: Theme.background
            font.pixelSize: Theme.bodySize
            wrapMode: Text.WordWrap
        }
        TouchButton {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Sì, continuo")
            onClicked: overlay.guard.noteActivity()
        }
    }
}
