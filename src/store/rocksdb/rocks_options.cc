#include "store/rocksdb/rocks_options.h"

#include <algorithm>

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>

#include "store/rocksdb/keys.h"

namespace actlog::store {
namespace {

constexpr size_t kBlockCacheBytes = 64 << 20;

class IndexPrefixExtractor final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "actlog.IndexStreamPrefix.v1"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    auto len = IndexPrefixLength(std::string_view(key.data(), key.size()));
    return rocksdb::Slice(key.data(), len.value_or(key.size()));
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return IndexPrefixLength(std::string_view(key.data(), key.size())).has_value();
  }
};

bool Supported(rocksdb::CompressionType type) {
  auto all = rocksdb::GetSupportedCompressions();
  return std::find(all.begin(), all.end(), type) != all.end();
}

// LZ4 where data is still hot and rewritten by compaction; zstd where it comes to rest.
void SetCompression(rocksdb::ColumnFamilyOptions* cf) {
  cf->compression = Supported(rocksdb::kLZ4Compression) ? rocksdb::kLZ4Compression
                                                        : rocksdb::kNoCompression;
  cf->bottommost_compression = Supported(rocksdb::kZSTD) ? rocksdb::kZSTD : cf->compression;
}

rocksdb::ColumnFamilyOptions BaseCf(const std::shared_ptr<rocksdb::Cache>& cache,
                                    const rocksdb::FilterPolicy* filter,
                                    bool whole_key_filtering, size_t block_size = 16 * 1024) {
  rocksdb::ColumnFamilyOptions cf;
  cf.level_compaction_dynamic_level_bytes = true;
  SetCompression(&cf);
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.block_size = block_size;
  table.format_version = 5;
  table.whole_key_filtering = whole_key_filtering;
  if (filter != nullptr) table.filter_policy.reset(filter);
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return cf;
}

}  // namespace

std::shared_ptr<const rocksdb::SliceTransform> NewIndexPrefixExtractor() {
  return std::make_shared<IndexPrefixExtractor>();
}

RocksLayout MakeRocksLayout() {
  RocksLayout layout;
  rocksdb::DBOptions& db = layout.db;
  db.create_if_missing = true;
  db.create_missing_column_families = true;
  db.max_background_jobs = 2;
  db.bytes_per_sync = 1 << 20;
  db.max_total_wal_size = 256 << 20;
  // All memtables together (events, ids, index, sealed, meta) stay under 128 MiB, so the
  // server's memory does not grow with the number of column families' write buffers.
  db.db_write_buffer_size = 128 << 20;
  db.keep_log_file_num = 4;

  auto cache = rocksdb::NewLRUCache(kBlockCacheBytes);

  // events: append-only by seq, read by seq; the bulk of the bytes.
  // Its values are JSON events of one shape: zstd from the first flush on, with a
  // dictionary trained per table file on samples of its blocks, and 32 KiB blocks of
  // ~50 events each. Measured at rest after 100,000 demo events: 352 -> 220 bytes/event
  // in this CF, same ingest CPU time (docs/BENCHMARKS.md).
  rocksdb::ColumnFamilyOptions events = BaseCf(cache, nullptr, true, 32 << 10);
  events.write_buffer_size = 64 << 20;
  if (Supported(rocksdb::kZSTD)) {
    events.compression = rocksdb::kZSTD;
    events.compression_opts.max_dict_bytes = 16 << 10;
    events.compression_opts.zstd_max_train_bytes = 100 * (16 << 10);
    events.bottommost_compression = rocksdb::kZSTD;
    events.bottommost_compression_opts = events.compression_opts;
    events.bottommost_compression_opts.enabled = true;
  }

  // ids: point lookups on every append, mostly misses (new ids): Bloom on all levels.
  rocksdb::ColumnFamilyOptions ids = BaseCf(cache, rocksdb::NewBloomFilterPolicy(10), true);
  ids.write_buffer_size = 16 << 20;

  // index: range scans within one stream prefix; prefix Bloom, no whole-key filter.
  rocksdb::ColumnFamilyOptions index =
      BaseCf(cache, rocksdb::NewBloomFilterPolicy(10), /*whole_key_filtering=*/false);
  index.write_buffer_size = 32 << 20;
  index.prefix_extractor = NewIndexPrefixExtractor();
  index.memtable_prefix_bloom_size_ratio = 0.05;
  // A group's WriteBatch interleaves ~9 streams per event, each appended in time
  // order: one remembered insert position per stream spares the memtable skiplist a
  // search from the top for every entry (it was 44% of the server's CPU in batch ingest).
  index.memtable_insert_with_hint_prefix_extractor = NewIndexPrefixExtractor();

  rocksdb::ColumnFamilyOptions meta = BaseCf(cache, nullptr, true);
  meta.write_buffer_size = 4 << 20;

  // sealed: personal values, subject keys and each subject's value list (rocks_sealed.h).
  // Point reads by hash and key, prefix scans only at erasure: Bloom on whole keys.
  rocksdb::ColumnFamilyOptions sealed = BaseCf(cache, rocksdb::NewBloomFilterPolicy(10), true);
  sealed.write_buffer_size = 16 << 20;

  layout.families = {
      {rocksdb::kDefaultColumnFamilyName, meta},
      {kEventsCf, events},
      {kIdsCf, ids},
      {kIndexCf, index},
      {kMetaCf, meta},
      {kSealedCf, sealed},
  };
  return layout;
}

}  // namespace actlog::store
