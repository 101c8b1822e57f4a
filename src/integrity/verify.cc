// Proof verification, step by step as in RFC 9162 §2.1.3.2 and §2.1.4.2.
#include <bit>

#include "actlog/merkle.h"

namespace actlog::integrity {

namespace {

Status BadProof(std::string message) {
  return InvalidArgument("invalid_proof", std::move(message));
}

}  // namespace

StatusOr<Hash> RootFromInclusionProof(const Hash& leaf_hash, uint64_t index, uint64_t tree_size,
                                      std::span<const Hash> proof) {
  // 1. The index must be inside the tree.
  if (index >= tree_size) return BadProof("leaf index is not below the tree size");
  if (proof.size() > kMaxProofHashes) return BadProof("proof is too long");
  // 2-3.
  uint64_t fn = index;
  uint64_t sn = tree_size - 1;
  Hash r = leaf_hash;
  // 4.
  for (const Hash& p : proof) {
    if (sn == 0) return BadProof("proof has more hashes than the tree needs");  // 4a
    if ((fn & 1) == 1 || fn == sn) {                                            // 4b
      r = NodeHash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;  // 4c
    sn >>= 1;
  }
  // 5. All levels must have been consumed.
  if (sn != 0) return BadProof("proof has fewer hashes than the tree needs");
  return r;
}

Status VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t tree_size,
                       std::span<const Hash> proof, const Hash& root) {
  StatusOr<Hash> computed = RootFromInclusionProof(leaf_hash, index, tree_size, proof);
  if (!computed.ok()) return computed.status();
  if (*computed != root) return BadProof("inclusion proof does not lead to the root");
  return Status::Ok();
}

Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                         const Hash& new_root, std::span<const Hash> proof) {
  if (old_size > new_size) return BadProof("old tree is larger than the new tree");
  if (old_size == 0) {
    if (!proof.empty()) return BadProof("consistency with the empty tree needs no hashes");
    if (old_root != EmptyRootHash()) return BadProof("the empty tree has a different root");
    return Status::Ok();
  }
  if (old_size == new_size) {
    if (!proof.empty()) return BadProof("consistency of equal sizes needs no hashes");
    if (old_root != new_root) return BadProof("roots differ for the same tree size");
    return Status::Ok();
  }
  // 1. A proof between different non-empty sizes is never empty.
  if (proof.empty()) return BadProof("consistency proof is empty");
  if (proof.size() > kMaxProofHashes) return BadProof("proof is too long");
  // 2. If the old size is a power of two its root is the first node on the path; the
  // proof leaves it out, so take it from old_root.
  std::size_t next = 0;
  Hash seed;
  if (std::has_single_bit(old_size)) {
    seed = old_root;
  } else {
    seed = proof[0];
    next = 1;
  }
  // 3-4.
  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  // 5.
  Hash fr = seed;
  Hash sr = seed;
  // 6.
  for (; next < proof.size(); ++next) {
    const Hash& c = proof[next];
    if (sn == 0) return BadProof("proof has more hashes than the trees need");  // 6a
    if ((fn & 1) == 1 || fn == sn) {                                            // 6b
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;  // 6c
    sn >>= 1;
  }
  // 7.
  if (sn != 0) return BadProof("proof has fewer hashes than the trees need");
  if (fr != old_root) return BadProof("consistency proof does not lead to the old root");
  if (sr != new_root) return BadProof("consistency proof does not lead to the new root");
  return Status::Ok();
}

}  // namespace actlog::integrity
