import QtQuick
import Sigess.Ui

// Over everything, for good, while this kiosk cannot serve: the backend wiped it (its
// device was revoked) or it was never enrolled. Nothing to touch, only where to turn for
// citizens, and for staff, small below, how to bring it back.
Rectangle {
    id: overlay
    color: Theme.text
    Accessible.role: Accessible.AlertMessage
    Accessible.name: message.text

    // Swallows every touch: nothing below is usable any more.
    MouseArea { anchors.fill: parent }

    Column {
        anchors.centerIn: parent
        width: parent.width * 0.8
        spacing: Theme.titleSize

        Text {
            id: message
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Questo chiosco è fuori servizio. Per favore, si rivolga al personale.")
            color: Theme.background
            font.pixelSize: Theme.titleSize
            font.bold: true
            wrapMode: Text.WordWrap
        }

        Text {
            objectName: "staffHint"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Per il personale: il chiosco va registrato di nuovo con %1").arg("sigess-kiosk --config FILE --enroll CODE")
            color: Theme.background
            font.pixelSize: Theme.bodySize * 0.8
            wrapMode: Text.Wrap
        }
    }
}
