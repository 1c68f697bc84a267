// The Italian codice fiscale of a person: normalisation of what an operator or a
// citizen types, validation with a precise reason for every rejection, and decoding of
// the birth date, sex and birthplace (Belfiore code) it carries, omocodia included.
// A codice fiscale is optional in SIgeSS; when one is given it must pass here.
// Thread safety: pure functions.
#pragma once

#include "core/result.h"

#include <chrono>
#include <string>
#include <string_view>

namespace sigess::core {

enum class Sex { Female, Male };

struct CodiceFiscale {
    std::string code; // normalised, omocodia letters kept as written
    std::chrono::year_month_day birthDate;
    Sex sex = Sex::Male;
    std::string belfiore; // birthplace code with omocodia undone, "A562"; Z... abroad
    bool omocodia = false; // some digits were replaced by letters to tell twins apart
};

// What a person types, made comparable: surrounding and inner white space removed,
// ASCII letters upper-cased ("rss mra 85t10 a562s" -> "RSSMRA85T10A562S").
std::string normalizeCodiceFiscale(std::string_view input);

// Normalises and validates `input`. The two-digit birth year is placed in the latest
// century that does not put the birth after `today`. Checks run from the shape of
// each position, to the check character, to the existence of the birth date, and the
// first failure is reported as Invalid with a sentence naming the position and what
// was found ("check character is 'X', expected 'Y'").
Result<CodiceFiscale> parseCodiceFiscale(std::string_view input, std::chrono::year_month_day today);

// The check character (16th) for the first 15 characters of a codice fiscale, upper
// case, omocodia letters allowed; Invalid unless given 15 letters or digits.
Result<char> codiceFiscaleCheckCharacter(std::string_view first15);

} // namespace sigess::core
