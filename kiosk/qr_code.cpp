#include "qr_code.h"

#include <qrencode.h>

#include <memory>
#include <string>

namespace sigess::kiosk {

namespace {

constexpr int kQuietZone = 4;

} // namespace

Result<QrCode> QrCode::encode(std::string_view text)
{
    const std::string data(text);
    std::unique_ptr<QRcode, decltype(&QRcode_free)> symbol(
        QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!symbol)
        return makeError(ErrorCode::Invalid, "the text does not fit in a QR code");
    QrCode code;
    code.m_size = symbol->width;
    code.m_modules.resize(static_cast<std::size_t>(symbol->width * symbol->width));
    for (std::size_t i = 0; i < code.m_modules.size(); ++i)
        code.m_modules[i] = (symbol->data[i] & 1) != 0; // bit 0: dark module
    return code;
}

QImage QrCode::toImage(int scale) const
{
    const int side = (m_size + 2 * kQuietZone) * scale;
    QImage image(side, side, QImage::Format_Grayscale8);
    image.fill(Qt::white);
    for (int y = 0; y < m_size; ++y) {
        for (int x = 0; x < m_size; ++x) {
            if (!dark(x, y))
                continue;
            for (int dy = 0; dy < scale; ++dy) {
                uchar *line = image.scanLine((y + kQuietZone) * scale + dy);
                std::fill_n(line + (x + kQuietZone) * scale, scale, uchar { 0 });
            }
        }
    }
    return image;
}

QrImageProvider::QrImageProvider()
    : QQuickImageProvider(QQuickImageProvider::Image)
{
}

QImage QrImageProvider::requestImage(const QString &id, QSize *size, const QSize &requestedSize)
{
    Result<QrCode> code = QrCode::encode(id.toStdString());
    if (!code.ok())
        return {};
    const int wanted = requestedSize.isValid() ? std::min(requestedSize.width(), requestedSize.height()) : 0;
    const int modules = code->size() + 2 * kQuietZone;
    const QImage image = code->toImage(std::max(1, wanted / modules));
    if (size)
        *size = image.size();
    return image;
}

} // namespace sigess::kiosk
