#include <gtest/gtest.h>

#include <set>
#include <string>

#include "actlog/clock.h"
#include "actlog/event.h"

namespace actlog {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

TEST(EventId, HasPrefixAnd26CrockfordCharacters) {
  FakeClock clock(1'764'411'303'120'000);
  std::string id = NewEventId(clock);
  ASSERT_EQ(id.size(), 30u);
  EXPECT_EQ(id.substr(0, 4), "evt_");
  for (char c : id.substr(4)) EXPECT_NE(kAlphabet.find(c), std::string_view::npos) << id;
  EXPECT_LE(id[4], '7');  // 130 bits of text carry 128 bits: the top char holds 3 bits
}

TEST(EventId, EncodesTheMillisecondInTheFirstTenCharacters) {
  // 1764411303120 ms = 0x19ACF1BE4D0; its ULID time part (the 48 bits as ten 5-bit
  // groups, computed independently with a three-line Python script) is "01KB7HQS6G".
  FakeClock clock(1'764'411'303'120'999);
  EXPECT_EQ(NewEventId(clock).substr(4, 10), "01KB7HQS6G");
  FakeClock epoch(0);
  EXPECT_EQ(NewEventId(epoch).substr(4, 10), "0000000000");
}

TEST(EventId, SortsByCreationMillisecond) {
  FakeClock clock(1'700'000'000'000'000);
  std::string prev = NewEventId(clock);
  for (int i = 0; i < 200; ++i) {
    clock.Advance(1000);
    std::string next = NewEventId(clock);
    EXPECT_LT(prev, next);
    prev = next;
  }
}

TEST(EventId, IsRandomWithinOneMillisecond) {
  FakeClock clock(1'700'000'000'000'000);
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(NewEventId(clock));
  EXPECT_EQ(ids.size(), 1000u);
}

}  // namespace
}  // namespace actlog
