// The kiosk's privacy timeout. After `idleMs` without a touch, a full-screen countdown
// of `countdownMs` appears; a touch dismisses it; at zero, expired() is emitted and the
// session clears everything. Time comes from a core::Clock, and poll() is what moves the
// guard on: the app polls it from a timer, tests after moving a ManualClock.
// Thread safety: GUI thread only.
#pragma once

#include "core/clock.h"

#include <QObject>
#include <QtQml/qqmlregistration.h>

#include <cstdint>

namespace sigess::kiosk {

class InactivityGuard : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Each kiosk session owns its inactivity guard.")
    Q_PROPERTY(bool countdownVisible READ countdownVisible NOTIFY changed)
    Q_PROPERTY(int secondsLeft READ secondsLeft NOTIFY changed)

public:
    InactivityGuard(const core::Clock &clock, std::uint64_t idleMs, std::uint64_t countdownMs, QObject *parent = nullptr);

    bool countdownVisible() const { return m_countdownVisible; }
    int secondsLeft() const { return m_secondsLeft; }

    // Watching starts when a citizen begins and stops when the kiosk is back at rest.
    void setArmed(bool armed);
    bool armed() const { return m_armed; }

    Q_INVOKABLE void noteActivity();
    void poll();

Q_SIGNALS:
    void changed();
    void expired();

private:
    void show(bool visible, int secondsLeft);

    const core::Clock &m_clock;
    std::uint64_t m_idleMs;
    std::uint64_t m_countdownMs;
    std::uint64_t m_lastActivityMs = 0;
    bool m_armed = false;
    bool m_countdownVisible = false;
    int m_secondsLeft = 0;
};

} // namespace sigess::kiosk
