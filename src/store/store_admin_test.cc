// Conformance tests for access administration: org settings, API key records and named
// secrets. Every backend that keeps them must pass; they survive a reopen.
#include "store/store_conformance.h"

namespace actlog::store_test {
namespace {

ApiKeyRecord MakeKey(std::string id, std::string kind, std::optional<std::string> org,
                     char hash_byte) {
  ApiKeyRecord r;
  r.id = std::move(id);
  r.kind = std::move(kind);
  r.org = std::move(org);
  r.hash = std::string(32, hash_byte);
  r.created_at_us = 1'790'000'000'000'000;
  return r;
}

TEST_P(StoreConformance, OrgSettingsMergeAndShowInGetAndList) {
  AppendRecorded({MakeEvent("org_a", "org:updated"), MakeEvent("org_b", "org:updated")});
  EXPECT_EQ(store_->GetOrg("org_a")->settings, OrgSettings{}) << "no settings until set";

  auto named = store_->UpdateOrgSettings("org_a", [](OrgSettings* s) {
    s->name = "Acme";
    return Status::Ok();
  });
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  EXPECT_EQ(named->event_count, 1u);
  auto both = store_->UpdateOrgSettings("org_a", [](OrgSettings* s) {
    EXPECT_EQ(s->name, "Acme") << "the update sees the current settings";
    s->retention_days = 90;
    return Status::Ok();
  });
  ASSERT_TRUE(both.ok());
  OrgSettings want{"Acme", 90};
  EXPECT_EQ(both->settings, want);
  EXPECT_EQ(store_->GetOrg("org_a")->settings, want);

  auto orgs = store_->ListOrgs();
  ASSERT_TRUE(orgs.ok());
  ASSERT_EQ(orgs->size(), 2u);
  EXPECT_EQ((*orgs)[0].settings, want);
  EXPECT_EQ((*orgs)[1].settings, OrgSettings{}) << "settings stay with their org";

  Open();
  EXPECT_EQ(store_->GetOrg("org_a")->settings, want) << "settings survive reopen";
}

TEST_P(StoreConformance, OrgSettingsUpdateThatFailsWritesNothing) {
  AppendRecorded({MakeEvent("org_a", "org:updated")});
  auto failed = store_->UpdateOrgSettings("org_a", [](OrgSettings* s) {
    s->name = "half done";
    return InvalidArgument("invalid_settings", "no");
  });
  EXPECT_EQ(failed.status().error_code(), "invalid_settings");
  EXPECT_EQ(store_->GetOrg("org_a")->settings, OrgSettings{});
  auto unknown = store_->UpdateOrgSettings("org_none", [](OrgSettings*) { return Status::Ok(); });
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
}

TEST_P(StoreConformance, ApiKeysAreStoredListedAndRevokedOnce) {
  ApiKeyRecord admin = MakeKey("key_00000000000000aa", "admin", std::nullopt, 'a');
  ApiKeyRecord read = MakeKey("key_00000000000000bb", "read", "org_a", 'b');
  read.name = "dashboard";
  ASSERT_TRUE(store_->PutApiKey(read).ok());
  ASSERT_TRUE(store_->PutApiKey(admin).ok());
  Status taken = store_->PutApiKey(MakeKey(admin.id, "ingest", std::nullopt, 'c'));
  EXPECT_EQ(taken.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(taken.error_code(), "key_exists");

  auto keys = store_->ListApiKeys();
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  EXPECT_EQ(*keys, (std::vector<ApiKeyRecord>{admin, read})) << "ordered by id, unchanged";

  auto revoked = store_->RevokeApiKey(read.id, 2'000);
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->revoked_at_us, 2'000);
  auto again = store_->RevokeApiKey(read.id, 9'000);
  ASSERT_TRUE(again.ok()) << "revoking twice is fine";
  EXPECT_EQ(again->revoked_at_us, 2'000) << "the first revocation time is kept";
  EXPECT_EQ(store_->RevokeApiKey("key_ffffffffffffffff", 1).status().code(), StatusCode::kNotFound);

  Open();
  keys = store_->ListApiKeys();
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[1].revoked_at_us, 2'000) << "revocation survives reopen";
  EXPECT_EQ((*keys)[1].hash, read.hash);
  EXPECT_FALSE((*keys)[0].revoked_at_us.has_value());
}

TEST_P(StoreConformance, NamedSecretIsCreatedOnceAndKept) {
  auto first = store_->GetOrCreateSecret("viewer_token");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->size(), 32u);
  auto other = store_->GetOrCreateSecret("something_else");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*other, *first) << "each name has its own random secret";
  EXPECT_EQ(*store_->GetOrCreateSecret("viewer_token"), *first);
  Open();
  EXPECT_EQ(*store_->GetOrCreateSecret("viewer_token"), *first) << "kept across reopen";
}

}  // namespace
}  // namespace actlog::store_test
