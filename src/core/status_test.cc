#include "actlog/status.h"

#include <gtest/gtest.h>

namespace actlog {
namespace {

TEST(Status, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(Status, ToStringNamesIndexAndField) {
  Status s = InvalidArgument("invalid_event", "bad batch",
                             {{2, "actor.email", "too_long", "over 4096 bytes"}});
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ToString(), "invalid_event: bad batch\n  [2] actor.email: too_long (over 4096 bytes)");
}

TEST(StatusOr, HoldsValueOrError) {
  StatusOr<int> v = 7;
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 7);
  StatusOr<int> e = NotFound("no such event");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().error_code(), "not_found");
}

TEST(StatusOr, OkStatusBecomesInternalError) {
  StatusOr<int> e = Status::Ok();
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace actlog
