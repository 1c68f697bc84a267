#include "seed/people.h"

#include <array>

namespace sigess::seed {

namespace {

using namespace std::string_view_literals;

constexpr std::array kItalianFemale = {
    "Maria"sv, "Anna"sv, "Giuseppina"sv, "Rosa"sv, "Angela"sv, "Giovanna"sv, "Teresa"sv, "Lucia"sv, "Carmela"sv,
    "Caterina"sv, "Francesca"sv, "Antonietta"sv, "Franca"sv, "Rita"sv, "Paola"sv, "Laura"sv, "Giulia"sv,
    "Sofia"sv, "Chiara"sv, "Sara"sv, "Martina"sv, "Alessandra"sv, "Elena"sv, "Valentina"sv, "Federica"sv,
    "Silvia"sv, "Roberta"sv, "Patrizia"sv, "Daniela"sv, "Gabriella"sv, "Luisa"sv, "Marisa"sv, "Ada"sv,
    "Bruna"sv, "Lidia"sv, "Aurora"sv, "Alice"sv, "Ginevra"sv, "Emma"sv, "Beatrice"sv, "Loredana"sv, "Nicoletta"sv};
constexpr std::array kItalianMale = {
    "Giuseppe"sv, "Giovanni"sv, "Antonio"sv, "Mario"sv, "Luigi"sv, "Francesco"sv, "Angelo"sv, "Vincenzo"sv,
    "Pietro"sv, "Salvatore"sv, "Carlo"sv, "Franco"sv, "Domenico"sv, "Bruno"sv, "Paolo"sv, "Michele"sv,
    "Giorgio"sv, "Aldo"sv, "Sergio"sv, "Luciano"sv, "Marco"sv, "Andrea"sv, "Alessandro"sv, "Luca"sv,
    "Stefano"sv, "Roberto"sv, "Fabio"sv, "Massimo"sv, "Claudio"sv, "Riccardo"sv, "Lorenzo"sv, "Matteo"sv,
    "Leonardo"sv, "Tommaso"sv, "Edoardo"sv, "Gabriele"sv, "Enzo"sv, "Renato"sv, "Umberto"sv, "Vittorio"sv};
constexpr std::array kItalianFamily = {
    "Rossi"sv, "Russo"sv, "Ferrari"sv, "Esposito"sv, "Bianchi"sv, "Romano"sv, "Colombo"sv, "Ricci"sv,
    "Marino"sv, "Greco"sv, "Bruno"sv, "Gallo"sv, "Conti"sv, "De Luca"sv, "Mancini"sv, "Costa"sv,
    "Giordano"sv, "Rizzo"sv, "Lombardi"sv, "Moretti"sv, "Barbieri"sv, "Fontana"sv, "Santoro"sv, "Mariani"sv,
    "Rinaldi"sv, "Caruso"sv, "Ferrara"sv, "Galli"sv, "Martini"sv, "Leone"sv, "Longo"sv, "Gentile"sv,
    "Martinelli"sv, "Vitale"sv, "Lombardo"sv, "Serra"sv, "Coppola"sv, "De Santis"sv, "D'Angelo"sv,
    "Marchetti"sv, "Parisi"sv, "Villa"sv, "Conte"sv, "Ferraro"sv, "Ferri"sv, "Fabbri"sv, "Bianco"sv,
    "Marini"sv, "Grasso"sv, "Valentini"sv, "Messina"sv, "Sala"sv, "De Angelis"sv, "Gatti"sv, "Pellegrini"sv,
    "Palumbo"sv, "Sanna"sv, "Farina"sv, "Rizzi"sv, "Monti"sv, "Morelli"sv, "Amato"sv, "Silvestri"sv,
    "Mazza"sv, "Testa"sv, "Grassi"sv, "Carbone"sv, "Giuliani"sv, "Benedetti"sv, "Barone"sv, "Caputo"sv,
    "Guerra"sv, "Palmieri"sv, "Bernardi"sv, "Fiore"sv, "De Rosa"sv, "Ferretti"sv, "Bellini"sv, "Basile"sv,
    "Donati"sv, "Piras"sv, "Battaglia"sv, "Neri"sv, "Costantini"sv, "Pagano"sv, "Ruggiero"sv, "D'Amico"sv,
    "Orlando"sv, "Proietti"sv, "Ciampi"sv, "Sciarra"sv, "Piccioni"sv, "Tozzi"sv, "Cecchini"sv, "Di Giacomo"sv};

constexpr std::array kRomanianFemale = {"Maria"sv, "Elena"sv, "Ioana"sv, "Andreea"sv, "Mihaela"sv, "Ana"sv,
                                        "Gabriela"sv, "Daniela"sv, "Cristina"sv, "Alina"sv, "Florentina"sv,
                                        "Georgiana"sv};
constexpr std::array kRomanianMale = {"Ion"sv, "Gheorghe"sv, "Constantin"sv, "Vasile"sv, "Alexandru"sv,
                                      "Andrei"sv, "Mihai"sv, "Florin"sv, "Adrian"sv, "Marius"sv, "Ionut"sv,
                                      "Cristian"sv};
constexpr std::array kRomanianFamily = {"Popescu"sv, "Ionescu"sv, "Popa"sv, "Pop"sv, "Radu"sv, "Dumitru"sv,
                                        "Stan"sv, "Stoica"sv, "Gheorghe"sv, "Matei"sv, "Ciobanu"sv, "Rusu"sv,
                                        "Munteanu"sv, "Constantin"sv, "Lungu"sv};

constexpr std::array kFilipinoFemale = {"Maria"sv, "Rosalie"sv, "Marites"sv, "Jennifer"sv, "Maricel"sv,
                                        "Cristina"sv, "Lorna"sv, "Analyn"sv, "Jocelyn"sv, "Rowena"sv};
constexpr std::array kFilipinoMale = {"Jose"sv, "Juan"sv, "Mark"sv, "John Paul"sv, "Rodel"sv, "Ramon"sv,
                                      "Jomar"sv, "Ronaldo"sv, "Eduardo"sv, "Romeo"sv};
constexpr std::array kFilipinoFamily = {"Santos"sv, "Reyes"sv, "Cruz"sv, "Bautista"sv, "Ocampo"sv, "Garcia"sv,
                                        "Mendoza"sv, "Torres"sv, "Dela Cruz"sv, "Villanueva"sv, "Aquino"sv,
                                        "Ramos"sv, "Castillo"sv, "Flores"sv};

constexpr std::array kBangladeshiFemale = {"Fatema"sv, "Nasrin"sv, "Rokeya"sv, "Shahnaz"sv, "Taslima"sv,
                                           "Sumaiya"sv, "Nusrat"sv, "Ayesha"sv, "Rehana"sv, "Sharmin"sv};
constexpr std::array kBangladeshiMale = {"Mohammad"sv, "Abdul"sv, "Rahim"sv, "Karim"sv, "Jahid"sv,
                                         "Shahidul"sv, "Rafiq"sv, "Kamal"sv, "Anwar"sv, "Habib"sv, "Alamgir"sv};
constexpr std::array kBangladeshiFamily = {"Hossain"sv, "Rahman"sv, "Islam"sv, "Ahmed"sv, "Uddin"sv,
                                           "Akter"sv, "Miah"sv, "Khan"sv, "Chowdhury"sv, "Sarker"sv, "Begum"sv,
                                           "Alam"sv};

constexpr std::array kChineseFemale = {"Li Na"sv, "Fang"sv, "Xiuying"sv, "Mei"sv, "Jing"sv, "Yan"sv, "Hong"sv,
                                       "Lan"sv, "Hui"sv, "Ying"sv};
constexpr std::array kChineseMale = {"Wei"sv, "Jun"sv, "Hao"sv, "Lei"sv, "Qiang"sv, "Ming"sv, "Jian"sv, "Tao"sv,
                                     "Yong"sv, "Bin"sv};
// Most of Rome's Chinese community comes from Zhejiang, where these family names are common.
constexpr std::array kChineseFamily = {"Hu"sv, "Chen"sv, "Zhou"sv, "Wu"sv, "Lin"sv, "Ye"sv, "Zheng"sv,
                                       "Wang"sv, "Zhang"sv, "Li"sv, "Xu"sv, "Jin"sv};

constexpr std::array kUkrainianFemale = {"Olena"sv, "Oksana"sv, "Nataliia"sv, "Tetiana"sv, "Iryna"sv,
                                         "Svitlana"sv, "Halyna"sv, "Liudmyla"sv, "Mariia"sv, "Yuliia"sv};
constexpr std::array kUkrainianMale = {"Oleksandr"sv, "Serhii"sv, "Volodymyr"sv, "Andrii"sv, "Mykola"sv,
                                       "Ivan"sv, "Yurii"sv, "Vasyl"sv, "Petro"sv, "Dmytro"sv};
constexpr std::array kUkrainianFamily = {"Melnyk"sv, "Shevchenko"sv, "Boiko"sv, "Kovalenko"sv, "Bondarenko"sv,
                                         "Tkachenko"sv, "Kovalchuk"sv, "Kravchenko"sv, "Oliinyk"sv,
                                         "Shevchuk"sv, "Polishchuk"sv, "Lysenko"sv};

constexpr std::array kPolishFemale = {"Anna"sv, "Katarzyna"sv, "Malgorzata"sv, "Agnieszka"sv, "Barbara"sv,
                                      "Ewa"sv, "Krystyna"sv, "Elzbieta"sv};
constexpr std::array kPolishMale = {"Piotr"sv, "Krzysztof"sv, "Andrzej"sv, "Tomasz"sv, "Jan"sv, "Pawel"sv,
                                    "Marek"sv, "Michal"sv};
constexpr std::array kPolishFamily = {"Nowak"sv, "Wojcik"sv, "Kowalczyk"sv, "Wozniak"sv, "Mazur"sv,
                                      "Krawczyk"sv, "Zajac"sv, "Krol"sv, "Wieczorek"sv, "Pawlak"sv};

// Lazio's Indian community is largely Punjabi.
constexpr std::array kIndianFemale = {"Gurpreet"sv, "Manpreet"sv, "Harjit"sv, "Priya"sv, "Sunita"sv,
                                      "Anita"sv, "Pooja"sv, "Jasvir"sv};
constexpr std::array kIndianMale = {"Harpreet"sv, "Sukhwinder"sv, "Rajinder"sv, "Amrik"sv, "Baljit"sv,
                                    "Ramesh"sv, "Suresh"sv, "Kulwant"sv};
constexpr std::array kIndianFamily = {"Singh"sv, "Kaur"sv, "Kumar"sv, "Sharma"sv, "Sandhu"sv, "Gill"sv,
                                      "Sidhu"sv, "Dhillon"sv};

constexpr std::array kPeruvianFemale = {"Rosa"sv, "Carmen"sv, "Maria Elena"sv, "Luz"sv, "Gladys"sv,
                                        "Milagros"sv, "Juana"sv, "Sonia"sv, "Elizabeth"sv, "Yolanda"sv};
constexpr std::array kPeruvianMale = {"Jose"sv, "Luis"sv, "Carlos"sv, "Juan Carlos"sv, "Jorge"sv, "Cesar"sv,
                                      "Victor"sv, "Miguel"sv, "Walter"sv, "Edwin"sv};
constexpr std::array kPeruvianFamily = {"Quispe"sv, "Flores"sv, "Sanchez"sv, "Rodriguez"sv, "Garcia"sv,
                                        "Huaman"sv, "Mamani"sv, "Rojas"sv, "Chavez"sv, "Vasquez"sv, "Mendoza"sv,
                                        "Ramirez"sv};

constexpr std::array kEcuadorianFemale = {"Maria"sv, "Jessica"sv, "Mayra"sv, "Diana"sv, "Veronica"sv,
                                          "Gabriela"sv, "Lorena"sv, "Patricia"sv};
constexpr std::array kEcuadorianMale = {"Luis"sv, "Jorge"sv, "Edison"sv, "Byron"sv, "Segundo"sv, "Wilson"sv,
                                        "Fabian"sv, "Diego"sv};
constexpr std::array kEcuadorianFamily = {"Guaman"sv, "Chiluisa"sv, "Zambrano"sv, "Vera"sv, "Cedeno"sv,
                                          "Moreira"sv, "Loor"sv, "Mera"sv, "Suarez"sv, "Pincay"sv};

constexpr std::array kEgyptianFemale = {"Fatma"sv, "Mona"sv, "Amira"sv, "Heba"sv, "Nour"sv, "Samira"sv,
                                        "Dina"sv, "Yasmin"sv};
constexpr std::array kEgyptianMale = {"Mohamed"sv, "Ahmed"sv, "Mahmoud"sv, "Mostafa"sv, "Ali"sv, "Hassan"sv,
                                      "Ibrahim"sv, "Omar"sv};
constexpr std::array kEgyptianFamily = {"Mohamed"sv, "Ahmed"sv, "Hassan"sv, "Ali"sv, "Ibrahim"sv,
                                        "Mahmoud"sv, "Abdelaziz"sv, "Mostafa"sv, "Saleh"sv, "Farag"sv};

constexpr std::array kMoroccanFemale = {"Fatima"sv, "Khadija"sv, "Aicha"sv, "Naima"sv, "Malika"sv,
                                        "Samira"sv, "Latifa"sv, "Zineb"sv};
constexpr std::array kMoroccanMale = {"Mohamed"sv, "Youssef"sv, "Abdellah"sv, "Said"sv, "Rachid"sv,
                                      "Mustapha"sv, "Hassan"sv, "Karim"sv};
constexpr std::array kMoroccanFamily = {"El Amrani"sv, "Benali"sv, "Alaoui"sv, "El Idrissi"sv, "Bennani"sv,
                                        "Tazi"sv, "Chakir"sv, "Ouali"sv, "Berrada"sv, "Haddad"sv};

constexpr std::array kNigerianFemale = {"Blessing"sv, "Joy"sv, "Grace"sv, "Precious"sv, "Mercy"sv, "Faith"sv,
                                        "Gift"sv, "Esther"sv};
constexpr std::array kNigerianMale = {"Chinedu"sv, "Emeka"sv, "Samuel"sv, "Daniel"sv, "Emmanuel"sv,
                                      "Godwin"sv, "Friday"sv, "Sunday"sv};
constexpr std::array kNigerianFamily = {"Okafor"sv, "Okonkwo"sv, "Eze"sv, "Obi"sv, "Adeyemi"sv, "Ogunleye"sv,
                                        "Osagie"sv, "Igbinovia"sv, "Omoregie"sv, "Uwaifo"sv};

const Community kItalians{"IT", "", "it", 1.0, kItalianFemale, kItalianMale, kItalianFamily};

// Weights: residents of Rome by citizenship (about 2017; DOMAIN.md and ISTAT).
const std::array kForeign = {
    Community{"RO", "Z129", "ro", 91, kRomanianFemale, kRomanianMale, kRomanianFamily},
    Community{"PH", "Z216", "tl", 41, kFilipinoFemale, kFilipinoMale, kFilipinoFamily},
    Community{"BD", "Z249", "bn", 30, kBangladeshiFemale, kBangladeshiMale, kBangladeshiFamily},
    Community{"CN", "Z210", "zh", 18, kChineseFemale, kChineseMale, kChineseFamily},
    Community{"UA", "Z138", "uk", 14, kUkrainianFemale, kUkrainianMale, kUkrainianFamily},
    Community{"PL", "Z127", "pl", 9, kPolishFemale, kPolishMale, kPolishFamily},
    Community{"IN", "Z222", "en", 9, kIndianFemale, kIndianMale, kIndianFamily},
    Community{"PE", "Z611", "es", 11, kPeruvianFemale, kPeruvianMale, kPeruvianFamily},
    Community{"EC", "Z605", "es", 7, kEcuadorianFemale, kEcuadorianMale, kEcuadorianFamily},
    Community{"EG", "Z336", "ar", 11, kEgyptianFemale, kEgyptianMale, kEgyptianFamily},
    Community{"MA", "Z330", "ar", 6, kMoroccanFemale, kMoroccanMale, kMoroccanFamily},
    Community{"NG", "Z335", "en", 5, kNigerianFemale, kNigerianMale, kNigerianFamily},
};

// Rome, then Naples, Milan, Turin, Palermo, Bari, Catania, Cagliari, Latina, Frosinone,
// Viterbo, Rieti, L'Aquila, Reggio Calabria.
constexpr std::array kItalianBirthplaces = {"H501"sv, "F839"sv, "F205"sv, "L219"sv, "G273"sv, "A662"sv, "C351"sv,
                                            "B354"sv, "E472"sv, "D810"sv, "M082"sv, "H282"sv, "A345"sv, "H224"sv};

constexpr std::array kRomanStreets = {
    "Via Tuscolana"sv, "Via Casilina"sv, "Via Prenestina"sv, "Via Tiburtina"sv, "Via Nomentana"sv,
    "Via Appia Nuova"sv, "Via Ostiense"sv, "Via Portuense"sv, "Via Aurelia"sv, "Via Cassia"sv,
    "Via Flaminia"sv, "Via Salaria"sv, "Via Prenestina Nuova"sv, "Viale Marconi"sv, "Via Latina"sv,
    "Via dei Castani"sv, "Via di Torre Angela"sv, "Via Cristoforo Colombo"sv, "Via Laurentina"sv,
    "Via Boccea"sv, "Via Trionfale"sv, "Via di Torrevecchia"sv, "Viale Jonio"sv, "Via Conca d'Oro"sv,
    "Via Merulana"sv, "Via Giolitti"sv, "Via Taranto"sv, "Via Gregorio VII"sv, "Via dei Quattro Venti"sv,
    "Piazza Vittorio Emanuele II"sv, "Via del Pigneto"sv, "Viale Palmiro Togliatti"sv,
    "Via di Tor Bella Monaca"sv, "Via Ardeatina"sv, "Via della Magliana"sv, "Lungomare Toscanelli"sv};

} // namespace

const Community &italians()
{
    return kItalians;
}

std::span<const Community> foreignCommunities()
{
    return kForeign;
}

std::span<const std::string_view> italianBirthplaces()
{
    return kItalianBirthplaces;
}

std::span<const std::string_view> romanStreets()
{
    return kRomanStreets;
}

} // namespace sigess::seed
