// AppendObserver: the seam through which other parts add their own records to the very
// WriteBatch that stores a group of events, so that they commit atomically with them.
// The integrity part will write the Merkle tree tiles of each org here. No
// implementation yet.
//
// Called by the group-commit leader only, never concurrently with itself.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <rocksdb/write_batch.h>

#include "actlog/status.h"

namespace actlog::store {

class AppendObserver {
 public:
  virtual ~AppendObserver() = default;
  // `leaves` are the canonical bytes of org's new events with seq first_seq,
  // first_seq + 1, ... in order. A non-OK status fails the whole group (nothing is
  // written). The observer must not keep `batch` or `leaves` past the call.
  virtual Status OnAppend(std::string_view org, uint64_t first_seq,
                          const std::vector<std::string_view>& leaves,
                          rocksdb::WriteBatch* batch) = 0;
};

}  // namespace actlog::store
