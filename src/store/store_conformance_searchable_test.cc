// Store conformance: searchable personal fields (catalog `searchable_fields`, DESIGN §7).
// A marked value is found by exact, ASCII case-insensitive match through the keyed blind
// index, only for codes that mark it; the leaf never holds it; erasure and retention
// remove its entries.
#include "store/store_conformance.h"

namespace actlog::store_test {
namespace {

// An invitation (the built-in catalog marks its metadata.email searchable; its target,
// the invitee, is a person and owns the address).
Event Invite(const std::string& member, const std::string& email) {
  Event e = MakeEvent("org_a", "org.member:invited", "u_admin");
  e.target = Target{"org.member", member, std::nullopt};
  e.metadata = Json::MakeObject({{"email", Json::String(email)}, {"role", Json::String("admin")}});
  return e;
}

FieldFilter EmailIs(std::string value) {
  return FieldFilter{QueryField::kPersonal, std::move(value), "metadata.email"};
}

TEST_P(StoreConformance, SearchableFieldIsFoundThroughTheBlindIndex) {
  Event removed = MakeEvent("org_a", "org.member:removed", "u_admin");
  removed.target = Target{"org.member", "m_1", std::nullopt};
  removed.metadata = Json::MakeObject({{"email", Json::String("carol@example.com")}});
  AppendRecorded({Invite("m_1", "Carol@Example.com"), Invite("m_2", "dave@example.com"),
                  removed, Invite("m_3", "carol@example.com.evil")});

  auto stored = store_->GetBySeq("org_a", 0);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->canonical.find("arol@"), std::string::npos) << "the leaf holds a reference";
  EXPECT_EQ(stored->event.metadata.Find("email")->as_string(), "Carol@Example.com");

  EventQuery q;
  q.org = "org_a";
  q.include = {EmailIs("carol@example.com")};
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{0}))
      << "exact, case-insensitive, and only where the code marks the path (not seq 2)";
  q.include = {EmailIs("carol@example.com"), EmailIs("dave@example.com")};
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{1, 0})) << "values of one path OR";
  q.include = {EmailIs("dave@example.com"), {QueryField::kTargetId, "m_1"}};
  EXPECT_TRUE(PageThrough(q).empty()) << "fields AND";
  q.include = {{QueryField::kCode, "org.member:invited"}};
  q.exclude = {EmailIs("CAROL@example.com")};
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{3, 1})) << "a negative filter";

  EventQuery bad;
  bad.org = "org_a";
  bad.include = {{QueryField::kPersonal, "admin", "metadata.role"}};
  auto page = store_->Query(bad);
  EXPECT_EQ(page.status().error_code(), "invalid_query") << "metadata.role is not marked";
}

TEST_P(StoreConformance, ErasureAndRetentionRemoveSearchableEntries) {
  AppendRecorded({Invite("m_1", "carol@example.com"), Invite("m_2", "dave@example.com")});
  auto receipt = store_->EraseSubject("org_a", "m_1");
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_GE(receipt->index_entries_removed, 1u);
  EventQuery q;
  q.org = "org_a";
  q.include = {EmailIs("carol@example.com")};
  EXPECT_TRUE(PageThrough(q).empty()) << "the erased invitee's address is forgotten";
  q.include = {EmailIs("dave@example.com")};
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{1})) << "other subjects keep theirs";
  auto erased = store_->GetBySeq("org_a", 0);
  ASSERT_TRUE(erased.ok());
  EXPECT_TRUE(erased->event.metadata.Find("email")->is_null());

  clock_.Advance(10'000'000);
  int64_t cutoff = clock_.NowMicros();
  AppendRecorded({Invite("m_4", "erin@example.com")});
  ASSERT_TRUE(store_->PruneBefore("org_a", cutoff).ok());
  EXPECT_TRUE(PageThrough(q).empty()) << "pruned with its event";
  q.include = {EmailIs("erin@example.com")};
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{2}));
}

}  // namespace
}  // namespace actlog::store_test
