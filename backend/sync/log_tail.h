// Publishing what the sync log holds beyond a point: for a feed that learns of changes
// it was not told about (another process wrote them, or its relay was down meanwhile)
// and must still tell the connected devices. Each logged operation becomes the
// ChangeScope of its entity, published in batches with origin null.
// Thread safety: a free function over the database (any thread) and the feed.
#pragma once

#include "core/result.h"
#include "storage/sql.h"
#include "sync/change_feed.h"

#include <atomic>
#include <cstdint>
#include <limits>

namespace sigess::syncserver {

inline constexpr std::int64_t wholeLog = std::numeric_limits<std::int64_t>::max();

// Publishes the operations with a sequence in (after, upTo] on `feed` and returns the
// sequence of the last one published (`after` when there was none). Stops early, with
// what it published so far, once `stopping` is set.
Result<std::int64_t> publishLogTail(storage::SqlDatabase &database, ChangeFeed &feed, std::int64_t after,
                                    std::int64_t upTo, const std::atomic<bool> &stopping);

} // namespace sigess::syncserver
