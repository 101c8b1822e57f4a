#include "privacy/seal_reuse.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <map>
#include <string>

namespace actlog::privacy {
namespace {

constexpr int64_t kNow = 1'795'947'303'120'000;  // 2026-11-29T10:15:03.120Z

class FixedKeys : public SubjectKeys {
 public:
  StatusOr<std::string> KeyFor(std::string_view org, std::string_view subject) override {
    std::string& key = keys_[std::string(org) + '\0' + std::string(subject)];
    if (key.empty()) key = NewSubjectKey();
    return key;
  }
  void Renew(std::string_view org, std::string_view subject) {
    keys_.erase(std::string(org) + '\0' + std::string(subject));
  }

 private:
  std::map<std::string, std::string> keys_;
};

Event Alice(uint64_t seq) {
  Event e;
  e.org = "org_1";
  e.code = "org.member:updated";
  e.seq = seq;
  e.received_at_us = kNow;
  e.actor.id = "u_7";
  e.actor.name = "Alice Doe";
  e.actor.email = "alice@example.com";
  e.context.ip = "203.0.113.9";
  return e;
}

class SealReuse : public testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
  // Seals a fresh copy of Alice's event; returns its one sealed value.
  SealedValue Seal(GroupReuse* reuse, Event event = Alice(0)) {
    auto sealed = SealEvent(&event, catalog_, keys_, reuse);
    EXPECT_TRUE(sealed.ok()) << sealed.status().ToString();
    EXPECT_EQ(sealed->size(), 1u);
    return sealed->empty() ? SealedValue() : (*sealed)[0];
  }
  Catalog catalog_ = Catalog::BuiltIn();
  FixedKeys keys_;
  SealReuseCache cache_;
};

TEST(ReuseWindow, IsTheHourOfTheRecordedTime) {
  EXPECT_EQ(ReuseWindow(0), 0);
  EXPECT_EQ(ReuseWindow(kReuseWindowMicros - 1), 0);
  EXPECT_EQ(ReuseWindow(kReuseWindowMicros), 1);
  EXPECT_EQ(ReuseWindow(-1), -1);
  EXPECT_EQ(ReuseWindowEnd(ReuseWindow(kNow)) - kReuseWindowMicros,
            kNow - kNow % kReuseWindowMicros);
}

TEST_F(SealReuse, TheSameValuesInOneGroupShareOneBlob) {
  GroupReuse group(&cache_, kNow);
  SealedValue first = Seal(&group);
  SealedValue second = Seal(&group, Alice(1));
  EXPECT_FALSE(first.reused);
  EXPECT_FALSE(first.blob.empty());
  EXPECT_TRUE(second.reused);
  EXPECT_TRUE(second.blob.empty());
  EXPECT_EQ(second.hash, first.hash);
  Event other_ip = Alice(2);
  other_ip.context.ip = "203.0.113.10";
  EXPECT_NE(Seal(&group, other_ip).hash, first.hash);
}

TEST_F(SealReuse, OnlyADurableGroupsBlobsJoinTheCache) {
  GroupReuse failed(&cache_, kNow);
  SealedValue lost = Seal(&failed);  // the group's write failed: no Commit
  GroupReuse next(&cache_, kNow);
  SealedValue fresh = Seal(&next);
  EXPECT_FALSE(fresh.reused) << "a failed group's blob is never referred to";
  EXPECT_NE(fresh.hash, lost.hash);
  next.Commit();
  GroupReuse later(&cache_, kNow + 1'000'000);
  SealedValue again = Seal(&later);
  EXPECT_TRUE(again.reused);
  EXPECT_EQ(again.hash, fresh.hash);
  ASSERT_EQ(later.FromCache().size(), 1u) << "unchecked without an Exists";
  EXPECT_EQ(later.FromCache()[0].hash, fresh.hash);
}

TEST_F(SealReuse, ACachedBlobThatIsGoneIsForgottenAndSealedAgain) {
  GroupReuse first(&cache_, kNow);
  SealedValue made = Seal(&first);
  first.Commit();
  int asked = 0;
  GroupReuse next(
      &cache_, kNow,
      [&](std::string_view org, std::string_view subject, int64_t window, std::string_view hash) {
        ++asked;
        EXPECT_EQ(org, "org_1");
        EXPECT_EQ(subject, "u_7");
        EXPECT_EQ(window, ReuseWindow(kNow));
        EXPECT_EQ(hash, made.hash);
        return StatusOr<bool>(false);
      });
  SealedValue resealed = Seal(&next);
  EXPECT_EQ(asked, 1);
  EXPECT_FALSE(resealed.reused);
  EXPECT_NE(resealed.hash, made.hash);
  EXPECT_EQ(cache_.size(), 0u);
  EXPECT_TRUE(Seal(&next, Alice(1)).reused) << "the new blob is in this group";
  EXPECT_EQ(asked, 1);
}

TEST_F(SealReuse, ANewWindowOrANewKeyNeverReuses) {
  GroupReuse first(&cache_, kNow);
  SealedValue made = Seal(&first);
  first.Commit();
  GroupReuse next_hour(&cache_, kNow + kReuseWindowMicros);
  EXPECT_FALSE(Seal(&next_hour).reused);
  keys_.Renew("org_1", "u_7");  // as after an erasure
  GroupReuse same_hour(&cache_, kNow);
  EXPECT_FALSE(Seal(&same_hour).reused);
}

TEST_F(SealReuse, CacheKeysHoldNoPlaintextAndTheCacheStaysBounded) {
  std::string key = NewSubjectKey();
  std::string cache_key = SealReuseCache::CacheKey("org_1", "u_7", key, 5, "alice@example.com");
  EXPECT_EQ(cache_key.find("alice"), std::string::npos);
  EXPECT_NE(cache_key, SealReuseCache::CacheKey("org_1", "u_7", key, 6, "alice@example.com"));
  SealReuseCache small(2);
  small.Remember("a", "1");
  small.Remember("b", "2");
  small.Remember("c", "3");
  EXPECT_EQ(small.size(), 1u);
  EXPECT_EQ(small.Find("c"), "3");
  EXPECT_FALSE(small.Find("a").has_value());
}

}  // namespace
}  // namespace actlog::privacy
