// IncrementalTree: the frontier of perfect subtrees, merged as they pair up.
#include <bit>
#include <limits>

#include "actlog/merkle.h"

namespace actlog::integrity {

StatusOr<IncrementalTree> IncrementalTree::FromFrontier(uint64_t size, std::vector<Hash> frontier) {
  if (frontier.size() != static_cast<std::size_t>(std::popcount(size))) {
    return InvalidArgument("invalid_frontier",
                           "a tree of " + std::to_string(size) + " leaves has " +
                               std::to_string(std::popcount(size)) + " frontier hashes, got " +
                               std::to_string(frontier.size()));
  }
  IncrementalTree tree;
  tree.size_ = size;
  tree.frontier_ = std::move(frontier);
  return tree;
}

Status IncrementalTree::AppendLeafHash(const Hash& leaf_hash, const NodeSink& sink) {
  if (size_ == std::numeric_limits<uint64_t>::max()) {
    return Status(StatusCode::kResourceExhausted, "tree_full", "the tree holds 2^64-1 leaves");
  }
  const uint64_t new_size = size_ + 1;
  frontier_.push_back(leaf_hash);
  if (sink) sink(NodeId{0, size_}, leaf_hash);
  // Each trailing zero bit of the new size is a pair of equal subtrees to merge.
  const int merges = std::countr_zero(new_size);
  for (int level = 1; level <= merges; ++level) {
    Hash right = frontier_.back();
    frontier_.pop_back();
    Hash parent = NodeHash(frontier_.back(), right);
    frontier_.back() = parent;
    if (sink) sink(NodeId{static_cast<uint8_t>(level), (new_size >> level) - 1}, parent);
  }
  size_ = new_size;
  return Status::Ok();
}

Hash IncrementalTree::Root() const {
  if (frontier_.empty()) return EmptyRootHash();
  Hash root = frontier_.back();
  for (std::size_t i = frontier_.size() - 1; i-- > 0;) root = NodeHash(frontier_[i], root);
  return root;
}

}  // namespace actlog::integrity
