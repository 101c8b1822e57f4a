// Viewer tokens: valid until expiry by the injected clock, bound to their org and
// actor, and any change to payload or MAC is refused.
#include "server/viewer_token.h"

#include <gtest/gtest.h>

#include "actlog/clock.h"

namespace actlog::server {
namespace {

constexpr int64_t kNow = 1'790'000'000'000'000;  // a whole second

class ViewerTokenTest : public ::testing::Test {
 protected:
  FakeClock clock_{kNow};
  ViewerTokens tokens_{std::string(32, 's'), &clock_};
};

TEST_F(ViewerTokenTest, ValidTokenGivesViewerOfItsOrgAndActor) {
  auto grant = tokens_.Mint("org_a", "u_7", 300);
  ASSERT_TRUE(grant.ok()) << grant.status().ToString();
  EXPECT_TRUE(grant->token.starts_with("actlog_vt_"));
  EXPECT_EQ(grant->expires_at_us, kNow + 300'000'000);
  auto p = tokens_.Verify(grant->token);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->kind, PrincipalKind::kViewer);
  EXPECT_EQ(p->org, "org_a");
  EXPECT_EQ(p->actor, "u_7");
  EXPECT_TRUE(p->key_id.starts_with("vt_"));
  EXPECT_TRUE(CanRead(*p, "org_a"));
  EXPECT_FALSE(CanRead(*p, "org_b")) << "wrong org";
  EXPECT_FALSE(CanIngest(*p, "org_a"));
}

TEST_F(ViewerTokenTest, TokenWithoutActorHasNoActorLimit) {
  auto p = tokens_.Verify(tokens_.Mint("org_a", std::nullopt)->token);
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->actor.has_value());
}

TEST_F(ViewerTokenTest, DefaultLifetimeIsFifteenMinutes) {
  auto grant = tokens_.Mint("org_a", std::nullopt);
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(grant->expires_at_us, kNow + 15 * 60 * 1'000'000LL);
}

TEST_F(ViewerTokenTest, ExpiresExactlyAtItsExpiry) {
  auto grant = tokens_.Mint("org_a", std::nullopt, 60);
  ASSERT_TRUE(grant.ok());
  clock_.Advance(60'000'000 - 1);
  EXPECT_TRUE(tokens_.Verify(grant->token).ok()) << "one microsecond before expiry";
  clock_.Advance(1);
  auto expired = tokens_.Verify(grant->token);
  EXPECT_EQ(expired.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(expired.status().message(), "viewer token expired");
}

TEST_F(ViewerTokenTest, TamperedMacIsRefused) {
  std::string token = tokens_.Mint("org_a", std::nullopt)->token;
  // Flip one character of the MAC to another alphabet character.
  size_t pos = token.size() - 5;
  token[pos] = token[pos] == 'A' ? 'B' : 'A';
  auto p = tokens_.Verify(token);
  EXPECT_EQ(p.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(p.status().message(), "viewer token signature does not match");
}

TEST_F(ViewerTokenTest, PayloadSwappedToAnotherOrgIsRefused) {
  std::string for_a = tokens_.Mint("org_a", std::nullopt)->token;
  std::string for_b = tokens_.Mint("org_b", std::nullopt)->token;
  // org_b's payload with org_a's MAC.
  std::string forged = for_b.substr(0, for_b.find('.')) + for_a.substr(for_a.find('.'));
  EXPECT_EQ(tokens_.Verify(forged).status().message(), "viewer token signature does not match");
}

TEST_F(ViewerTokenTest, TokenFromAnotherSecretIsRefused) {
  ViewerTokens other(std::string(32, 't'), &clock_);
  std::string token = other.Mint("org_a", std::nullopt)->token;
  EXPECT_EQ(tokens_.Verify(token).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(ViewerTokenTest, MalformedTokensAreRefused) {
  std::string good = tokens_.Mint("org_a", std::nullopt)->token;
  for (const std::string& bad :
       {std::string("actlog_vt_"), std::string("actlog_vt_abc"), good.substr(0, good.find('.')),
        good + "=", good + ".x", std::string("actlog_read_") + good.substr(10),
        good.substr(0, good.size() - 1)}) {
    EXPECT_EQ(tokens_.Verify(bad).status().code(), StatusCode::kUnauthenticated) << bad;
  }
}

TEST_F(ViewerTokenTest, LifetimeAndShapesAreChecked) {
  EXPECT_EQ(tokens_.Mint("org_a", std::nullopt, 0).status().error_code(), "invalid_ttl");
  EXPECT_EQ(tokens_.Mint("org_a", std::nullopt, 86'401).status().error_code(), "invalid_ttl");
  EXPECT_TRUE(tokens_.Mint("org_a", std::nullopt, 86'400).ok());
  EXPECT_EQ(tokens_.Mint("bad org", std::nullopt).status().error_code(), "invalid_org");
  EXPECT_EQ(tokens_.Mint("org_a", "").status().error_code(), "invalid_actor");
}

TEST(Base64Url, RoundTripsAndAcceptsOneSpellingOnly) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "\xff\xfe\x00"}) {
    std::string enc = Base64UrlEncode(s);
    EXPECT_EQ(enc.find_first_of("+/="), std::string::npos) << enc;
    EXPECT_EQ(Base64UrlDecode(enc), s);
  }
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_FALSE(Base64UrlDecode("-_9").has_value()) << "non-zero trailing bits";
  EXPECT_FALSE(Base64UrlDecode("Zg==").has_value()) << "no padding";
  EXPECT_FALSE(Base64UrlDecode("Z").has_value());
  EXPECT_FALSE(Base64UrlDecode("Zm9v+").has_value());
}

}  // namespace
}  // namespace actlog::server
