// Stats bucketing and grouping (actlog/stats.h).
#include <gtest/gtest.h>

#include "actlog/stats.h"

namespace actlog {
namespace {

Event At(const char* when, const char* code, const char* actor) {
  Event e;
  e.org = "acme";
  e.code = code;
  e.actor.id = actor;
  e.occurred_at_us = *ParseTimestamp(when);
  return e;
}

int64_t T(const char* when) { return *ParseTimestamp(when); }

TEST(Stats, BucketStartFloorsToTheHourAndUtcDay) {
  EXPECT_EQ(StatsBucketStart(T("2026-11-29T10:15:03.120Z"), StatsBucket::kHour),
            T("2026-11-29T10:00:00Z"));
  EXPECT_EQ(StatsBucketStart(T("2026-11-29T23:59:59.999Z"), StatsBucket::kDay),
            T("2026-11-29T00:00:00Z"));
  EXPECT_EQ(StatsBucketStart(T("2026-11-29T00:00:00Z"), StatsBucket::kDay),
            T("2026-11-29T00:00:00Z"));
  // An offset is converted to UTC first: 01:30+02:00 is the previous UTC day.
  EXPECT_EQ(StatsBucketStart(T("2026-11-29T01:30:00+02:00"), StatsBucket::kDay),
            T("2026-11-28T00:00:00Z"));
}

TEST(Stats, BucketStartFloorsBeforeTheEpochToo) {
  EXPECT_EQ(StatsBucketStart(-1, StatsBucket::kHour), -int64_t{3600} * 1'000'000);
  const int64_t day = int64_t{86400} * 1'000'000;
  EXPECT_EQ(StatsBucketStart(-day / 2, StatsBucket::kDay), -day);
  EXPECT_EQ(StatsBucketStart(-day, StatsBucket::kDay), -day);
}

TEST(Stats, CountsByBucketAndGroupOldestBucketFirst) {
  StatsOptions options;
  options.bucket = StatsBucket::kDay;
  options.group_by = StatsGroupBy::kCode;
  StatsCounter counter(options);
  counter.Add(At("2026-11-29T10:00:00Z", "org.member:invited", "u_1"));
  counter.Add(At("2026-11-28T09:00:00Z", "org.member:invited", "u_1"));
  counter.Add(At("2026-11-29T11:00:00Z", "org.member:invited", "u_2"));
  counter.Add(At("2026-11-29T12:00:00Z", "api_key:created", "u_2"));
  StatsResult r = std::move(counter).Finish();
  ASSERT_EQ(r.buckets.size(), 2u);
  EXPECT_EQ(r.buckets[0].start_us, T("2026-11-28T00:00:00Z"));
  EXPECT_EQ(r.buckets[0].counts, (std::map<std::string, uint64_t>{{"org.member:invited", 1}}));
  EXPECT_EQ(r.buckets[1].counts,
            (std::map<std::string, uint64_t>{{"api_key:created", 1}, {"org.member:invited", 2}}));
  EXPECT_EQ(r.events, 4u);
  EXPECT_FALSE(r.truncated);
}

TEST(Stats, GroupsByActorOrResource) {
  Event e = At("2026-11-29T10:00:00Z", "org.member.phone:verified", "u_9");
  EXPECT_EQ(StatsGroupKey(e, StatsGroupBy::kCode), "org.member.phone:verified");
  EXPECT_EQ(StatsGroupKey(e, StatsGroupBy::kActor), "u_9");
  EXPECT_EQ(StatsGroupKey(e, StatsGroupBy::kResource), "org.member.phone");
}

TEST(Stats, StopsAtMaxEventsAndSaysTruncated) {
  StatsOptions options;
  options.max_events = 3;
  StatsCounter counter(options);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(counter.Add(At("2026-11-29T10:00:00Z", "a:b", "u")));
  EXPECT_FALSE(counter.Add(At("2026-11-29T10:00:00Z", "a:b", "u")));
  StatsResult r = std::move(counter).Finish();
  EXPECT_EQ(r.events, 3u);
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.buckets[0].counts.at("a:b"), 3u);
}

TEST(Stats, ParsesBucketAndGroupNames) {
  EXPECT_EQ(ParseStatsBucket("hour"), StatsBucket::kHour);
  EXPECT_EQ(ParseStatsBucket("week"), std::nullopt);
  EXPECT_EQ(ParseStatsGroupBy("resource"), StatsGroupBy::kResource);
  EXPECT_EQ(ParseStatsGroupBy("target"), std::nullopt);
}

}  // namespace
}  // namespace actlog
