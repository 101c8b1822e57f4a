// Index streams: sorted sequences of positions (occurred_at, seq) that a query walks in
// result order, and the two ways to combine them.
//
//   IteratorStream  one index prefix (one field value), bounded by from/to
//   UnionStream     OR of several values of one field (a merge, duplicates removed)
//   IntersectStream AND across fields (leapfrog: seek every input to the furthest one)
//
// "Forward" means the query's order: ascending positions for Order::kAsc, descending
// for kDesc. Every step an iterator takes counts against a shared ScanBudget; only the
// intersection can run long without producing a match, so it alone stops early when the
// budget is spent and reports how far it got (Frontier) so the caller can hand out a
// cursor. Not thread-safe: one stream belongs to one query call.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <rocksdb/db.h>

#include "actlog/query.h"
#include "actlog/status.h"
#include "store/rocksdb/keys.h"

namespace actlog::store {

struct ScanBudget {
  uint64_t used = 0;
  uint64_t limit = 0;
  bool Spent() const { return used >= limit; }
};

// True when `a` comes strictly after `b` in the given order.
inline bool After(Order order, Position a, Position b) {
  return order == Order::kAsc ? a > b : a < b;
}

class PositionStream {
 public:
  virtual ~PositionStream() = default;
  // Moves to the first position at or after `target` (in the stream's order).
  virtual void Seek(Position target) = 0;
  // REQUIRES: Valid().
  virtual void Next() = 0;
  virtual bool Valid() const = 0;
  // REQUIRES: Valid().
  virtual Position Current() const = 0;
  virtual Status status() const = 0;
  // Set when the stream stopped because the budget ran out: every match before the
  // returned position has been produced, none at or after it has.
  virtual std::optional<Position> Interrupted() const { return std::nullopt; }
};

struct StreamBounds {
  std::optional<int64_t> from_us;  // inclusive
  std::optional<int64_t> to_us;    // exclusive
};

// `snapshot` and `db` must outlive the stream.
std::unique_ptr<PositionStream> NewIteratorStream(rocksdb::DB* db,
                                                  rocksdb::ColumnFamilyHandle* index_cf,
                                                  const rocksdb::Snapshot* snapshot,
                                                  std::string prefix, StreamBounds bounds,
                                                  Order order, ScanBudget* budget);

std::unique_ptr<PositionStream> NewUnionStream(
    std::vector<std::unique_ptr<PositionStream>> children, Order order);

std::unique_ptr<PositionStream> NewIntersectStream(
    std::vector<std::unique_ptr<PositionStream>> children, Order order, ScanBudget* budget);

}  // namespace actlog::store
