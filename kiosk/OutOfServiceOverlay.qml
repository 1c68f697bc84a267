import QtQuick
import Sigess.Ui

// Over everything, for good, once the backend has wiped this kiosk (its device was
// revoked): nothing to touch, only where to turn.
Rectangle {
    id: overlay
    color: Theme.text
    Accessible.role: Accessible.AlertMessage
    Accessible.name: message.text

    // Swallows every touch: nothing below is usable any more.
    MouseArea { anchors.fill: parent }

    Text {
        id: message
        anchors.centerIn: parent
        width: parent.width * 0.8
        horizontalAlignment: Text.AlignHCenter
        text: qsTr("Questo chiosco è fuori servizio. Per favore, si rivolga al personale.")
        color: Theme.background
        font.pixelSize: Theme.titleSize
        font.bold: true
        wrapMode: Text.WordWrap
    }
}
