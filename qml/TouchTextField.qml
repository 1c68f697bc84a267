import QtQuick
import QtQuick.Controls

// A large text field for the touch screen. It learns nothing and suggests nothing (no
// prediction, sensitive data), keeps no selection and offers no copy or paste, so what
// one person types cannot reach the next.
TextField {
    id: control
    implicitHeight: Math.max(Theme.minimumTouch, contentHeight + 2 * Theme.spacing)
    font.pixelSize: Theme.bodySize
    color: Theme.text
    placeholderTextColor: Theme.mutedText
    selectByMouse: false
    persistentSelection: false
    inputMethodHints: Qt.ImhNoPredictiveText | Qt.ImhSensitiveData | Qt.ImhNoAutoUppercase
    leftPadding: 2 * Theme.spacing
    rightPadding: 2 * Theme.spacing
    Accessible.role: Accessible.EditableText
    Accessible.name: placeholderText

    background: Rectangle {
        radius: Theme.millimetre
        color: Theme.background
        border.width: control.activeFocus ? 4 : 2
        border.color: control.activeFocus ? Theme.focus : Theme.mutedText
    }
}
