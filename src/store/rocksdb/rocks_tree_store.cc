// The Store's integrity methods on the embedded store: tree head, proofs and tiles,
// all read from the RocksTree's tiles (rocks_tree.h).
#include "store/rocksdb/rocks_store.h"

#include "store/rocksdb/rocks_status.h"

namespace actlog::store {
namespace {

Status NoTree(std::string_view org) {
  return Status(StatusCode::kFailedPrecondition, "unsupported",
                "this store was opened without its Merkle tree: " + std::string(org));
}

}  // namespace

StatusOr<TreeHead> RocksStore::GetTreeHead(std::string_view org) {
  if (tree_ == nullptr) return NoTree(org);
  StatusOr<RocksTree::State> state = tree_->LoadState(org);
  if (!state.ok()) return state.status();
  StatusOr<integrity::IncrementalTree> tree =
      integrity::IncrementalTree::FromFrontier(state->size, std::move(state->frontier));
  if (!tree.ok()) return tree.status();
  integrity::Hash root = tree->Root();
  return TreeHead{tree->size(), std::string(root.begin(), root.end())};
}

StatusOr<std::vector<std::string>> RocksStore::InclusionProof(std::string_view org,
                                                              uint64_t index,
                                                              uint64_t tree_size) {
  if (tree_ == nullptr) return NoTree(org);
  StatusOr<RocksTree::State> state = tree_->LoadState(org);
  if (!state.ok()) return state.status();
  return integrity::CheckedInclusionProof(*tree_->Reader(org), state->size, index, tree_size);
}

StatusOr<std::vector<std::string>> RocksStore::ConsistencyProof(std::string_view org,
                                                                uint64_t from, uint64_t to) {
  if (tree_ == nullptr) return NoTree(org);
  StatusOr<RocksTree::State> state = tree_->LoadState(org);
  if (!state.ok()) return state.status();
  return integrity::CheckedConsistencyProof(*tree_->Reader(org), state->size, from, to);
}

StatusOr<std::string> RocksStore::ReadTile(std::string_view org, uint8_t level, uint64_t index,
                                           uint32_t width) {
  if (tree_ == nullptr) return NoTree(org);
  StatusOr<RocksTree::State> state = tree_->LoadState(org);
  if (!state.ok()) return state.status();
  return integrity::CheckedTile(*tree_->Reader(org), state->size, org,
                                integrity::TileId{level, index, width});
}

}  // namespace actlog::store

namespace actlog::store {
namespace {

// meta CF: "ckpt/" ‖ org ‖ 0x00 ‖ BE64(size) -> the signed note.
std::string CheckpointPrefix(std::string_view org) {
  std::string key("ckpt/");
  key.append(org);
  key.push_back('\0');
  return key;
}

}  // namespace

Status RocksStore::PutCheckpoint(std::string_view org, uint64_t size, std::string_view note) {
  std::string key = CheckpointPrefix(org);
  PutFixed64BE(&key, size);
  std::lock_guard<std::mutex> lock(admin_mu_);
  std::string existing;
  rocksdb::Status s = db_->Get({}, meta_cf_, key, &existing);
  if (s.ok()) {
    return Status(StatusCode::kAlreadyExists, "checkpoint_exists",
                  "org " + std::string(org) + " already has a checkpoint of size " +
                      std::to_string(size));
  }
  if (!s.IsNotFound()) return FromRocks(s, "reading checkpoint");
  return PutMetaSynced(key, note);
}

StatusOr<std::string> RocksStore::LatestCheckpoint(std::string_view org) {
  std::string prefix = CheckpointPrefix(org);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, meta_cf_));
  it->SeekForPrev(PrefixSuccessor(prefix));
  if (!it->status().ok()) return FromRocks(it->status(), "reading checkpoints");
  if (!it->Valid() || !it->key().starts_with(prefix) ||
      it->key().size() != prefix.size() + 8) {
    return NotFound("org " + std::string(org) + " has no checkpoint yet");
  }
  return it->value().ToString();
}

StatusOr<std::vector<StoredCheckpoint>> RocksStore::ListCheckpoints(std::string_view org,
                                                                    uint64_t from_size,
                                                                    size_t limit) {
  std::string prefix = CheckpointPrefix(org);
  std::string start = prefix;
  PutFixed64BE(&start, from_size);
  std::vector<StoredCheckpoint> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, meta_cf_));
  for (it->Seek(start); it->Valid() && out.size() < limit && it->key().starts_with(prefix);
       it->Next()) {
    if (it->key().size() != prefix.size() + 8) continue;  // not a checkpoint key of this org
    out.push_back({DecodeFixed64BE(it->key().data() + prefix.size()), it->value().ToString()});
  }
  if (!it->status().ok()) return FromRocks(it->status(), "reading checkpoints");
  return out;
}

}  // namespace actlog::store
