// Store conformance: erasing a data subject (DESIGN §7). The subject's values read as
// erased, the blind index forgets their address, other subjects are untouched, and the
// stored bytes, hence the tree, do not change.
#include "store/store_conformance.h"

namespace actlog::store_test {
namespace {

TEST_P(StoreConformance, EraseSubjectForgetsTheSubjectsValuesAndKeepsTheTree) {
  Event a = MakeEvent("org_a", "org:updated", "u_1");
  a.actor.email = "alice@example.com";
  a.actor.name = "Alice";
  a.id = "c1";
  Event b = MakeEvent("org_a", "org:updated", "u_2");
  b.actor.email = "bob@example.com";
  Event c = MakeEvent("org_a", "com:created", "u_1");
  c.actor.email = "alice@example.com";
  AppendRecorded({a, b, c});
  auto head = store_->GetTreeHead("org_a");
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  auto before = store_->GetBySeq("org_a", 0);
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->event.actor.email, "alice@example.com");

  auto receipt = store_->EraseSubject("org_a", "u_1");
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_EQ(receipt->keys_destroyed, 1u);
  EXPECT_EQ(receipt->values_destroyed, 2u);
  EXPECT_EQ(receipt->events_affected, 2u);
  EXPECT_EQ(receipt->index_entries_removed, 2u);

  auto erased = store_->GetBySeq("org_a", 0);
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  EXPECT_FALSE(erased->event.actor.email.has_value());
  EXPECT_FALSE(erased->event.actor.name.has_value());
  EXPECT_EQ(erased->event.erased, (std::vector<std::string>{"actor.email", "actor.name"}));
  EXPECT_EQ(erased->canonical, before->canonical) << "the leaf does not change";
  EXPECT_EQ(store_->GetBySeq("org_a", 1)->event.actor.email, "bob@example.com");
  auto after = store_->GetTreeHead("org_a");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->root, head->root);

  EventQuery q;
  q.org = "org_a";
  q.include = {{QueryField::kActorEmail, "alice@example.com"}};
  EXPECT_TRUE(PageThrough(q).empty()) << "the blind index forgot the address";
  q.include = {{QueryField::kActorEmail, "bob@example.com"}};
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{1}));

  auto retry = store_->Append({a});
  EXPECT_EQ(retry.status().error_code(), "id_conflict") << "the content digest is forgotten";
  auto again = store_->EraseSubject("org_a", "u_1");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->keys_destroyed + again->values_destroyed + again->events_affected, 0u);
  EXPECT_EQ(store_->EraseSubject("org_none", "u_1").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace actlog::store_test
