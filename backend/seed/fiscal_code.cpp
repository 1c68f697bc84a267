#include "seed/fiscal_code.h"

#include <array>
#include <cassert>
#include <cstdio>

namespace sigess::seed {

namespace {

bool isVowel(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

// Upper-case ASCII letters only: spaces and apostrophes ("D'Angelo", "De Luca") do not count.
std::string letters(std::string_view name)
{
    std::string out;
    for (const char c : name) {
        if (c >= 'a' && c <= 'z')
            out += static_cast<char>(c - 'a' + 'A');
        else if (c >= 'A' && c <= 'Z')
            out += c;
    }
    return out;
}

void split(std::string_view name, std::string &consonants, std::string &vowels)
{
    for (const char c : letters(name))
        (isVowel(c) ? vowels : consonants) += c;
}

std::string padded(std::string code)
{
    code.resize(std::min<std::size_t>(code.size(), 3));
    while (code.size() < 3)
        code += 'X';
    return code;
}

std::string familyCode(std::string_view familyName)
{
    std::string consonants, vowels;
    split(familyName, consonants, vowels);
    return padded(consonants + vowels);
}

std::string givenCode(std::string_view givenName)
{
    std::string consonants, vowels;
    split(givenName, consonants, vowels);
    // With four or more consonants the second is skipped: Giancarlo -> GCR.
    if (consonants.size() >= 4)
        return std::string{consonants[0], consonants[2], consonants[3]};
    return padded(consonants + vowels);
}

} // namespace

std::string nameLetters(std::string_view familyName, std::string_view givenName)
{
    return familyCode(familyName) + givenCode(givenName);
}

std::string codiceFiscaleFor(std::string_view familyName, std::string_view givenName,
                             std::chrono::year_month_day birthDate, core::Sex sex, std::string_view belfiore,
                             unsigned omocodiaLevel)
{
    constexpr std::string_view monthLetters = "ABCDEHLMPRST";
    constexpr std::string_view omocodiaLetters = "LMNPQRSTUV";
    // The digit positions of a code, replaced from the right for omocodia.
    constexpr std::array<std::size_t, 7> digitPositions = {14, 13, 12, 10, 9, 7, 6};
    assert(belfiore.size() == 4 && omocodiaLevel <= digitPositions.size());

    const int year = static_cast<int>(birthDate.year());
    const unsigned day = static_cast<unsigned>(birthDate.day()) + (sex == core::Sex::Female ? 40 : 0);
    char dateText[8];
    std::snprintf(dateText, sizeof dateText, "%02d%c%02u", year % 100,
                  monthLetters[static_cast<unsigned>(birthDate.month()) - 1], day);

    std::string code = nameLetters(familyName, givenName) + dateText + std::string(belfiore);
    for (unsigned i = 0; i < omocodiaLevel; ++i) {
        char &digit = code[digitPositions[i]];
        digit = omocodiaLetters[static_cast<std::size_t>(digit - '0')];
    }
    const Result<char> check = core::codiceFiscaleCheckCharacter(code);
    assert(check.ok());
    return code + check.value();
}

} // namespace sigess::seed
