import QtQuick
import QtQuick.Controls

// A large, high-contrast button for touch screens, announced to assistive technology
// by its text.
Button {
    id: control
    implicitHeight: Math.max(Theme.minimumTouch, contentItem.implicitHeight + 2 * Theme.spacing)
    implicitWidth: Math.max(Theme.minimumTouch, contentItem.implicitWidth + 4 * Theme.spacing)
    font.pixelSize: Theme.bodySize
    focusPolicy: Qt.StrongFocus
    Accessible.role: Accessible.Button
    Accessible.name: text

    contentItem: Text {
        text: control.text
        font: control.font
        color: Theme.primaryText
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        wrapMode: Text.WordWrap
    }
    background: Rectangle {
        radius: Theme.millimetre
        // A button that cannot be used yet is grey, still legible (7.6:1 with white).
        color: !control.enabled ? Theme.mutedText
             : control.down || control.checked ? Qt.darker(Theme.primary, 1.4) : Theme.primary
        border.width: control.visualFocus || control.checked ? 4 : 0
        border.color: control.visualFocus ? Theme.focus : Theme.text
    }
}
