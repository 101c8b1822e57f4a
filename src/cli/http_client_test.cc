#include "cli/http_client.h"

#include <gtest/gtest.h>

#include "cli/cli_remote.h"

namespace actlog::cli {
namespace {

TEST(ParseHttpUrlTest, SplitsHostPortAndBasePath) {
  StatusOr<HttpUrl> url = ParseHttpUrl("http://logs.internal:9000/actlog/");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "logs.internal");
  EXPECT_EQ(url->port, 9000);
  EXPECT_EQ(url->base_path, "/actlog");
  StatusOr<HttpUrl> plain = ParseHttpUrl("http://127.0.0.1");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->port, 80);
  EXPECT_EQ(plain->base_path, "");
  StatusOr<HttpUrl> v6 = ParseHttpUrl("http://[::1]:8080");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 8080);
}

TEST(ParseHttpUrlTest, RefusesOtherSchemesBadPortsAndMissingHosts) {
  for (const char* bad : {"https://x", "ftp://x", "x:80", "http://", "http://h:0", "http://h:99999",
                          "http://h:8x"}) {
    StatusOr<HttpUrl> url = ParseHttpUrl(bad);
    EXPECT_FALSE(url.ok()) << bad;
    if (!url.ok()) {
      EXPECT_EQ(url.status().error_code(), "invalid_url") << bad;
    }
  }
}

TEST(UrlEncodeTest, KeepsSearchSyntaxReadableAndEscapesTheRest) {
  EXPECT_EQ(UrlEncode("org.member:*"), "org.member:*");
  EXPECT_EQ(UrlEncode("a b&c=d\"é"), "a%20b%26c%3Dd%22%C3%A9");
}

}  // namespace
}  // namespace actlog::cli
