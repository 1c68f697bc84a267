// Who lives in the synthetic city: given and family names of the Italian population and
// of the foreign communities of Rome that DOMAIN.md lists (Romanian, Filipino,
// Bangladeshi, Chinese, Ukrainian, Polish, Indian, Peruvian, Ecuadorian, Egyptian,
// Moroccan, Nigerian), with their Belfiore code (the birthplace code of a codice
// fiscale: a Z code for a country), language and relative size; Italian birthplaces;
// Roman streets. Names are written in the Latin alphabet without diacritics, as Italian
// registry offices usually record them.
// Thread safety: constant data.
#pragma once

#include <span>
#include <string_view>

namespace sigess::seed {

struct Community {
    std::string_view citizenship;  // ISO 3166-1 alpha-2
    std::string_view belfiore;     // country of birth; for Italy see italianBirthplaces()
    std::string_view language;     // ISO 639-1
    double weight;                 // relative size among foreign residents of Rome
    std::span<const std::string_view> femaleNames;
    std::span<const std::string_view> maleNames;
    std::span<const std::string_view> familyNames;
};

const Community &italians();
std::span<const Community> foreignCommunities();

// Belfiore codes of Italian comuni, Rome (H501) first, then where Romans were often born.
std::span<const std::string_view> italianBirthplaces();

std::span<const std::string_view> romanStreets();

} // namespace sigess::seed
