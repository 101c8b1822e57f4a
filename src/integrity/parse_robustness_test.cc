// Untrusted-input parsers fed mutated valid inputs: they must never crash, and whatever
// they accept must be the one canonical spelling of what they return.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "actlog/merkle.h"
#include "actlog/signed_note.h"
#include "actlog/tiles.h"

namespace actlog::integrity {
namespace {

// Deterministic mutations so a failure reproduces.
class Mutator {
 public:
  std::string Mutate(std::string s) {
    const int edits = 1 + static_cast<int>(Next(3));
    for (int i = 0; i < edits; ++i) {
      const std::size_t pos = s.empty() ? 0 : Next(s.size());
      switch (Next(4)) {
        case 0:
          if (!s.empty()) s[pos] = static_cast<char>(Next(256));
          break;
        case 1:
          if (!s.empty()) s.erase(pos, 1 + Next(3));
          break;
        case 2:
          s.insert(pos, 1, "0x/.p\n+ =\xE2\x80\x94"[Next(13)]);
          break;
        default:
          s.insert(pos, s.substr(pos, Next(8)));
      }
    }
    return s;
  }

 private:
  uint64_t Next(uint64_t bound) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state_ >> 17) % bound;
  }
  uint64_t state_ = 42;
};

constexpr int kRounds = 20000;

TEST(ParseRobustness, AcceptedCheckpointsAreCanonical) {
  const std::string seed = *FormatCheckpoint({"example.com/log", 1234, LeafHash("r"), {"ext"}});
  Mutator m;
  int accepted = 0;
  for (int i = 0; i < kRounds; ++i) {
    const std::string input = m.Mutate(seed);
    StatusOr<Checkpoint> cp = ParseCheckpoint(input);
    if (!cp.ok()) continue;
    ++accepted;
    EXPECT_EQ(*FormatCheckpoint(*cp), input);
  }
  EXPECT_GT(accepted, 0);  // the mutations do reach the accepting paths
}

TEST(ParseRobustness, AcceptedTilePathsAreCanonical) {
  Mutator m;
  int accepted = 0;
  for (const std::string seed :
       {TilePath({2, 1234067, 17}), EntryBundlePath(999, 256), TilePath({0, 5, 256})}) {
    for (int i = 0; i < kRounds / 3; ++i) {
      const std::string input = m.Mutate(seed);
      StatusOr<TilePathInfo> info = ParseTilePath(input);
      if (!info.ok()) continue;
      ++accepted;
      EXPECT_EQ(info->entries ? EntryBundlePath(info->tile.index, info->tile.width)
                              : TilePath(info->tile),
                input);
    }
  }
  EXPECT_GT(accepted, 0);
}

TEST(ParseRobustness, MutatedNotesAndKeysNeverVerifyOrCrash) {
  const NoteSigner signer = *NoteSigner::FromSeed("example.com/log", std::vector<uint8_t>(32, 9));
  const std::vector<NoteVerifier> known = {signer.Verifier()};
  const std::string note = *SignCheckpoint({"example.com/log", 7, LeafHash("r"), {}}, signer);
  const std::string vkey = signer.Verifier().KeyString();
  Mutator m;
  for (int i = 0; i < kRounds; ++i) {
    const std::string input = m.Mutate(note);
    StatusOr<VerifiedNote> opened = OpenNote(input, known);
    // Only a mutation that leaves the text and our signature line intact may verify.
    if (opened.ok()) EXPECT_EQ(input.substr(0, note.size()), note);
    (void)ParseNote(input);
    StatusOr<NoteVerifier> v = NoteVerifier::Parse(m.Mutate(vkey));
    if (v.ok()) EXPECT_EQ(v->KeyString(), vkey);
  }
}

TEST(ParseRobustness, MutatedProofBytesNeverVerify) {
  IncrementalTree tree;
  MemoryTileStore tiles;
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(tree.Append(std::to_string(i), tiles.Sink()).ok());
  const std::string inclusion = EncodeProof(*InclusionProof(tiles, 77, 300));
  const std::string consistency = EncodeProof(*ConsistencyProof(tiles, 100, 300));
  const Hash root = tree.Root();
  const Hash old_root = *TreeRootFromTiles(tiles, 100);
  Mutator m;
  for (int i = 0; i < kRounds / 4; ++i) {
    const std::string bad_inclusion = m.Mutate(inclusion);
    const std::string bad_consistency = m.Mutate(consistency);
    StatusOr<std::vector<Hash>> p = DecodeProof(bad_inclusion);
    if (p.ok() && bad_inclusion != inclusion) {
      EXPECT_FALSE(VerifyInclusion(LeafHash("77"), 77, 300, *p, root).ok());
    }
    StatusOr<std::vector<Hash>> c = DecodeProof(bad_consistency);
    if (c.ok() && bad_consistency != consistency) {
      EXPECT_FALSE(VerifyConsistency(100, 300, old_root, root, *c).ok());
    }
  }
}

}  // namespace
}  // namespace actlog::integrity
