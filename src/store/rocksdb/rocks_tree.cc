// Writing each org's tree tiles with its events, reading them back, and checking them
// against the events (actlog verify).
#include "store/rocksdb/rocks_tree.h"

#include <cstring>
#include <map>
#include <utility>

#include "actlog/event.h"
#include "store/rocksdb/keys.h"
#include "store/rocksdb/rocks_status.h"

namespace actlog::store {
namespace {

using integrity::Hash;
using integrity::kHashSize;
using integrity::NodeId;
using integrity::TileId;

// The bytes a group adds to one tile: hashes for positions [first, first + n).
struct TileAppend {
  uint32_t first = 0;
  std::string bytes;
};
using TileAppends = std::map<std::pair<uint8_t, uint64_t>, TileAppend>;

std::string_view HashBytes(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

Hash HashAt(std::string_view bytes, size_t i) {
  Hash h;
  std::memcpy(h.data(), bytes.data() + i * kHashSize, kHashSize);
  return h;
}

std::string SeqName(uint64_t seq) { return "seq " + std::to_string(seq); }

class Reader final : public integrity::TileReader {
 public:
  Reader(const RocksTree* tree, std::string org) : tree_(tree), org_(std::move(org)) {}
  StatusOr<std::string> ReadTile(const TileId& tile) override {
    return tree_->ReadTile(org_, tile);
  }

 private:
  const RocksTree* tree_;
  std::string org_;
};

}  // namespace

std::string TreeStateKey(std::string_view org) {
  std::string key(kMetaTreePrefix);
  key.append(org);
  return key;
}

std::string TileKey(std::string_view org, uint8_t level, uint64_t index) {
  std::string key(kMetaTilePrefix);
  key.append(org);
  key.push_back('\0');
  key.push_back(static_cast<char>(level));
  PutFixed64BE(&key, index);
  return key;
}

StatusOr<RocksTree::State> RocksTree::LoadState(std::string_view org) const {
  std::string value;
  rocksdb::Status s = db_->Get({}, meta_cf_, TreeStateKey(org), &value);
  State state;
  if (s.IsNotFound()) return state;
  if (!s.ok()) return FromRocks(s, "reading tree state");
  if (value.size() < 8 || (value.size() - 8) % kHashSize != 0) {
    return DataLoss("tree state of org " + std::string(org) + " is malformed");
  }
  state.size = DecodeFixed64BE(value.data());
  std::string_view hashes = std::string_view(value).substr(8);
  for (size_t i = 0; i < hashes.size() / kHashSize; ++i) state.frontier.push_back(HashAt(hashes, i));
  if (state.frontier.size() != static_cast<size_t>(__builtin_popcountll(state.size))) {
    return DataLoss("tree state of org " + std::string(org) + " has a wrong frontier");
  }
  return state;
}

StatusOr<Hash> RocksTree::Root(std::string_view org) const {
  StatusOr<State> state = LoadState(org);
  if (!state.ok()) return state.status();
  StatusOr<integrity::IncrementalTree> tree =
      integrity::IncrementalTree::FromFrontier(state->size, state->frontier);
  if (!tree.ok()) return tree.status();
  return tree->Root();
}

StatusOr<std::string> RocksTree::ReadTile(std::string_view org, const TileId& tile) const {
  std::string value;
  rocksdb::Status s = db_->Get({}, meta_cf_, TileKey(org, tile.level, tile.index), &value);
  if (s.IsNotFound()) return NotFound("no tile " + integrity::TilePath(tile));
  if (!s.ok()) return FromRocks(s, "reading tile");
  if (value.size() % kHashSize != 0) return DataLoss("tile " + integrity::TilePath(tile) + " is malformed");
  if (value.size() < size_t{tile.width} * kHashSize) {
    return NotFound("tile " + integrity::TilePath(tile) + " is not that wide");
  }
  return value;
}

std::unique_ptr<integrity::TileReader> RocksTree::Reader(std::string_view org) const {
  return std::make_unique<class Reader>(this, std::string(org));
}

Status RocksTree::OnAppend(std::string_view org, uint64_t first_seq,
                           const std::vector<std::string_view>& leaves,
                           rocksdb::WriteBatch* batch) {
  StatusOr<State> state = LoadState(org);
  if (!state.ok()) return state.status();
  if (state->size > first_seq) {
    return DataLoss("the tree of org " + std::string(org) + " is ahead of its events");
  }
  StatusOr<integrity::IncrementalTree> tree =
      integrity::IncrementalTree::FromFrontier(state->size, std::move(state->frontier));
  if (!tree.ok()) return tree.status();

  TileAppends appends;
  auto sink = [&appends](const NodeId& node, const Hash& hash) {
    std::optional<integrity::TileSlot> slot = integrity::SlotForNode(node);
    if (!slot) return;
    auto [it, fresh] = appends.try_emplace({slot->tile.level, slot->tile.index});
    if (fresh) it->second.first = slot->position;
    it->second.bytes.append(HashBytes(hash));
  };

  // Events stored before the tree existed (an older store): catch up from them first.
  if (tree->size() < first_seq) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, events_cf_));
    uint64_t next = tree->size();
    for (it->Seek(EventKey(org, next)); it->Valid() && next < first_seq; it->Next()) {
      std::optional<uint64_t> seq = ParseEventKey(it->key().ToStringView(), org);
      if (!seq || *seq != next) break;
      ACTLOG_RETURN_IF_ERROR(tree->Append(it->value().ToStringView(), sink));
      ++next;
    }
    if (!it->status().ok()) return FromRocks(it->status(), "reading events for the tree");
    if (next != first_seq) {
      return DataLoss("org " + std::string(org) + ": event " + SeqName(next) +
                      " is missing, cannot extend the tree");
    }
  }
  for (std::string_view leaf : leaves) ACTLOG_RETURN_IF_ERROR(tree->Append(leaf, sink));

  for (auto& [key, append] : appends) {
    std::string tile_key = TileKey(org, key.first, key.second);
    std::string value;
    if (append.first > 0) {
      rocksdb::Status s = db_->Get({}, meta_cf_, tile_key, &value);
      if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "reading tile");
      if (value.size() != size_t{append.first} * kHashSize) {
        return DataLoss("org " + std::string(org) + ": stored tile " +
                        integrity::TilePath(TileId{key.first, key.second, integrity::kTileWidth}) +
                        " does not end where the tree does");
      }
    }
    value += append.bytes;
    ACTLOG_RETURN_IF_ERROR(FromRocks(batch->Put(meta_cf_, tile_key, value), "building write batch"));
  }
  std::string record;
  PutFixed64BE(&record, tree->size());
  for (const Hash& h : tree->frontier()) record.append(HashBytes(h));
  return FromRocks(batch->Put(meta_cf_, TreeStateKey(org), record), "building write batch");
}

}  // namespace actlog::store
