// Query cursors: an opaque, URL-safe token for "continue from here".
//
// A cursor holds the position (occurred_at, seq) at which the next page starts
// (inclusive, in the query's order), the order, and a short hash of the org and filters
// it was made for. Resuming from a position rather than an offset keeps pages correct
// while appends continue and makes deep pages as cheap as the first. Layout in
// docs/STORAGE.md "Cursors".
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "actlog/query.h"
#include "actlog/status.h"
#include "store/rocksdb/keys.h"

namespace actlog::store {

// The 8-byte fingerprint of what a cursor is valid for: org, filters (order of
// filters does not matter), from/to and text. Limit is not part of it.
std::string QueryFingerprint(const EventQuery& query);

std::string EncodeCursor(const EventQuery& query, Position resume_at);

// The resume position of `query.cursor`. InvalidArgument "invalid_cursor" if the cursor
// is malformed or was made for another org, order or filters.
StatusOr<Position> DecodeCursor(const EventQuery& query);

}  // namespace actlog::store
