// RocksTree::Verify spread over threads and chunks finds exactly what one pass on one
// thread finds, in the same order, whatever the damage and wherever the chunk edges fall;
// and the read-only open it runs under sees unflushed events and keeps servers out.
#include <gtest/gtest.h>

#include <filesystem>
#include <tuple>

#include "actlog/clock.h"
#include "store/rocksdb/keys.h"
#include "store/rocksdb/rocks_options.h"
#include "store/rocksdb/rocks_store.h"
#include "store/rocksdb/rocks_tree.h"
#include "testing/temp_dir.h"

namespace actlog::store {
namespace {

Event MakeEvent(const std::string& org, int i) {
  Event e;
  e.org = org;
  e.code = "org:updated";
  e.actor.id = "u_" + std::to_string(i % 7);
  e.occurred_at_us = 1'000'000 + i;
  e.content_digest = std::string(32, static_cast<char>('a' + i % 26));
  return e;
}

using Finding = std::tuple<uint64_t, std::string, std::string>;

struct Outcome {
  bool ok = false;
  uint64_t events = 0;
  integrity::Hash root{};
  std::vector<Finding> findings;
};

class RocksTreeVerifyTest : public ::testing::Test {
 protected:
  void TearDown() override {
    store_.reset();
  }
  StoreOptions Options() {
    StoreOptions options;
    options.data_dir = dir_;
    options.clock = &clock_;
    options.sync = false;
    return options;
  }
  void Open() {
    store_.reset();
    auto store = RocksStore::Open(Options());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  void Append(const std::string& org, int count, int* next) {
    std::vector<Event> batch;
    for (int i = 0; i < count; ++i) batch.push_back(MakeEvent(org, (*next)++));
    ASSERT_TRUE(store_->Append(std::move(batch)).ok());
  }
  // Writes or deletes event records directly, as someone with the data directory could.
  void Tamper(const std::function<void(rocksdb::DB*, rocksdb::ColumnFamilyHandle*)>& edit) {
    store_.reset();
    RocksLayout layout = MakeRocksLayout();
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(layout.db, dir_, layout.families, &handles, &db).ok());
    edit(db, handles[1]);
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
  Outcome Verify(const std::string& org, TreeVerifyOptions options) {
    Outcome out;
    auto result = store_->tree()->Verify(
        org, [&](const TreeFinding& f) { out.findings.emplace_back(f.seq, f.id, f.problem); },
        options);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok()) return out;
    out.ok = result->ok;
    out.events = result->events;
    out.root = result->root;
    return out;
  }
  // Verify on one thread in one chunk, then in many small chunks on several threads:
  // the same findings in the same order, the same result.
  Outcome ExpectSameEveryWay(const std::string& org) {
    Outcome one = Verify(org, {.threads = 1, .chunk_leaves = 1 << 20});
    for (TreeVerifyOptions options :
         {TreeVerifyOptions{.threads = 2, .chunk_leaves = 64},
          TreeVerifyOptions{.threads = 3, .chunk_leaves = 7},
          TreeVerifyOptions{.threads = 1, .chunk_leaves = 1}, TreeVerifyOptions{}}) {
      Outcome many = Verify(org, options);
      EXPECT_EQ(many.findings, one.findings)
          << options.threads << " threads, chunks of " << options.chunk_leaves;
      EXPECT_EQ(many.ok, one.ok);
      EXPECT_EQ(many.events, one.events);
      EXPECT_EQ(many.root, one.root);
    }
    return one;
  }
  std::vector<uint64_t> Seqs(const Outcome& outcome) {
    std::vector<uint64_t> seqs;
    for (const Finding& f : outcome.findings) seqs.push_back(std::get<0>(f));
    return seqs;
  }

  testing::TempDir tmp_{"actlog-verify"};  // removed after TearDown closed the store
  const std::string& dir_ = tmp_.path();
  FakeClock clock_{1'790'000'000'000'000};
  std::unique_ptr<RocksStore> store_;
};

TEST_F(RocksTreeVerifyTest, AnIntactLogVerifiesInChunksOnManyThreads) {
  Open();
  int next = 0;
  Append("org_a", 1000, &next);
  Append("org_ab", 300, &next);  // a longer org name: its keys follow org_a's prefix
  Outcome one = ExpectSameEveryWay("org_a");
  EXPECT_TRUE(one.ok);
  EXPECT_TRUE(one.findings.empty());
  EXPECT_EQ(one.events, 1000u);
  EXPECT_EQ(one.root, *store_->tree()->Root("org_a"));
}

TEST_F(RocksTreeVerifyTest, DamageAtChunkEdgesIsNamedInSeqOrderAsInOnePass) {
  Open();
  int next = 0;
  Append("org_a", 1000, &next);
  Append("org_ab", 10, &next);
  std::string record_5, record_64;
  ASSERT_TRUE(store_->GetBySeq("org_a", 5).ok());
  Tamper([&](rocksdb::DB* db, rocksdb::ColumnFamilyHandle* events) {
    ASSERT_TRUE(db->Get({}, events, EventKey("org_a", 5), &record_5).ok());
    ASSERT_TRUE(db->Get({}, events, EventKey("org_a", 64), &record_64).ok());
    ASSERT_TRUE(db->Delete({}, events, EventKey("org_a", 63)).ok());            // missing
    ASSERT_TRUE(db->Put({}, events, EventKey("org_a", 64), record_5).ok());     // moved
    ASSERT_TRUE(db->Put({}, events, EventKey("org_a", 127), "not json").ok());  // unreadable
    ASSERT_TRUE(db->Delete({}, events, EventKey("org_a", 128)).ok());           // missing
    ASSERT_TRUE(db->Put({}, events, EventKey("org_a", 1000), record_64).ok());  // past the tree
  });
  Open();
  Outcome one = ExpectSameEveryWay("org_a");
  EXPECT_FALSE(one.ok);
  EXPECT_EQ(Seqs(one), (std::vector<uint64_t>{63, 64, 64, 127, 127, 128, 1000, 1000}));
  EXPECT_EQ(one.events, 999u);
}

TEST_F(RocksTreeVerifyTest, PrunedLeavesComeFromTilesAndARecordBelowTheMarkIsNamed) {
  Open();
  int next = 0;
  Append("org_a", 300, &next);
  clock_.Advance(1'000'000);
  Append("org_a", 300, &next);
  auto pruned = store_->PruneBefore("org_a", clock_.NowMicros() - 1);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  ASSERT_EQ(pruned->first_kept_seq, 300u);
  Outcome intact = ExpectSameEveryWay("org_a");
  EXPECT_TRUE(intact.ok);
  EXPECT_EQ(intact.events, 300u);
  EXPECT_EQ(intact.root, *store_->tree()->Root("org_a"));
  std::string kept;
  Tamper([&](rocksdb::DB* db, rocksdb::ColumnFamilyHandle* events) {
    ASSERT_TRUE(db->Get({}, events, EventKey("org_a", 300), &kept).ok());
    ASSERT_TRUE(db->Put({}, events, EventKey("org_a", 10), kept).ok());
  });
  Open();
  Outcome damaged = ExpectSameEveryWay("org_a");
  EXPECT_FALSE(damaged.ok);
  EXPECT_EQ(Seqs(damaged), (std::vector<uint64_t>{10}));
}

TEST_F(RocksTreeVerifyTest, AReadOnlyOpenSeesEventsStillInTheWriteAheadLog) {
  Open();
  int next = 0;
  Append("org_a", 500, &next);
  integrity::Hash root = *store_->tree()->Root("org_a");
  store_.reset();  // closed without a flush: the events are only in the WAL
  auto read_only = RocksStore::OpenReadOnly(Options());
  ASSERT_TRUE(read_only.ok()) << read_only.status().ToString();
  auto result = (*read_only)->tree()->Verify("org_a", [](const TreeFinding& f) {
    ADD_FAILURE() << f.seq << ": " << f.problem;
  });
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->events, 500u);
  EXPECT_EQ(result->root, root);
  EXPECT_FALSE((*read_only)->Append({MakeEvent("org_a", next)}).ok());
}

TEST_F(RocksTreeVerifyTest, AReadOnlyOpenAndAReadWriteOpenExcludeEachOther) {
  Open();
  auto while_open = RocksStore::OpenReadOnly(Options());
  ASSERT_FALSE(while_open.ok());
  EXPECT_EQ(while_open.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(while_open.status().error_code(), "store_in_use");
  store_.reset();
  auto read_only = RocksStore::OpenReadOnly(Options());
  ASSERT_TRUE(read_only.ok()) << read_only.status().ToString();
  EXPECT_FALSE(RocksStore::Open(Options()).ok());
  read_only->reset();
  Open();  // the lock is released with the read-only store
}

TEST_F(RocksTreeVerifyTest, AReadOnlyOpenOfADirectoryWithoutAStoreCreatesNothing) {
  auto opened = RocksStore::OpenReadOnly(Options());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(opened.status().error_code(), "no_store");
  EXPECT_TRUE(std::filesystem::is_empty(dir_));
}

}  // namespace
}  // namespace actlog::store
