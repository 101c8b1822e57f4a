// Store conformance: retention. PruneBefore removes a prefix of an org's log (by
// received_at) for good; seqs, the tree and proofs of the rest are unchanged.
#include "store/store_conformance.h"

namespace actlog::store_test {
namespace {

TEST_P(StoreConformance, PruneBeforeRemovesTheOldestEventsAndKeepsTheTree) {
  AppendRecorded({MakeEvent("org_a", "org:updated"), MakeEvent("org_a", "org:updated"),
                  MakeEvent("org_a", "com:created"), MakeEvent("org_b", "org:updated")});
  clock_.Advance(10'000'000);
  int64_t cutoff = clock_.NowMicros();
  AppendRecorded({MakeEvent("org_a", "org:updated"), MakeEvent("org_a", "com:created")});
  auto head_before = store_->GetTreeHead("org_a");
  ASSERT_TRUE(head_before.ok()) << head_before.status().ToString();

  auto pruned = store_->PruneBefore("org_a", cutoff);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(pruned->first_kept_seq, 3u);
  EXPECT_EQ(pruned->events_removed, 3u);
  EXPECT_EQ(*store_->PrunedBelow("org_a"), 3u);
  EXPECT_EQ(*store_->PrunedBelow("org_b"), 0u) << "other orgs are untouched";
  EXPECT_EQ(store_->GetBySeq("org_a", 0).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->GetBySeq("org_b", 0).ok());
  std::vector<uint64_t> left;
  ASSERT_TRUE(store_
                  ->Scan("org_a", 0, UINT64_MAX,
                         [&](const StoredEvent& s) {
                           left.push_back(s.event.seq);
                           return true;
                         })
                  .ok());
  EXPECT_EQ(left, (std::vector<uint64_t>{3, 4}));
  EXPECT_EQ(store_->GetOrg("org_a")->event_count, 5u) << "seqs are not reused";
  auto head_after = store_->GetTreeHead("org_a");
  ASSERT_TRUE(head_after.ok());
  EXPECT_EQ(head_after->size, head_before->size);
  EXPECT_EQ(head_after->root, head_before->root) << "the tree keeps the pruned leaves";
  EXPECT_TRUE(store_->InclusionProof("org_a", 4, 5).ok());

  auto again = store_->PruneBefore("org_a", cutoff);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->events_removed, 0u);
  EXPECT_EQ(again->first_kept_seq, 3u);
  EXPECT_EQ(store_->PruneBefore("org_none", cutoff).status().code(), StatusCode::kNotFound);
  auto next = AppendRecorded({MakeEvent("org_a", "org:updated")});
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].seq, 5u);
}

}  // namespace
}  // namespace actlog::store_test
