// GET / and the page's files (handlers_web.cc) through the router.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "server/fake_exchange.h"
#include "server/routes.h"
#include "server/web_assets.h"

namespace actlog::server {
namespace {

class WebRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override { RegisterWebRoutes(router_, ctx_); }

  static Request Get(std::string path) {
    Request r;
    r.path = std::move(path);
    return r;
  }
  static std::string HeaderOf(const Response& r, std::string_view name) {
    for (const auto& [n, v] : r.headers) {
      if (n == name) return v;
    }
    return "";
  }

  ServerContext ctx_;
  Router router_;
};

TEST_F(WebRoutesTest, RootServesTheEmbeddedIndexWithoutCredentials) {
  FakeExchange ex = RunThrough(router_, Get("/"));
  ASSERT_EQ(ex.response().status, 200);
  EXPECT_EQ(ex.response().content_type, "text/html; charset=utf-8");
  EXPECT_NE(ex.response().body.find("<!doctype html>"), std::string::npos);
  EXPECT_NE(ex.response().body.find("type=\"module\""), std::string::npos);
}

TEST_F(WebRoutesTest, EveryAnswerCarriesTheSecurityHeaders) {
  for (const WebAsset& asset : WebAssets()) {
    FakeExchange ex = RunThrough(router_, Get(std::string(asset.path)));
    ASSERT_EQ(ex.response().status, 200) << asset.path;
    std::string csp = HeaderOf(ex.response(), "Content-Security-Policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << asset.path;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << asset.path;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << asset.path;
    EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << asset.path;
    EXPECT_EQ(HeaderOf(ex.response(), "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(HeaderOf(ex.response(), "Referrer-Policy"), "no-referrer");
    EXPECT_EQ(HeaderOf(ex.response(), "Cache-Control"), "no-cache");
    EXPECT_EQ(ex.response().body, asset.body) << asset.path;
  }
}

TEST_F(WebRoutesTest, ContentTypesFollowTheExtension) {
  bool saw_js = false, saw_css = false;
  for (const WebAsset& asset : WebAssets()) {
    if (asset.path.ends_with(".js")) {
      saw_js = true;
      EXPECT_EQ(asset.content_type, "text/javascript; charset=utf-8") << asset.path;
    }
    if (asset.path.ends_with(".css")) {
      saw_css = true;
      EXPECT_EQ(asset.content_type, "text/css; charset=utf-8") << asset.path;
    }
  }
  EXPECT_TRUE(saw_js);
  EXPECT_TRUE(saw_css);
}

TEST_F(WebRoutesTest, ETagsAreStrongAndDistinct) {
  std::set<std::string_view> seen;
  for (const WebAsset& asset : WebAssets()) {
    ASSERT_GE(asset.etag.size(), 3u);
    EXPECT_EQ(asset.etag.front(), '"');
    EXPECT_EQ(asset.etag.back(), '"');
    EXPECT_TRUE(seen.insert(asset.etag).second) << "two files share " << asset.etag;
  }
}

TEST_F(WebRoutesTest, MatchingIfNoneMatchAnswers304WithoutBody) {
  FakeExchange first = RunThrough(router_, Get("/"));
  std::string etag = HeaderOf(first.response(), "ETag");
  ASSERT_FALSE(etag.empty());
  Request again = Get("/");
  again.headers["if-none-match"] = "\"other\", W/" + etag;
  FakeExchange second = RunThrough(router_, again);
  EXPECT_EQ(second.response().status, 304);
  EXPECT_TRUE(second.response().body.empty());
  EXPECT_EQ(HeaderOf(second.response(), "ETag"), etag);
  EXPECT_FALSE(HeaderOf(second.response(), "Content-Security-Policy").empty());
}

TEST_F(WebRoutesTest, StaleIfNoneMatchGetsTheFullFile) {
  Request r = Get("/");
  r.headers["if-none-match"] = "\"0000\"";
  FakeExchange ex = RunThrough(router_, r);
  EXPECT_EQ(ex.response().status, 200);
  EXPECT_FALSE(ex.response().body.empty());
}

TEST_F(WebRoutesTest, UnknownFilesAndOtherMethodsAreRefused) {
  EXPECT_EQ(RunThrough(router_, Get("/nope.js")).response().status, 404);
  EXPECT_EQ(RunThrough(router_, Get("/js/../index.html")).response().status, 404);
  Request post = Get("/");
  post.method = Method::kPost;
  EXPECT_EQ(RunThrough(router_, post).response().status, 405);
}

}  // namespace
}  // namespace actlog::server
