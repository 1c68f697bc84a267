// Codici fiscali for synthetic people, computed the way the Agenzia delle Entrate does:
// three letters of the family name, three of the given name, birth year, month letter,
// day (+40 for women), Belfiore code of the birthplace, and the check character from
// shared/core. Two people with the same data get the same code; the registry then
// issues an omocodia variant (digits replaced by letters from the right), which
// `omocodiaLevel` selects.
// Thread safety: pure functions.
#pragma once

#include "core/codice_fiscale.h"

#include <chrono>
#include <string>
#include <string_view>

namespace sigess::seed {

// The first six letters: family-name and given-name codes.
std::string nameLetters(std::string_view familyName, std::string_view givenName);

// `belfiore` is four characters ("H501", "Z129"); `omocodiaLevel` 0..7.
std::string codiceFiscaleFor(std::string_view familyName, std::string_view givenName,
                             std::chrono::year_month_day birthDate, core::Sex sex, std::string_view belfiore,
                             unsigned omocodiaLevel = 0);

} // namespace sigess::seed
