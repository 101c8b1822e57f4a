// Store conformance: queries. Random queries over a few thousand synthetic events in
// several orgs are checked against a brute-force evaluation, page by page with cursors;
// a few named cases pin the filter semantics down in readable form.
#include "store/store_conformance.h"

namespace actlog::store_test {
namespace {

std::vector<uint64_t> Seqs(const QueryPage& page) {
  std::vector<uint64_t> seqs;
  for (const StoredEvent& s : page.events) seqs.push_back(s.event.seq);
  return seqs;
}

TEST_P(StoreConformance, RandomQueriesPagedWithCursorsEqualBruteForce) {
  std::mt19937 rng(20261129);
  const std::vector<std::string> orgs = {"org_a", "org_b", "org_c"};
  AppendRandom(&rng, orgs, 1500);
  if (GetParam().settle) {
    ASSERT_TRUE(GetParam().settle(store_.get()).ok());
  }
  AppendRandom(&rng, orgs, 1500);  // half settled on disk, half in write buffers
  int nonempty = 0;
  for (int i = 0; i < 300; ++i) {
    EventQuery q = RandomQuery(&rng, orgs[i % orgs.size()]);
    std::vector<uint64_t> want = BruteForce(q);
    nonempty += !want.empty();
    ASSERT_EQ(PageThrough(q), want)
        << "query " << i << ": " << FormatSearchString(q) << " order "
        << (q.order == Order::kAsc ? "asc" : "desc") << " limit " << q.limit;
  }
  EXPECT_GT(nonempty, 150) << "the random queries should mostly find something";
}

TEST_P(StoreConformance, FirstPageIsTheNewestEventsAndCursorContinues) {
  std::mt19937 rng(7);
  AppendRandom(&rng, {"org_a"}, 300);
  EventQuery q;
  q.org = "org_a";
  q.limit = 50;
  std::vector<uint64_t> want = BruteForce(q);
  auto page = store_->Query(q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Seqs(*page), std::vector<uint64_t>(want.begin(), want.begin() + 50));
  ASSERT_TRUE(page->next_cursor.has_value());
  q.cursor = *page->next_cursor;
  auto second = store_->Query(q);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(Seqs(*second), std::vector<uint64_t>(want.begin() + 50, want.begin() + 100));
}

TEST_P(StoreConformance, LastPageHasNoCursor) {
  AppendRecorded({MakeEvent("org_a", "org:updated"), MakeEvent("org_a", "org:updated")});
  EventQuery q;
  q.org = "org_a";
  q.limit = 2;
  auto page = store_->Query(q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->events.size(), 2u);
  EXPECT_FALSE(page->next_cursor.has_value());
}

TEST_P(StoreConformance, CodePrefixMatchesResourceAndSubResourcesOnly) {
  AppendRecorded({MakeEvent("org_a", "org:created"), MakeEvent("org_a", "org.member:invited"),
                  MakeEvent("org_a", "org.member.role:changed"),
                  MakeEvent("org_a", "org.member_x:created")});
  for (const char* prefix : {"org.member:*", "org.member"}) {
    EventQuery q;
    q.org = "org_a";
    q.order = Order::kAsc;
    q.include = {{QueryField::kCode, prefix}};
    EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{1, 2})) << prefix;
  }
  EventQuery all;
  all.org = "org_a";
  all.order = Order::kAsc;
  all.include = {{QueryField::kCode, "org"}};
  EXPECT_EQ(PageThrough(all), (std::vector<uint64_t>{0, 1, 2, 3}));
}

TEST_P(StoreConformance, CodePrefixFindsCodesFirstUsedAfterAnEarlierPrefixQuery) {
  AppendRecorded({MakeEvent("org_a", "org.member:invited")});
  EventQuery q;
  q.org = "org_a";
  q.order = Order::kAsc;
  q.include = {{QueryField::kCode, "org"}};
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{0}));
  AppendRecorded({MakeEvent("org_a", "organisation:created"), MakeEvent("org_a", "org:created"),
                  MakeEvent("org_a", "org.member.role:changed")});
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{0, 2, 3}));
  q.include = {{QueryField::kCode, "org.member:*"}, {QueryField::kCode, "organisation"}};
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{0, 1, 3}));
  q.include = {{QueryField::kCode, "org.mem"}};
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{})) << "a prefix covers whole segments";
  q.include = {{QueryField::kCode, "api_key"}};
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{})) << "no code of the org is under it";
}

TEST_P(StoreConformance, NegatedCodePrefixExcludesTheResourceAndItsSubResources) {
  AppendRecorded({MakeEvent("org_a", "org:created"), MakeEvent("org_a", "org.member:invited"),
                  MakeEvent("org_a", "org.member.role:changed"),
                  MakeEvent("org_a", "org.member_x:created"),
                  MakeEvent("org_a", "organisation:created")});
  EventQuery q;
  q.org = "org_a";
  q.order = Order::kAsc;
  q.exclude = {{QueryField::kCode, "org.member"}};
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{0, 3, 4}));
  q.exclude = {{QueryField::kCode, "org:*"}};
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{4}));
  q.include = {{QueryField::kCode, "org"}};
  q.exclude = {{QueryField::kCode, "org.member:*"}};
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{0, 3}));
}

TEST_P(StoreConformance, OutcomeFiltersBothWaysPageWithCursors) {
  std::vector<Event> batch;
  for (int i = 0; i < 23; ++i) {
    Event e =
        MakeEvent("org_a", i % 3 ? "org:updated" : "api_key:created", "u_" + std::to_string(i % 2));
    e.outcome = i % 4 == 1 ? Outcome::kFailure : Outcome::kSuccess;
    e.occurred_at_us = kStart + (i * 7) % 23;  // positions not in seq order
    batch.push_back(e);
  }
  AppendRecorded(batch);
  std::vector<EventQuery> queries;
  for (Order order : {Order::kAsc, Order::kDesc}) {
    for (const char* outcome : {"success", "failure"}) {
      EventQuery q;
      q.org = "org_a";
      q.order = order;
      q.limit = 2;
      q.include = {{QueryField::kOutcome, outcome}};
      queries.push_back(q);
      q.include.push_back({QueryField::kActor, "u_1"});
      queries.push_back(q);
      q.include = {{QueryField::kCode, "org"}};
      q.exclude = {{QueryField::kOutcome, outcome}};
      queries.push_back(q);
    }
    EventQuery both;
    both.org = "org_a";
    both.order = order;
    both.limit = 3;
    both.include = {{QueryField::kOutcome, "success"}, {QueryField::kOutcome, "failure"}};
    queries.push_back(both);
  }
  ExpectPagesAsBruteForce(queries);
}

// The embedded store writes no stream for actor_type=user (most events): it is checked
// on the fetched events, the rarer types read their streams. Every store gives the same.
TEST_P(StoreConformance, ActorTypeFiltersEveryWayPageWithCursors) {
  std::vector<Event> batch;
  const ActorType types[] = {ActorType::kUser, ActorType::kUser, ActorType::kApiKey,
                             ActorType::kUser, ActorType::kSystem};
  for (int i = 0; i < 23; ++i) {
    Event e =
        MakeEvent("org_a", i % 3 ? "org:updated" : "api_key:created", "u_" + std::to_string(i % 2));
    e.actor.type = types[i % 5];
    e.occurred_at_us = kStart + (i * 7) % 23;  // positions not in seq order
    batch.push_back(e);
  }
  AppendRecorded(batch);
  std::vector<EventQuery> queries;
  for (Order order : {Order::kAsc, Order::kDesc}) {
    for (const char* type : {"user", "api_key", "system"}) {
      EventQuery q;
      q.org = "org_a";
      q.order = order;
      q.limit = 2;
      q.include = {{QueryField::kActorType, type}};
      queries.push_back(q);
      q.include.push_back({QueryField::kCode, "org"});
      queries.push_back(q);
      q.include = {{QueryField::kActor, "u_0"}};
      q.exclude = {{QueryField::kActorType, type}};
      queries.push_back(q);
    }
    EventQuery either;
    either.org = "org_a";
    either.order = order;
    either.limit = 3;
    either.include = {{QueryField::kActorType, "user"}, {QueryField::kActorType, "system"}};
    queries.push_back(either);
  }
  ExpectPagesAsBruteForce(queries);
}

TEST_P(StoreConformance, ActorEmailMatchesCaseInsensitively) {
  Event a = MakeEvent("org_a", "org:updated");
  a.actor.email = "Alice@Example.com";
  Event b = MakeEvent("org_a", "org:updated", "u_2");
  b.actor.email = "bob@example.com";
  AppendRecorded({a, b});
  EventQuery q;
  q.org = "org_a";
  q.include = {{QueryField::kActorEmail, "alice@EXAMPLE.com"}};
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{0}));
}

TEST_P(StoreConformance, ExcludeTextAndTimeBoundsCombine) {
  std::vector<Event> batch;
  for (int i = 0; i < 6; ++i) {
    Event e = MakeEvent("org_a", i % 2 ? "org:updated" : "api_key:created");
    e.occurred_at_us = kStart + i;
    e.metadata = Json::MakeObject({{"note", Json::String(i < 3 ? "Needle" : "hay")}});
    batch.push_back(e);
  }
  AppendRecorded(batch);
  EventQuery q;
  q.org = "org_a";
  q.order = Order::kAsc;
  q.exclude = {{QueryField::kCode, "api_key:*"}};
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{1, 3, 5}));
  q.text = "NEEDLE";
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{1}));
  q.text.clear();
  q.from_us = kStart + 2;
  q.to_us = kStart + 5;
  EXPECT_EQ(PageThrough(q), (std::vector<uint64_t>{3}));
}

TEST_P(StoreConformance, CursorFromAnotherOrgOrderOrFilterIsRejected) {
  std::vector<Event> batch(5, MakeEvent("org_a", "org:updated"));
  AppendRecorded(batch);
  EventQuery q;
  q.org = "org_a";
  q.limit = 2;
  auto page = store_->Query(q);
  ASSERT_TRUE(page.ok());
  ASSERT_TRUE(page->next_cursor.has_value());

  EventQuery other_org = q;
  other_org.org = "org_b";
  EventQuery other_order = q;
  other_order.order = Order::kAsc;
  EventQuery other_filter = q;
  other_filter.include = {{QueryField::kActor, "u_1"}};
  EventQuery garbage = q;
  garbage.cursor = "not-a-cursor";
  for (EventQuery bad : {other_org, other_order, other_filter, garbage}) {
    if (bad.cursor.empty() || bad.cursor != "not-a-cursor") bad.cursor = *page->next_cursor;
    auto result = store_->Query(bad);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(result.status().error_code(), "invalid_cursor");
  }
  EventQuery bigger_page = q;
  bigger_page.limit = 10;
  bigger_page.cursor = *page->next_cursor;
  EXPECT_TRUE(store_->Query(bigger_page).ok()) << "the page size may change between pages";
}

}  // namespace
}  // namespace actlog::store_test
