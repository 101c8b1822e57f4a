#include <gtest/gtest.h>

#include <string>

#include "actlog/event.h"

namespace actlog {
namespace {

int64_t Parse(const std::string& s) {
  StatusOr<int64_t> t = ParseTimestamp(s);
  EXPECT_TRUE(t.ok()) << s << ": " << t.status().ToString();
  return t.ok() ? *t : -1;
}

// 2026-11-29T10:15:03Z, computed independently: 20786 days * 86400 + 36903 s.
constexpr int64_t kRef = (20786LL * 86400 + 10 * 3600 + 15 * 60 + 3) * 1'000'000;

TEST(Timestamp, ParsesUtcWithAndWithoutFraction) {
  EXPECT_EQ(Parse("2026-11-29T10:15:03Z"), kRef);
  EXPECT_EQ(Parse("2026-11-29T10:15:03.120Z"), kRef + 120'000);
  EXPECT_EQ(Parse("2026-11-29T10:15:03.1Z"), kRef + 100'000);
  EXPECT_EQ(Parse("2026-11-29T10:15:03.000001Z"), kRef + 1);
  EXPECT_EQ(Parse("1970-01-01T00:00:00Z"), 0);
}

TEST(Timestamp, KeepsNineFractionDigitsToMicrosecondsByTruncation) {
  EXPECT_EQ(Parse("2026-11-29T10:15:03.123456789Z"), kRef + 123'456);
  EXPECT_EQ(Parse("2026-11-29T10:15:03.999999999Z"), kRef + 999'999);
  EXPECT_FALSE(ParseTimestamp("2026-11-29T10:15:03.1234567890Z").ok());
}

TEST(Timestamp, AppliesAnyOffset) {
  EXPECT_EQ(Parse("2026-11-29T12:15:03+02:00"), kRef);
  EXPECT_EQ(Parse("2026-11-29T05:45:03-04:30"), kRef);
  EXPECT_EQ(Parse("2026-11-30T09:16:03+23:01"), kRef);
  EXPECT_EQ(Parse("2026-11-29T10:15:03-00:00"), kRef);
  EXPECT_EQ(Parse("2026-11-29t10:15:03z"), kRef);  // RFC 3339 §5.6 allows lower case
}

TEST(Timestamp, RejectsMalformedText) {
  for (const char* bad :
       {"", "2026-11-29", "2026-11-29 10:15:03Z", "2026-11-29T10:15:03", "2026-11-29T10:15Z",
        "2026-11-29T10:15:03.Z", "2026-11-29T10:15:03+0200", "2026-11-29T10:15:03+02",
        "2026-11-29T10:15:03Zjunk", "26-11-29T10:15:03Z", "2026-1-29T10:15:03Z",
        "+2026-11-29T10:15:03Z", "2026-11-29T10:15:03 Z", "1764411303"}) {
    StatusOr<int64_t> t = ParseTimestamp(bad);
    EXPECT_FALSE(t.ok()) << bad;
    if (!t.ok()) {
      EXPECT_EQ(t.status().error_code(), "invalid_timestamp");
    }
  }
}

TEST(Timestamp, RejectsImpossibleDatesAndTimes) {
  for (const char* bad : {"2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
                          "2026-04-31T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-29T24:00:00Z",
                          "2026-11-29T10:60:00Z", "2026-11-29T10:15:60Z",
                          "2026-11-29T10:15:03+24:00", "2026-11-29T10:15:03+02:60"}) {
    EXPECT_FALSE(ParseTimestamp(bad).ok()) << bad;
  }
  EXPECT_TRUE(ParseTimestamp("2024-02-29T00:00:00Z").ok());   // leap year
  EXPECT_FALSE(ParseTimestamp("2100-02-29T00:00:00Z").ok());  // not a leap year
}

TEST(Timestamp, AcceptsOnlyYears1970Through9999) {
  EXPECT_FALSE(ParseTimestamp("1969-12-31T23:59:59Z").ok());
  EXPECT_FALSE(ParseTimestamp("1970-01-01T00:30:00+01:00").ok());  // before the epoch in UTC
  EXPECT_TRUE(ParseTimestamp("1970-01-01T00:30:00-01:00").ok());
  EXPECT_TRUE(ParseTimestamp("9999-12-31T23:59:59.999999Z").ok());
  EXPECT_FALSE(ParseTimestamp("10000-01-01T00:00:00Z").ok());
}

TEST(Timestamp, FormatsUtcWithMillisecondsOrMicroseconds) {
  EXPECT_EQ(FormatTimestamp(kRef), "2026-11-29T10:15:03.000Z");
  EXPECT_EQ(FormatTimestamp(kRef + 120'000), "2026-11-29T10:15:03.120Z");
  EXPECT_EQ(FormatTimestamp(kRef + 120'001), "2026-11-29T10:15:03.120001Z");
  EXPECT_EQ(FormatTimestamp(kRef + 1), "2026-11-29T10:15:03.000001Z");
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimestamp(Parse("9999-12-31T23:59:59.999999Z")), "9999-12-31T23:59:59.999999Z");
}

TEST(Timestamp, FormatThenParseIsIdentityAcrossTheRange) {
  // Days spread over the whole accepted range, each with a sub-second part.
  for (int64_t us = 0; us < 253402300800LL * 1'000'000; us += 7'777'777'777'777LL) {
    EXPECT_EQ(Parse(FormatTimestamp(us)), us);
  }
  EXPECT_EQ(Parse(FormatTimestamp(951782400123456)), 951782400123456);  // 2000-02-29
}

}  // namespace
}  // namespace actlog
