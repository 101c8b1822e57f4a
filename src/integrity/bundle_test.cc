// Export bundles (bundle.h): a bundle written from a tree verifies, and each kind of
// tampering or mismatch fails with its code, naming the first bad event.
#include "integrity/bundle.h"

#include <gtest/gtest.h>

#include "actlog/event.h"
#include "actlog/tiles.h"

namespace actlog::integrity {
namespace {

std::string Leaf(uint64_t seq, const std::string& org = "acme") {
  Event e;
  e.org = org;
  e.code = "org:updated";
  e.id = "ev-" + std::to_string(seq);
  e.seq = seq;
  e.actor.id = "u_1";
  e.occurred_at_us = e.received_at_us = 1'790'000'000'000'000 + static_cast<int64_t>(seq);
  e.content_digest = std::string(32, 'x');
  return CanonicalEvent(e);
}

std::vector<std::string> Strings(const std::vector<Hash>& hashes) {
  std::vector<std::string> out;
  for (const Hash& h : hashes) out.emplace_back(h.begin(), h.end());
  return out;
}

class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    signer_ = *NoteSigner::Generate("actlog");
    for (uint64_t i = 0; i < 40; ++i) {
      ASSERT_TRUE(tree_.Append(Leaf(i), tiles_.Sink()).ok());
      if (tree_.size() == 25) root25_ = tree_.Root();
    }
  }
  std::string Note(uint64_t size, const Hash& root) {
    return *SignCheckpoint(Checkpoint{"actlog/acme", size, root, {}}, signer_);
  }
  // Lines of a bundle of events [first, last) at size 40, with a consistency line
  // from `from` if set.
  std::vector<std::string> Bundle(uint64_t first, uint64_t last,
                                  std::optional<uint64_t> from = std::nullopt) {
    std::vector<std::string> lines = {BundleHeaderLine("acme", Note(40, tree_.Root()))};
    if (from) {
      lines.push_back(
          BundleConsistencyLine(*from, 40, Strings(*ConsistencyProof(tiles_, *from, 40))));
    }
    for (uint64_t s = first; s < last; ++s) {
      lines.push_back(BundleEventLine(s, Leaf(s), Strings(*InclusionProof(tiles_, s, 40))));
    }
    lines.push_back(BundleEndLine(last - first));
    for (std::string& l : lines) l.pop_back();  // the newline
    return lines;
  }
  std::optional<BundleFailure> Check(const std::vector<std::string>& lines,
                                     std::optional<std::string> pinned = std::nullopt,
                                     const NoteVerifier* key = nullptr) {
    BundleVerifier v(key ? *key : signer_.Verifier(), std::move(pinned));
    for (const std::string& l : lines) {
      if (!v.Line(l)) break;
    }
    if (!v.failure()) v.Finish();
    return v.failure();
  }

  NoteSigner signer_ = *NoteSigner::Generate("actlog");
  IncrementalTree tree_;
  MemoryTileStore tiles_;
  Hash root25_{};
};

TEST_F(BundleTest, AWrittenBundleVerifies) {
  {
    auto f = Check(Bundle(0, 40));
    EXPECT_EQ(f, std::nullopt) << (f ? f->message : "");
  }
  EXPECT_EQ(Check(Bundle(10, 20)), std::nullopt);  // a range is fine
}

TEST_F(BundleTest, AChangedEventIsNamed) {
  auto lines = Bundle(0, 40);
  std::string other =
      BundleEventLine(7, Leaf(7, "acme") + " ", Strings(*InclusionProof(tiles_, 7, 40)));
  lines[8] = other.substr(0, other.size() - 1);
  auto f = Check(lines);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->code, "not_included");  // one more byte: another leaf hash
  EXPECT_EQ(f->seq, 7u);
  EXPECT_EQ(f->id, "ev-7");

  lines = Bundle(0, 40);
  std::string swapped = BundleEventLine(7, Leaf(7), Strings(*InclusionProof(tiles_, 8, 40)));
  lines[8] = swapped.substr(0, swapped.size() - 1);
  f = Check(lines);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->code, "not_included");
  EXPECT_EQ(f->seq, 7u);
  EXPECT_EQ(f->id, "ev-7");

  lines = Bundle(0, 40);
  std::string moved = BundleEventLine(7, Leaf(8), Strings(*InclusionProof(tiles_, 7, 40)));
  lines[8] = moved.substr(0, moved.size() - 1);
  f = Check(lines);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->code, "bad_event");
  EXPECT_EQ(f->id, "ev-8");
}

TEST_F(BundleTest, RemovedRepeatedOrCutOffEventsFail) {
  auto lines = Bundle(0, 40);
  lines.erase(lines.begin() + 5);
  EXPECT_EQ(Check(lines)->code, "truncated");
  lines = Bundle(0, 40);
  lines.insert(lines.begin() + 5, lines[4]);
  EXPECT_EQ(Check(lines)->code, "bad_event");
  lines = Bundle(0, 40);
  lines.pop_back();
  EXPECT_EQ(Check(lines)->code, "truncated");
  EXPECT_EQ(Check({})->code, "malformed_bundle");
  EXPECT_EQ(Check({"{\"type\":\"event\"}"})->code, "malformed_bundle");
}

TEST_F(BundleTest, TheCheckpointMustBeSignedByTheKeyForTheOrg) {
  NoteSigner other = *NoteSigner::Generate("actlog");
  NoteVerifier other_key = other.Verifier();
  EXPECT_EQ(Check(Bundle(0, 3), std::nullopt, &other_key)->code, "bad_checkpoint");
  auto lines = Bundle(0, 3);
  lines[0] = BundleHeaderLine("beta", Note(40, tree_.Root()));
  lines[0].pop_back();
  EXPECT_EQ(Check(lines)->code, "bad_checkpoint");  // acme's checkpoint is not beta's
}

TEST_F(BundleTest, APinnedCheckpointNeedsAConsistencyProof) {
  std::string pinned25 = Note(25, root25_);
  EXPECT_EQ(Check(Bundle(0, 40, 25), pinned25), std::nullopt);
  EXPECT_EQ(Check(Bundle(0, 40), pinned25)->code, "missing_consistency");
  EXPECT_EQ(Check(Bundle(0, 40), Note(40, tree_.Root())), std::nullopt);  // same checkpoint
  Hash forked = tree_.Root();
  forked[3] ^= 1;
  EXPECT_EQ(Check(Bundle(0, 40), Note(40, forked))->code, "pinned_mismatch");
  Hash rewritten = root25_;
  rewritten[0] ^= 1;
  EXPECT_EQ(Check(Bundle(0, 40, 25), Note(25, rewritten))->code, "inconsistent");
}

}  // namespace
}  // namespace actlog::integrity
