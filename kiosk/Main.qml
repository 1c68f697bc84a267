import QtQuick
import QtQuick.Controls
import QtQuick.VirtualKeyboard
import Sigess.Ui
import Sigess.Kiosk

// The kiosk's window: one page per step of the session, built afresh at each step so
// that no page keeps what was typed on it; the on-screen keyboard; the privacy
// countdown over everything. Arabic mirrors the whole layout.
ApplicationWindow {
    id: window
    required property KioskApp app
    readonly property KioskSession session: app.session

    width: 1080
    height: 1920
    visible: true
    title: qsTr("SIgeSS — accoglienza")
    color: Theme.background
    LayoutMirroring.enabled: session.rightToLeft
    LayoutMirroring.childrenInherit: true

    Connections {
        target: window.session
        function onCleared() { Theme.textScale = 1.0 }
    }

    Loader {
        id: page
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: keyboard.top }
        focus: true
        sourceComponent: [welcome, privacy, identify, needs, confirm, confirm, ticket][window.session.step]
    }
    Component { id: welcome; WelcomePage { session: window.session; presidioName: window.app.presidioName } }
    Component { id: privacy; PrivacyPage { session: window.session } }
    Component { id: identify; IdentifyPage { session: window.session } }
    Component { id: needs; NeedsPage { session: window.session } }
    Component { id: confirm; ConfirmPage { session: window.session } }
    Component { id: ticket; TicketPage { session: window.session } }

    InputPanel {
        id: keyboard
        width: parent.width
        y: active ? parent.height - height : parent.height
        visible: active
    }

    CountdownOverlay {
        anchors.fill: parent
        guard: window.session.inactivity
        visible: guard.countdownVisible
    }

    OutOfServiceOverlay {
        objectName: "outOfService"
        anchors.fill: parent
        visible: window.app.service.outOfService
    }
}
