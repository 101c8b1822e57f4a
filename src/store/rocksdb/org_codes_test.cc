// The embedded store's index without resource-level and success entries: the per-org
// code set that code-prefix filters read (loaded from the index, kept current by
// appends), what the index CF holds per event, and that retention leaves nothing of a
// pruned event in it. Filter semantics themselves are in the store conformance suite.
#include "store/rocksdb/org_codes.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <filesystem>

#include "actlog/clock.h"
#include "store/rocksdb/keys.h"
#include "store/rocksdb/rocks_options.h"
#include "store/rocksdb/rocks_store.h"
#include "testing/temp_dir.h"

namespace actlog::store {
namespace {

constexpr int64_t kStart = 1'790'000'000'000'000;
constexpr int64_t kDay = int64_t{86'400} * 1'000'000;

Event MakeEvent(std::string org, std::string code) {
  Event e;
  e.org = std::move(org);
  e.code = std::move(code);
  e.actor.id = "u_1";
  e.content_digest = std::string(32, 'd');
  return e;
}

class OrgCodesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Open();
  }
  void TearDown() override {
    CloseRaw();
    store_.reset();
  }
  void Open() {
    store_.reset();
    StoreOptions options;
    options.data_dir = dir_;
    options.clock = &clock_;
    options.sync = false;
    auto store = RocksStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  void Append(std::vector<Event> events) {
    auto r = store_->Append(std::move(events));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  // Opens the directory with plain RocksDB (the store must be closed): the index CF.
  rocksdb::ColumnFamilyHandle* OpenRaw() {
    RocksLayout layout = MakeRocksLayout();
    EXPECT_TRUE(
        rocksdb::DB::OpenForReadOnly(layout.db, dir_, layout.families, &handles_, &db_).ok());
    return db_ != nullptr ? handles_[3] : nullptr;
  }
  void CloseRaw() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    handles_.clear();
    delete db_;
    db_ = nullptr;
  }
  // The index keys of `org`, by kind.
  std::map<IndexKind, int> IndexKeysByKind(std::string_view org) {
    store_.reset();
    rocksdb::ColumnFamilyHandle* index = OpenRaw();
    std::map<IndexKind, int> kinds;
    if (index == nullptr) return kinds;
    rocksdb::ReadOptions read;
    read.total_order_seek = true;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, index));
    std::string prefix = OrgPrefix(org);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      ++kinds[static_cast<IndexKind>(it->key()[prefix.size()])];
    }
    EXPECT_TRUE(it->status().ok());
    it.reset();
    CloseRaw();
    return kinds;
  }

  testing::TempDir tmp_{"actlog-codes"};  // removed after TearDown closed the store
  const std::string& dir_ = tmp_.path();
  FakeClock clock_{kStart};
  std::unique_ptr<RocksStore> store_;
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

TEST_F(OrgCodesTest, ScanFindsEachCodeOfTheOrgOnceAndAddKeepsItCurrent) {
  std::vector<Event> events;
  for (int i = 0; i < 50; ++i) {
    events.push_back(MakeEvent("org_a", i % 2 ? "org.member:invited" : "org:created"));
  }
  events.push_back(MakeEvent("org_a", "organisation:created"));
  events.push_back(MakeEvent("org_b", "org.member.role:changed"));
  events.push_back(MakeEvent("org_ab", "org:deleted"));
  Append(std::move(events));
  store_.reset();
  rocksdb::ColumnFamilyHandle* index = OpenRaw();
  ASSERT_NE(index, nullptr);
  OrgCodes codes(db_, index);
  auto under_org = codes.CodesMatching("org_a", "org");
  ASSERT_TRUE(under_org.ok()) << under_org.status().ToString();
  EXPECT_EQ(*under_org, (std::vector<std::string>{"org.member:invited", "org:created"}));
  auto every = codes.CodesMatching("org_a", "organisation:*");
  ASSERT_TRUE(every.ok());
  EXPECT_EQ(*every, (std::vector<std::string>{"organisation:created"}));
  codes.Add("org_a", "org.member:removed");  // after the scan: kept in memory
  EXPECT_EQ(*codes.CodesMatching("org_a", "org.member"),
            (std::vector<std::string>{"org.member:invited", "org.member:removed"}));
  EXPECT_EQ(*codes.CodesMatching("org_none", "org"), (std::vector<std::string>{}));
  // Added before the first scan of its org: merged with what the scan finds.
  codes.Add("org_b", "org:updated");
  EXPECT_EQ(*codes.CodesMatching("org_b", "org"),
            (std::vector<std::string>{"org.member.role:changed", "org:updated"}));
}

TEST_F(OrgCodesTest, PrefixQueryAfterReopenSeesStoredAndNewCodes) {
  Append({MakeEvent("org_a", "org.member:invited")});
  Open();  // the code set starts empty: the first prefix query scans the index
  EventQuery q;
  q.org = "org_a";
  q.order = Order::kAsc;
  q.include = {{QueryField::kCode, "org.member:*"}};
  auto first = store_->Query(q);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->events.size(), 1u);
  Append({MakeEvent("org_a", "org.member.role:changed")});
  auto second = store_->Query(q);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->events.size(), 2u);
  EXPECT_EQ(second->events[1].event.code, "org.member.role:changed");
}

TEST_F(OrgCodesTest, AnEventWritesNoResourceLevelOnlyAFailureOutcomeAndNoUserActorType) {
  Event ok = MakeEvent("org_a", "com.scheme_payment_service:updated");
  ok.target = Target{"invoice", "inv_1", std::nullopt};
  Event failed = ok;
  failed.outcome = Outcome::kFailure;
  failed.actor.type = ActorType::kApiKey;
  Append({ok, failed});
  std::map<IndexKind, int> kinds = IndexKeysByKind("org_a");
  EXPECT_EQ(kinds, (std::map<IndexKind, int>{{IndexKind::kTime, 2},
                                             {IndexKind::kCode, 2},
                                             {IndexKind::kActor, 2},
                                             {IndexKind::kActorType, 1},
                                             {IndexKind::kTargetType, 2},
                                             {IndexKind::kTargetId, 2},
                                             {IndexKind::kOutcome, 1}}));
}

TEST_F(OrgCodesTest, RetentionLeavesNoIndexKeyOfAPrunedEvent) {
  std::vector<Event> old;
  for (int i = 0; i < 40; ++i) {
    Event e = MakeEvent("org_a", i % 3 ? "org.member:invited" : "org.member:removed");
    e.actor.email = "Alice" + std::to_string(i % 5) + "@example.com";
    e.target = Target{"org.member", "m_" + std::to_string(i), std::nullopt};
    e.metadata = Json::MakeObject({{"email", Json::String("bob@example.com")}});
    e.outcome = i % 4 ? Outcome::kSuccess : Outcome::kFailure;
    old.push_back(std::move(e));
  }
  Append(std::move(old));
  ASSERT_GT(IndexKeysByKind("org_a").at(IndexKind::kPersonal), 0) << "searchable entries too";
  Open();
  clock_.Advance(2 * kDay);
  Append({MakeEvent("org_b", "org:created")});  // another org's entries stay
  auto pruned = store_->PruneBefore("org_a", kStart + kDay);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(pruned->events_removed, 40u);
  EXPECT_EQ(IndexKeysByKind("org_a"), (std::map<IndexKind, int>{}));
  EXPECT_EQ(IndexKeysByKind("org_b").at(IndexKind::kTime), 1);
}

TEST_F(OrgCodesTest, AStoreOfTheFirstFormatIsRefusedWithAClearError) {
  store_.reset();
  {
    RocksLayout layout = MakeRocksLayout();
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(layout.db, dir_, layout.families, &handles, &db).ok());
    std::string v1;
    PutFixed64BE(&v1, 1);
    EXPECT_TRUE(db->Put({}, handles[4], kMetaFormatVersion, v1).ok());
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
  StoreOptions options;
  options.data_dir = dir_;
  auto reopened = RocksStore::Open(options);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(reopened.status().message().find("store format 1"), std::string::npos)
      << reopened.status().message();
}

}  // namespace
}  // namespace actlog::store
