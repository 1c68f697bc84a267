import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Sigess.Ui
import Sigess.Kiosk

// Welcome and the choice of language: each language is named in itself.
KioskPage {
    id: page
    required property string presidioName
    title: qsTr("Benvenuto ai servizi sociali")
    canGoBack: false

    Text {
        Layout.fillWidth: true
        text: page.presidioName
        color: Theme.mutedText
        font.pixelSize: Theme.bodySize
        wrapMode: Text.WordWrap
    }
    Text {
        Layout.fillWidth: true
        text: qsTr("Tocchi la sua lingua per cominciare.")
        color: Theme.text
        font.pixelSize: Theme.bodySize * 1.2
        wrapMode: Text.WordWrap
    }
    GridView {
        id: grid
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: page.session.languages
        cellWidth: width / (page.width > page.height ? 3 : 2)
        cellHeight: Theme.minimumTouch * 2.2
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Lingue")
        delegate: Item {
            id: cell
            required property string lang
            required property string name
            required property bool rightToLeft
            width: grid.cellWidth
            height: grid.cellHeight
            TouchButton {
                anchors.fill: parent
                anchors.margins: Theme.spacing
                text: cell.name
                font.pixelSize: Theme.titleSize
                LayoutMirroring.enabled: cell.rightToLeft
                onClicked: page.session.chooseLanguage(cell.lang)
            }
        }
    }
}
