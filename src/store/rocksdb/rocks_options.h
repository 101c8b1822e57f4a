// RocksDB options for the embedded store: one column family per kind of data, each
// tuned for how actlog uses it (docs/STORAGE.md "Tuning" explains every choice).
//
// Thread-safety: pure functions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/options.h>

namespace actlog::store {

// Column family names (part of the on-disk format).
inline constexpr char kEventsCf[] = "events";
inline constexpr char kIdsCf[] = "ids";
inline constexpr char kIndexCf[] = "index";
inline constexpr char kMetaCf[] = "meta";
inline constexpr char kSealedCf[] = "sealed";  // personal values and subject keys

struct RocksLayout {
  rocksdb::DBOptions db;
  // "default" first (RocksDB requires it; actlog leaves it empty), then events, ids,
  // index, meta, sealed in that order.
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
};

RocksLayout MakeRocksLayout();

// The prefix extractor of the index CF: the stream prefix org ‖ 0x00 ‖ kind ‖
// varint(len) ‖ value, so prefix Bloom filters answer "has this org any entry for this
// value?" before an SST is read.
std::shared_ptr<const rocksdb::SliceTransform> NewIndexPrefixExtractor();

}  // namespace actlog::store
