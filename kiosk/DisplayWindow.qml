import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Sigess.Ui
import Sigess.Kiosk

// The waiting-room display (sigess-kiosk --display): the tickets desks have called,
// latest first and largest, each with its desk; numbers only, never names.
ApplicationWindow {
    id: window
    required property KioskApp app

    width: 1920
    height: 1080
    visible: true
    title: qsTr("SIgeSS — numeri chiamati")
    color: Theme.text

    // Each new call (and each recall) chimes, then is spoken where the display has a voice.
    Connections {
        target: window.app.queue
        function onCalled(number, desk) {
            window.app.announcer.announce(qsTr("Numero %1, %2").arg(number).arg(desk))
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 6 * Theme.spacing
        spacing: 4 * Theme.spacing

        Text {
            Layout.fillWidth: true
            text: window.app.presidioName
            color: Theme.background
            font.pixelSize: Theme.titleSize
            font.bold: true
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        Text {
            Layout.fillWidth: true
            visible: calls.count === 0
            text: qsTr("Nessun numero chiamato per ora.")
            color: Theme.background
            font.pixelSize: Theme.titleSize
        }
        ListView {
            id: calls
            Layout.fillWidth: true
            Layout.fillHeight: true
            model: window.app.queue
            spacing: 2 * Theme.spacing
            interactive: false
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Numeri chiamati")
            delegate: Rectangle {
                id: call
                required property string number
                required property string desk
                required property bool latest
                width: calls.width
                height: (latest ? 3 : 1.5) * Theme.titleSize + 2 * Theme.spacing
                radius: Theme.millimetre
                color: latest ? Theme.focus : Theme.surface
                Accessible.role: Accessible.ListItem
                Accessible.name: number + " " + desk
                RowLayout {
                    anchors.fill: parent
                    anchors.margins: Theme.spacing
                    Text {
                        text: call.number
                        font.pixelSize: (call.latest ? 2.4 : 1.2) * Theme.titleSize
                        font.bold: true
                        color: Theme.text
                    }
                    Item { Layout.fillWidth: true }
                    Text {
                        text: "→ " + call.desk
                        font.pixelSize: (call.latest ? 1.6 : 1.0) * Theme.titleSize
                        color: Theme.text
                    }
                }
            }
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("Persone in attesa: %1").arg(window.app.queue.waitingCount)
            color: Theme.background
            font.pixelSize: Theme.bodySize * 1.5
        }
    }

    OutOfServiceOverlay {
        anchors.fill: parent
        visible: window.app.service.outOfService
    }
}
