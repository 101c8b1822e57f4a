// Proofs generated through tiles, checked against a small reference written here straight
// from RFC 9162's recursive definitions (MTH, PATH, PROOF/SUBPROOF), and against tampering.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "actlog/merkle.h"
#include "actlog/tiles.h"

namespace actlog::integrity {
namespace {

// ---- Reference: RFC 9162 §2.1.1, §2.1.3.1, §2.1.4.1, recursion as written. ----

uint64_t RefSplit(uint64_t n) {  // largest power of two smaller than n
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Hash RefMth(std::span<const Hash> d) {
  if (d.empty()) return EmptyRootHash();
  if (d.size() == 1) return d[0];
  const uint64_t k = RefSplit(d.size());
  return NodeHash(RefMth(d.first(k)), RefMth(d.subspan(k)));
}

void RefPath(uint64_t m, std::span<const Hash> d, std::vector<Hash>* out) {
  if (d.size() <= 1) return;
  const uint64_t k = RefSplit(d.size());
  if (m < k) {
    RefPath(m, d.first(k), out);
    out->push_back(RefMth(d.subspan(k)));
  } else {
    RefPath(m - k, d.subspan(k), out);
    out->push_back(RefMth(d.first(k)));
  }
}

void RefSubproof(uint64_t m, std::span<const Hash> d, bool b, std::vector<Hash>* out) {
  const uint64_t n = d.size();
  if (m == n) {
    if (!b) out->push_back(RefMth(d));
    return;
  }
  const uint64_t k = RefSplit(n);
  if (m <= k) {
    RefSubproof(m, d.first(k), b, out);
    out->push_back(RefMth(d.subspan(k)));
  } else {
    RefSubproof(m - k, d.subspan(k), false, out);
    out->push_back(RefMth(d.first(k)));
  }
}

std::vector<Hash> RefInclusion(uint64_t m, std::span<const Hash> d) {
  std::vector<Hash> out;
  RefPath(m, d, &out);
  return out;
}

std::vector<Hash> RefConsistency(uint64_t m, std::span<const Hash> d) {
  std::vector<Hash> out;
  if (m > 0 && m < d.size()) RefSubproof(m, d, true, &out);
  return out;
}

// ---- Fixture: a tree built incrementally, its nodes kept as tiles. ----

struct Log {
  explicit Log(uint64_t size) {
    IncrementalTree tree;
    for (uint64_t i = 0; i < size; ++i) {
      leaves.push_back(LeafHash("leaf " + std::to_string(i)));
      EXPECT_TRUE(tree.AppendLeafHash(leaves.back(), tiles.Sink()).ok());
    }
  }
  Hash Root(uint64_t n) const { return RefMth(std::span(leaves).first(n)); }
  std::span<const Hash> Prefix(uint64_t n) const { return std::span(leaves).first(n); }

  std::vector<Hash> leaves;
  MemoryTileStore tiles;
};

Hash Flip(Hash h, std::size_t byte) {
  h[byte % kHashSize] ^= 0x01;
  return h;
}

// All reference proofs and roots of the first 64 leaves, computed once.
struct Reference64 {
  Reference64() : log(64) {
    for (uint64_t n = 0; n <= 64; ++n) {
      roots.push_back(log.Root(n));
      inclusion.emplace_back();
      consistency.emplace_back();
      for (uint64_t m = 0; m <= n; ++m) {
        if (m < n) inclusion[n].push_back(RefInclusion(m, log.Prefix(n)));
        consistency[n].push_back(RefConsistency(m, log.Prefix(n)));
      }
    }
  }
  Log log;
  std::vector<Hash> roots;                                  // [n]
  std::vector<std::vector<std::vector<Hash>>> inclusion;    // [n][m]
  std::vector<std::vector<std::vector<Hash>>> consistency;  // [n][m]
};

const Reference64& Ref() {
  static const Reference64* ref = new Reference64();
  return *ref;
}

// Every way of damaging a proof we can think of; none may verify.
std::vector<std::vector<Hash>> Damaged(const std::vector<Hash>& proof, const Hash& other) {
  std::vector<std::vector<Hash>> out;
  for (std::size_t i = 0; i < proof.size(); ++i) {
    for (std::size_t byte : {std::size_t{0}, std::size_t{31}}) {
      std::vector<Hash> p = proof;
      p[i] = Flip(p[i], byte);
      out.push_back(p);
    }
    std::vector<Hash> dropped = proof;
    dropped.erase(dropped.begin() + static_cast<std::ptrdiff_t>(i));
    out.push_back(dropped);
  }
  for (std::size_t i = 0; i <= proof.size(); ++i) {
    std::vector<Hash> added = proof;
    added.insert(added.begin() + static_cast<std::ptrdiff_t>(i), other);
    out.push_back(added);
    if (!proof.empty()) {
      std::vector<Hash> dup = proof;
      dup.insert(dup.begin() + static_cast<std::ptrdiff_t>(i), proof[i % proof.size()]);
      out.push_back(dup);
    }
  }
  if (proof.size() > 1) {
    std::vector<Hash> swapped = proof;
    std::swap(swapped.front(), swapped.back());
    if (swapped != proof) out.push_back(swapped);
  }
  return out;
}

// ---- RFC 9162 §2.1.5: the 7-leaf example, named as in the RFC's figure. ----

TEST(RfcExample, ProofsHaveThePublishedShapes) {
  Log log(7);
  const std::vector<Hash>& d = log.leaves;
  const Hash a = d[0], b = d[1], c = d[2], dd = d[3], e = d[4], f = d[5], j = d[6];
  const Hash g = NodeHash(a, b), h = NodeHash(c, dd), i = NodeHash(e, f);
  const Hash k = NodeHash(g, h), l = NodeHash(i, j);
  EXPECT_EQ(*TreeRootFromTiles(log.tiles, 7), NodeHash(k, l));

  using V = std::vector<Hash>;
  EXPECT_EQ(*InclusionProof(log.tiles, 0, 7), (V{b, h, l}));
  EXPECT_EQ(*InclusionProof(log.tiles, 3, 7), (V{c, g, l}));
  EXPECT_EQ(*InclusionProof(log.tiles, 4, 7), (V{f, j, k}));
  EXPECT_EQ(*InclusionProof(log.tiles, 6, 7), (V{i, k}));

  // hash0 = size 3, hash1 = size 4 (= k), hash2 = size 6.
  EXPECT_EQ(*ConsistencyProof(log.tiles, 3, 7), (V{c, dd, g, l}));
  EXPECT_EQ(*ConsistencyProof(log.tiles, 4, 7), (V{l}));
  EXPECT_EQ(*ConsistencyProof(log.tiles, 6, 7), (V{i, j, k}));
  EXPECT_EQ(*TreeRootFromTiles(log.tiles, 4), k);
  EXPECT_TRUE(VerifyConsistency(3, 7, log.Root(3), log.Root(7), V{c, dd, g, l}).ok());
  EXPECT_TRUE(VerifyConsistency(4, 7, k, log.Root(7), V{l}).ok());
  EXPECT_TRUE(VerifyConsistency(6, 7, NodeHash(k, i), log.Root(7), V{i, j, k}).ok());
}

// ---- Exhaustive: every n <= 64, every m. ----

TEST(InclusionProof, EveryLeafOfEveryTreeUpTo64AgreesWithReferenceAndVerifies) {
  Log log(64);
  for (uint64_t n = 1; n <= 64; ++n) {
    const Hash root = log.Root(n);
    EXPECT_EQ(*TreeRootFromTiles(log.tiles, n), root);
    for (uint64_t m = 0; m < n; ++m) {
      StatusOr<std::vector<Hash>> proof = InclusionProof(log.tiles, m, n);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      ASSERT_EQ(*proof, RefInclusion(m, log.Prefix(n))) << m << " in " << n;
      EXPECT_TRUE(VerifyInclusion(log.leaves[m], m, n, *proof, root).ok()) << m << " in " << n;
    }
  }
}

TEST(InclusionProof, DamagedProofsWrongLeavesAndWrongPositionsAreRejected) {
  const Reference64& ref = Ref();
  const Log& log = ref.log;
  const Hash stranger = LeafHash("not in the log");
  for (uint64_t n = 1; n <= 64; ++n) {
    const Hash root = ref.roots[n];
    for (uint64_t m = 0; m < n; ++m) {
      const std::vector<Hash>& proof = ref.inclusion[n][m];
      for (const std::vector<Hash>& bad : Damaged(proof, stranger)) {
        EXPECT_FALSE(VerifyInclusion(log.leaves[m], m, n, bad, root).ok()) << m << "/" << n;
      }
      EXPECT_FALSE(VerifyInclusion(stranger, m, n, proof, root).ok());
      EXPECT_FALSE(VerifyInclusion(log.leaves[m], m, n, proof, Flip(root, 7)).ok());
      EXPECT_FALSE(VerifyInclusion(log.leaves[m], n, n, proof, root).ok());
      EXPECT_FALSE(VerifyInclusion(log.leaves[m], m, m, proof, root).ok());
      // The same leaf claimed at another index of the same tree.
      for (uint64_t other = 0; other < n; ++other) {
        if (other == m) continue;
        EXPECT_FALSE(VerifyInclusion(log.leaves[m], other, n, proof, root).ok())
            << m << " claimed at " << other << " in " << n;
      }
      // Against any other tree size (with that tree's real root) the proof is accepted
      // only where it is that tree's proof too.
      for (uint64_t other_n = m + 1; other_n <= 64; ++other_n) {
        if (other_n == n) continue;
        const bool same = ref.inclusion[other_n][m] == proof;
        EXPECT_EQ(VerifyInclusion(log.leaves[m], m, other_n, proof, ref.roots[other_n]).ok(), same)
            << m << " in " << n << " checked as size " << other_n;
      }
    }
  }
}

TEST(ConsistencyProof, EveryPairOfSizesUpTo64AgreesWithReferenceAndVerifies) {
  Log log(64);
  for (uint64_t n = 0; n <= 64; ++n) {
    for (uint64_t m = 0; m <= n; ++m) {
      StatusOr<std::vector<Hash>> proof = ConsistencyProof(log.tiles, m, n);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      ASSERT_EQ(*proof, RefConsistency(m, log.Prefix(n))) << m << " -> " << n;
      EXPECT_TRUE(VerifyConsistency(m, n, log.Root(m), log.Root(n), *proof).ok())
          << m << " -> " << n;
    }
  }
}

TEST(ConsistencyProof, DamagedProofsAndWrongSizesOrRootsAreRejected) {
  const Reference64& ref = Ref();
  const Hash stranger = LeafHash("not in the log");
  for (uint64_t n = 2; n <= 64; ++n) {
    for (uint64_t m = 1; m < n; ++m) {
      const Hash old_root = ref.roots[m], new_root = ref.roots[n];
      const std::vector<Hash>& proof = ref.consistency[n][m];
      for (const std::vector<Hash>& bad : Damaged(proof, stranger)) {
        EXPECT_FALSE(VerifyConsistency(m, n, old_root, new_root, bad).ok()) << m << "->" << n;
      }
      EXPECT_FALSE(VerifyConsistency(m, n, old_root, new_root, {}).ok());
      EXPECT_FALSE(VerifyConsistency(m, n, Flip(old_root, 3), new_root, proof).ok());
      EXPECT_FALSE(VerifyConsistency(m, n, old_root, Flip(new_root, 3), proof).ok());
      EXPECT_FALSE(VerifyConsistency(m, n, new_root, old_root, proof).ok());
      EXPECT_FALSE(VerifyConsistency(n, m, new_root, old_root, proof).ok());
      // Other size pairs, with their real roots: accepted only where it is their proof.
      for (uint64_t m2 = 1; m2 <= 64; ++m2) {
        for (uint64_t n2 = m2 + 1; n2 <= 64; ++n2) {
          if (m2 == m && n2 == n) continue;
          // All pairs sharing a size, and a fixed sample of the rest.
          if (m2 != m && n2 != n && (m2 * 31 + n2 + m + n) % 29 != 0) continue;
          const bool same = ref.consistency[n2][m2] == proof;
          EXPECT_EQ(VerifyConsistency(m2, n2, ref.roots[m2], ref.roots[n2], proof).ok(), same)
              << m << "->" << n << " checked as " << m2 << "->" << n2;
        }
      }
    }
  }
}

// ---- Larger trees: proofs that cross tile levels. ----

TEST(TiledProofs, TreesSpanningSeveralTileLevelsAgreeWithReference) {
  Log log(70000);
  uint64_t state = 12345;
  auto next = [&](uint64_t bound) {  // deterministic LCG, so failures reproduce
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 11) % bound;
  };
  for (uint64_t n : {255, 256, 257, 511, 512, 65536, 65537, 70000}) {
    const Hash root = log.Root(n);
    ASSERT_EQ(*TreeRootFromTiles(log.tiles, n), root) << n;
    for (uint64_t m : {uint64_t{0}, n - 1, next(n), next(n)}) {
      const std::vector<Hash> proof = *InclusionProof(log.tiles, m, n);
      EXPECT_EQ(proof, RefInclusion(m, log.Prefix(n))) << m << " in " << n;
      EXPECT_TRUE(VerifyInclusion(log.leaves[m], m, n, proof, root).ok());
      const uint64_t old_size = m + 1;
      const std::vector<Hash> cons = *ConsistencyProof(log.tiles, old_size, n);
      EXPECT_EQ(cons, RefConsistency(old_size, log.Prefix(n))) << old_size << " -> " << n;
      EXPECT_TRUE(VerifyConsistency(old_size, n, log.Root(old_size), root, cons).ok());
    }
  }
}

TEST(TiledProofs, ReadFewTilesPerProof) {
  Log log(70000);
  // The path to one leaf touches one tile per tile level, the right edge at most one more
  // per level; a tree of 70000 leaves has 3 tile levels.
  for (uint64_t m : {0, 1000, 65535, 69999}) {
    const uint64_t before = log.tiles.reads();
    ASSERT_TRUE(InclusionProof(log.tiles, m, 70000).ok());
    EXPECT_LE(log.tiles.reads() - before, 6u) << m;
    const uint64_t before_c = log.tiles.reads();
    ASSERT_TRUE(ConsistencyProof(log.tiles, m + 1, 70000).ok());
    EXPECT_LE(log.tiles.reads() - before_c, 6u) << m;
  }
}

TEST(TiledProofs, RequestsOutsideTheTreeAreRefused) {
  Log log(10);
  EXPECT_EQ(InclusionProof(log.tiles, 10, 10).status().error_code(), "invalid_proof_request");
  EXPECT_EQ(InclusionProof(log.tiles, 0, 0).status().error_code(), "invalid_proof_request");
  EXPECT_EQ(ConsistencyProof(log.tiles, 11, 10).status().error_code(), "invalid_proof_request");
  // Sizes beyond what the store holds surface the store's NotFound, not a wrong proof.
  EXPECT_EQ(InclusionProof(log.tiles, 0, 300).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace actlog::integrity
