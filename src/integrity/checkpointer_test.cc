// Checkpointer: the key file, signed checkpoints that verify against the store's tree, at
// most one per second per org, kept in the store, and never one that contradicts an
// earlier checkpoint.
#include "integrity/checkpointer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "store/rocksdb/rocks_store.h"
#include "testing/temp_dir.h"

namespace actlog::integrity {
namespace {

class CheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions options;
    options.data_dir = dir_ + "/data";
    options.clock = &clock_;
    options.sync = false;
    auto store = store::RocksStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
  }
  void Append(const std::string& org, int n) {
    std::vector<Event> batch;
    for (int i = 0; i < n; ++i) {
      Event e;
      e.org = org;
      e.code = "org:updated";
      e.actor.id = "u_1";
      e.content_digest = std::string(32, 'x');
      batch.push_back(std::move(e));
    }
    ASSERT_TRUE(store_->Append(std::move(batch)).ok());
  }
  std::unique_ptr<Checkpointer> OpenCheckpointer() {
    auto c = Checkpointer::Open(store_.get(), &clock_, dir_ + "/checkpoint.key");
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? std::move(c).value() : nullptr;
  }
  Checkpoint Open(const Checkpointer& c, const std::string& note, const std::string& org) {
    auto verifier = NoteVerifier::Parse(c.VerifierKey());
    EXPECT_TRUE(verifier.ok());
    std::vector<NoteVerifier> known = {*verifier};
    auto opened = OpenCheckpoint(note, known, "actlog/" + org);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString() << "\n" << note;
    return opened.ok() ? *opened : Checkpoint{};
  }
  Hash Root(const std::string& org) {
    std::string root = store_->GetTreeHead(org)->root;
    Hash h{};
    std::copy_n(root.begin(), 32, h.begin());
    return h;
  }

  testing::TempDir tmp_{"actlog-ckpt"};  // removed after TearDown closed the store
  const std::string& dir_ = tmp_.path();
  FakeClock clock_{1'790'000'000'000'000};
  std::unique_ptr<store::RocksStore> store_;
};

TEST_F(CheckpointerTest, TheKeyFileIsCreatedPrivateAndReloaded) {
  auto first = OpenCheckpointer();
  ASSERT_NE(first, nullptr);
  struct stat st {};
  ASSERT_EQ(::stat((dir_ + "/checkpoint.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto second = OpenCheckpointer();
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(first->VerifierKey(), second->VerifierKey());
  EXPECT_EQ(first->VerifierKey().rfind("actlog+", 0), 0u) << first->VerifierKey();
}

TEST_F(CheckpointerTest, CheckpointsSignTheStoredTreeAtMostOnceASecond) {
  auto c = OpenCheckpointer();
  ASSERT_NE(c, nullptr);
  Append("acme", 10);
  auto first = c->Latest("acme");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  Checkpoint cp = Open(*c, *first, "acme");
  EXPECT_EQ(cp.size, 10u);
  EXPECT_EQ(cp.root, Root("acme"));

  Append("acme", 5);
  EXPECT_EQ(*c->Latest("acme"), *first);  // same second: the kept one
  clock_.Advance(kMinCheckpointIntervalMicros);
  auto second = c->Latest("acme");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(Open(*c, *second, "acme").size, 15u);
  EXPECT_EQ(*store_->LatestCheckpoint("acme"), *second);
  clock_.Advance(kMinCheckpointIntervalMicros);
  EXPECT_EQ(*c->Latest("acme"), *second);  // no growth: no new checkpoint
}

TEST_F(CheckpointerTest, ATreeThatDoesNotExtendTheLastCheckpointIsNotSigned) {
  auto c = OpenCheckpointer();
  ASSERT_NE(c, nullptr);
  Append("acme", 15);
  // A checkpoint of size 10 with another root, as if the log had been rewritten since.
  std::ifstream in(dir_ + "/checkpoint.key");
  std::string skey;
  std::getline(in, skey);
  auto signer = NoteSigner::Parse(skey);
  ASSERT_TRUE(signer.ok());
  Hash other{};
  other[0] = 1;
  auto forged = SignCheckpoint(Checkpoint{"actlog/acme", 10, other, {}}, *signer);
  ASSERT_TRUE(forged.ok());
  ASSERT_TRUE(store_->PutCheckpoint("acme", 10, *forged).ok());
  auto latest = c->Latest("acme");
  EXPECT_EQ(latest.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(*store_->LatestCheckpoint("acme"), *forged);
  EXPECT_EQ(store_->PutCheckpoint("acme", 10, *forged).error_code(), "checkpoint_exists");
}

TEST_F(CheckpointerTest, EveryCheckpointIsKeptAndListedBySize) {
  auto c = OpenCheckpointer();
  ASSERT_NE(c, nullptr);
  std::vector<std::string> notes;
  for (int i = 0; i < 4; ++i) {
    Append("acme", 3);
    clock_.Advance(kMinCheckpointIntervalMicros);
    notes.push_back(*c->Latest("acme"));
  }
  Append("acmeco", 1);  // an org whose name extends acme's keeps its own list
  ASSERT_TRUE(c->Latest("acmeco").ok());
  auto all = store_->ListCheckpoints("acme", 0, 100);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ((*all)[i].size, 3 * (i + 1));
    EXPECT_EQ((*all)[i].note, notes[i]);
  }
  auto tail = store_->ListCheckpoints("acme", 7, 1);
  ASSERT_TRUE(tail.ok());
  ASSERT_EQ(tail->size(), 1u);
  EXPECT_EQ(tail->front().size, 9u);
  EXPECT_TRUE(store_->ListCheckpoints("nobody", 0, 10)->empty());
}

TEST_F(CheckpointerTest, TheLogNameSetsTheOriginAndMustMatchTheKeyFile) {
  auto named = Checkpointer::Open(store_.get(), &clock_, dir_ + "/other.key", "audit.example");
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  Append("acme", 2);
  auto note = (*named)->Latest("acme");
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(note->rfind("audit.example/acme\n2\n", 0), 0u) << *note;
  EXPECT_EQ((*named)->VerifierKey().rfind("audit.example+", 0), 0u);
  // The same file under another log name is refused, not silently re-keyed.
  auto wrong = Checkpointer::Open(store_.get(), &clock_, dir_ + "/other.key", "actlog");
  EXPECT_EQ(wrong.status().error_code(), "invalid_checkpoint_key") << wrong.status().ToString();
  std::ofstream(dir_ + "/garbage.key") << "not a key\n";
  auto garbage = Checkpointer::Open(store_.get(), &clock_, dir_ + "/garbage.key");
  EXPECT_EQ(garbage.status().error_code(), "invalid_checkpoint_key");
}

TEST_F(CheckpointerTest, TheBackgroundSignerSignsGrowingOrgsOnly) {
  auto c = OpenCheckpointer();
  ASSERT_NE(c, nullptr);
  Append("acme", 4);
  Append("beta", 2);
  CheckpointSigner signer(store_.get(), c.get(), std::chrono::milliseconds(1000));
  signer.RunOnce();
  EXPECT_EQ(store_->ListCheckpoints("acme", 0, 10)->size(), 1u);
  EXPECT_EQ(store_->ListCheckpoints("beta", 0, 10)->size(), 1u);
  Append("acme", 1);
  signer.RunOnce();  // within the second: nothing new yet
  EXPECT_EQ(store_->ListCheckpoints("acme", 0, 10)->size(), 1u);
  clock_.Advance(kMinCheckpointIntervalMicros);
  signer.RunOnce();
  auto acme = store_->ListCheckpoints("acme", 0, 10);
  ASSERT_EQ(acme->size(), 2u);
  EXPECT_EQ(acme->back().size, 5u);
  EXPECT_EQ(store_->ListCheckpoints("beta", 0, 10)->size(), 1u);  // beta did not grow
}

TEST_F(CheckpointerTest, TheBackgroundThreadStopsPromptly) {
  auto c = OpenCheckpointer();
  ASSERT_NE(c, nullptr);
  Append("acme", 1);
  CheckpointSigner signer(store_.get(), c.get(), std::chrono::milliseconds(20));
  signer.Start();
  for (int i = 0; i < 200 && !store_->LatestCheckpoint("acme").ok(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(store_->LatestCheckpoint("acme").ok());
  auto before = std::chrono::steady_clock::now();
  signer.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(1));
}

}  // namespace
}  // namespace actlog::integrity
