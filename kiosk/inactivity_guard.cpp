#include "inactivity_guard.h"

namespace sigess::kiosk {

InactivityGuard::InactivityGuard(
    const core::Clock &clock, std::uint64_t idleMs, std::uint64_t countdownMs, QObject *parent)
    : QObject(parent), m_clock(clock), m_idleMs(idleMs), m_countdownMs(countdownMs)
{
}

void InactivityGuard::setArmed(bool armed)
{
    m_armed = armed;
    noteActivity();
}

void InactivityGuard::noteActivity()
{
    m_lastActivityMs = m_clock.nowMs();
    show(false, 0);
}

void InactivityGuard::poll()
{
    if (!m_armed)
        return;
    const std::uint64_t now = m_clock.nowMs();
    // A wall clock set back counts as activity rather than as an eternity of idleness.
    const std::uint64_t idle = now >= m_lastActivityMs ? now - m_lastActivityMs : 0;
    if (idle < m_idleMs)
        return show(false, 0);
    if (idle >= m_idleMs + m_countdownMs) {
        m_armed = false;
        show(false, 0);
        Q_EMIT expired();
        return;
    }
    const std::uint64_t left = m_idleMs + m_countdownMs - idle;
    show(true, static_cast<int>((left + 999) / 1000));
}

void InactivityGuard::show(bool visible, int secondsLeft)
{
    if (visible == m_countdownVisible && secondsLeft == m_secondsLeft)
        return;
    m_countdownVisible = visible;
    m_secondsLeft = secondsLeft;
    Q_EMIT changed();
}

} // namespace sigess::kiosk
