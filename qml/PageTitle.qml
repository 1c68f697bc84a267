import QtQuick

// The heading of a page, exposed to assistive technology as a heading.
Text {
    font.pixelSize: Theme.titleSize
    font.bold: true
    color: Theme.text
    wrapMode: Text.WordWrap
    Accessible.role: Accessible.Heading
    Accessible.name: text
}
