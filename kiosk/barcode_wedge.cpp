#include "barcode_wedge.h"

namespace sigess::kiosk {

BarcodeWedge::BarcodeWedge(std::uint64_t maxGapMs, int minimumLength)
    : m_maxGapMs(maxGapMs), m_minimumLength(minimumLength)
{
}

void BarcodeWedge::character(QChar c, std::uint64_t atMs)
{
    if (!m_burst.isEmpty() && atMs - m_lastMs > m_maxGapMs)
        m_burst.clear();
    m_burst.append(c);
    m_lastMs = atMs;
}

std::optional<QString> BarcodeWedge::enter(std::uint64_t atMs)
{
    const bool scan = m_burst.size() >= m_minimumLength && atMs - m_lastMs <= m_maxGapMs;
    const QString text = m_burst;
    m_burst.clear();
    if (!scan)
        return std::nullopt;
    return text;
}

} // namespace sigess::kiosk
