#include "core/codice_fiscale.h"
#include "core/text_codec.h"

#include <QTest>

#include <string>

using sigess::core::codiceFiscaleCheckCharacter;
using sigess::core::normalizeCodiceFiscale;
using sigess::core::parseCodiceFiscale;
using sigess::core::Sex;

namespace {

std::chrono::year_month_day date(int y, unsigned m, unsigned d)
{
    return { std::chrono::year(y), std::chrono::month(m), std::chrono::day(d) };
}

const std::chrono::year_month_day defaultToday = date(2025, 6, 15);

QString isoDate(const std::chrono::year_month_day &ymd)
{
    return QString::fromStdString(sigess::core::isoDate(ymd));
}

} // namespace

class TestCodiceFiscale : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void normalize_data();
    void normalize();
    void valid_data();
    void valid();
    void centuryDependsOnToday_data();
    void centuryDependsOnToday();
    void invalid_data();
    void invalid();
    void everyOmocodiaVariantIsValid();
    void checkCharacter_data();
    void checkCharacter();
    void checkCharacterRejects_data();
    void checkCharacterRejects();
};

void TestCodiceFiscale::normalize_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("normalized");

    QTest::newRow("already normal") << QByteArray("RSSMRA85T10A562S") << QByteArray("RSSMRA85T10A562S");
    QTest::newRow("lower case with spaces")
        << QByteArray("rss mra 85t10 a562s") << QByteArray("RSSMRA85T10A562S");
    QTest::newRow("surrounding white space")
        << QByteArray(" \tRssMra85T10A562s\r\n") << QByteArray("RSSMRA85T10A562S");
    QTest::newRow("empty") << QByteArray("") << QByteArray("");
    QTest::newRow("non-ASCII kept as typed") << QByteArray("rssmrà") << QByteArray("RSSMRà");
}

void TestCodiceFiscale::normalize()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, normalized);
    QCOMPARE(QByteArray::fromStdString(normalizeCodiceFiscale(input.toStdString())), normalized);
}

void TestCodiceFiscale::valid_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("code");
    QTest::addColumn<QString>("birthDate");
    QTest::addColumn<bool>("female");
    QTest::addColumn<QByteArray>("belfiore");
    QTest::addColumn<bool>("omocodia");

    QTest::newRow("classic Mario Rossi") << QByteArray("RSSMRA85T10A562S") << QByteArray("RSSMRA85T10A562S")
                                         << "1985-12-10" << false << QByteArray("A562") << false;
    QTest::newRow("as typed: lower case, spaces")
        << QByteArray("  rss mra 85t10 a562s ") << QByteArray("RSSMRA85T10A562S") << "1985-12-10" << false
        << QByteArray("A562") << false;
    QTest::newRow("female: day plus 40") << QByteArray("RSSMRA85T50A562W") << QByteArray("RSSMRA85T50A562W")
                                         << "1985-12-10" << true << QByteArray("A562") << false;
    QTest::newRow("female born in Rome") << QByteArray("BNCLRA92E41H501P") << QByteArray("BNCLRA92E41H501P")
                                         << "1992-05-01" << true << QByteArray("H501") << false;
    QTest::newRow("female, 31st of the month")
        << QByteArray("RSSMRA85T71A562X") << QByteArray("RSSMRA85T71A562X") << "1985-12-31" << true
        << QByteArray("A562") << false;
    QTest::newRow("31 December") << QByteArray("RSSMRA85T31A562T") << QByteArray("RSSMRA85T31A562T")
                                 << "1985-12-31" << false << QByteArray("A562") << false;
    QTest::newRow("29 February 2000, a leap year")
        << QByteArray("VRDGPP00B29F205B") << QByteArray("VRDGPP00B29F205B") << "2000-02-29" << false
        << QByteArray("F205") << false;
    QTest::newRow("born abroad") << QByteArray("RSSMRA85T10Z404L") << QByteArray("RSSMRA85T10Z404L")
                                 << "1985-12-10" << false << QByteArray("Z404") << false;
    QTest::newRow("omocodia: last digit") << QByteArray("RSSMRA85T10A56NH") << QByteArray("RSSMRA85T10A56NH")
                                          << "1985-12-10" << false << QByteArray("A562") << true;
    QTest::newRow("omocodia: two digits") << QByteArray("RSSMRA85T10A5SNT") << QByteArray("RSSMRA85T10A5SNT")
                                          << "1985-12-10" << false << QByteArray("A562") << true;
    QTest::newRow("omocodia: all seven digits")
        << QByteArray("rssmra UR T ML a RSN l") << QByteArray("RSSMRAURTMLARSNL") << "1985-12-10" << false
        << QByteArray("A562") << true;
}

void TestCodiceFiscale::valid()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, code);
    QFETCH(QString, birthDate);
    QFETCH(bool, female);
    QFETCH(QByteArray, belfiore);
    QFETCH(bool, omocodia);

    const auto parsed = parseCodiceFiscale(input.toStdString(), defaultToday);
    QVERIFY2(parsed.ok(), parsed ? "" : parsed.error().message.c_str());
    QCOMPARE(QByteArray::fromStdString(parsed->code), code);
    QCOMPARE(isoDate(parsed->birthDate), birthDate);
    QCOMPARE(parsed->sex, female ? Sex::Female : Sex::Male);
    QCOMPARE(QByteArray::fromStdString(parsed->belfiore), belfiore);
    QCOMPARE(parsed->omocodia, omocodia);
}

void TestCodiceFiscale::centuryDependsOnToday_data()
{
    QTest::addColumn<QByteArray>("code");
    QTest::addColumn<QString>("today");
    QTest::addColumn<QString>("birthDate");

    QTest::newRow("25 already past this year") << QByteArray("RSSMRA25A01H501L") << "2025-06-15"
                                               << "2025-01-01";
    QTest::newRow("25 still ahead this year: previous century")
        << QByteArray("RSSMRA25T10H501A") << "2025-06-15"
        << "1925-12-10";
    QTest::newRow("born today") << QByteArray("RSSMRA25T10H501A") << "2025-12-10"
                                << "2025-12-10";
    QTest::newRow("85 in 2025") << QByteArray("RSSMRA85T10A562S") << "2025-06-15"
                                << "1985-12-10";
    QTest::newRow("85 in 2090") << QByteArray("RSSMRA85T10A562S") << "2090-01-01"
                                << "2085-12-10";
}

void TestCodiceFiscale::centuryDependsOnToday()
{
    QFETCH(QByteArray, code);
    QFETCH(QString, today);
    QFETCH(QString, birthDate);

    const QStringList parts = today.split(QLatin1Char('-'));
    const auto todayDate = date(parts[0].toInt(), parts[1].toUInt(), parts[2].toUInt());
    const auto parsed = parseCodiceFiscale(code.toStdString(), todayDate);
    QVERIFY2(parsed.ok(), parsed ? "" : parsed.error().message.c_str());
    QCOMPARE(isoDate(parsed->birthDate), birthDate);
}

void TestCodiceFiscale::invalid_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("reason");

    QTest::newRow("wrong check character")
        << QByteArray("RSSMRA85T10A562X") << "check character is 'X', expected 'S'";
    QTest::newRow("omocodia without recomputed check character")
        << QByteArray("RSSMRA85T10A56NS") << "check character is 'S', expected 'H'";
    QTest::newRow("too short") << QByteArray("RSSMRA85T10A562") << "16 characters expected, found 15";
    QTest::newRow("too long") << QByteArray("RSSMRA85T10A562SX") << "16 characters expected, found 17";
    QTest::newRow("empty") << QByteArray("") << "16 characters expected, found 0";
    QTest::newRow("only spaces") << QByteArray("   ") << "16 characters expected, found 0";
    QTest::newRow("bad month letter") << QByteArray(
        "RSSMRA85Z10A562S") << "position 9 must be a month letter (A B C D E H L M P R S T), found 'Z'";
    QTest::newRow("digit in the name")
        << QByteArray("RSSMR485T10A562S") << "position 6 must be a letter, found '4'";
    QTest::newRow("punctuation") << QByteArray("RSS-MRA85T10A562")
                                 << "position 4 must be a letter, found '-'";
    QTest::newRow("non-omocodia letter in the year")
        << QByteArray("RSSMRA8AT10A562S")
        << "position 8 must be a digit or an omocodia letter (L M N P Q R S T U V), found 'A'";
    QTest::newRow("Belfiore code starting with a digit")
        << QByteArray("RSSMRA85T1015625") << "position 12 must be a letter, found '1'";
    QTest::newRow("digit as check character")
        << QByteArray("RSSMRA85T10A5625") << "position 16 must be a letter (the check character), found '5'";
    QTest::newRow("accented letter counts as one character")
        << QByteArray("RSSMRÀ85T10A562S") << "position 6 must be a letter, found 'À'";
    QTest::newRow("day 00") << QByteArray("RSSMRA85T00A562R")
                            << "day 00 is neither 01-31 (male) nor 41-71 (female)";
    QTest::newRow("day 35") << QByteArray("RSSMRA85T35A562G")
                            << "day 35 is neither 01-31 (male) nor 41-71 (female)";
    QTest::newRow("day 72") << QByteArray("RSSMRA85T72A562C")
                            << "day 72 is neither 01-31 (male) nor 41-71 (female)";
    QTest::newRow("31 February") << QByteArray("RSSMRA85B31H501B")
                                 << "day 31 does not exist in February 1985";
    QTest::newRow("29 February, not a leap year")
        << QByteArray("RSSMRA85B29H501V") << "day 29 does not exist in February 1985";
    QTest::newRow("29 February 1985, female")
        << QByteArray("RSSMRA85B69H501Z") << "day 29 does not exist in February 1985";
    QTest::newRow("29 February 2001")
        << QByteArray("VRDGPP01B29F205C") << "day 29 does not exist in February 2001";
    QTest::newRow("31 April") << QByteArray("RSSMRA85D31A562M") << "day 31 does not exist in April 1985";
}

void TestCodiceFiscale::invalid()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, reason);

    const auto parsed = parseCodiceFiscale(input.toStdString(), defaultToday);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().code, sigess::ErrorCode::Invalid);
    QCOMPARE(QString::fromStdString(parsed.error().message), reason);
}

void TestCodiceFiscale::everyOmocodiaVariantIsValid()
{
    // Every combination of the seven replaceable digits, as the Agenzia delle Entrate
    // may assign them, must decode to the same person once the check character is
    // recomputed.
    const std::string original = "RSSMRA85T10A562S";
    const int replaceable[] = { 6, 7, 9, 10, 12, 13, 14 };
    const std::string omocodiaLetters = "LMNPQRSTUV";
    for (int mask = 0; mask < (1 << 7); ++mask) {
        std::string variant = original.substr(0, 15);
        for (int bit = 0; bit < 7; ++bit) {
            if (mask & (1 << bit)) {
                auto &c = variant[static_cast<std::size_t>(replaceable[bit])];
                c = omocodiaLetters[static_cast<std::size_t>(c - '0')];
            }
        }
        const auto check = codiceFiscaleCheckCharacter(variant);
        QVERIFY(check.ok());
        variant += *check;

        const auto parsed = parseCodiceFiscale(variant, defaultToday);
        QVERIFY2(parsed.ok(), (variant + ": " + (parsed ? "" : parsed.error().message)).c_str());
        QCOMPARE(isoDate(parsed->birthDate), QStringLiteral("1985-12-10"));
        QCOMPARE(parsed->sex, Sex::Male);
        QCOMPARE(parsed->belfiore, std::string("A562"));
        QCOMPARE(parsed->omocodia, mask != 0);
    }
}

void TestCodiceFiscale::checkCharacter_data()
{
    QTest::addColumn<QByteArray>("first15");
    QTest::addColumn<char>("expected");

    QTest::newRow("classic Mario Rossi") << QByteArray("RSSMRA85T10A562") << 'S';
    QTest::newRow("female") << QByteArray("BNCLRA92E41H501") << 'P';
    QTest::newRow("omocodia letters") << QByteArray("RSSMRAURTMLARSN") << 'L';
    QTest::newRow("born abroad") << QByteArray("RSSMRA85T10Z404") << 'L';
}

void TestCodiceFiscale::checkCharacter()
{
    QFETCH(QByteArray, first15);
    QFETCH(char, expected);

    const auto check = codiceFiscaleCheckCharacter(first15.toStdString());
    QVERIFY(check.ok());
    QCOMPARE(*check, expected);
}

void TestCodiceFiscale::checkCharacterRejects_data()
{
    QTest::addColumn<QByteArray>("first15");
    QTest::addColumn<QString>("reason");

    QTest::newRow("14 characters") << QByteArray("RSSMRA85T10A56") << "15 characters expected, found 14";
    QTest::newRow("16 characters") << QByteArray("RSSMRA85T10A562S") << "15 characters expected, found 16";
    QTest::newRow("lower case") << QByteArray("rSSMRA85T10A562")
                                << "position 1 must be an upper-case letter or a digit, found 'r'";
    QTest::newRow("space") << QByteArray("RSSMRA85T10 562")
                           << "position 12 must be an upper-case letter or a digit, found ' '";
}

void TestCodiceFiscale::checkCharacterRejects()
{
    QFETCH(QByteArray, first15);
    QFETCH(QString, reason);

    const auto check = codiceFiscaleCheckCharacter(first15.toStdString());
    QVERIFY(!check.ok());
    QCOMPARE(check.error().code, sigess::ErrorCode::Invalid);
    QCOMPARE(QString::fromStdString(check.error().message), reason);
}

QTEST_GUILESS_MAIN(TestCodiceFiscale)
#include "tst_codice_fiscale.moc"
