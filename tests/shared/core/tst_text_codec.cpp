// Hexadecimal digits and ISO 8601 dates and times in UTC.
#include "core/text_codec.h"

#include <QTest>

#include <string>
#include <string_view>

using namespace sigess;

class TestTextCodec : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void hexValues_data()
    {
        QTest::addColumn<char>("digit");
        QTest::addColumn<int>("value");
        QTest::newRow("0") << '0' << 0;
        QTest::newRow("9") << '9' << 9;
        QTest::newRow("a") << 'a' << 10;
        QTest::newRow("f") << 'f' << 15;
        QTest::newRow("A") << 'A' << 10;
        QTest::newRow("F") << 'F' << 15;
        QTest::newRow("g") << 'g' << -1;
        QTest::newRow("G") << 'G' << -1;
        QTest::newRow("space") << ' ' << -1;
        QTest::newRow("slash") << '/' << -1;
        QTest::newRow("colon") << ':' << -1;
        QTest::newRow("high byte") << '\xc3' << -1;
    }
    void hexValues()
    {
        QFETCH(char, digit);
        QFETCH(int, value);
        QCOMPARE(core::hexValue(digit), value);
        if (value >= 0)
            QCOMPARE(core::hexValue(core::hexDigit(static_cast<unsigned>(value))), value);
    }

    void hexDigitsAreLowerCase()
    {
        QCOMPARE(core::hexDigit(0), '0');
        QCOMPARE(core::hexDigit(10), 'a');
        QCOMPARE(core::hexDigit(15), 'f');
    }

    void decodesHex_data()
    {
        QTest::addColumn<QByteArray>("hex");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QByteArray() << true << QByteArray();
        QTest::newRow("both cases") << QByteArray("0aFF7f") << true << QByteArray("\x0a\xff\x7f", 3);
        QTest::newRow("a NUL") << QByteArray("00") << true << QByteArray(1, '\0');
        QTest::newRow("odd length") << QByteArray("0a1") << false << QByteArray();
        QTest::newRow("non-digit") << QByteArray("0g") << false << QByteArray();
        QTest::newRow("non-digit last") << QByteArray("0a0:") << false << QByteArray();
        QTest::newRow("high byte") << QByteArray("\xc3\xa9") << false << QByteArray();
    }
    void decodesHex()
    {
        QFETCH(QByteArray, hex);
        QFETCH(bool, valid);
        QFETCH(QByteArray, bytes);
        std::string decoded = "left over";
        QCOMPARE(core::decodeHex(std::string_view(hex.constData(), static_cast<std::size_t>(hex.size())), decoded), valid);
        if (valid)
            QCOMPARE(QByteArray(decoded.data(), static_cast<int>(decoded.size())), bytes);
    }

    void everyByteRoundTripsThroughHex()
    {
        std::string hex;
        for (unsigned byte = 0; byte < 256; ++byte) {
            hex += core::hexDigit(byte >> 4);
            hex += core::hexDigit(byte & 0x0F);
        }
        std::string bytes;
        QVERIFY(core::decodeHex(hex, bytes));
        QCOMPARE(bytes.size(), std::size_t{256});
        for (unsigned byte = 0; byte < 256; ++byte)
            QCOMPARE(static_cast<unsigned char>(bytes[byte]), static_cast<unsigned char>(byte));
    }

    void isoTimes_data()
    {
        QTest::addColumn<quint64>("epochMs");
        QTest::addColumn<QString>("date");
        QTest::addColumn<QString>("seconds");
        QTest::addColumn<QString>("milliseconds");
        QTest::newRow("epoch") << quint64 {0} << "1970-01-01" << "1970-01-01T00:00:00Z" << "1970-01-01T00:00:00.000Z";
        QTest::newRow("last ms of a day") << quint64 {86'399'999} << "1970-01-01" << "1970-01-01T23:59:59Z"
                                          << "1970-01-01T23:59:59.999Z";
        QTest::newRow("leap day") << quint64 {1'709'208'000'250} << "2024-02-29" << "2024-02-29T12:00:00Z"
                                  << "2024-02-29T12:00:00.250Z";
        QTest::newRow("today") << quint64 {1'795'977'787'007} << "2026-11-29" << "2026-11-29T18:43:07Z"
                               << "2026-11-29T18:43:07.007Z";
    }
    void isoTimes()
    {
        QFETCH(quint64, epochMs);
        QFETCH(QString, date);
        QFETCH(QString, seconds);
        QFETCH(QString, milliseconds);
        QCOMPARE(QString::fromStdString(core::isoDate(epochMs)), date);
        QCOMPARE(QString::fromStdString(core::isoDate(core::utcDay(epochMs))), date);
        QCOMPARE(QString::fromStdString(core::isoDateTime(epochMs)), seconds);
        QCOMPARE(QString::fromStdString(core::isoDateTime(epochMs, core::TimePrecision::Milliseconds)), milliseconds);
    }
};

QTEST_GUILESS_MAIN(TestTextCodec)
#include "tst_text_codec.moc"
