pragma Singleton
import QtQuick
import QtQuick.Window

// Colours, sizes and type for every SIgeSS screen. Colour pairs meet WCAG 2.1 AA
// (4.5:1 for text); touch targets are at least 9 mm and never under 44 px.
QtObject {
    readonly property color background: "#ffffff"
    readonly property color surface: "#f2f4f7"
    readonly property color text: "#1a1a1a"            // 17.4:1 on background
    readonly property color mutedText: "#4a5360"       // 7.6:1 on background
    readonly property color primary: "#0b5cad"         // 6.5:1 with white text
    readonly property color primaryText: "#ffffff"
    readonly property color focus: "#ffbf47"
    readonly property color danger: "#b3261e"          // 6.5:1 with white text

    // Screen.pixelDensity is in pixels per millimetre.
    readonly property real millimetre: Math.max(Screen.pixelDensity, 3.78)
    readonly property real minimumTouch: Math.max(44, 9 * millimetre)
    readonly property real spacing: 2 * millimetre

    // The citizen can enlarge the text; every font size scales with it.
    property real textScale: 1.0
    readonly property real bodySize: 20 * textScale
    readonly property real titleSize: 34 * textScale
}
