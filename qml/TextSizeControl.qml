import QtQuick
import QtQuick.Layouts

// Three text sizes for the whole screen; the current one is marked for assistive
// technology as checked.
RowLayout {
    id: control
    spacing: Theme.spacing
    property string label: qsTr("Dimensione del testo")
    Accessible.role: Accessible.Grouping
    Accessible.name: label

    Repeater {
        model: [1.0, 1.3, 1.6]
        TouchButton {
            required property real modelData
            required property int index
            text: "A" + "+".repeat(index)
            checkable: true
            checked: Theme.textScale === modelData
            font.pixelSize: 20 * modelData
            Accessible.name: control.label + " " + (index + 1)
            Accessible.checkable: true
            Accessible.checked: checked
            onClicked: Theme.textScale = modelData
        }
    }
}
