// The Merkle tree tiles the store writes with its events: they match a tree computed
// independently from the stored canonical bytes, survive reopening, serve proofs, catch
// up on events stored before the tree existed, and Verify names damaged events.
#include "store/rocksdb/rocks_tree.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "actlog/clock.h"
#include "store/rocksdb/rocks_options.h"
#include "store/rocksdb/rocks_store.h"
#include "testing/temp_dir.h"

namespace actlog::store {
namespace {

using integrity::Hash;

Event MakeEvent(const std::string& org, int i) {
  Event e;
  e.org = org;
  e.code = "org:updated";
  e.actor.id = "u_" + std::to_string(i % 7);
  e.occurred_at_us = 1'000'000 + i;
  e.content_digest = std::string(32, static_cast<char>('a' + i % 26));
  return e;
}

// Does nothing: installed through the observer seam, it stands for "no tree" (an older store).
class NullObserver : public AppendObserver {
 public:
  Status OnAppend(std::string_view, uint64_t, const std::vector<std::string_view>&,
                  rocksdb::WriteBatch*) override {
    return Status::Ok();
  }
};

class RocksTreeTest : public ::testing::Test {
 protected:
  void TearDown() override {
    store_.reset();
  }
  void Open(AppendObserver* observer = nullptr) {
    store_.reset();
    StoreOptions options;
    options.data_dir = dir_;
    options.clock = &clock_;
    options.sync = false;
    auto store = RocksStore::Open(options, observer);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  // Appends batches of the given sizes to `org`, events numbered on from `*next`.
  void Append(const std::string& org, std::initializer_list<int> sizes, int* next) {
    for (int size : sizes) {
      std::vector<Event> batch;
      for (int i = 0; i < size; ++i) batch.push_back(MakeEvent(org, (*next)++));
      auto appended = store_->Append(std::move(batch));
      ASSERT_TRUE(appended.ok()) << appended.status().ToString();
    }
  }
  // The tree computed from the stored canonical bytes, independently of the tiles.
  void Reference(const std::string& org, integrity::IncrementalTree* tree,
                 integrity::MemoryTileStore* tiles, std::vector<std::string>* leaves) {
    ASSERT_TRUE(store_
                    ->Scan(org, 0, UINT64_MAX,
                           [&](const StoredEvent& e) {
                             leaves->push_back(e.canonical);
                             return tree->Append(e.canonical, tiles->Sink()).ok();
                           })
                    .ok());
  }

  testing::TempDir tmp_{"actlog-tree"};  // removed after TearDown closed the store
  const std::string& dir_ = tmp_.path();
  FakeClock clock_{1'790'000'000'000'000};
  std::unique_ptr<RocksStore> store_;
};

TEST_F(RocksTreeTest, TilesWrittenWithEventsMatchATreeComputedFromTheEvents) {
  Open();
  int next = 0;
  Append("org_a", {1, 254, 1, 300, 700, 1, 2000}, &next);  // crosses many tile edges
  int other = 0;
  Append("org_b", {5}, &other);

  integrity::IncrementalTree tree;
  integrity::MemoryTileStore tiles;
  std::vector<std::string> leaves;
  Reference("org_a", &tree, &tiles, &leaves);
  ASSERT_EQ(tree.size(), 3257u);

  auto state = store_->tree()->LoadState("org_a");
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->size, 3257u);
  EXPECT_EQ(*store_->tree()->Root("org_a"), tree.Root());
  for (const integrity::TileId& tile : integrity::TilesForTree(tree.size())) {
    auto stored = store_->tree()->ReadTile("org_a", tile);
    ASSERT_TRUE(stored.ok()) << integrity::TilePath(tile);
    EXPECT_EQ(stored->substr(0, tile.width * 32), *tiles.ReadTile(tile))
        << integrity::TilePath(tile);
  }
  EXPECT_EQ(store_->tree()->LoadState("org_b")->size, 5u);
}

TEST_F(RocksTreeTest, InclusionAndConsistencyProofsFromStoredTilesVerify) {
  Open();
  int next = 0;
  Append("org_a", {600}, &next);
  Hash old_root = *store_->tree()->Root("org_a");
  Append("org_a", {1000}, &next);
  Hash root = *store_->tree()->Root("org_a");
  integrity::IncrementalTree tree;
  integrity::MemoryTileStore tiles;
  std::vector<std::string> leaves;
  Reference("org_a", &tree, &tiles, &leaves);

  auto reader = store_->tree()->Reader("org_a");
  for (uint64_t index : {0u, 255u, 256u, 599u, 1599u}) {
    auto proof = integrity::InclusionProof(*reader, index, 1600);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_TRUE(integrity::VerifyInclusion(integrity::LeafHash(leaves[index]), index, 1600,
                                           *proof, root)
                    .ok());
  }
  auto consistency = integrity::ConsistencyProof(*reader, 600, 1600);
  ASSERT_TRUE(consistency.ok());
  EXPECT_TRUE(integrity::VerifyConsistency(600, 1600, old_root, root, *consistency).ok());
}

TEST_F(RocksTreeTest, TheTreeContinuesAfterReopening) {
  Open();
  int next = 0;
  Append("org_a", {300}, &next);
  Open();
  Append("org_a", {300}, &next);
  integrity::IncrementalTree tree;
  integrity::MemoryTileStore tiles;
  std::vector<std::string> leaves;
  Reference("org_a", &tree, &tiles, &leaves);
  EXPECT_EQ(*store_->tree()->Root("org_a"), tree.Root());
  auto result = store_->tree()->Verify("org_a", [](const TreeFinding& f) {
    ADD_FAILURE() << f.seq << ": " << f.problem;
  });
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->ok);
  EXPECT_EQ(result->events, 600u);
  EXPECT_EQ(result->root, tree.Root());
}

TEST_F(RocksTreeTest, EventsStoredBeforeTheTreeExistedAreCaughtUpOnTheNextAppend) {
  NullObserver none;
  Open(&none);  // an older store: events without tiles
  int next = 0;
  Append("org_a", {400}, &next);
  Open();
  EXPECT_EQ(store_->tree()->LoadState("org_a")->size, 0u);
  Append("org_a", {3}, &next);
  EXPECT_EQ(store_->tree()->LoadState("org_a")->size, 403u);
  auto result = store_->tree()->Verify("org_a", [](const TreeFinding&) {});
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->ok);
}

TEST_F(RocksTreeTest, VerifyNamesEventsMissingFromTheTree) {
  NullObserver none;
  Open(&none);
  int next = 0;
  Append("org_a", {3}, &next);
  Open();
  std::vector<uint64_t> named;
  auto result =
      store_->tree()->Verify("org_a", [&](const TreeFinding& f) { named.push_back(f.seq); });
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->ok);
  EXPECT_EQ(named, (std::vector<uint64_t>{0, 1, 2}));
}

TEST_F(RocksTreeTest, AnAppendOntoADamagedPartialTileFailsAndStoresNothing) {
  Open();
  int next = 0;
  Append("org_a", {10}, &next);
  auto tile = store_->tree()->ReadTile("org_a", {0, 0, 10});
  ASSERT_TRUE(tile.ok());
  store_.reset();
  {  // Cut the partial leaf tile short, as damage or tampering would.
    RocksLayout layout = MakeRocksLayout();
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(layout.db, dir_, layout.families, &handles, &db).ok());
    ASSERT_TRUE(db->Put({}, handles[4], TileKey("org_a", 0, 0), tile->substr(0, 9 * 32)).ok());
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
  Open();
  auto failed = store_->Append({MakeEvent("org_a", next)});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(store_->GetOrg("org_a")->event_count, 10u);
  EXPECT_EQ(store_->tree()->LoadState("org_a")->size, 10u);
  std::vector<uint64_t> named;
  auto result =
      store_->tree()->Verify("org_a", [&](const TreeFinding& f) { named.push_back(f.seq); });
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->ok);
  ASSERT_FALSE(named.empty());
  EXPECT_EQ(named.front(), 0u);
}

Hash AsHash(const std::string& bytes) {
  Hash h{};
  EXPECT_EQ(bytes.size(), 32u);
  std::copy_n(bytes.begin(), std::min<size_t>(bytes.size(), 32), h.begin());
  return h;
}

std::vector<Hash> AsHashes(const std::vector<std::string>& proof) {
  std::vector<Hash> out;
  for (const std::string& h : proof) out.push_back(AsHash(h));
  return out;
}

TEST_F(RocksTreeTest, TheStoreInterfaceServesTreeHeadsProofsAndTiles) {
  Open();
  Store& store = *store_;
  auto empty = store.GetTreeHead("org_none");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->size, 0u);
  EXPECT_EQ(AsHash(empty->root), integrity::EmptyRootHash());

  int next = 0;
  Append("org_a", {300}, &next);
  auto old_head = store.GetTreeHead("org_a");
  ASSERT_TRUE(old_head.ok());
  Append("org_a", {213}, &next);
  auto head = store.GetTreeHead("org_a");
  ASSERT_TRUE(head.ok());
  integrity::IncrementalTree tree;
  integrity::MemoryTileStore tiles;
  std::vector<std::string> leaves;
  Reference("org_a", &tree, &tiles, &leaves);
  EXPECT_EQ(head->size, 513u);
  EXPECT_EQ(AsHash(head->root), tree.Root());

  auto proof = store.InclusionProof("org_a", 257, 513);
  ASSERT_TRUE(proof.ok()) << proof.status().ToString();
  EXPECT_TRUE(integrity::VerifyInclusion(integrity::LeafHash(leaves[257]), 257, 513,
                                         AsHashes(*proof), tree.Root())
                  .ok());
  auto consistency = store.ConsistencyProof("org_a", 300, 513);
  ASSERT_TRUE(consistency.ok()) << consistency.status().ToString();
  EXPECT_TRUE(integrity::VerifyConsistency(300, 513, AsHash(old_head->root), tree.Root(),
                                           AsHashes(*consistency))
                  .ok());

  EXPECT_EQ(store.InclusionProof("org_a", 513, 513).status().error_code(),
            "invalid_proof_request");
  EXPECT_EQ(store.InclusionProof("org_a", 0, 514).status().error_code(),
            "invalid_proof_request");
  EXPECT_EQ(store.ConsistencyProof("org_a", 10, 514).status().error_code(),
            "invalid_proof_request");
  EXPECT_EQ(store.ConsistencyProof("org_a", 20, 10).status().error_code(),
            "invalid_proof_request");

  auto partial = store.ReadTile("org_a", 0, 2, 1);
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(*partial, *tiles.ReadTile({0, 2, 1}));
  auto full = store.ReadTile("org_a", 0, 1, 256);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(*full, *tiles.ReadTile({0, 1, 256}));
  EXPECT_EQ(store.ReadTile("org_a", 0, 2, 2).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store.ReadTile("org_a", 0, 3, 1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store.ReadTile("org_a", 1, 0, 3).status().code(), StatusCode::kNotFound);
  auto level1 = store.ReadTile("org_a", 1, 0, 2);  // 513 leaves: two complete level-8 nodes
  ASSERT_TRUE(level1.ok());
  EXPECT_EQ(*level1, *tiles.ReadTile({1, 0, 2}));
}

TEST_F(RocksTreeTest, AStoreOpenedWithAnotherObserverHasNoTreeToServe) {
  NullObserver none;
  Open(&none);
  EXPECT_EQ(store_->GetTreeHead("org_a").status().error_code(), "unsupported");
}

}  // namespace
}  // namespace actlog::store
