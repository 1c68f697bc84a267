#include "seed/generator.h"

#include "core/text_codec.h"
#include "seed/fiscal_code.h"
#include "seed/people.h"
#include "seed/random.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

namespace sigess::seed {

SeedSink::~SeedSink() = default;

namespace {

using namespace std::string_view_literals;

constexpr std::uint64_t kMinuteMs = 60'000;
constexpr std::uint64_t kDayMs = 86'400'000;

// A weight for a catalog code the city knows something about; codes of the catalog that
// no table names get the default weight, so a richer catalog still seeds.
struct CodeWeight {
    std::string_view code;
    double weight;
};

enum class LifeStage { Child, Adult, Elderly };

constexpr std::array kChildNeeds = {
    CodeWeight{"FAMILY", 6},        CodeWeight{"SAFETY", 2},  CodeWeight{"DISABILITY", 2},
    CodeWeight{"HEALTH_ADDICTION", 0.3}, CodeWeight{"INCOME", 1}, CodeWeight{"HOUSING", 1},
    CodeWeight{"FOOD", 1},          CodeWeight{"OTHER", 0.5}, CodeWeight{"ELDERLY_CARE", 0},
    CodeWeight{"WORK", 0},          CodeWeight{"LONELINESS", 0}, CodeWeight{"MIGRATION", 0.5}};
constexpr std::array kAdultNeeds = {
    CodeWeight{"HOUSING", 5},      CodeWeight{"INCOME", 6},     CodeWeight{"WORK", 5},
    CodeWeight{"FAMILY", 3},       CodeWeight{"DISABILITY", 1.5}, CodeWeight{"ELDERLY_CARE", 0.3},
    CodeWeight{"HEALTH_ADDICTION", 1.5}, CodeWeight{"MIGRATION", 1}, CodeWeight{"SAFETY", 1},
    CodeWeight{"LONELINESS", 0.5}, CodeWeight{"FOOD", 2},       CodeWeight{"OTHER", 1}};
constexpr std::array kElderlyNeeds = {
    CodeWeight{"ELDERLY_CARE", 8}, CodeWeight{"LONELINESS", 3},  CodeWeight{"DISABILITY", 2},
    CodeWeight{"INCOME", 3},       CodeWeight{"HOUSING", 1},     CodeWeight{"HEALTH_ADDICTION", 0.5},
    CodeWeight{"FOOD", 1},         CodeWeight{"FAMILY", 0.5},    CodeWeight{"SAFETY", 0.3},
    CodeWeight{"OTHER", 1},        CodeWeight{"WORK", 0.05},     CodeWeight{"MIGRATION", 0.1}};
constexpr std::string_view kMigrationNeed = "MIGRATION";
constexpr double kForeignMigrationFactor = 4;

constexpr std::array kChannels = {CodeWeight{"IN_PERSON", 55},     CodeWeight{"PHONE_REPORT", 12},
                                  CodeWeight{"HOME_VISIT", 10},    CodeWeight{"WRITTEN_REPORT", 8},
                                  CodeWeight{"EMAIL", 8},          CodeWeight{"OTHER_REMOTE", 7}};
constexpr std::string_view kInPerson = "IN_PERSON";
constexpr std::array kReferrals = {CodeWeight{"SELF", 60}, CodeWeight{"RELATIVE", 20},
                                   CodeWeight{"ORGANISATION", 12}, CodeWeight{"AUTHORITY", 8}};
constexpr std::array kCaseStates = {CodeWeight{"TAKEN_IN_CHARGE", 45}, CodeWeight{"CLOSED", 30},
                                    CodeWeight{"OPEN", 12}, CodeWeight{"REOPENED", 8}, CodeWeight{"REFERRED", 5}};
constexpr std::string_view kClosed = "CLOSED";
constexpr std::string_view kOpen = "OPEN";
constexpr std::array kDiaryTypes = {CodeWeight{"NOTE", 30}, CodeWeight{"INTERVIEW", 25},
                                    CodeWeight{"SERVICE_REQUEST", 8}, CodeWeight{"STATE_CHANGE", 8},
                                    CodeWeight{"REPORT", 6}, CodeWeight{"CONTACTS", 5}};
constexpr double kDefaultWeight = 1.5;

// The elderly target group, added to every case of a person over 65.
constexpr std::string_view kElderlyArea = "ELD";
// Interventions under this macro-area are cash transfers and carry a monthly amount.
constexpr std::string_view kCashTransfers = "L.B";
constexpr std::string_view kKatzForm = "KATZ_ADL";

constexpr std::array kOperatorProfiles = {"social worker"sv, "educator"sv, "psychologist"sv, "care coordinator"sv};
constexpr std::array kOperatorProfileWeights = {60.0, 25.0, 10.0, 5.0};

constexpr std::array kIntakeDetails = {
    "Chiede informazioni sul contributo per l'affitto"sv, "Ha ricevuto un avviso di sfratto"sv,
    "Vive solo e non riesce a fare la spesa"sv, "Chiede assistenza domiciliare per la madre"sv,
    "Ha perso il lavoro da tre mesi"sv, "Bollette arretrate di luce e gas"sv,
    "Chiede aiuto per iscrivere i figli a scuola"sv, "Permesso di soggiorno in scadenza"sv,
    "Chiede un posto al centro diurno"sv, "Difficoltà a pagare le medicine"sv};
constexpr std::array kNoteTexts = {
    "Colloquio con l'utente e la figlia: concordati i prossimi passi."sv,
    "Contattato il medico di base per un aggiornamento sulla situazione sanitaria."sv,
    "Consegnata la documentazione ISEE."sv, "Visita domiciliare: abitazione in condizioni adeguate."sv,
    "Richiesta l'attivazione dell'assistenza domiciliare."sv, "Aggiornato il PAI dopo la verifica trimestrale."sv,
    "L'utente non si è presentato all'appuntamento; fissato un nuovo incontro."sv,
    "Segnalazione inviata al servizio sanitario."sv, "Inserito in graduatoria per il contributo affitto."sv,
    "Avviato il percorso di orientamento al lavoro."sv, "Contatto con la mediatrice culturale per il prossimo colloquio."sv};
constexpr std::array kVisitPlaces = {"Domicilio"sv, "Presidio"sv, "Ospedale"sv, "Scuola"sv};
constexpr std::array kVisitOutcomes = {"Situazione stabile"sv, "Bisogni aumentati: richiesta rivalutazione"sv,
                                       "Utente assente"sv, "Consegnati gli ausili"sv,
                                       "Concordato il piano settimanale"sv};
constexpr std::array kClosureReasons = {"Obiettivi raggiunti"sv, "Trasferimento di residenza"sv, "Decesso"sv,
                                        "Rinuncia dell'utente"sv, "Presa in carico da altro servizio"sv};

// Age bands [from, to) in years and their weights: people who come to social services
// lean to the elderly (home care); foreign residents are younger.
struct AgeBand {
    int from;
    int to;
};
constexpr std::array kAgeBands = {AgeBand{0, 18}, AgeBand{18, 40}, AgeBand{40, 65}, AgeBand{65, 80}, AgeBand{80, 97}};
constexpr std::array kItalianAgeWeights = {10.0, 12.0, 23.0, 25.0, 30.0};
constexpr std::array kForeignAgeWeights = {22.0, 38.0, 30.0, 8.0, 2.0};

constexpr double kForeignShare = 0.25;
constexpr double kForeignWithoutCodiceFiscale = 0.45;
constexpr double kItalianWithoutCodiceFiscale = 0.05;
constexpr double kFemaleShare = 0.57;

std::vector<double> weightsFor(const std::vector<const v1::CatalogCode *> &codes, std::span<const CodeWeight> known)
{
    std::vector<double> weights;
    weights.reserve(codes.size());
    for (const v1::CatalogCode *code : codes) {
        const auto found =
            std::ranges::find_if(known, [code](const CodeWeight &w) { return w.code == code->code(); });
        weights.push_back(found == known.end() ? kDefaultWeight : found->weight);
    }
    return weights;
}

using core::isoDate;
using core::isoDateTime;

void setMeta(v1::EntityMeta *meta, std::string id, std::uint64_t createdMs, std::uint64_t updatedMs,
             const std::string &presidio)
{
    meta->set_id(std::move(id));
    meta->mutable_created()->set_wall_ms(createdMs);
    meta->mutable_updated()->set_wall_ms(updatedMs);
    meta->set_presidio(presidio);
}

// FNV-1a: the set of issued codici fiscali keeps 8 bytes per person instead of a string.
std::uint64_t fingerprint(std::string_view text)
{
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

std::string asciiLower(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (c >= 'A' && c <= 'Z')
            out += static_cast<char>(c - 'A' + 'a');
        else if (c >= 'a' && c <= 'z')
            out += c;
    }
    return out;
}

// What the city draws from, resolved from the catalog once.
struct CityCatalog {
    std::vector<const v1::PresidioInfo *> presidi;
    std::size_t municipi = 0;
    std::vector<const v1::CatalogCode *> needs;
    std::vector<std::vector<const v1::CatalogCode *>> needInterventions;  // LOCAL items, per need
    std::vector<std::vector<std::string>> needAreas;                       // ISTAT_AREA codes, per need
    std::vector<const v1::CatalogCode *> channels;
    std::vector<const v1::CatalogCode *> referrals;
    std::vector<const v1::CatalogCode *> caseStates;
    std::vector<const v1::CatalogCode *> diaryTypes;
    bool hasElderlyArea = false;
    const v1::AssessmentForm *katz = nullptr;
};

std::vector<const v1::CatalogCode *> activeCodes(const core::Catalog &catalog, std::string_view system)
{
    std::vector<const v1::CatalogCode *> codes = catalog.codes(system);
    std::erase_if(codes, [](const v1::CatalogCode *code) { return code->retired(); });
    return codes;
}

std::string rootOf(const core::Catalog &catalog, const v1::CatalogCode *code)
{
    while (!code->parent().empty()) {
        const v1::CatalogCode *parent = catalog.find(code->system(), code->parent());
        if (!parent)
            break;
        code = parent;
    }
    return code->code();
}

Result<CityCatalog> resolveCatalog(const core::Catalog &catalog)
{
    CityCatalog city;
    for (const v1::PresidioInfo &presidio : catalog.release().presidi())
        city.presidi.push_back(&presidio);
    if (city.presidi.empty())
        return makeError(ErrorCode::Invalid, "the catalog has no presidi to seed");
    std::set<std::string> municipi;
    for (const v1::PresidioInfo *presidio : city.presidi)
        municipi.insert(presidio->municipio());
    city.municipi = municipi.size();

    for (const std::string_view system :
         {"NEED"sv, "ACCESS_CHANNEL"sv, "REFERRAL_SOURCE"sv, "CASE_STATE"sv, "DIARY_TYPE"sv, "ISTAT_AREA"sv, "LOCAL"sv}) {
        if (activeCodes(catalog, system).empty())
            return makeError(ErrorCode::Invalid, "the catalog has no active " + std::string(system) + " codes to seed");
    }
    city.needs = activeCodes(catalog, "NEED");
    for (const v1::CatalogCode *need : city.needs) {
        auto found = catalog.needCodes(need->code());
        if (!found.ok())
            return found.takeError();
        const core::NeedMapping &mapping = found.value();
        std::vector<const v1::CatalogCode *> interventions;
        for (const v1::CatalogCode *code : mapping.interventions) {
            if (code->system() == "LOCAL" && code->level() == v1::CODE_LEVEL_ITEM && !code->retired())
                interventions.push_back(code);
        }
        std::vector<std::string> areas;
        for (const v1::CatalogCode *code : mapping.areas) {
            if (code->system() == "ISTAT_AREA" && !code->retired() && std::ranges::find(areas, code->code()) == areas.end())
                areas.push_back(code->code());
        }
        city.needInterventions.push_back(std::move(interventions));
        city.needAreas.push_back(std::move(areas));
    }
    city.channels = activeCodes(catalog, "ACCESS_CHANNEL");
    city.referrals = activeCodes(catalog, "REFERRAL_SOURCE");
    city.caseStates = activeCodes(catalog, "CASE_STATE");
    city.diaryTypes = activeCodes(catalog, "DIARY_TYPE");
    const v1::CatalogCode *elderly = catalog.find("ISTAT_AREA", kElderlyArea);
    city.hasElderlyArea = elderly && !elderly->retired();
    city.katz = catalog.form(kKatzForm);
    return city;
}

struct Roster {
    std::vector<std::string> operators;     // role operator: who takes cases
    std::vector<std::string> coordinators;  // who authorises interventions
};

struct Person {
    v1::Citizen citizen;
    LifeStage stage = LifeStage::Adult;
    bool foreign = false;
};

class CityGenerator {
public:
    CityGenerator(const core::Catalog &catalog, const CityCatalog &city, const SeedConfig &config, SeedSink &sink)
        : m_catalog(catalog), m_city(city), m_config(config), m_sink(sink), m_random(config.seed),
          m_historyStartMs(config.nowMs - std::min<std::uint64_t>(config.nowMs, config.historyYears * 365 * kDayMs))
    {
        m_summary.municipi = city.municipi;
        m_rosters.resize(city.presidi.size());
        for (std::size_t i = 0; i < city.presidi.size(); ++i)
            m_presidioWeights.push_back(0.6 + 0.8 * m_random.unit());
        m_channelWeights = weightsFor(city.channels, kChannels);
        m_referralWeights = weightsFor(city.referrals, kReferrals);
        m_caseStateWeights = weightsFor(city.caseStates, kCaseStates);
        m_diaryWeights = weightsFor(city.diaryTypes, kDiaryTypes);
        for (const Community &community : foreignCommunities())
            m_communityWeights.push_back(community.weight);
    }

    Result<SeedSummary> run()
    {
        SIGESS_TRY(emitPresidi());
        SIGESS_TRY(emitOperators());
        for (std::size_t i = 0; i < m_config.citizens; ++i)
            SIGESS_TRY(emitCitizen());
        return m_summary;
    }

private:
    std::uint64_t officeHoursOn(std::uint64_t ms)
    {
        const std::uint64_t day = ms - ms % kDayMs;
        // 08:30 to 13:00, Rome time, written in UTC (one hour behind in winter).
        return day + 7 * 3600'000 + 30 * kMinuteMs + m_random.below(270) * kMinuteMs + m_random.below(60) * 1000;
    }

    std::uint64_t randomTimeBetween(std::uint64_t from, std::uint64_t to)
    {
        return to <= from ? from : from + m_random.below(to - from);
    }

    Status emitPresidi()
    {
        for (const v1::PresidioInfo *info : m_city.presidi) {
            v1::Presidio presidio;
            setMeta(presidio.mutable_meta(), m_random.uuidV7(m_historyStartMs), m_historyStartMs, m_historyStartMs,
                    info->code());
            presidio.set_code(info->code());
            presidio.set_name(info->name());
            presidio.set_municipio(info->municipio());
            SIGESS_TRY(m_sink.accept(presidio));
            ++m_summary.presidi;
        }
        return {};
    }

    std::vector<std::size_t> staffPerPresidio(std::size_t staff)
    {
        // Two each (a coordinator and an operator), the rest by largest remainder: the
        // counts add up to `staff` exactly, proportional to the weights.
        constexpr std::size_t minimum = 2;
        staff -= minimum * m_presidioWeights.size();
        double total = 0;
        for (const double w : m_presidioWeights)
            total += w;
        std::vector<std::size_t> counts;
        std::vector<std::pair<double, std::size_t>> remainders;
        std::size_t assigned = 0;
        for (std::size_t i = 0; i < m_presidioWeights.size(); ++i) {
            const double exact = static_cast<double>(staff) * m_presidioWeights[i] / total;
            counts.push_back(static_cast<std::size_t>(exact));
            assigned += counts.back();
            remainders.emplace_back(exact - static_cast<double>(counts.back()), i);
        }
        std::ranges::sort(remainders, [](const auto &a, const auto &b) {
            return a.first != b.first ? a.first > b.first : a.second < b.second;
        });
        for (std::size_t k = 0; assigned < staff; ++k, ++assigned)
            ++counts[remainders[k % remainders.size()].second];
        for (std::size_t &count : counts)
            count += minimum;
        return counts;
    }

    // Returns the new operator's id.
    Result<std::string> emitOperator(v1::Role role, const std::string &presidio, std::string_view profile)
    {
        const Community &people = italians();
        const bool female = m_random.chance(0.7);  // social work is a mostly female profession
        const std::string_view given = m_random.pick(female ? people.femaleNames : people.maleNames);
        const std::string_view family = m_random.pick(people.familyNames);
        std::string username = asciiLower(given) + "." + asciiLower(family);
        if (!m_usernames.insert(username).second) {
            for (unsigned n = 2;; ++n) {
                if (m_usernames.insert(username + std::to_string(n)).second) {
                    username += std::to_string(n);
                    break;
                }
            }
        }
        v1::Operator account;
        const std::uint64_t created = randomTimeBetween(m_historyStartMs, m_historyStartMs + 365 * kDayMs);
        setMeta(account.mutable_meta(), m_random.uuidV7(created), created, created, presidio);
        account.set_username(std::move(username));
        account.set_display_name(std::string(given) + " " + std::string(family));
        account.set_role(role);
        account.set_profile(std::string(profile));
        SIGESS_TRY(m_sink.accept(account));
        ++m_summary.operators;
        return account.meta().id();
    }

    Status emitOperators()
    {
        const std::size_t cityWide = m_config.supervisors + m_config.admins + m_config.auditors;
        const std::size_t presidi = m_city.presidi.size();
        const std::vector<std::size_t> staff = staffPerPresidio(m_config.operators - cityWide);
        for (std::size_t p = 0; p < presidi; ++p) {
            const std::string &code = m_city.presidi[p]->code();
            const std::size_t coordinators = staff[p] >= 30 ? 2 : 1;
            for (std::size_t k = 0; k < staff[p]; ++k) {
                if (k < coordinators) {
                    auto id = emitOperator(v1::ROLE_COORDINATOR, code, "social worker");
                    if (!id.ok())
                        return id.takeError();
                    m_rosters[p].coordinators.push_back(std::move(id).value());
                } else {
                    const std::string_view profile = kOperatorProfiles[m_random.weighted(kOperatorProfileWeights)];
                    auto id = emitOperator(v1::ROLE_OPERATOR, code, profile);
                    if (!id.ok())
                        return id.takeError();
                    m_rosters[p].operators.push_back(std::move(id).value());
                }
            }
        }
        for (std::size_t k = 0; k < m_config.supervisors; ++k)
            SIGESS_TRY(emitOperator(v1::ROLE_SUPERVISOR, {}, "social services manager"));
        for (std::size_t k = 0; k < m_config.admins; ++k)
            SIGESS_TRY(emitOperator(v1::ROLE_ADMIN, {}, "system administrator"));
        for (std::size_t k = 0; k < m_config.auditors; ++k)
            SIGESS_TRY(emitOperator(v1::ROLE_AUDITOR, {}, "data protection officer"));
        return {};
    }

    std::string uniqueCodiceFiscale(std::string_view family, std::string_view given,
                                    std::chrono::year_month_day birth, core::Sex sex, std::string_view belfiore)
    {
        // Two people with the same name, birth date and birthplace: the registry's answer
        // is omocodia, and so is ours.
        for (unsigned level = 0;; ++level) {
            std::string code = codiceFiscaleFor(family, given, birth, sex, belfiore, level);
            if (m_codiciFiscali.insert(fingerprint(code)).second)
                return code;
        }
    }

    Person makePerson(std::uint64_t createdMs, const std::string &presidio)
    {
        Person person;
        person.foreign = m_random.chance(kForeignShare);
        const Community &community =
            person.foreign ? foreignCommunities()[m_random.weighted(m_communityWeights)] : italians();
        const AgeBand band =
            kAgeBands[m_random.weighted(person.foreign ? kForeignAgeWeights : kItalianAgeWeights)];
        const auto age = static_cast<int>(m_random.between(band.from, band.to - 1));
        person.stage = age < 18 ? LifeStage::Child : age < 65 ? LifeStage::Adult : LifeStage::Elderly;

        const bool female = m_random.chance(kFemaleShare);
        const std::string_view given = m_random.pick(female ? community.femaleNames : community.maleNames);
        const std::string_view family = m_random.pick(community.familyNames);
        const std::chrono::sys_days today {core::utcDay(m_config.nowMs)};
        const auto daysOld = std::chrono::days(age * 365 + age / 4 + static_cast<int>(m_random.below(365)));
        const std::chrono::year_month_day birth{today - daysOld};

        std::string_view belfiore;
        if (!person.foreign)
            belfiore = m_random.chance(0.7) ? italianBirthplaces().front() : m_random.pick(italianBirthplaces());
        else
            belfiore = age < 18 && m_random.chance(0.6) ? italianBirthplaces().front() : community.belfiore;

        v1::Citizen &citizen = person.citizen;
        setMeta(citizen.mutable_meta(), m_random.uuidV7(createdMs), createdMs, createdMs, presidio);
        const double withoutCf = person.foreign ? kForeignWithoutCodiceFiscale : kItalianWithoutCodiceFiscale;
        if (m_random.chance(withoutCf)) {
            char temporary[24];
            std::snprintf(temporary, sizeof temporary, "TMP-%08zu", ++m_summary.citizensWithoutCodiceFiscale);
            citizen.set_temporary_id(temporary);
        } else {
            citizen.set_codice_fiscale(uniqueCodiceFiscale(family, given, birth, female ? core::Sex::Female
                                                                                        : core::Sex::Male,
                                                           belfiore));
        }
        citizen.set_given_name(std::string(given));
        citizen.set_family_name(std::string(family));
        citizen.set_birth_date(isoDate(birth));
        citizen.set_sex(female ? v1::SEX_FEMALE : v1::SEX_MALE);
        citizen.set_citizenship(std::string(community.citizenship));
        citizen.set_preferred_language(person.foreign && m_random.chance(0.7) ? std::string(community.language) : "it");
        if (m_random.chance(0.85)) {
            char phone[24];
            std::snprintf(phone, sizeof phone, "+39 3%02u %07u", static_cast<unsigned>(m_random.between(20, 99)),
                          static_cast<unsigned>(m_random.below(10'000'000)));
            citizen.set_phone(phone);
        }
        char number[32];
        std::snprintf(number, sizeof number, " %u, 00%03u Roma", static_cast<unsigned>(m_random.between(1, 240)),
                      static_cast<unsigned>(m_random.between(118, 199)));
        citizen.set_address(std::string(m_random.pick(romanStreets())) + number);
        return person;
    }

    std::vector<std::size_t> drawNeeds(const Person &person)
    {
        const std::span<const CodeWeight> table = person.stage == LifeStage::Child   ? std::span<const CodeWeight>(kChildNeeds)
                                                  : person.stage == LifeStage::Adult ? std::span<const CodeWeight>(kAdultNeeds)
                                                                                     : std::span<const CodeWeight>(kElderlyNeeds);
        std::vector<double> weights = weightsFor(m_city.needs, table);
        for (std::size_t i = 0; i < weights.size(); ++i) {
            if (person.foreign && m_city.needs[i]->code() == kMigrationNeed)
                weights[i] *= kForeignMigrationFactor;
        }
        const std::size_t count = std::min<std::size_t>(m_random.weighted(std::array{60.0, 30.0, 10.0}) + 1,
                                                        static_cast<std::size_t>(std::ranges::count_if(
                                                            weights, [](double w) { return w > 0; })));
        std::vector<std::size_t> chosen;
        for (std::size_t k = 0; k < count; ++k) {
            const std::size_t index = m_random.weighted(weights);
            chosen.push_back(index);
            weights[index] = 0;
        }
        return chosen;
    }

    Status emitCitizen()
    {
        const std::size_t home = m_random.weighted(m_presidioWeights);
        const std::string &presidio = m_city.presidi[home]->code();
        const std::uint64_t firstContact = officeHoursOn(randomTimeBetween(m_historyStartMs, m_config.nowMs - kDayMs));
        const Person person = makePerson(firstContact, presidio);
        SIGESS_TRY(m_sink.accept(person.citizen));
        ++m_summary.citizens;

        const unsigned intakes = 1 + m_random.poisson(0.6);
        std::uint64_t at = firstContact;
        for (unsigned k = 0; k < intakes && at < m_config.nowMs; ++k) {
            const std::vector<std::size_t> needs = drawNeeds(person);
            auto intakeId = emitIntake(person, home, at, needs);
            if (!intakeId.ok())
                return intakeId.takeError();
            const double caseChance = person.stage == LifeStage::Elderly ? 0.7 : 0.5;
            if (k == 0 && m_random.chance(caseChance))
                SIGESS_TRY(emitCase(person, home, at, needs, intakeId.value()));
            at = officeHoursOn(at + (7 + m_random.below(400)) * kDayMs);
        }
        return {};
    }

    // Returns the new intake's id.
    Result<std::string> emitIntake(const Person &person, std::size_t home, std::uint64_t at,
                                   const std::vector<std::size_t> &needs)
    {
        const std::string &presidio = m_city.presidi[home]->code();
        std::vector<double> channelWeights = m_channelWeights;
        for (std::size_t i = 0; i < channelWeights.size(); ++i) {
            if (person.stage == LifeStage::Elderly && m_city.channels[i]->code() == "HOME_VISIT")
                channelWeights[i] *= 2.5;
        }
        const v1::CatalogCode *channel = m_city.channels[m_random.weighted(channelWeights)];
        bool priority = false;
        for (const std::size_t need : needs)
            priority = priority || m_city.needs[need]->urgency() == v1::URGENCY_PRIORITY
                       || m_city.needs[need]->urgency() == v1::URGENCY_URGENT_DISCREET;

        v1::Intake intake;
        setMeta(intake.mutable_meta(), m_random.uuidV7(at), at, at, presidio);
        if (channel->code() == kInPerson) {
            v1::Ticket ticket;
            setMeta(ticket.mutable_meta(), m_random.uuidV7(at), at, at, presidio);
            char number[16];
            std::snprintf(number, sizeof number, "%c-%03u", priority ? 'P' : 'A',
                          ++m_ticketCounters[{home, at / kDayMs}]);
            ticket.set_number(number);
            ticket.set_service("SEGRETARIATO");
            ticket.set_state(m_random.chance(0.05) ? v1::TICKET_STATE_NO_SHOW : v1::TICKET_STATE_SERVED);
            ticket.set_priority(priority);
            const auto &desks = m_city.presidi[home]->desks();
            if (!desks.empty())
                ticket.set_desk(desks[static_cast<int>(m_random.below(static_cast<std::uint64_t>(desks.size())))]);
            ticket.mutable_issued()->set_wall_ms(at);
            ticket.mutable_called()->set_wall_ms(at + (2 + m_random.below(58)) * kMinuteMs);
            ticket.set_intake(intake.meta().id());
            SIGESS_TRY(m_sink.accept(ticket));
            ++m_summary.tickets;
            intake.set_ticket(ticket.meta().id());
        }
        const v1::Citizen &citizen = person.citizen;
        intake.set_citizen(citizen.meta().id());
        if (!citizen.codice_fiscale().empty() && m_random.chance(0.8))
            intake.set_codice_fiscale(citizen.codice_fiscale());
        intake.set_given_name(citizen.given_name());
        intake.set_phone(citizen.phone());
        intake.set_language(citizen.preferred_language());
        for (const std::size_t need : needs)
            intake.add_needs(m_city.needs[need]->code());
        if (m_random.chance(0.3))
            intake.set_detail(std::string(m_random.pick(kIntakeDetails)));
        intake.set_priority(priority);
        intake.set_access_channel(channel->code());
        std::vector<double> referralWeights = m_referralWeights;
        for (std::size_t i = 0; i < referralWeights.size(); ++i) {
            if (person.stage != LifeStage::Adult && m_city.referrals[i]->code() == "RELATIVE")
                referralWeights[i] *= 2;
        }
        intake.set_referral_source(m_city.referrals[m_random.weighted(referralWeights)]->code());
        intake.set_consent_given(m_random.chance(0.97));
        SIGESS_TRY(m_sink.accept(intake));
        ++m_summary.intakes;
        return intake.meta().id();
    }

    Status emitCase(const Person &person, std::size_t home, std::uint64_t intakeAt,
                    const std::vector<std::size_t> &needs, const std::string &intakeId)
    {
        const std::string &presidio = m_city.presidi[home]->code();
        const Roster &roster = m_rosters[home];
        const std::uint64_t opened = officeHoursOn(intakeAt + (1 + m_random.below(30)) * kDayMs);
        if (opened >= m_config.nowMs)
            return {};

        // A case closes at least a month after it opens; a younger one is still running.
        const std::uint64_t earliestClosure = opened + 30 * kDayMs;
        const bool mayBeClosed = earliestClosure + kDayMs < m_config.nowMs;
        std::vector<double> stateWeights = m_caseStateWeights;
        for (std::size_t i = 0; i < stateWeights.size(); ++i) {
            if (!mayBeClosed && m_city.caseStates[i]->code() == kClosed)
                stateWeights[i] = 0;
        }
        const std::string &state = m_city.caseStates[m_random.weighted(stateWeights)]->code();
        std::uint64_t closed = 0;
        if (state == kClosed)
            closed = officeHoursOn(randomTimeBetween(earliestClosure, m_config.nowMs - kDayMs));
        const bool unassigned = state == kOpen && m_random.chance(0.5);
        const std::string responsible = unassigned ? std::string() : m_random.pick(roster.operators);
        const std::uint64_t end = closed != 0 ? closed : m_config.nowMs;

        v1::Case caseFile;
        setMeta(caseFile.mutable_meta(), m_random.uuidV7(opened), opened, closed != 0 ? closed : opened, presidio);
        caseFile.set_citizen(person.citizen.meta().id());
        caseFile.set_state(state);
        caseFile.set_responsible_operator(responsible);
        std::vector<std::string> areas;
        for (const std::size_t need : needs) {
            for (const std::string &area : m_city.needAreas[need]) {
                if (std::ranges::find(areas, area) == areas.end())
                    areas.push_back(area);
            }
        }
        if (person.stage == LifeStage::Elderly && m_city.hasElderlyArea
            && std::ranges::find(areas, kElderlyArea) == areas.end())
            areas.emplace_back(kElderlyArea);
        for (const std::string &area : areas)
            caseFile.add_target_groups(area);
        if (!areas.empty())
            caseFile.set_prevalent_target_group(areas.front());
        caseFile.set_opened_on(isoDate(opened));
        if (closed != 0) {
            caseFile.set_closed_on(isoDate(closed));
            caseFile.set_closure_reason(std::string(m_random.pick(kClosureReasons)));
        }
        caseFile.set_intake(intakeId);
        SIGESS_TRY(m_sink.accept(caseFile));
        ++m_summary.cases;

        const std::string worker = responsible.empty() ? m_random.pick(roster.operators) : responsible;
        SIGESS_TRY(emitInterventions(caseFile, needs, roster, worker, opened, closed));
        if (responsible.empty())
            return {};
        SIGESS_TRY(emitVisits(person, caseFile, responsible, opened, end));
        SIGESS_TRY(emitNotes(caseFile, roster, responsible, opened, end));
        if (person.stage == LifeStage::Elderly && m_city.katz)
            SIGESS_TRY(emitAssessment(caseFile, responsible, opened));
        return {};
    }

    Status emitInterventions(const v1::Case &caseFile, const std::vector<std::size_t> &needs, const Roster &roster,
                             const std::string &worker, std::uint64_t opened, std::uint64_t closed)
    {
        std::vector<const v1::CatalogCode *> candidates;
        for (const std::size_t need : needs) {
            for (const v1::CatalogCode *code : m_city.needInterventions[need]) {
                if (std::ranges::find(candidates, code) == candidates.end())
                    candidates.push_back(code);
            }
        }
        const std::size_t count = std::min<std::size_t>(1 + m_random.poisson(0.8), candidates.size());
        for (std::size_t k = 0; k < count; ++k) {
            const std::size_t index = static_cast<std::size_t>(m_random.below(candidates.size() - k)) + k;
            std::swap(candidates[k], candidates[index]);
            const v1::CatalogCode *code = candidates[k];

            const std::uint64_t start = randomTimeBetween(opened, std::min(opened + 60 * kDayMs, m_config.nowMs));
            v1::Intervention intervention;
            setMeta(intervention.mutable_meta(), m_random.uuidV7(start), start, start, caseFile.meta().presidio());
            intervention.set_case_id(caseFile.meta().id());
            intervention.set_code(code->code());
            const std::size_t stateIndex = m_random.weighted(std::array{20.0, 25.0, 50.0, 5.0});
            const std::array states = {v1::INTERVENTION_STATE_REQUESTED, v1::INTERVENTION_STATE_AUTHORISED,
                                       v1::INTERVENTION_STATE_DELIVERED, v1::INTERVENTION_STATE_CANCELLED};
            intervention.set_state(states[stateIndex]);
            intervention.set_requested_by(worker);
            if (intervention.state() == v1::INTERVENTION_STATE_AUTHORISED
                || intervention.state() == v1::INTERVENTION_STATE_DELIVERED)
                intervention.set_authorised_by(m_random.pick(roster.coordinators));
            if (intervention.state() == v1::INTERVENTION_STATE_DELIVERED)
                intervention.set_delivered_by(worker);
            intervention.set_start_on(isoDate(start));
            if (closed != 0)
                intervention.set_end_on(isoDate(std::max(closed, start)));
            if (rootOf(m_catalog, code) == kCashTransfers)
                intervention.set_monthly_amount_cents(static_cast<std::int64_t>(m_random.between(100, 600)) * 100);
            SIGESS_TRY(m_sink.accept(intervention));
            ++m_summary.interventions;
        }
        return {};
    }

    Status emitVisits(const Person &person, const v1::Case &caseFile, const std::string &responsible,
                      std::uint64_t opened, std::uint64_t end)
    {
        const bool homeCare = person.stage == LifeStage::Elderly;
        const unsigned count = m_random.poisson(homeCare ? 5.0 : 1.5);
        for (unsigned k = 0; k < count; ++k) {
            const std::uint64_t at = officeHoursOn(randomTimeBetween(opened, end));
            v1::Visit visit;
            setMeta(visit.mutable_meta(), m_random.uuidV7(at), at, at, caseFile.meta().presidio());
            visit.set_case_id(caseFile.meta().id());
            visit.set_operator_(responsible);
            visit.set_scheduled_for(isoDateTime(at));
            if (at < m_config.nowMs && m_random.chance(0.92)) {
                visit.set_performed_on(isoDateTime(at + m_random.below(30) * kMinuteMs));
                visit.set_outcome(std::string(m_random.pick(kVisitOutcomes)));
            }
            visit.set_place(std::string(homeCare && m_random.chance(0.75) ? kVisitPlaces.front()
                                                                          : m_random.pick(kVisitPlaces)));
            SIGESS_TRY(m_sink.accept(visit));
            ++m_summary.visits;
        }
        return {};
    }

    Status emitNotes(const v1::Case &caseFile, const Roster &roster, const std::string &responsible,
                     std::uint64_t opened, std::uint64_t end)
    {
        const unsigned count = 1 + m_random.poisson(2.5);
        for (unsigned k = 0; k < count; ++k) {
            const std::uint64_t at = officeHoursOn(randomTimeBetween(opened, end));
            v1::Note note;
            setMeta(note.mutable_meta(), m_random.uuidV7(at), at, at, caseFile.meta().presidio());
            note.set_case_id(caseFile.meta().id());
            note.set_entry_type(m_city.diaryTypes[m_random.weighted(m_diaryWeights)]->code());
            note.set_text(std::string(m_random.pick(kNoteTexts)));
            note.set_author(m_random.chance(0.1) ? m_random.pick(roster.coordinators) : responsible);
            note.set_private_visibility(m_random.chance(0.08));
            SIGESS_TRY(m_sink.accept(note));
            ++m_summary.notes;
        }
        return {};
    }

    Status emitAssessment(const v1::Case &caseFile, const std::string &responsible, std::uint64_t opened)
    {
        const std::uint64_t at = officeHoursOn(std::min(opened + (3 + m_random.below(25)) * kDayMs, m_config.nowMs));
        v1::Assessment assessment;
        setMeta(assessment.mutable_meta(), m_random.uuidV7(at), at, at, caseFile.meta().presidio());
        assessment.set_case_id(caseFile.meta().id());
        assessment.set_form(m_city.katz->code());
        // Each activity independent and its answers equally likely, so that scores spread
        // over the whole scale and every band of the form appears.
        double score = 0;
        for (const v1::AssessmentItem &item : m_city.katz->items()) {
            if (item.options().empty())
                continue;
            const v1::AnswerOption &option =
                item.options(static_cast<int>(m_random.below(static_cast<std::uint64_t>(item.options_size()))));
            v1::AssessmentAnswer *answer = assessment.add_answers();
            answer->set_item(item.code());
            answer->set_value(option.value());
            score += option.score();
        }
        assessment.set_score(score);
        assessment.set_operator_(responsible);
        assessment.set_performed_on(isoDate(at));
        SIGESS_TRY(m_sink.accept(assessment));
        ++m_summary.assessments;
        return {};
    }

    const core::Catalog &m_catalog;
    const CityCatalog &m_city;
    const SeedConfig &m_config;
    SeedSink &m_sink;
    SeedRandom m_random;
    std::uint64_t m_historyStartMs;
    SeedSummary m_summary;
    std::vector<double> m_presidioWeights;
    std::vector<Roster> m_rosters;
    // Queues restart their numbering every day, as at a real presidio.
    std::map<std::pair<std::size_t, std::uint64_t>, unsigned> m_ticketCounters;
    std::vector<double> m_channelWeights;
    std::vector<double> m_referralWeights;
    std::vector<double> m_caseStateWeights;
    std::vector<double> m_diaryWeights;
    std::vector<double> m_communityWeights;
    std::unordered_set<std::string> m_usernames;
    std::unordered_set<std::uint64_t> m_codiciFiscali;
};

} // namespace

Result<SeedSummary> generateCity(const core::Catalog &catalog, const SeedConfig &config, SeedSink &sink)
{
    auto city = resolveCatalog(catalog);
    if (!city.ok())
        return city.takeError();
    // Each presidio needs a coordinator and an operator at least.
    const std::size_t needed = config.supervisors + config.admins + config.auditors + 2 * city->presidi.size();
    if (config.operators < needed) {
        return makeError(ErrorCode::Invalid, "seeding " + std::to_string(city->presidi.size())
                                                 + " presidi needs at least " + std::to_string(needed) + " operators");
    }
    CityGenerator generator(catalog, city.value(), config, sink);
    return generator.run();
}

} // namespace sigess::seed
