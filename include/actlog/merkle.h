// The RFC 9162 (Certificate Transparency v2) Merkle tree: hashing, an append-only
// incremental tree, and verification of inclusion and consistency proofs.
//
// Leaves are hashed as SHA-256(0x00 || bytes), interior nodes as SHA-256(0x01 || l || r),
// and the tree over n leaves splits at the largest power of two smaller than n (RFC 9162
// §2.1.1). A node is named by (level, index): the root of the perfect subtree over leaves
// [index * 2^level, (index + 1) * 2^level).
//
// Proof *generation* reads stored hashes and lives in tiles.h; verification needs only
// hashes and lives here, so a client can verify without any storage.
//
// Thread-safety: free functions are pure and thread-safe. IncrementalTree is a value type
// with no internal locking: concurrent use of one instance needs external synchronisation.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/status.h"

namespace actlog::integrity {

inline constexpr std::size_t kHashSize = 32;
using Hash = std::array<uint8_t, kHashSize>;

// The longest proof this library will build or look at: a tree of 2^64 leaves has
// inclusion proofs of at most 64 hashes and consistency proofs of at most 65.
inline constexpr std::size_t kMaxProofHashes = 66;

// SHA-256(0x00 || bytes): the hash of one leaf (RFC 9162 §2.1.1).
Hash LeafHash(std::string_view bytes);
// SHA-256(0x01 || left || right): the hash of an interior node.
Hash NodeHash(const Hash& left, const Hash& right);
// SHA-256(""): the root hash of the empty tree.
Hash EmptyRootHash();
// MTH(D[n]) over already-hashed leaves, computed from the definition. O(n) hashing.
Hash RootFromLeafHashes(std::span<const Hash> leaf_hashes);

// The largest power of two strictly smaller than n, the RFC's split point k.
// REQUIRES: n >= 2.
uint64_t SplitPoint(uint64_t n);

// Lower-case hex and standard (padded) base64 of a hash, and their strict inverses.
// The parsers reject anything that is not exactly 32 bytes canonically encoded.
std::string HashToHex(const Hash& hash);
std::string HashToBase64(const Hash& hash);
StatusOr<Hash> HashFromHex(std::string_view hex);
StatusOr<Hash> HashFromBase64(std::string_view b64);

// A proof on the wire: its hashes concatenated, 32 bytes each, at most kMaxProofHashes.
std::string EncodeProof(std::span<const Hash> proof);
StatusOr<std::vector<Hash>> DecodeProof(std::string_view bytes);

// A node of the tree: the perfect subtree of 2^level leaves starting at index * 2^level.
struct NodeId {
  uint8_t level = 0;
  uint64_t index = 0;
  bool operator==(const NodeId&) const = default;
};

// An append-only Merkle tree that keeps only its frontier: the roots of the perfect
// subtrees that make up the current tree, one per set bit of size(), largest (leftmost)
// first. Appending a leaf costs one leaf hash plus, amortised, one node hash; the root at
// the current size costs popcount(size) - 1 node hashes.
//
// As each perfect subtree completes (every leaf, and every interior node whose right
// child just completed) its hash is reported, so a store can persist node hashes (and
// from them, tiles; see tiles.h) without recomputing anything.
class IncrementalTree {
 public:
  // Receives each newly completed node, leaves first, then parents bottom-up.
  using NodeSink = std::function<void(const NodeId& node, const Hash& hash)>;

  IncrementalTree() = default;

  // Resumes a tree of `size` leaves from its frontier (as returned by frontier()).
  // Fails with invalid_frontier unless frontier.size() == popcount(size).
  static StatusOr<IncrementalTree> FromFrontier(uint64_t size, std::vector<Hash> frontier);

  // Appends one already-hashed leaf (see LeafHash). `sink`, if set, sees the leaf node
  // and every interior node the append completes. Fails only if the tree already holds
  // 2^64 - 1 leaves.
  Status AppendLeafHash(const Hash& leaf_hash, const NodeSink& sink = nullptr);
  // Hashes `bytes` as a leaf and appends it.
  Status Append(std::string_view bytes, const NodeSink& sink = nullptr) {
    return AppendLeafHash(LeafHash(bytes), sink);
  }

  uint64_t size() const { return size_; }
  // MTH of the current tree; EmptyRootHash() when empty.
  Hash Root() const;
  const std::vector<Hash>& frontier() const { return frontier_; }

 private:
  uint64_t size_ = 0;
  std::vector<Hash> frontier_;  // largest subtree first
};

// Checks an inclusion proof (RFC 9162 §2.1.3.2) that the leaf with hash `leaf_hash` sits
// at `index` in the tree of `tree_size` leaves whose root is `root`. OK only if the proof
// has exactly the right number of hashes and reproduces `root`; otherwise an
// InvalidArgument with error code "invalid_proof".
Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t tree_size,
                       std::span<const Hash> proof, const Hash& root);

// Computes the root an inclusion proof leads to, for callers that look the root up
// afterwards. Fails ("invalid_proof") if index >= tree_size or the proof has the wrong
// number of hashes for (index, tree_size).
StatusOr<Hash> RootFromInclusionProof(const Hash& leaf_hash, uint64_t index, uint64_t tree_size,
                                      std::span<const Hash> proof);

// Checks a consistency proof (RFC 9162 §2.1.4.2) that the tree of `old_size` leaves with
// root `old_root` is a prefix of the tree of `new_size` leaves with root `new_root`.
// Edge cases, which the RFC leaves to the implementation:
//   old_size > new_size                 -> rejected;
//   old_size == 0                       -> OK iff the proof is empty and old_root is
//                                          EmptyRootHash() (the empty tree is a prefix
//                                          of every tree);
//   old_size == new_size                -> OK iff the proof is empty and the roots match.
// Failures are InvalidArgument with error code "invalid_proof".
Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                         const Hash& new_root, std::span<const Hash> proof);

}  // namespace actlog::integrity
