#include "store/rocksdb/cursor.h"

#include <gtest/gtest.h>

namespace actlog::store {
namespace {

EventQuery Query() {
  EventQuery q;
  q.org = "org_1";
  q.include = {{QueryField::kActor, "u_1"}, {QueryField::kCode, "org:*"}};
  q.text = "x";
  return q;
}

TEST(Cursor, RoundTripsThePositionAndIsUrlSafe) {
  EventQuery q = Query();
  q.cursor = EncodeCursor(q, {-3, 12345});
  EXPECT_EQ(q.cursor.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  auto pos = DecodeCursor(q);
  ASSERT_TRUE(pos.ok());
  EXPECT_EQ(*pos, (Position{-3, 12345}));
}

TEST(Cursor, FilterOrderAndLimitDoNotMatterButFiltersDo) {
  EventQuery q = Query();
  std::string cursor = EncodeCursor(q, {1, 2});
  EventQuery reordered = q;
  std::swap(reordered.include[0], reordered.include[1]);
  reordered.limit = 200;
  reordered.cursor = cursor;
  EXPECT_TRUE(DecodeCursor(reordered).ok());
  EventQuery other = q;
  other.to_us = 5;
  other.cursor = cursor;
  EXPECT_EQ(DecodeCursor(other).status().error_code(), "invalid_cursor");
}

TEST(Cursor, RejectsTamperedOrTruncatedTokens) {
  EventQuery q = Query();
  std::string cursor = EncodeCursor(q, {1, 2});
  for (std::string bad : {cursor.substr(0, cursor.size() - 2), cursor + "A", std::string("===")}) {
    q.cursor = bad;
    EXPECT_EQ(DecodeCursor(q).status().error_code(), "invalid_cursor") << bad;
  }
  // The first character carries the version byte.
  q.cursor = cursor;
  q.cursor[0] = q.cursor[0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(DecodeCursor(q).ok());
}

}  // namespace
}  // namespace actlog::store
