#include "seed/random.h"

#include "core/uuid.h"

#include <cassert>
#include <cmath>
#include <numeric>

namespace sigess::seed {

std::uint64_t SeedRandom::below(std::uint64_t bound)
{
    assert(bound > 0);
    // Reject the top partial copy of [0, bound) so every value is equally likely.
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    std::uint64_t value = next();
    while (value >= limit)
        value = next();
    return value % bound;
}

std::int64_t SeedRandom::between(std::int64_t low, std::int64_t high)
{
    assert(low <= high);
    const auto span = static_cast<std::uint64_t>(high - low) + 1;
    return low + static_cast<std::int64_t>(span == 0 ? next() : below(span));
}

double SeedRandom::unit()
{
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

std::size_t SeedRandom::weighted(std::span<const double> weights)
{
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    assert(total > 0);
    double point = unit() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (point < weights[i])
            return i;
        point -= weights[i];
    }
    // Rounding can leave the point a hair past the last bucket.
    for (std::size_t i = weights.size(); i > 0; --i) {
        if (weights[i - 1] > 0)
            return i - 1;
    }
    return 0;
}

unsigned SeedRandom::poisson(double mean)
{
    const double limit = std::exp(-mean);
    unsigned count = 0;
    double product = unit();
    while (product > limit) {
        ++count;
        product *= unit();
    }
    return count;
}

std::string SeedRandom::uuidV7(std::uint64_t unixMs)
{
    const std::uint64_t high = next();
    const std::uint64_t low = next();
    core::Uuid::Bytes bytes{};
    for (int i = 0; i < 6; ++i)
        bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(unixMs >> (40 - 8 * i));
    for (int i = 0; i < 2; ++i)
        bytes[static_cast<std::size_t>(6 + i)] = static_cast<std::uint8_t>(high >> (8 * i));
    for (int i = 0; i < 8; ++i)
        bytes[static_cast<std::size_t>(8 + i)] = static_cast<std::uint8_t>(low >> (8 * i));
    bytes[6] = static_cast<std::uint8_t>(0x70 | (bytes[6] & 0x0F));  // version 7
    bytes[8] = static_cast<std::uint8_t>(0x80 | (bytes[8] & 0x3F));  // RFC 9562 variant
    return core::Uuid(bytes).toString();
}

} // namespace sigess::seed
