import QtQuick
import QtTest
import Sigess.Ui

Item {
    width: 800
    height: 600

    TouchButton {
        id: shortLabel
        text: "OK"
    }
    TouchButton {
        id: longLabel
        y: 200
        width: 300
        text: "Continua senza lasciare i miei dati personali"
    }

    TestCase {
        name: "Controls"
        when: windowShown

        function test_touchTargetsAreAtLeastNineMillimetres() {
            verify(Theme.minimumTouch >= 9 * Theme.millimetre)
            verify(Theme.minimumTouch >= 44)
            verify(shortLabel.height >= Theme.minimumTouch)
            verify(shortLabel.width >= Theme.minimumTouch)
            verify(longLabel.height >= Theme.minimumTouch)
        }

        function test_buttonIsAnnouncedByItsText() {
            compare(shortLabel.Accessible.name, "OK")
            compare(shortLabel.Accessible.role, Accessible.Button)
        }

        function test_textScaleEnlargesText() {
            const before = shortLabel.font.pixelSize
            Theme.textScale = 1.5
            compare(shortLabel.font.pixelSize, before * 1.5)
            verify(shortLabel.height >= Theme.minimumTouch)
            Theme.textScale = 1.0
        }

        function test_clickEmitsClicked() {
            let clicks = 0
            shortLabel.clicked.connect(function() { clicks += 1 })
            mouseClick(shortLabel)
            compare(clicks, 1)
        }
    }
}
