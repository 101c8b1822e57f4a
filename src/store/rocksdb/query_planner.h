// Query execution for the embedded store.
//
// Plan: each positive filter field becomes one index stream (several values of the
// field, or a code prefix: a union of kCode streams, one per matching code of the org);
// fields combine by leapfrog intersection; no filter reads the time index. A field
// without a stream (outcome=success) is checked on the fetched events, like negative
// filters. from/to bound every stream. Negative filters and text are checked on
// the fetched events. At most kScanBudget index steps are taken per call; when they run
// out the page is returned as it is (possibly short or empty) with a cursor.
//
// All reads of one call share one RocksDB snapshot. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include <rocksdb/db.h>

#include "actlog/store.h"
#include "store/rocksdb/org_codes.h"

namespace actlog::store {

inline constexpr uint64_t kScanBudget = 5000;

struct QueryContext {
  rocksdb::DB* db;
  rocksdb::ColumnFamilyHandle* events_cf;
  rocksdb::ColumnFamilyHandle* index_cf;
  std::string_view secret;  // blind-index key
  uint64_t scan_budget = kScanBudget;
  // Decodes an event's stored bytes and opens its sealed personal values at the
  // snapshot; unset = decode only (the values stay references).
  std::function<StatusOr<StoredEvent>(std::string, const rocksdb::Snapshot*)> open;
  // Which personal paths are searchable (kPersonal filters); null = none are.
  const Catalog* catalog = nullptr;
  // The org's codes, for code-prefix filters; null = such a filter fails.
  OrgCodes* codes = nullptr;
};

StatusOr<QueryPage> RunQuery(const QueryContext& context, const EventQuery& query);

}  // namespace actlog::store
