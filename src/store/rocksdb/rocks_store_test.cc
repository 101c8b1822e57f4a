// Behaviour specific to the embedded store: the scan budget, the AppendObserver seam,
// one group holding a conflicting batch, a failed group write, and what the index holds.
#include "store/rocksdb/rocks_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include <rocksdb/db.h>

#include "actlog/clock.h"
#include "store/rocksdb/query_planner.h"
#include "store/rocksdb/rocks_options.h"
#include "testing/temp_dir.h"

namespace actlog::store {
namespace {

Event MakeEvent(std::string org, std::string code, std::string actor = "u_1") {
  Event e;
  e.org = std::move(org);
  e.code = std::move(code);
  e.actor.id = std::move(actor);
  e.content_digest = std::string(32, 'd');
  return e;
}

class RocksStoreTest : public ::testing::Test {
 protected:
  void TearDown() override {
    store_.reset();
  }
  void Open(AppendObserver* observer = nullptr) {
    StoreOptions options;
    options.data_dir = dir_;
    options.clock = &clock_;
    options.sync = false;
    auto store = RocksStore::Open(options, observer);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  void AppendMany(const std::string& org, int n, const std::function<void(int, Event*)>& shape) {
    for (int done = 0; done < n;) {
      std::vector<Event> batch;
      for (; done < n && batch.size() < 1000; ++done) {
        Event e = MakeEvent(org, "org:updated");
        e.occurred_at_us = 1'000'000 + done;
        shape(done, &e);
        batch.push_back(std::move(e));
      }
      ASSERT_TRUE(store_->Append(std::move(batch)).ok());
    }
  }

  testing::TempDir tmp_{"actlog-rocks"};  // removed after TearDown closed the store
  const std::string& dir_ = tmp_.path();
  FakeClock clock_{1'790'000'000'000'000};
  std::unique_ptr<RocksStore> store_;
};

TEST_F(RocksStoreTest, TextSearchStopsAtTheScanBudgetAndResumesWithACursor) {
  Open();
  const int kEvents = static_cast<int>(kScanBudget) + 1500;
  AppendMany("org_a", kEvents, [](int i, Event* e) {
    e->metadata = Json::MakeObject({{"w", Json::String(i == 0 ? "needle" : "hay")}});
  });
  EventQuery q;
  q.org = "org_a";
  q.text = "needle";
  auto first = store_->Query(q);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->events.empty()) << "the only match is the oldest event";
  ASSERT_TRUE(first->next_cursor.has_value()) << "an empty page may still have a cursor";
  EXPECT_LE(first->scanned, kScanBudget + 1);
  q.cursor = *first->next_cursor;
  auto second = store_->Query(q);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->events.size(), 1u);
  EXPECT_EQ(second->events[0].event.seq, 0u);
  EXPECT_FALSE(second->next_cursor.has_value());
}

TEST_F(RocksStoreTest, IntersectionOfDisjointStreamsStopsAtTheBudgetAndResumes) {
  Open();
  // actor u_1 and code com:created alternate and never meet, except at the last event.
  const int kEvents = 2 * static_cast<int>(kScanBudget) + 100;
  AppendMany("org_a", kEvents, [&](int i, Event* e) {
    bool last = i == kEvents - 1;
    e->actor.id = (i % 2 == 0 || last) ? "u_1" : "u_2";
    e->code = (i % 2 == 1 || last) ? "com:created" : "org:updated";
  });
  EventQuery q;
  q.org = "org_a";
  q.order = Order::kAsc;
  q.include = {{QueryField::kActor, "u_1"}, {QueryField::kCode, "com:created"}};
  std::vector<uint64_t> found;
  int pages = 0;
  for (; pages < 100; ++pages) {
    auto page = store_->Query(q);
    ASSERT_TRUE(page.ok());
    EXPECT_LE(page->scanned, kScanBudget + 2);
    for (const StoredEvent& s : page->events) found.push_back(s.event.seq);
    if (!page->next_cursor) break;
    q.cursor = *page->next_cursor;
  }
  EXPECT_EQ(found, (std::vector<uint64_t>{kEvents - 1}));
  EXPECT_GT(pages, 0) << "the budget should have cut the walk into several calls";
}

class RecordingObserver : public AppendObserver {
 public:
  Status OnAppend(std::string_view org, uint64_t first_seq,
                  const std::vector<std::string_view>& leaves,
                  rocksdb::WriteBatch* batch) override {
    if (calls.fetch_add(1) == 0) {
      while (!release.load()) std::this_thread::yield();
    }
    runs.push_back({std::string(org), first_seq, leaves.size()});
    if (fail.load()) return Unavailable("injected failure");
    EXPECT_NE(batch, nullptr);
    return Status::Ok();
  }
  struct Run {
    std::string org;
    uint64_t first_seq;
    size_t leaves;
    bool operator==(const Run&) const = default;
  };
  std::atomic<int> calls{0};
  std::atomic<bool> release{true};
  std::atomic<bool> fail{false};
  std::vector<Run> runs;
};

TEST_F(RocksStoreTest, AConflictingBatchFailsAloneInsideItsGroup) {
  RecordingObserver observer;
  Open(&observer);
  Event taken = MakeEvent("org_a", "org:updated");
  taken.id = "taken";
  observer.release = false;
  std::thread first([&] { ASSERT_TRUE(store_->Append({taken}).ok()); });
  while (observer.calls.load() == 0) std::this_thread::yield();

  Event clash = taken;
  clash.content_digest = std::string(32, 'x');
  StatusOr<std::vector<AppendResult>> a = Internal(""), b = Internal(""), c = Internal("");
  std::thread ta([&] { a = store_->Append({MakeEvent("org_a", "com:created")}); });
  while (store_->PendingAppends() < 2) std::this_thread::yield();
  std::thread tb([&] { b = store_->Append({MakeEvent("org_a", "com:created"), clash}); });
  while (store_->PendingAppends() < 3) std::this_thread::yield();
  std::thread tc([&] { c = store_->Append({MakeEvent("org_a", "com:created")}); });
  while (store_->PendingAppends() < 4) std::this_thread::yield();
  observer.release = true;
  for (std::thread* t : {&first, &ta, &tb, &tc}) t->join();

  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)[0].seq, 1u);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().error_code(), "id_conflict");
  EXPECT_EQ(b.status().details()[0].index, 1u);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)[0].seq, 2u) << "the failed batch took no seq";
  EXPECT_EQ(observer.runs, (std::vector<RecordingObserver::Run>{{"org_a", 0, 1}, {"org_a", 1, 2}}));
  EXPECT_EQ(store_->Metrics().syncs, 2u) << "one write for the first group, one for the rest";
}

TEST_F(RocksStoreTest, AFailedGroupWriteStoresNothingAndKeepsHeads) {
  RecordingObserver observer;
  Open(&observer);
  ASSERT_TRUE(store_->Append({MakeEvent("org_a", "org:updated")}).ok());
  observer.fail = true;
  auto failed = store_->Append({MakeEvent("org_a", "org:updated"), MakeEvent("org_b", "x:y")});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store_->GetOrg("org_a")->event_count, 1u);
  EXPECT_EQ(store_->GetOrg("org_b").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Metrics().failed_appends, 1u);
  observer.fail = false;
  auto next = store_->Append({MakeEvent("org_a", "org:updated")});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ((*next)[0].seq, 1u);
}

TEST_F(RocksStoreTest, IndexHoldsNoPlaintextEmail) {
  Open();
  Event e = MakeEvent("org_a", "org:updated");
  e.actor.email = "alice@example.com";
  ASSERT_TRUE(store_->Append({e}).ok());
  store_.reset();

  RocksLayout layout = MakeRocksLayout();
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::OpenForReadOnly(layout.db, dir_, layout.families, &handles, &db).ok());
  int entries = 0;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator({}, handles[3]));
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++entries) {
    EXPECT_EQ(it->key().ToString().find("alice"), std::string::npos);
  }
  EXPECT_EQ(entries, 4);  // time, code, actor, blind email (a user's type has none)
  it.reset();
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  delete db;
}

TEST_F(RocksStoreTest, SecondOpenOfTheSameDirectoryIsUnavailable) {
  Open();
  StoreOptions options;
  options.data_dir = dir_;
  auto second = OpenRocksStore(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace actlog::store
