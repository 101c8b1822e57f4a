// The store conformance suite: appends, sequencing, exactly-once and reads. Every backend
// is listed once in Backends() below; the other store_conformance_*_test.cc files add
// queries, cursors, concurrency and durability to the same suite.
#include "store/store_conformance.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "store/postgres/pg_conn.h"
#include "store/rocksdb/rocks_store.h"

namespace actlog::store_test {
namespace {

// The PostgreSQL store runs when ACTLOG_TEST_POSTGRES_URL names a server (scripts/test.sh
// starts one; without it its tests skip): each test gets a database of its own, named
// after its temp dir, created on first open (reopening finds it again) and dropped after
// the test.
const char* PostgresTestUrl() {
  const char* url = std::getenv("ACTLOG_TEST_POSTGRES_URL");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

std::string TestDatabase(const std::string& dir) {
  char name[40];
  std::snprintf(name, sizeof(name), "actlog_t_%d_%016zx", static_cast<int>(::getpid()),
                std::hash<std::string>()(dir));
  return name;
}

Status OnTestServer(const std::string& sql) {
  auto conn = store::pg::PgConn::Connect(PostgresTestUrl());
  if (!conn.ok()) return conn.status();
  return (*conn)->Exec(sql).status();
}

StoreBackend PostgresBackend() {
  return {"PostgreSQL",
          [](const std::string& dir, const Clock* clock, bool) -> StatusOr<std::unique_ptr<Store>> {
            std::string db = TestDatabase(dir);
            Status created = OnTestServer("CREATE DATABASE " + db);
            if (!created.ok() && created.message().find("already exists") == std::string::npos) {
              return created;
            }
            StoreOptions options;
            options.url = store::pg::UrlWithDatabase(PostgresTestUrl(), db);
            options.clock = clock;
            return OpenStore(options);
          },
          /*reports_metrics=*/true,
          /*settle=*/nullptr,
          [](const std::string& dir) {
            Status dropped = OnTestServer("DROP DATABASE IF EXISTS " + TestDatabase(dir) +
                                          " WITH (FORCE)");
            EXPECT_TRUE(dropped.ok()) << dropped.ToString();
          },
          []() -> std::string {
            if (PostgresTestUrl() != nullptr) return "";
            return "ACTLOG_TEST_POSTGRES_URL is not set (scripts/test.sh sets it; in CI "
                   "StoreBackends.PostgresRunsInCI fails without it)";
          }};
}

std::vector<StoreBackend> Backends() {
  std::vector<StoreBackend> backends = {
      {"RocksDB",
       [](const std::string& dir, const Clock* clock, bool sync) {
         StoreOptions options;
         options.data_dir = dir;
         options.clock = clock;
         options.sync = sync;
         return OpenRocksStore(options);
       },
       /*reports_metrics=*/true,
       [](Store* store) { return static_cast<store::RocksStore*>(store)->Compact(); }},
  };
  backends.push_back(PostgresBackend());
  return backends;
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param.name; });

// CI must not pass without having run the suite on PostgreSQL.
TEST(StoreBackends, PostgresRunsInCI) {
  if (std::getenv("CI") == nullptr) GTEST_SKIP() << "not in CI";
  EXPECT_NE(PostgresTestUrl(), nullptr)
      << "CI must run the conformance suite on PostgreSQL: set ACTLOG_TEST_POSTGRES_URL "
         "(scripts/test.sh starts a cluster with scripts/pg-cluster.sh)";
}

TEST_P(StoreConformance, SeqStartsAtZeroPerOrgWithoutGaps) {
  AppendRecorded({MakeEvent("org_a", "org:updated"), MakeEvent("org_b", "org:updated"),
                  MakeEvent("org_a", "api_key:created")});
  auto results = AppendRecorded({MakeEvent("org_b", "org:updated")});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].seq, 1u);
  EXPECT_EQ(store_->GetOrg("org_a")->event_count, 2u);
  EXPECT_EQ(store_->GetOrg("org_b")->event_count, 2u);
  EXPECT_EQ(store_->GetOrg("org_c").status().code(), StatusCode::kNotFound);
  auto orgs = store_->ListOrgs();
  ASSERT_TRUE(orgs.ok());
  ASSERT_EQ(orgs->size(), 2u);
  EXPECT_EQ((*orgs)[0].org, "org_a");
  EXPECT_EQ((*orgs)[0].created_at_us, kStart);
}

TEST_P(StoreConformance, AssignsServerFieldsAndReadsBackCanonicalBytes) {
  Event e = MakeEvent("org_a", "org.member:invited");
  e.actor.email = "alice@example.com";
  e.target = Target{"org.member", "m_1", "Bob"};
  e.metadata = Json::MakeObject({{"k", Json::String("v")}});
  auto results = AppendRecorded({e});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].id.rfind("evt_", 0), 0u) << "a server id is assigned";
  const Expected& want = expected_["org_a"][0];

  // Personal values (DESIGN §7) read back in plain, and are sealed in the stored bytes.
  auto by_seq = store_->GetBySeq("org_a", 0);
  ASSERT_TRUE(by_seq.ok()) << by_seq.status().ToString();
  EXPECT_EQ(CanonicalEvent(by_seq->event), want.canonical);
  EXPECT_EQ(by_seq->event.received_at_us, kStart);
  EXPECT_EQ(by_seq->event.occurred_at_us, kStart) << "occurred_at defaults to received_at";
  EXPECT_EQ(by_seq->canonical.find("alice@example.com"), std::string::npos);
  EXPECT_EQ(by_seq->canonical.find("Bob"), std::string::npos);
  EXPECT_NE(by_seq->canonical.find("sealed:v1:"), std::string::npos);

  auto by_id = store_->Get("org_a", results[0].id);
  ASSERT_TRUE(by_id.ok()) << by_id.status().ToString();
  EXPECT_EQ(by_id->canonical, by_seq->canonical);
  EXPECT_EQ(CanonicalEvent(by_id->event), want.canonical);
  EXPECT_EQ(store_->Get("org_b", results[0].id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetBySeq("org_a", 1).status().code(), StatusCode::kNotFound);
}

TEST_P(StoreConformance, ScanVisitsSeqRangeInOrderAndStopsWhenAsked) {
  std::vector<Event> batch;
  for (int i = 0; i < 10; ++i) batch.push_back(MakeEvent("org_a", "org:updated"));
  AppendRecorded(batch);
  std::vector<uint64_t> seen;
  ASSERT_TRUE(store_->Scan("org_a", 3, 7, [&](const StoredEvent& s) {
    seen.push_back(s.event.seq);
    EXPECT_EQ(s.canonical, expected_["org_a"][s.event.seq].canonical);
    return true;
  }).ok());
  EXPECT_EQ(seen, (std::vector<uint64_t>{3, 4, 5, 6}));
  seen.clear();
  ASSERT_TRUE(store_->Scan("org_a", 0, UINT64_MAX, [&](const StoredEvent& s) {
    seen.push_back(s.event.seq);
    return seen.size() < 2;
  }).ok());
  EXPECT_EQ(seen, (std::vector<uint64_t>{0, 1}));
}

TEST_P(StoreConformance, SameIdAndContentIsADuplicateWithTheStoredSeq) {
  Event e = MakeEvent("org_a", "org:updated");
  e.id = "client-1";
  AppendRecorded({MakeEvent("org_a", "api_key:created"), e});
  auto again = store_->Append({MakeEvent("org_a", "com:created"), e});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE((*again)[0].duplicate);
  EXPECT_EQ((*again)[0].seq, 2u);
  EXPECT_TRUE((*again)[1].duplicate);
  EXPECT_EQ((*again)[1].seq, 1u);
  EXPECT_EQ((*again)[1].id, "client-1");
  EXPECT_EQ(store_->GetOrg("org_a")->event_count, 3u);
  EXPECT_EQ(store_->Get("org_b", "client-1").status().code(), StatusCode::kNotFound)
      << "ids are per org";
}

TEST_P(StoreConformance, ConflictingIdFailsTheWholeBatchAndStoresNothing) {
  Event e = MakeEvent("org_a", "org:updated");
  e.id = "client-1";
  AppendRecorded({e});
  Event other = e;
  other.content_digest = Digest(42);
  auto failed = store_->Append({MakeEvent("org_a", "com:created"), MakeEvent("org_b", "com:created"),
                                other});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(failed.status().error_code(), "id_conflict");
  ASSERT_EQ(failed.status().details().size(), 1u);
  EXPECT_EQ(failed.status().details()[0].index, 2u);
  EXPECT_EQ(failed.status().details()[0].field, "id");
  EXPECT_EQ(store_->GetOrg("org_a")->event_count, 1u) << "heads do not move";
  EXPECT_EQ(store_->GetOrg("org_b").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetBySeq("org_a", 1).status().code(), StatusCode::kNotFound);
  auto next = AppendRecorded({MakeEvent("org_a", "com:created")});
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].seq, 1u) << "the failed batch left no gap";
}

TEST_P(StoreConformance, SameIdTwiceInOneBatch) {
  Event e = MakeEvent("org_a", "org:updated");
  e.id = "twice";
  auto results = AppendRecorded({e, MakeEvent("org_a", "com:created"), e});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_FALSE(results[0].duplicate);
  EXPECT_TRUE(results[2].duplicate);
  EXPECT_EQ(results[2].seq, results[0].seq);
  EXPECT_EQ(store_->GetOrg("org_a")->event_count, 2u);

  Event clash = e;
  clash.id = "clash";
  Event clash2 = clash;
  clash2.content_digest = Digest(7);
  auto failed = store_->Append({clash, clash2});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().error_code(), "id_conflict");
  EXPECT_EQ(failed.status().details()[0].index, 1u);
  EXPECT_EQ(store_->Get("org_a", "clash").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace actlog::store_test

namespace actlog::store_test {
namespace {

TEST_P(StoreConformance, CreateOrgRegistersAnEmptyOrgOnce) {
  ASSERT_TRUE(store_->CreateOrg("org_new").ok());
  auto info = store_->GetOrg("org_new");
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->event_count, 0u);
  EXPECT_EQ(info->created_at_us, kStart);
  Status again = store_->CreateOrg("org_new");
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.error_code(), "org_exists");

  clock_.Advance(5'000'000);
  auto first = AppendRecorded({MakeEvent("org_new", "org:updated")});
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].seq, 0u);
  EXPECT_EQ(store_->GetOrg("org_new")->created_at_us, kStart) << "creation time is kept";
  EXPECT_EQ(store_->CreateOrg("org_new").code(), StatusCode::kAlreadyExists);

  AppendRecorded({MakeEvent("org_used", "org:updated")});
  EXPECT_EQ(store_->CreateOrg("org_used").error_code(), "org_exists")
      << "an org with events exists";
  Open();
  EXPECT_EQ(store_->GetOrg("org_new")->created_at_us, kStart);
  ASSERT_TRUE(store_->CreateOrg("org_empty").ok());
  Open();
  EXPECT_EQ(store_->GetOrg("org_empty")->event_count, 0u) << "an empty org survives reopen";
}

}  // namespace
}  // namespace actlog::store_test
