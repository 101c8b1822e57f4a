// Store conformance: a subject's repeated values are sealed once per reuse window
// (privacy/seal_reuse.h). The erasure receipt counts blobs (values_destroyed) apart from
// events (events_affected), which shows how many blobs the store kept.
#include "privacy/seal_reuse.h"
#include "store/store_conformance.h"

namespace actlog::store_test {
namespace {

// An event of `actor` with the same personal values every time; `n` makes it distinct.
Event Repeated(const std::string& actor, int n) {
  Event e = MakeEvent("org_a", "org:updated", actor);
  e.actor.name = "Name of " + actor;
  e.actor.email = actor + "@example.com";
  e.context.ip = "203.0.113.9";
  e.content_digest = Digest(static_cast<uint64_t>(n) + 7'000);
  return e;
}

void AppendOk(Store& store, std::vector<Event> events) {
  auto r = store.Append(std::move(events));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

void ExpectValues(Store& store, uint64_t seq, const std::string& actor) {
  auto e = store.GetBySeq("org_a", seq);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_TRUE(e->event.erased.empty()) << seq;
  EXPECT_EQ(e->event.actor.email, actor + "@example.com") << seq;
  EXPECT_EQ(e->event.actor.name, "Name of " + actor) << seq;
}

TEST_P(StoreConformance, RepeatedValuesShareOneBlobAndErasureReachesEveryEvent) {
  int n = 0;
  for (int batch = 0; batch < 3; ++batch) {  // within one group and across groups
    std::vector<Event> events;
    for (int i = 0; i < 10; ++i) events.push_back(Repeated("u_1", n++));
    events.push_back(Repeated("u_2", n++));
    AppendOk(*store_, std::move(events));
    clock_.Advance(1'000'000);
  }
  for (uint64_t seq : {0u, 9u, 11u, 31u}) ExpectValues(*store_, seq, "u_1");
  EventQuery q;
  q.org = "org_a";
  q.limit = 50;
  auto page = store_->Query(q);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->events.size(), 33u);
  for (const StoredEvent& s : page->events) {
    EXPECT_EQ(s.event.actor.email, s.event.actor.id + "@example.com") << s.event.seq;
  }

  auto receipt = store_->EraseSubject("org_a", "u_1");
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_EQ(receipt->values_destroyed, 1u) << "thirty events, one blob";
  EXPECT_EQ(receipt->events_affected, 30u);
  for (uint64_t seq = 0; seq < 33; ++seq) {
    auto e = store_->GetBySeq("org_a", seq);
    ASSERT_TRUE(e.ok());
    if (e->event.actor.id == "u_2") {
      ExpectValues(*store_, seq, "u_2");
    } else {
      EXPECT_FALSE(e->event.actor.email.has_value()) << seq;
      EXPECT_EQ(e->event.erased.size(), 3u) << seq;
    }
  }
  q.include = {{QueryField::kActorEmail, "u_1@example.com"}};
  EXPECT_TRUE(PageThrough(q).empty());
  q.include = {{QueryField::kActorEmail, "u_2@example.com"}};
  EXPECT_EQ(PageThrough(q).size(), 3u);
}

TEST_P(StoreConformance, ABlobOfAnErasedKeyIsNeverReused) {
  AppendOk(*store_, {Repeated("u_1", 1)});
  ASSERT_TRUE(store_->EraseSubject("org_a", "u_1").ok());
  AppendOk(*store_, {Repeated("u_1", 2)});  // same window, same values, new key
  ExpectValues(*store_, 1, "u_1");
  EXPECT_FALSE(store_->GetBySeq("org_a", 0)->event.actor.email.has_value());
  auto again = store_->EraseSubject("org_a", "u_1");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->values_destroyed, 1u);
  EXPECT_EQ(again->events_affected, 1u);
}

TEST_P(StoreConformance, ASharedBlobLivesUntilItsWindowEndsBeforeTheCutoff) {
  const int64_t window_end = privacy::ReuseWindowEnd(privacy::ReuseWindow(kStart));
  AppendOk(*store_, {Repeated("u_1", 1)});  // seq 0, window W
  clock_.Advance(60'000'000);
  AppendOk(*store_, {Repeated("u_1", 2)});  // seq 1, W: shares seq 0's blob
  auto pruned = store_->PruneBefore("org_a", kStart + 30'000'000);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(pruned->events_removed, 1u);
  ExpectValues(*store_, 1, "u_1");  // the window has not ended: the blob stays

  clock_.Set(window_end + 10'000'000);
  AppendOk(*store_, {Repeated("u_1", 3)});  // seq 2, window W+1: a blob of its own
  pruned = store_->PruneBefore("org_a", window_end + 1'000'000);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(pruned->events_removed, 1u);
  ExpectValues(*store_, 2, "u_1");
  auto receipt = store_->EraseSubject("org_a", "u_1");
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_EQ(receipt->values_destroyed, 1u) << "W's blob went with its window";
  EXPECT_EQ(receipt->events_affected, 1u);
}

TEST_P(StoreConformance, ACachedBlobThatRetentionDeletedIsSealedAgain) {
  AppendOk(*store_, {Repeated("u_1", 1)});
  // A cutoff past the end of the current window removes the event and the blob, while
  // the store's cache still names the blob for this window.
  int64_t cutoff = privacy::ReuseWindowEnd(privacy::ReuseWindow(kStart)) + 1;
  auto pruned = store_->PruneBefore("org_a", cutoff);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  ASSERT_EQ(pruned->events_removed, 1u);
  AppendOk(*store_, {Repeated("u_1", 2)});
  ExpectValues(*store_, 1, "u_1");
  auto receipt = store_->EraseSubject("org_a", "u_1");
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_EQ(receipt->values_destroyed, 1u);
  EXPECT_EQ(receipt->events_affected, 1u);
}

}  // namespace
}  // namespace actlog::store_test
