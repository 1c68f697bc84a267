import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Sigess.Ui

// The kiosk's window: full screen on the kiosk, a portrait 1080x1920 window elsewhere.
ApplicationWindow {
    id: window
    width: 1080
    height: 1920
    visible: true
    title: qsTr("SIgeSS — sportello")
    color: Theme.background

    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width * 0.8
        spacing: 4 * Theme.spacing

        PageTitle {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Benvenuto ai servizi sociali")
        }
        Text {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize
            text: qsTr("Il servizio di accoglienza sarà disponibile a breve. Rivolgersi allo sportello.")
        }
    }
}
