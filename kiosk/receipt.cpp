#include "receipt.h"

#include "qr_code.h"

#include <QFile>

namespace sigess::kiosk {

namespace {

constexpr char ESC = 0x1B;
constexpr char GS = 0x1D;
constexpr int kQrDotsPerModule = 6;

// Code page 858 is Latin-1's repertoire plus the euro sign, in another order; these
// are the letters Italian needs. Anything else prints as '?'.
char toCodePage858(QChar c)
{
    if (c.unicode() < 0x80)
        return static_cast<char>(c.unicode());
    switch (c.unicode()) {
    case u'à': return static_cast<char>(0x85);
    case u'è': return static_cast<char>(0x8A);
    case u'é': return static_cast<char>(0x82);
    case u'ì': return static_cast<char>(0x8D);
    case u'ò': return static_cast<char>(0x95);
    case u'ù': return static_cast<char>(0x97);
    case u'È': return static_cast<char>(0xD4);
    case u'€': return static_cast<char>(0xD5);
    default: return '?';
    }
}

void text(QByteArray &out, const QString &line)
{
    for (QChar c : line)
        out.append(toCodePage858(c));
    out.append('\n');
}

void rasterQr(QByteArray &out, const QrCode &code)
{
    const int dots = (code.size() + 8) * kQrDotsPerModule; // with a 4-module quiet zone
    const int bytesPerRow = (dots + 7) / 8;
    out.append(GS).append('v').append('0').append('\0');
    out.append(static_cast<char>(bytesPerRow & 0xFF)).append(static_cast<char>(bytesPerRow >> 8));
    out.append(static_cast<char>(dots & 0xFF)).append(static_cast<char>(dots >> 8));
    for (int y = 0; y < dots; ++y) {
        QByteArray row(bytesPerRow, '\0');
        for (int x = 0; x < dots; ++x) {
            const int mx = x / kQrDotsPerModule - 4;
            const int my = y / kQrDotsPerModule - 4;
            if (mx >= 0 && my >= 0 && mx < code.size() && my < code.size() && code.dark(mx, my))
                row[x / 8] = static_cast<char>(row[x / 8] | (0x80 >> (x % 8)));
        }
        out.append(row);
    }
}

} // namespace

QString ticketQrPayload(const QString &ticketId)
{
    return QStringLiteral("SIGESS-TICKET:") + ticketId;
}

QByteArray encodeEscPos(const Receipt &receipt)
{
    QByteArray out;
    out.append(ESC).append('@');                             // initialise
    out.append(ESC).append('t').append(static_cast<char>(19)); // code page 858
    out.append(ESC).append('a').append('\1');                // centre
    text(out, receipt.presidio);
    text(out, QStringLiteral("Il suo numero"));
    out.append(GS).append('!').append(static_cast<char>(0x33)); // 4x width and height
    text(out, receipt.number);
    out.append(GS).append('!').append('\0');
    text(out, receipt.issuedAt);
    if (receipt.ahead == 0)
        text(out, QStringLiteral("Nessuna persona prima di lei"));
    else
        text(out, QStringLiteral("Persone prima di lei: %1 - attesa circa %2 minuti").arg(receipt.ahead).arg(receipt.waitMinutes));
    if (Result<QrCode> code = QrCode::encode(receipt.qrPayload.toStdString()); code.ok())
        rasterQr(out, *code);
    text(out, QStringLiteral("Sarà chiamato per numero, mai per nome."));
    out.append("\n\n\n");
    out.append(GS).append('V').append('B').append('\0');     // feed and partial cut
    return out;
}

Status printReceipt(const QByteArray &escPos, const QString &device)
{
    QFile printer(device);
    if (!printer.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return makeError(ErrorCode::Unavailable, "cannot open the printer " + device.toStdString() + ": "
                + printer.errorString().toStdString());
    if (printer.write(escPos) != escPos.size())
        return makeError(ErrorCode::Unavailable, "the printer " + device.toStdString() + " took only part of the ticket");
    return {};
}

} // namespace sigess::kiosk
