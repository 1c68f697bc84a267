// QR codes for tickets, made with libqrencode: the module grid, a QImage of it for the
// screen, and an image provider so QML shows "image://qr/<text>".
// Thread safety: QrCode is a value type; the provider may be called on any thread.
#pragma once

#include "core/result.h"

#include <QImage>
#include <QQuickImageProvider>

#include <string_view>
#include <vector>

namespace sigess::kiosk {

class QrCode {
public:
    // Error correction level M (15 % of the symbol may be lost), 8-bit mode.
    static Result<QrCode> encode(std::string_view text);

    int size() const { return m_size; }  // modules per side
    bool dark(int x, int y) const { return m_modules[static_cast<std::size_t>(y * m_size + x)]; }
    // `scale` pixels per module and the standard quiet zone of 4 modules.
    QImage toImage(int scale) const;

private:
    int m_size = 0;
    std::vector<bool> m_modules;
};

class QrImageProvider : public QQuickImageProvider {
public:
    QrImageProvider();
    QImage requestImage(const QString &id, QSize *size, const QSize &requestedSize) override;
};

} // namespace sigess::kiosk
