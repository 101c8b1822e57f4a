// Request target parsing and percent-decoding (request_target.h).
#include "server/request_target.h"

#include <gtest/gtest.h>

namespace actlog::server {
namespace {

TEST(RequestTarget, SplitsPathAndDecodesQuery) {
  Request r;
  ASSERT_TRUE(ParseRequestTarget("/v1/events?org=o_1&code=org.member%3A*&q=a+b&flag", &r).ok());
  EXPECT_EQ(r.path, "/v1/events");
  EXPECT_EQ(r.Query("org"), "o_1");
  EXPECT_EQ(r.Query("code"), "org.member:*");
  EXPECT_EQ(r.Query("q"), "a b");
  EXPECT_EQ(r.Query("flag"), "");
  EXPECT_EQ(r.Query("missing"), std::nullopt);
}

TEST(RequestTarget, RepeatedParametersKeepOrder) {
  Request r;
  ASSERT_TRUE(ParseRequestTarget("/x?code=a&code=b&&code=c", &r).ok());
  EXPECT_EQ(r.QueryAll("code"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(r.Query("code"), "a");
}

TEST(RequestTarget, PathIsDecodedButPlusStaysInPath) {
  Request r;
  ASSERT_TRUE(ParseRequestTarget("/v1/events/a%20b+c", &r).ok());
  EXPECT_EQ(r.path, "/v1/events/a b+c");
}

TEST(RequestTarget, MalformedEscapesAreInvalidQuery) {
  for (const char* target : {"/x?a=%4", "/x?a=%zz", "/x%", "/x?%00=1", "relative", ""}) {
    Request r;
    Status st = ParseRequestTarget(target, &r);
    EXPECT_EQ(st.error_code(), "invalid_query") << target;
  }
}

TEST(RequestTarget, HeaderLookupUsesLowerCaseNames) {
  Request r;
  r.headers["content-type"] = "application/json";
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.Header("accept"), std::nullopt);
}

}  // namespace
}  // namespace actlog::server
