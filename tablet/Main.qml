import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Sigess.Ui

// The tablet's window: a landscape 1280x800 window.
ApplicationWindow {
    id: window
    width: 1280
    height: 800
    visible: true
    title: qsTr("SIgeSS — operatore")
    color: Theme.background

    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width * 0.6
        spacing: 4 * Theme.spacing

        PageTitle {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("SIgeSS — cartella sociale")
        }
        Text {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            color: Theme.mutedText
            font.pixelSize: Theme.bodySize
            text: qsTr("Questo dispositivo non è ancora registrato. Chiedere all'amministratore un codice di attivazione.")
        }
    }
}
