#include "core/codice_fiscale.h"

#include <array>
#include <vector>

namespace sigess::core {

namespace {

constexpr std::size_t codeLength = 16;
constexpr std::size_t checkPosition = 15;
constexpr std::string_view monthLetters = "ABCDEHLMPRST";
// The letters that stand for the digits 0-9 where omocodia has replaced a digit.
constexpr std::string_view omocodiaLetters = "LMNPQRSTUV";
// The value of an odd position (1st, 3rd... 15th) for A-Z; a digit counts as the letter
// in its place (0 as A, 1 as B...). Even positions count A-Z and 0-9 as 0-25 and 0-9.
constexpr std::array<int, 26> oddValues
    = { 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23 };
constexpr std::array<std::string_view, 12> monthNames = { "January", "February", "March", "April", "May",
    "June", "July", "August", "September", "October", "November", "December" };

enum class Slot { Letter, Digit, Month };

// What each of the 16 positions holds: surname and name (6 letters), year (2 digits),
// month (a letter), day (2 digits), birthplace (a letter and 3 digits), check letter.
constexpr std::array<Slot, codeLength> layout = { Slot::Letter, Slot::Letter, Slot::Letter, Slot::Letter,
    Slot::Letter, Slot::Letter, Slot::Digit, Slot::Digit, Slot::Month, Slot::Digit, Slot::Digit, Slot::Letter,
    Slot::Digit, Slot::Digit, Slot::Digit, Slot::Letter };

bool isUpperLetter(char c)
{
    return c >= 'A' && c <= 'Z';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isWhiteSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Splits UTF-8 text into characters, so that a stray "È" counts as one character in
// lengths and positions and is quoted whole in messages.
std::vector<std::string_view> splitCharacters(std::string_view text)
{
    std::vector<std::string_view> characters;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t start = i++;
        while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
            ++i;
        characters.push_back(text.substr(start, i - start));
    }
    return characters;
}

std::string foundAt(std::size_t index, std::string_view expected, std::string_view found)
{
    return "position " + std::to_string(index + 1) + " must be " + std::string(expected) + ", found '"
        + std::string(found) + "'";
}

bool fits(Slot slot, std::string_view character)
{
    if (character.size() != 1)
        return false;
    const char c = character.front();
    switch (slot) {
    case Slot::Letter:
        return isUpperLetter(c);
    case Slot::Digit:
        return isDigit(c) || omocodiaLetters.find(c) != std::string_view::npos;
    case Slot::Month:
        return monthLetters.find(c) != std::string_view::npos;
    }
    return false;
}

std::string_view describe(Slot slot, std::size_t index)
{
    switch (slot) {
    case Slot::Letter:
        return index == checkPosition ? "a letter (the check character)" : "a letter";
    case Slot::Digit:
        return "a digit or an omocodia letter (L M N P Q R S T U V)";
    case Slot::Month:
        return "a month letter (A B C D E H L M P R S T)";
    }
    return "";
}

int digitValue(char c)
{
    return isDigit(c) ? c - '0' : static_cast<int>(omocodiaLetters.find(c));
}

int twoDigitValue(std::string_view code, std::size_t index)
{
    return digitValue(code[index]) * 10 + digitValue(code[index + 1]);
}

Result<std::chrono::year_month_day> decodeBirthDate(
    std::string_view code, Sex sex, std::chrono::year_month_day today)
{
    using namespace std::chrono;
    const int yearInCentury = twoDigitValue(code, 6);
    const auto monthNumber = static_cast<unsigned>(monthLetters.find(code[8]) + 1);
    const int dayField = twoDigitValue(code, 9);
    const auto dayNumber = static_cast<unsigned>(sex == Sex::Female ? dayField - 40 : dayField);

    const year_month_day inThisCentury { year(2000 + yearInCentury), month(monthNumber), day(dayNumber) };
    const year_month_day inLastCentury { year(1900 + yearInCentury), month(monthNumber), day(dayNumber) };
    const year_month_day birth = inThisCentury <= today ? inThisCentury : inLastCentury;
    if (!birth.ok()) {
        return makeError(ErrorCode::Invalid,
            "day " + std::to_string(dayNumber) + " does not exist in "
                + std::string(monthNames[monthNumber - 1]) + " "
                + std::to_string(static_cast<int>(birth.year())));
    }
    return birth;
}

} // namespace

std::string normalizeCodiceFiscale(std::string_view input)
{
    std::string code;
    code.reserve(input.size());
    for (const char c : input) {
        if (isWhiteSpace(c))
            continue;
        code += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return code;
}

Result<char> codiceFiscaleCheckCharacter(std::string_view first15)
{
    if (first15.size() != checkPosition) {
        return makeError(
            ErrorCode::Invalid, "15 characters expected, found " + std::to_string(first15.size()));
    }
    int sum = 0;
    for (std::size_t i = 0; i < first15.size(); ++i) {
        const char c = first15[i];
        if (!isUpperLetter(c) && !isDigit(c))
            return makeError(
                ErrorCode::Invalid, foundAt(i, "an upper-case letter or a digit", first15.substr(i, 1)));
        const int index = isDigit(c) ? c - '0' : c - 'A';
        // Positions are counted from 1, so index 0 is the first, odd, position.
        sum += i % 2 == 0 ? oddValues[static_cast<std::size_t>(index)] : index;
    }
    return static_cast<char>('A' + sum % 26);
}

Result<CodiceFiscale> parseCodiceFiscale(std::string_view input, std::chrono::year_month_day today)
{
    CodiceFiscale result;
    result.code = normalizeCodiceFiscale(input);
    const std::vector<std::string_view> characters = splitCharacters(result.code);
    if (characters.size() != codeLength) {
        return makeError(
            ErrorCode::Invalid, "16 characters expected, found " + std::to_string(characters.size()));
    }
    for (std::size_t i = 0; i < codeLength; ++i) {
        if (!fits(layout[i], characters[i]))
            return makeError(ErrorCode::Invalid, foundAt(i, describe(layout[i], i), characters[i]));
        if (layout[i] == Slot::Digit && !isDigit(characters[i].front()))
            result.omocodia = true;
    }
    const std::string_view code = result.code;

    const Result<char> expected = codiceFiscaleCheckCharacter(code.substr(0, checkPosition));
    if (!expected)
        return expected.error();
    if (code[checkPosition] != *expected) {
        return makeError(ErrorCode::Invalid,
            std::string("check character is '") + code[checkPosition] + "', expected '" + *expected + "'");
    }

    const int dayField = twoDigitValue(code, 9);
    if (dayField < 1 || (dayField > 31 && dayField < 41) || dayField > 71) {
        const std::string padded = (dayField < 10 ? "0" : "") + std::to_string(dayField);
        return makeError(ErrorCode::Invalid, "day " + padded + " is neither 01-31 (male) nor 41-71 (female)");
    }
    result.sex = dayField > 40 ? Sex::Female : Sex::Male;
    auto birthDate = decodeBirthDate(code, result.sex, today);
    if (!birthDate)
        return birthDate.takeError();
    result.birthDate = *birthDate;

    result.belfiore = code.substr(11, 4);
    for (std::size_t i = 1; i < result.belfiore.size(); ++i)
        result.belfiore[i] = static_cast<char>('0' + digitValue(result.belfiore[i]));
    return result;
}

} // namespace sigess::core
