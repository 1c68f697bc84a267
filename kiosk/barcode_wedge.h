// Tells a health-card barcode scanner from a person at a keyboard. A keyboard-wedge
// scanner "types" the codice fiscale printed as Code 39 on the Tessera Sanitaria as a
// burst of key presses a few milliseconds apart, ending in Enter; a person (or the
// virtual keyboard) types far slower. A burst of at least `minimumLength` characters,
// none more than `maxGapMs` after the previous one, ended by Enter, is a scan.
// Thread safety: a value type.
#pragma once

#include <QString>

#include <cstdint>
#include <optional>

namespace sigess::kiosk {

class BarcodeWedge {
public:
    static constexpr std::uint64_t defaultMaxGapMs = 50;
    static constexpr int codiceFiscaleLength = 16;

    explicit BarcodeWedge(std::uint64_t maxGapMs = defaultMaxGapMs, int minimumLength = codiceFiscaleLength);

    // One printable character typed at `atMs`.
    void character(QChar c, std::uint64_t atMs);
    // Enter at `atMs`: the scanned text when what came before was a scan.
    std::optional<QString> enter(std::uint64_t atMs);

private:
    std::uint64_t m_maxGapMs;
    int m_minimumLength;
    QString m_burst;
    std::uint64_t m_lastMs = 0;
};

} // namespace sigess::kiosk
