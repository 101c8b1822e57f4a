// The Store's integrity methods on the embedded store: tree head, proofs and tiles,
// all read from the RocksTree's tiles (rocks_tree.h).
#include "store/rocksdb/rocks_store.h"

namespace actlog::store {
namespace {

std::vector<std::string> ToStrings(const std::vector<integrity::Hash>& hashes) {
  std::vector<std::string> out;
  out.reserve(hashes.size());
  for (const integrity::Hash& h : hashes) out.emplace_back(h.begin(), h.end());
  return out;
}

Status NoTree(std::string_view org) {
  return Status(StatusCode::kFailedPrecondition, "unsupported",
                "this store was opened without its Merkle tree: " + std::string(org));
}

Status BadRequest(std::string message) {
  return InvalidArgument("invalid_proof_request", std::move(message));
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
  if (index >= tree_size || tree_size > state->size) {
    return BadRequest("no leaf " + std::to_string(index) + " in a tree of size " +
                      std::to_string(tree_size) + " (current size " +
                      std::to_string(state->size) + ")");
  }
  auto proof = integrity::InclusionProof(*tree_->Reader(org), index, tree_size);
  if (!proof.ok()) return proof.status();
  return ToStrings(*proof);
}

StatusOr<std::vector<std::string>> RocksStore::ConsistencyProof(std::string_view org,
                                                                uint64_t from, uint64_t to) {
  if (tree_ == nullptr) return NoTree(org);
  StatusOr<RocksTree::State> state = tree_->LoadState(org);
  if (!state.ok()) return state.status();
  if (from > to || to > state->size) {
    return BadRequest("no consistency proof from size " + std::to_string(from) + " to " +
                      std::to_string(to) + " (current size " + std::to_string(state->size) +
                      ")");
  }
  auto proof = integrity::ConsistencyProof(*tree_->Reader(org), from, to);
  if (!proof.ok()) return proof.status();
  return ToStrings(*proof);
}

StatusOr<std::string> RocksStore::ReadTile(std::string_view org, uint8_t level, uint64_t index,
                                           uint32_t width) {
  if (tree_ == nullptr) return NoTree(org);
  StatusOr<RocksTree::State> state = tree_->LoadState(org);
  if (!state.ok()) return state.status();
  if (width == 0 || width > integrity::kTileWidth || level > integrity::kMaxTileLevel ||
      width > integrity::TileWidth(level, index, state->size)) {
    return NotFound("org " + std::string(org) + " has no tile " +
                    integrity::TilePath(integrity::TileId{level, index, width}));
  }
  StatusOr<std::string> tile = tree_->ReadTile(org, integrity::TileId{level, index, width});
  if (!tile.ok()) return tile.status();
  return tile->substr(0, size_t{width} * integrity::kHashSize);
}

}  // namespace actlog::store
