// Store conformance: each org's Merkle tree and its checkpoints. The tree head, proofs
// and tiles a store serves must be those of the tree over the canonical bytes it
// returned for the org's events, in seq order, whatever the batching.
#include <random>

#include "actlog/merkle.h"
#include "actlog/tiles.h"
#include "store/store_conformance.h"

namespace actlog::store_test {
namespace {

using integrity::Hash;

Hash ToHash(const std::string& bytes) {
  Hash h{};
  EXPECT_EQ(bytes.size(), h.size());
  std::copy_n(bytes.begin(), std::min(bytes.size(), h.size()), h.begin());
  return h;
}

std::vector<Hash> ToHashes(const std::vector<std::string>& proof) {
  std::vector<Hash> out;
  for (const std::string& h : proof) out.push_back(ToHash(h));
  return out;
}

TEST_P(StoreConformance, TreeHeadProofsAndTilesAreThoseOfTheEvents) {
  std::mt19937 rng(11);
  AppendRandom(&rng, {"org_a", "org_b"}, 700);
  for (const std::string org : {"org_a", "org_b"}) {
    std::vector<Hash> leaves;
    ASSERT_TRUE(store_
                    ->Scan(org, 0, UINT64_MAX,
                           [&](const StoredEvent& s) {
                             leaves.push_back(integrity::LeafHash(s.canonical));
                             return true;
                           })
                    .ok());
    const uint64_t n = leaves.size();
    ASSERT_EQ(n, expected_[org].size());
    ASSERT_GT(n, 256u) << "the test needs a full tile";
    Hash root = integrity::RootFromLeafHashes(leaves);

    auto head = store_->GetTreeHead(org);
    ASSERT_TRUE(head.ok()) << head.status().ToString();
    EXPECT_EQ(head->size, n);
    EXPECT_EQ(ToHash(head->root), root) << org;

    for (uint64_t i : {uint64_t{0}, uint64_t{1}, n / 2, n - 1}) {
      auto proof = store_->InclusionProof(org, i, n);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      EXPECT_TRUE(integrity::VerifyInclusion(leaves[i], i, n, ToHashes(*proof), root).ok())
          << org << " leaf " << i;
    }
    uint64_t old_size = n / 3;
    Hash old_root = integrity::RootFromLeafHashes(std::span(leaves).first(old_size));
    auto consistency = store_->ConsistencyProof(org, old_size, n);
    ASSERT_TRUE(consistency.ok()) << consistency.status().ToString();
    EXPECT_TRUE(
        integrity::VerifyConsistency(old_size, n, old_root, root, ToHashes(*consistency)).ok());
    EXPECT_EQ(store_->InclusionProof(org, n, n).status().error_code(), "invalid_proof_request");
    EXPECT_EQ(store_->ConsistencyProof(org, 1, n + 1).status().error_code(),
              "invalid_proof_request");

    auto tile = store_->ReadTile(org, 0, 0, 256);
    ASSERT_TRUE(tile.ok()) << tile.status().ToString();
    std::string want;
    for (size_t i = 0; i < 256; ++i) want.append(leaves[i].begin(), leaves[i].end());
    EXPECT_EQ(*tile, want) << "tile 0/0 holds the first 256 leaf hashes";
    uint32_t partial = static_cast<uint32_t>(n % 256);
    if (partial > 0) {
      EXPECT_TRUE(store_->ReadTile(org, 0, n / 256, partial).ok());
      EXPECT_EQ(store_->ReadTile(org, 0, n / 256, partial + 1).status().code(),
                StatusCode::kNotFound);
    }
  }
  auto empty = store_->GetTreeHead("org_none");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->size, 0u);
  EXPECT_EQ(ToHash(empty->root), integrity::EmptyRootHash());
}

TEST_P(StoreConformance, CheckpointsAreKeptOncePerSize) {
  AppendRecorded({MakeEvent("org_a", "org:updated"), MakeEvent("org_a", "org:updated")});
  EXPECT_EQ(store_->LatestCheckpoint("org_a").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->PutCheckpoint("org_a", 1, "note one\n").ok());
  ASSERT_TRUE(store_->PutCheckpoint("org_a", 2, "note two\n").ok());
  EXPECT_EQ(store_->PutCheckpoint("org_a", 2, "other\n").error_code(), "checkpoint_exists");
  EXPECT_EQ(*store_->LatestCheckpoint("org_a"), "note two\n");
  EXPECT_EQ(store_->LatestCheckpoint("org_b").status().code(), StatusCode::kNotFound);
  auto listed = store_->ListCheckpoints("org_a", 0, 10);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].size, 1u) << "smallest size first";
  EXPECT_EQ((*listed)[1].note, "note two\n");
  auto from_two = store_->ListCheckpoints("org_a", 2, 10);
  ASSERT_TRUE(from_two.ok());
  ASSERT_EQ(from_two->size(), 1u);
  EXPECT_EQ((*from_two)[0].size, 2u);
  EXPECT_EQ(store_->ListCheckpoints("org_a", 0, 1)->size(), 1u) << "at most `limit`";
  EXPECT_TRUE(store_->ListCheckpoints("org_b", 0, 10)->empty());
  Open();
  EXPECT_EQ(*store_->LatestCheckpoint("org_a"), "note two\n") << "kept across reopen";
}

}  // namespace
}  // namespace actlog::store_test
