import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Sigess.Ui
import Sigess.Kiosk

// The needs: the catalog's categories as large tiles, more than one may be chosen, and
// an optional short detail.
KioskPage {
    id: page
    title: qsTr("Di cosa ha bisogno?")

    Text {
        Layout.fillWidth: true
        text: qsTr("Tocchi uno o più riquadri.")
        color: Theme.text
        font.pixelSize: Theme.bodySize
        wrapMode: Text.WordWrap
    }
    GridView {
        id: grid
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        model: page.session.needs
        cellWidth: width / (page.width > page.height ? 4 : 2)
        cellHeight: Math.max(Theme.minimumTouch * 3, 150 * Theme.textScale)
        Accessible.role: Accessible.List
        Accessible.name: page.title
        delegate: Item {
            id: cell
            required property string code
            required property string symbol
            required property string label
            required property string description
            required property bool selected
            width: grid.cellWidth
            height: grid.cellHeight

            AbstractButton {
                id: tile
                anchors.fill: parent
                anchors.margins: Theme.spacing
                checkable: true
                checked: cell.selected
                Accessible.role: Accessible.CheckBox
                Accessible.name: cell.label
                Accessible.description: cell.description
                Accessible.checkable: true
                Accessible.checked: cell.selected
                onClicked: page.session.toggleNeed(cell.code)

                background: Rectangle {
                    radius: 2 * Theme.millimetre
                    color: cell.selected ? Theme.primary : Theme.surface
                    border.width: cell.selected || tile.visualFocus ? 4 : 1
                    border.color: tile.visualFocus ? Theme.focus : Theme.text
                }
                contentItem: ColumnLayout {
                    spacing: Theme.spacing / 2
                    Text {
                        Layout.alignment: Qt.AlignHCenter
                        text: cell.selected ? "✔" : cell.symbol
                        font.pixelSize: Theme.titleSize * 1.3
                        color: cell.selected ? Theme.primaryText : Theme.text
                    }
                    Text {
                        Layout.fillWidth: true
                        text: cell.label
                        horizontalAlignment: Text.AlignHCenter
                        wrapMode: Text.WordWrap
                        font.pixelSize: Theme.bodySize
                        font.bold: true
                        color: cell.selected ? Theme.primaryText : Theme.text
                    }
                    Text {
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        text: cell.description
                        horizontalAlignment: Text.AlignHCenter
                        wrapMode: Text.WordWrap
                        elide: Text.ElideRight
                        font.pixelSize: Theme.bodySize * 0.8
                        color: cell.selected ? Theme.primaryText : Theme.mutedText
                    }
                }
            }
        }
    }
    TouchTextField {
        Layout.fillWidth: true
        text: page.session.detail
        maximumLength: page.session.detailLimit
        placeholderText: qsTr("Se vuole, scriva qualche parola in più")
        onTextEdited: page.session.setDetail(text)
    }

    actions: TouchButton {
        text: qsTr("Continua")
        onClicked: page.session.reviewNeeds()
    }
}
