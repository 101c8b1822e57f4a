// RocksTree::Verify: recompute an org's tree from its stored event records and compare
// it with the stored tiles and tree state, naming every event that no longer matches.
//
// The org's event keys are cut into chunks of consecutive seqs. Worker threads read and
// hash the chunks (reading, decompressing and hashing are most of the cost, and they are
// independent per record); the calling thread takes the chunks in order, appends their
// leaf hashes to one tree and reports the findings in seq order, exactly as one pass
// over the records would.
#include <algorithm>
#include <cstring>
#include <memory>
#include <thread>

#include "actlog/event.h"
#include "store/rocksdb/keys.h"
#include "store/rocksdb/ordered_parallel.h"
#include "store/rocksdb/rocks_status.h"
#include "store/rocksdb/rocks_tree.h"

namespace actlog::store {
namespace {

using integrity::Hash;
using integrity::kHashSize;
using integrity::TileId;

uint64_t FirstLeafOf(const TileId& tile) {
  uint64_t leaf = tile.index * integrity::kTileWidth;
  for (int i = 0; i < tile.level; ++i) leaf <<= integrity::kTileHeight;
  return leaf;
}

// One event record of a chunk, as the scan found it.
struct ScannedRecord {
  uint64_t seq = 0;
  Hash leaf{};
  bool below_pruned = false;  // a record where retention removed everything
};

// What a worker found in one chunk of keys, in key order.
struct ScannedChunk {
  std::vector<ScannedRecord> records;
  // Problems of a record besides its place in the seq order: (index in records, finding).
  std::vector<std::pair<size_t, TreeFinding>> findings;
  Status status;  // a read error after `records` (the scan stopped there)
};

}  // namespace

// Reads one chunk of an org's event keys, [lower, upper) (no upper: to the org's end),
// hashes each record and compares it with its leaf in the stored level-0 tiles.
class RocksTree::ChunkScanner {
 public:
  ChunkScanner(const RocksTree& tree, std::string_view org, uint64_t tree_size,
               uint64_t pruned_below)
      : tree_(tree),
        org_(org),
        prefix_(OrgPrefix(org)),
        tree_size_(tree_size),
        pruned_below_(pruned_below) {}

  ScannedChunk Scan(const std::string& lower, const std::optional<std::string>& upper) const {
    ScannedChunk chunk;
    rocksdb::ReadOptions read;
    read.fill_cache = false;
    rocksdb::Slice upper_slice;
    if (upper) {
      upper_slice = *upper;
      read.iterate_upper_bound = &upper_slice;
    }
    std::unique_ptr<rocksdb::Iterator> it(tree_.db_->NewIterator(read, tree_.events_cf_));
    LeafTile tile;
    for (it->Seek(lower); it->Valid() && it->key().starts_with(prefix_); it->Next()) {
      std::optional<uint64_t> seq = ParseEventKey(it->key().ToStringView(), org_);
      if (!seq) continue;  // not an event key of this org (a longer org name)
      chunk.status = Record(*seq, it->value().ToStringView(), &tile, &chunk);
      if (!chunk.status.ok()) return chunk;
    }
    if (!it->status().ok()) chunk.status = FromRocks(it->status(), "reading events");
    return chunk;
  }

 private:
  // The level-0 tile last read (consecutive records share it).
  struct LeafTile {
    uint64_t index = UINT64_MAX;
    StatusOr<std::string> hashes = std::string();
  };

  Status Record(uint64_t seq, std::string_view bytes, LeafTile* tile, ScannedChunk* chunk) const {
    ScannedRecord& record = chunk->records.emplace_back();
    record.seq = seq;
    if (seq < pruned_below_) {
      record.below_pruned = true;
      return Status::Ok();
    }
    record.leaf = integrity::LeafHash(bytes);
    // An event whose bytes hash to the leaf the tree recorded for its seq is the event
    // appended there (the tiles are checked against the recomputed tree afterwards), so
    // it is not decoded: parsing every record would cost more than everything else here.
    // Only a record that fails is decoded, to name it and to say where it belongs.
    std::string why;
    if (seq >= tree_size_) {
      why = "the event is not in the tree (added after the tree's last leaf)";
    } else {
      uint64_t tile_index = seq / integrity::kTileWidth;
      if (tile_index != tile->index) {
        tile->index = tile_index;
        tile->hashes = tree_.ReadTile(
            org_, TileId{0, tile_index, integrity::TileWidth(0, tile_index, tree_size_)});
        StatusCode code = tile->hashes.ok() ? StatusCode::kOk : tile->hashes.status().code();
        if (code != StatusCode::kOk && code != StatusCode::kNotFound &&
            code != StatusCode::kDataLoss) {
          chunk->records.pop_back();
          return tile->hashes.status();
        }
      }
      if (!tile->hashes.ok()) {
        why = "the tree has no leaf hash for it: " + tile->hashes.status().message();
      } else if (std::memcmp(tile->hashes->data() + (seq % integrity::kTileWidth) * kHashSize,
                             record.leaf.data(), kHashSize) != 0) {
        why = "the event's content does not match its leaf hash in the tree";
      }
    }
    if (!why.empty()) Name(seq, bytes, std::move(why), chunk);
    return Status::Ok();
  }

  // The findings of a record that does not match its leaf.
  void Name(uint64_t seq, std::string_view bytes, std::string why, ScannedChunk* chunk) const {
    size_t index = chunk->records.size() - 1;
    std::string id;
    StatusOr<Event> event = DecodeEvent(bytes);
    if (!event.ok()) {
      chunk->findings.push_back(
          {index, {seq, "", "the record is not a readable event: " + event.status().message()}});
    } else {
      id = event->id;
      if (event->seq != seq || event->org != org_) {
        chunk->findings.push_back(
            {index,
             {seq, id,
              "the record belongs to org " + event->org + " seq " + std::to_string(event->seq) +
                  ", not here (moved or reordered)"}});
      }
    }
    chunk->findings.push_back({index, {seq, id, std::move(why)}});
  }

  const RocksTree& tree_;
  std::string org_;
  std::string prefix_;
  uint64_t tree_size_;
  uint64_t pruned_below_;
};

StatusOr<TreeVerifyResult> RocksTree::Verify(std::string_view org,
                                             const std::function<void(const TreeFinding&)>& report,
                                             const TreeVerifyOptions& options) const {
  StatusOr<State> state = LoadState(org);
  if (!state.ok()) return state.status();
  TreeVerifyResult result;
  result.tree_size = state->size;
  auto problem = [&](uint64_t seq, std::string id, std::string what) {
    result.ok = false;
    report(TreeFinding{seq, std::move(id), std::move(what)});
  };

  integrity::IncrementalTree tree;
  // Only tiles above the leaves are kept in memory (about n/255 hashes); each leaf is
  // compared with the stored level-0 tile as the scan goes.
  integrity::MemoryTileStore recomputed;
  auto keep_upper = [&recomputed](const integrity::NodeId& node, const Hash& hash) {
    if (node.level >= integrity::kTileHeight) recomputed.AddNode(node, hash);
  };
  uint64_t next = 0;

  // Retention: the leaves of pruned events come from the stored tiles, so the tree above
  // them is still checked and the remaining events still prove into it.
  std::string pruned;
  rocksdb::Status pruned_status =
      db_->Get({}, meta_cf_, std::string(kMetaPrunedPrefix) + std::string(org), &pruned);
  if (pruned_status.ok() && pruned.size() == 8) {
    result.pruned_below = std::min(DecodeFixed64BE(pruned.data()), state->size);
  } else if (!pruned_status.IsNotFound()) {
    return pruned_status.ok() ? DataLoss("damaged pruned mark") : FromRocks(pruned_status, "");
  }
  uint64_t leaf_tile_index = UINT64_MAX;
  StatusOr<std::string> leaf_tile = std::string();
  for (; next < result.pruned_below; ++next) {
    TileId tile{0, next / integrity::kTileWidth,
                integrity::TileWidth(0, next / integrity::kTileWidth, state->size)};
    if (tile.index != leaf_tile_index) {
      leaf_tile_index = tile.index;
      leaf_tile = ReadTile(org, tile);
      if (!leaf_tile.ok()) return leaf_tile.status();
    }
    Hash leaf;
    std::memcpy(leaf.data(), leaf_tile->data() + (next % integrity::kTileWidth) * kHashSize,
                kHashSize);
    ACTLOG_RETURN_IF_ERROR(tree.AppendLeafHash(leaf, keep_upper));
  }

  // Chunk k covers seqs [first + k·C, first + (k+1)·C); the first chunk starts at the
  // org's first key (records below the pruned mark), the last one runs to its last key
  // (records past the tree's size).
  const uint64_t first = result.pruned_below;
  const uint64_t per_chunk = std::max<uint64_t>(options.chunk_leaves, 1);
  const uint64_t chunks = (state->size - first + per_chunk - 1) / per_chunk + 1;
  ChunkScanner scanner(*this, org, state->size, result.pruned_below);
  auto produce = [&](size_t k) {
    std::string lower = k == 0 ? OrgPrefix(org) : EventKey(org, first + k * per_chunk);
    std::optional<std::string> upper;
    if (k + 1 < chunks) upper = EventKey(org, first + (k + 1) * per_chunk);
    return scanner.Scan(lower, upper);
  };
  Status failed;
  auto consume = [&](ScannedChunk chunk) {
    size_t f = 0;
    for (size_t i = 0; i < chunk.records.size(); ++i) {
      const ScannedRecord& record = chunk.records[i];
      if (record.below_pruned) {
        problem(record.seq, "", "an event record below the pruned mark");
        continue;
      }
      ++result.events;
      for (; next < record.seq; ++next) problem(next, "", "the event record is missing");
      next = record.seq + 1;
      failed = tree.AppendLeafHash(record.leaf, keep_upper);
      if (!failed.ok()) return false;
      for (; f < chunk.findings.size() && chunk.findings[f].first == i; ++f) {
        result.ok = false;
        report(chunk.findings[f].second);
      }
    }
    failed = std::move(chunk.status);
    return failed.ok();
  };
  size_t threads = options.threads;
  if (threads == 0) threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  if (threads == 1) threads = 0;  // one core: no worker threads, no hand-over
  RunOrdered<ScannedChunk>(chunks, threads, 4 * threads, produce, consume);
  if (!failed.ok()) return failed;
  for (; next < state->size; ++next) problem(next, "", "the event record is missing");
  result.root = tree.Root();
  if (!result.ok) return result;

  // Every event matches its leaf: now the tree above the leaves and its recorded state.
  for (const TileId& tile : integrity::TilesForTree(state->size)) {
    if (tile.level == 0) continue;
    StatusOr<std::string> stored = ReadTile(org, tile);
    StatusOr<std::string> want = recomputed.ReadTile(tile);
    if (!want.ok()) return want.status();
    size_t n = size_t{tile.width} * kHashSize;
    if (!stored.ok() || stored->compare(0, n, *want, 0, n) != 0) {
      problem(FirstLeafOf(tile), "",
              "stored tile " + integrity::TilePath(tile) + " does not match the events");
    }
  }
  StatusOr<Hash> stored_root = Root(org);
  if (!stored_root.ok()) return stored_root.status();
  if (*stored_root != result.root) {
    problem(state->size == 0 ? 0 : state->size - 1, "",
            "the recorded tree state (root " + integrity::HashToHex(*stored_root) +
                ") does not match the events (root " + integrity::HashToHex(result.root) + ")");
  }
  return result;
}

}  // namespace actlog::store
