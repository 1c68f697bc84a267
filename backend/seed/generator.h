// The synthetic city for demos, tests and benchmarks (`sigessctl seed`): the presidi and
// municipi of a catalog release, operators spread over the presidi with their roles,
// and citizens with their intakes, queue tickets, cases, interventions, visits, notes
// and assessments, with plausible distributions (an age pyramid leaning to the elderly,
// Rome's foreign communities, about 15% of people without a codice fiscale, needs and
// interventions from the catalog) and valid codici fiscali.
//
// The city streams: each record goes to the sink as soon as it exists, and only the
// operators (a few hundred) are kept in memory, so 200,000 citizens cost no more memory
// than 2,000. Deterministic: the same catalog, configuration and seed give the same
// records, byte for byte, in the same order, on any platform (seed/random.h).
//
// Order: every presidio, then every operator, then each citizen followed by their
// records, each record after the records it refers to (a ticket before its intake, an
// intake before its case, a case before its interventions, visits, notes, assessments).
// Thread safety: generateCity is re-entrant; the sink is called on the caller's thread.
#pragma once

#include "core/catalog.h"
#include "core/result.h"
#include "sigess/v1/entities.pb.h"

#include <cstddef>
#include <cstdint>

namespace sigess::seed {

// Receives the city. Returning an error stops generation and generateCity returns it.
class SeedSink {
public:
    virtual ~SeedSink();
    virtual Status accept(const v1::Presidio &presidio) = 0;
    virtual Status accept(const v1::Operator &account) = 0;
    virtual Status accept(const v1::Citizen &citizen) = 0;
    virtual Status accept(const v1::Ticket &ticket) = 0;
    virtual Status accept(const v1::Intake &intake) = 0;
    virtual Status accept(const v1::Case &caseFile) = 0;
    virtual Status accept(const v1::Intervention &intervention) = 0;
    virtual Status accept(const v1::Visit &visit) = 0;
    virtual Status accept(const v1::Note &note) = 0;
    virtual Status accept(const v1::Assessment &assessment) = 0;
};

struct SeedConfig {
    std::uint64_t seed = 1;
    std::size_t citizens = 10'000;
    std::size_t operators = 900;  // all roles together
    std::size_t supervisors = 6;  // city-wide roles, not attached to a presidio
    std::size_t admins = 4;
    std::size_t auditors = 3;
    // "Now" of the synthetic clock: records are dated in the `historyYears` before it.
    std::uint64_t nowMs = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
    unsigned historyYears = 5;
};

struct SeedSummary {
    std::size_t presidi = 0;
    std::size_t municipi = 0;
    std::size_t operators = 0;
    std::size_t citizens = 0;
    std::size_t citizensWithoutCodiceFiscale = 0;
    std::size_t tickets = 0;
    std::size_t intakes = 0;
    std::size_t cases = 0;
    std::size_t interventions = 0;
    std::size_t visits = 0;
    std::size_t notes = 0;
    std::size_t assessments = 0;
};

// Invalid when the configuration cannot make a city (no citizens' presidio in the catalog,
// fewer operators than presidi plus city-wide roles) or the catalog lacks a code system
// the city needs (NEED, ACCESS_CHANNEL, REFERRAL_SOURCE, CASE_STATE, DIARY_TYPE,
// ISTAT_AREA, LOCAL); otherwise the first error of the sink, or the summary.
Result<SeedSummary> generateCity(const core::Catalog &catalog, const SeedConfig &config, SeedSink &sink);

} // namespace sigess::seed
