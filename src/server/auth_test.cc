// KeyRing: keys are random, shown once, stored only as SHA-256, revocable, scoped; the
// first start makes an admin key; viewer tokens authenticate as read-only viewers.
#include "server/auth.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "actlog/clock.h"
#include "testing/temp_dir.h"

namespace actlog::server {
namespace {

constexpr int64_t kNow = 1'790'000'000'000'000;

class KeyRingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Reopen();
  }
  void TearDown() override {
    ring_.reset();
    store_.reset();
  }
  void Reopen() {
    ring_.reset();
    store_.reset();
    StoreOptions options;
    options.data_dir = dir_;
    options.clock = &clock_;
    options.sync = false;
    auto store = OpenRocksStore(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto ring = KeyRing::Open(store_.get(), &clock_);
    ASSERT_TRUE(ring.ok()) << ring.status().ToString();
    ring_ = std::move(ring).value();
  }
  CreatedKey Create(std::string_view kind, std::optional<std::string> org) {
    auto created = ring_->CreateKey(kind, std::move(org));
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : CreatedKey{};
  }

  testing::TempDir tmp_{"actlog-auth"};  // removed after TearDown closed the store
  const std::string& dir_ = tmp_.path();
  FakeClock clock_{kNow};
  std::unique_ptr<Store> store_;
  std::unique_ptr<KeyRing> ring_;
};

TEST_F(KeyRingTest, CreatedKeyHasTheAgreedShapeAndAuthenticatesAsItsKind) {
  CreatedKey read = Create("read", "org_a");
  EXPECT_TRUE(std::regex_match(read.key, std::regex("actlog_read_[A-Za-z0-9_-]{43}"))) << read.key;
  EXPECT_TRUE(std::regex_match(read.record.id, std::regex("key_[0-9a-f]{16}"))) << read.record.id;
  EXPECT_EQ(read.record.created_at_us, kNow);

  auto p = ring_->Authenticate(read.key);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->kind, PrincipalKind::kRead);
  EXPECT_EQ(p->org, "org_a");
  EXPECT_EQ(p->key_id, read.record.id);
  EXPECT_TRUE(CanRead(*p, "org_a"));
  EXPECT_FALSE(CanRead(*p, "org_b"));
  EXPECT_FALSE(CanIngest(*p, "org_a"));

  auto ingest = ring_->Authenticate(Create("ingest", std::nullopt).key);
  ASSERT_TRUE(ingest.ok());
  EXPECT_EQ(ingest->kind, PrincipalKind::kIngest);
  EXPECT_FALSE(ingest->org.has_value()) << "platform-wide ingest key";
  auto admin = ring_->Authenticate(Create("admin", std::nullopt).key);
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin->kind, PrincipalKind::kAdmin);
}

TEST_F(KeyRingTest, TwoKeysNeverCoincide) {
  EXPECT_NE(Create("ingest", "org_a").key, Create("ingest", "org_a").key);
}

TEST_F(KeyRingTest, StoreKeepsOnlyTheHashOfTheKey) {
  CreatedKey created = Create("ingest", "org_a");
  auto records = store_->ListApiKeys();
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  unsigned char want[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(want, reinterpret_cast<const unsigned char*>(created.key.data()),
                     created.key.size());
  EXPECT_EQ((*records)[0].hash, std::string(reinterpret_cast<char*>(want), sizeof want));
  std::string secret = created.key.substr(created.key.size() - 43);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(secret), std::string::npos) << "secret written to " << entry.path();
  }
}

TEST_F(KeyRingTest, UnknownOrAlteredKeysAreUnauthenticated) {
  CreatedKey created = Create("admin", std::nullopt);
  std::string altered = created.key;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {altered, created.key + "x", created.key.substr(1), std::string("actlog_admin_"),
        std::string("Bearer"), std::string()}) {
    auto p = ring_->Authenticate(bad);
    EXPECT_EQ(p.status().code(), StatusCode::kUnauthenticated) << bad;
    EXPECT_EQ(p.status().error_code(), "unauthenticated") << bad;
  }
}

TEST_F(KeyRingTest, RevokedKeyIsRefusedAndStaysRevokedAfterRestart) {
  CreatedKey created = Create("ingest", "org_a");
  clock_.Advance(1'000'000);
  auto revoked = ring_->Revoke(created.record.id);
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->revoked_at_us, kNow + 1'000'000);
  EXPECT_EQ(ring_->Authenticate(created.key).status().message(), "the API key was revoked");
  EXPECT_TRUE(ring_->Revoke(created.record.id).ok()) << "idempotent";
  EXPECT_EQ(ring_->Revoke("key_0000000000000000").status().code(), StatusCode::kNotFound);

  Reopen();
  EXPECT_EQ(ring_->Authenticate(created.key).status().code(), StatusCode::kUnauthenticated);
  ASSERT_EQ(ring_->List().size(), 1u);
  EXPECT_EQ(ring_->List()[0].revoked_at_us, kNow + 1'000'000);
}

TEST_F(KeyRingTest, KeysSurviveRestart) {
  CreatedKey created = Create("read", "org_a");
  Reopen();
  auto p = ring_->Authenticate(created.key);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->org, "org_a");
}

TEST_F(KeyRingTest, KindAndOrgRulesAreEnforced) {
  auto detail = [&](std::string_view kind, std::optional<std::string> org) {
    auto created = ring_->CreateKey(kind, std::move(org));
    EXPECT_EQ(created.status().error_code(), "invalid_key");
    return created.status().details().empty() ? std::string() : created.status().details()[0].code;
  };
  EXPECT_EQ(detail("owner", std::nullopt), "invalid_kind");
  EXPECT_EQ(detail("read", std::nullopt), "org_required");
  EXPECT_EQ(detail("admin", "org_a"), "org_not_allowed");
  EXPECT_EQ(detail("ingest", "bad org!"), "invalid_org");
  EXPECT_TRUE(ring_->List().empty()) << "nothing stored for refused requests";
}

TEST_F(KeyRingTest, FirstStartCreatesOneAdminKeyOnce) {
  auto first = ring_->EnsureAdminKey(std::nullopt);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->has_value());
  EXPECT_TRUE(first->value().starts_with("actlog_admin_"));
  EXPECT_EQ(ring_->Authenticate(first->value())->kind, PrincipalKind::kAdmin);

  Reopen();
  auto second = ring_->EnsureAdminKey(std::nullopt);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value()) << "an admin key exists: nothing to print";
  EXPECT_EQ(ring_->List().size(), 1u);
}

TEST_F(KeyRingTest, SuppliedAdminKeyIsRegisteredOnceByHash) {
  std::string supplied = "actlog_admin_" + std::string(40, 'k');
  auto ensured = ring_->EnsureAdminKey(supplied);
  ASSERT_TRUE(ensured.ok()) << ensured.status().ToString();
  EXPECT_FALSE(ensured->has_value()) << "a supplied key is never printed";
  EXPECT_EQ(ring_->Authenticate(supplied)->kind, PrincipalKind::kAdmin);
  Reopen();
  ASSERT_TRUE(ring_->EnsureAdminKey(supplied).ok());
  EXPECT_EQ(ring_->List().size(), 1u) << "registered once";

  EXPECT_EQ(ring_->EnsureAdminKey("actlog_admin_short").status().error_code(), "invalid_admin_key");
  EXPECT_EQ(ring_->EnsureAdminKey("secret_" + std::string(40, 'k')).status().error_code(),
            "invalid_admin_key");
  ASSERT_TRUE(ring_->Revoke(ring_->List()[0].id).ok());
  EXPECT_EQ(ring_->EnsureAdminKey(supplied).status().code(), StatusCode::kFailedPrecondition)
      << "a revoked key is not brought back";
}

TEST_F(KeyRingTest, ViewerTokenAuthenticatesAsReadOnlyViewerOfItsOrg) {
  auto grant = ring_->viewer_tokens().Mint("org_a", "u_7", 60);
  ASSERT_TRUE(grant.ok());
  auto p = ring_->Authenticate(grant->token);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->kind, PrincipalKind::kViewer);
  EXPECT_EQ(p->actor, "u_7");
  EXPECT_TRUE(Satisfies(*p, Access::kRead));
  EXPECT_FALSE(Satisfies(*p, Access::kIngest)) << "a viewer token cannot act as a key";
  EXPECT_FALSE(Satisfies(*p, Access::kAdmin));
  EXPECT_FALSE(CanRead(*p, "org_b"));

  Reopen();
  EXPECT_TRUE(ring_->Authenticate(grant->token).ok()) << "the signing secret is kept";
}

// Two servers on one shared store: keys created or revoked through one ring reach the
// other when it reloads (StartRefresh does that on a timer).
TEST_F(KeyRingTest, ReloadSeesKeysCreatedAndRevokedThroughAnotherRing) {
  auto other = KeyRing::Open(store_.get(), &clock_);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  CreatedKey key = Create("read", "org_a");
  EXPECT_FALSE((*other)->Authenticate(key.key).ok()) << "not reloaded yet";
  ASSERT_TRUE((*other)->Reload().ok());
  EXPECT_TRUE((*other)->Authenticate(key.key).ok());

  ASSERT_TRUE(ring_->Revoke(key.record.id).ok());
  EXPECT_TRUE((*other)->Authenticate(key.key).ok()) << "not reloaded yet";
  ASSERT_TRUE((*other)->Reload().ok());
  EXPECT_EQ((*other)->Authenticate(key.key).status().code(), StatusCode::kUnauthenticated);
}

TEST_F(KeyRingTest, BackgroundRefreshPicksUpAnotherRingsKeyAndStops) {
  auto other = KeyRing::Open(store_.get(), &clock_);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  (*other)->StartRefresh(std::chrono::milliseconds(10), [](const Status& s) {
    ADD_FAILURE() << s.ToString();
  });
  CreatedKey key = Create("ingest", std::nullopt);
  bool seen = false;
  for (int i = 0; i < 500 && !seen; ++i) {
    seen = (*other)->Authenticate(key.key).ok();
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(seen);
  (*other)->StopRefresh();
  (*other)->StopRefresh();  // idempotent
}

}  // namespace
}  // namespace actlog::server
