import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Sigess.Ui
import Sigess.Kiosk

// The frame of every check-in page: text size and "start again" on top, the title, a
// message when something needs the citizen's attention, the page's content, and its
// actions at the bottom with "back" where going back makes sense.
FocusScope {
    id: page
    required property KioskSession session
    property alias title: heading.text
    property bool canGoBack: true
    // What "read aloud" says: the title, and more where a page has more to say.
    property string spokenText: title
    default property alias content: body.data
    property alias actions: actionRow.data

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 4 * Theme.spacing
        spacing: 3 * Theme.spacing

        RowLayout {
            Layout.fillWidth: true
            TextSizeControl {}
            TouchButton {
                visible: page.session.narrator.available
                text: "🔊"
                Accessible.name: qsTr("Leggi ad alta voce")
                onClicked: page.session.narrator.say(page.spokenText)
            }
            Item { Layout.fillWidth: true }
            TouchButton {
                visible: page.session.step !== KioskSession.Welcome
                text: qsTr("Ricomincia")
                onClicked: page.session.clear()
            }
        }
        PageTitle {
            id: heading
            Layout.fillWidth: true
        }
        Text {
            Layout.fillWidth: true
            visible: text.length > 0
            text: page.session.errorMessage
            color: Theme.danger
            font.pixelSize: Theme.bodySize
            font.bold: true
            wrapMode: Text.WordWrap
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
        }
        ColumnLayout {
            id: body
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 2 * Theme.spacing
        }
        RowLayout {
            id: actionRow
            Layout.fillWidth: true
            spacing: 2 * Theme.spacing
            TouchButton {
                objectName: "backButton"
                visible: page.canGoBack
                text: qsTr("Indietro")
                onClicked: page.session.back()
            }
            Item { Layout.fillWidth: true }
        }
    }
}
