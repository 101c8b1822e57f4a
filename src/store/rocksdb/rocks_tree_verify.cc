// RocksTree::Verify: recompute an org's tree from its stored event records and compare
// it with the stored tiles and tree state, naming every event that no longer matches.
#include <algorithm>
#include <cstring>
#include <memory>

#include "actlog/event.h"
#include "store/rocksdb/keys.h"
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

}  // namespace

StatusOr<TreeVerifyResult> RocksTree::Verify(
    std::string_view org, const std::function<void(const TreeFinding&)>& report) const {
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
  uint64_t leaf_tile_index = UINT64_MAX;
  StatusOr<std::string> leaf_tile = std::string();
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

  std::string prefix = OrgPrefix(org);
  rocksdb::ReadOptions read;
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, events_cf_));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    std::optional<uint64_t> seq = ParseEventKey(it->key().ToStringView(), org);
    if (!seq) continue;  // not an event key of this org (a longer org name)
    if (*seq < result.pruned_below) {
      problem(*seq, "", "an event record below the pruned mark");
      continue;
    }
    ++result.events;
    for (; next < *seq; ++next) problem(next, "", "the event record is missing");
    next = *seq + 1;
    std::string_view bytes = it->value().ToStringView();
    Hash leaf = integrity::LeafHash(bytes);
    ACTLOG_RETURN_IF_ERROR(tree.AppendLeafHash(leaf, keep_upper));
    // An event whose bytes hash to the leaf the tree recorded for its seq is the event
    // appended there (the tiles are checked against the recomputed tree below), so it is
    // not decoded: parsing every record would cost more than everything else here. Only a
    // record that fails is decoded, to name it and to say where it belongs.
    std::string why;
    if (*seq >= state->size) {
      why = "the event is not in the tree (added after the tree's last leaf)";
    } else {
      uint64_t tile_index = *seq / integrity::kTileWidth;
      if (tile_index != leaf_tile_index) {
        leaf_tile_index = tile_index;
        TileId tile{0, tile_index, integrity::TileWidth(0, tile_index, state->size)};
        leaf_tile = ReadTile(org, tile);
        if (!leaf_tile.ok() && leaf_tile.status().code() != StatusCode::kNotFound &&
            leaf_tile.status().code() != StatusCode::kDataLoss) {
          return leaf_tile.status();
        }
      }
      if (!leaf_tile.ok()) {
        why = "the tree has no leaf hash for it: " + leaf_tile.status().message();
      } else if (std::memcmp(leaf_tile->data() + (*seq % integrity::kTileWidth) * kHashSize,
                             leaf.data(), kHashSize) != 0) {
        why = "the event's content does not match its leaf hash in the tree";
      }
    }
    if (why.empty()) continue;
    std::string id;
    StatusOr<Event> event = DecodeEvent(bytes);
    if (!event.ok()) {
      problem(*seq, "", "the record is not a readable event: " + event.status().message());
    } else {
      id = event->id;
      if (event->seq != *seq || event->org != org) {
        problem(*seq, id,
                "the record belongs to org " + event->org + " seq " + std::to_string(event->seq) +
                    ", not here (moved or reordered)");
      }
    }
    problem(*seq, id, why);
  }
  if (!it->status().ok()) return FromRocks(it->status(), "reading events");
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
