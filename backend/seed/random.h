// The seeded randomness of the synthetic city. std::mt19937_64's output sequence is fixed
// by the C++ standard, but std::uniform_int_distribution and friends are not (each
// standard library may draw differently), so every distribution here is implemented on
// top of the raw 64-bit stream: the same seed gives the same city with any compiler.
// Thread safety: none; one SeedRandom per generator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <random>
#include <span>
#include <string>

namespace sigess::seed {

class SeedRandom {
public:
    explicit SeedRandom(std::uint64_t seed) : m_engine(seed) {}

    std::uint64_t next() { return m_engine(); }

    // Uniform in [0, bound) without modulo bias; bound > 0.
    std::uint64_t below(std::uint64_t bound);
    // Uniform in [low, high], inclusive.
    std::int64_t between(std::int64_t low, std::int64_t high);
    // Uniform in [0, 1) with 53 random bits.
    double unit();
    bool chance(double probability) { return unit() < probability; }
    // An index drawn with probability proportional to its weight (weights >= 0, sum > 0).
    std::size_t weighted(std::span<const double> weights);
    // A Poisson-distributed count (Knuth's method; fine for the small means used here).
    unsigned poisson(double mean);

    // A uniformly chosen element of a non-empty array, span or vector.
    template <typename Range>
    const auto &pick(const Range &values) { return values[static_cast<std::size_t>(below(std::size(values)))]; }

    // A UUIDv7 in canonical text form: `unixMs` as its timestamp, the rest from this
    // stream, so ids are deterministic yet sort by the synthetic creation time.
    std::string uuidV7(std::uint64_t unixMs);

private:
    std::mt19937_64 m_engine;
};

} // namespace sigess::seed
