// tlog-tiles layout: the spec's path and tree-shape examples, and reading hashes back.
#include "actlog/tiles.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace actlog::integrity {
namespace {

TEST(TilePath, EncodesIndexInThreeDigitGroupsAsTheSpecShows) {
  EXPECT_EQ(TilePath({0, 1234067, 256}), "tile/0/x001/x234/067");
  EXPECT_EQ(TilePath({0, 0, 256}), "tile/0/000");
  EXPECT_EQ(TilePath({2, 5, 256}), "tile/2/005");
  EXPECT_EQ(TilePath({1, 1000, 256}), "tile/1/x001/000");
  EXPECT_EQ(TilePath({1, 999, 256}), "tile/1/999");
  EXPECT_EQ(TilePath({0, 1234067, 112}), "tile/0/x001/x234/067.p/112");
  EXPECT_EQ(TilePath({63, 0, 1}), "tile/63/000.p/1");
  EXPECT_EQ(EntryBundlePath(1234067, 256), "tile/entries/x001/x234/067");
  EXPECT_EQ(EntryBundlePath(0, 3), "tile/entries/000.p/3");
  EXPECT_EQ(TilePath({0, ~uint64_t{0}, 256}), "tile/0/x018/x446/x744/x073/x709/x551/615");
}

TEST(TilePath, ParsesExactlyWhatItPrints) {
  for (const TileId& t : {TileId{0, 1234067, 256}, TileId{3, 0, 7}, TileId{63, 999, 255},
                          TileId{0, ~uint64_t{0}, 1}}) {
    StatusOr<TilePathInfo> info = ParseTilePath(TilePath(t));
    ASSERT_TRUE(info.ok()) << TilePath(t);
    EXPECT_FALSE(info->entries);
    EXPECT_EQ(info->tile, t);
  }
  StatusOr<TilePathInfo> e = ParseTilePath("tile/entries/x001/002.p/9");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->entries);
  EXPECT_EQ(e->tile, (TileId{0, 1002, 9}));
}

TEST(TilePath, RejectsNonCanonicalAndMalformedPaths) {
  for (const char* bad : {"",
                          "tile/",
                          "tile/0",
                          "tile/0/",
                          "tile/00/000",
                          "tile/64/000",
                          "tile/-1/000",
                          "tile/0/0",
                          "tile/0/00",
                          "tile/0/0000",
                          "tile/0/x000/001",
                          "tile/0/001/002",
                          "tile/0/x001",
                          "tile/0/x001/x002",
                          "tile/0/x1/002",
                          "tile/0/000.p/0",
                          "tile/0/000.p/256",
                          "tile/0/000.p/07",
                          "tile/0/000.p/",
                          "tile/0/000.p/1x",
                          "tile/0/000/",
                          "tile/0/abc",
                          "tiles/0/000",
                          "/tile/0/000",
                          "tile/0/x018/x446/x744/"
                          "x073/x709/x551/616",
                          "tile/0/x999/x999/x999/x999/x999/x999/x999/999",
                          "tile/entries/000.p/256",
                          "tile/entries/",
                          "tile/0/000.p/1.p/1"}) {
    EXPECT_EQ(ParseTilePath(bad).status().error_code(), "invalid_tile_path") << bad;
  }
}

TEST(TilesForTree, SeventyThousandLeavesHaveTheTilesTheSpecLists) {
  // "a tree of size 70,000 will be represented by 273 full level 0 tiles, one partial
  // level 0 tile of width 112, one full level 1 tile, one partial level 1 tile of width
  // 17, and one partial level 2 tile of width 1."
  std::vector<TileId> tiles = TilesForTree(70000);
  ASSERT_EQ(tiles.size(), 273u + 1 + 1 + 1 + 1);
  for (uint64_t i = 0; i < 273; ++i) EXPECT_EQ(tiles[i], (TileId{0, i, 256}));
  EXPECT_EQ(tiles[273], (TileId{0, 273, 112}));
  EXPECT_EQ(tiles[274], (TileId{1, 0, 256}));
  EXPECT_EQ(tiles[275], (TileId{1, 1, 17}));
  EXPECT_EQ(tiles[276], (TileId{2, 0, 1}));
}

TEST(TilesForTree, TwoHundredFiftySixLeavesAreOneFullTileAndOneOfWidthOne) {
  EXPECT_EQ(TilesForTree(256), (std::vector<TileId>{{0, 0, 256}, {1, 0, 1}}));
  EXPECT_TRUE(TilesForTree(0).empty());
  EXPECT_EQ(TilesForTree(1), (std::vector<TileId>{{0, 0, 1}}));
}

TEST(TilesForTree, WidthFollowsTheSpecFormula) {
  // floor(s / 256**l) mod 256 for the rightmost tile.
  EXPECT_EQ(TileWidth(0, 273, 70000), 112u);
  EXPECT_EQ(TileWidth(0, 272, 70000), 256u);
  EXPECT_EQ(TileWidth(0, 274, 70000), 0u);
  EXPECT_EQ(TileWidth(1, 1, 70000), 17u);
  EXPECT_EQ(TileWidth(2, 0, 70000), 1u);
  EXPECT_EQ(TileWidth(3, 0, 70000), 0u);
  EXPECT_EQ(TileWidth(7, 0, ~uint64_t{0}), 255u);
  EXPECT_EQ(TileWidth(0, ~uint64_t{0}, ~uint64_t{0}), 0u);
}

TEST(TilesAdded, ListsNewAndGrownTilesOnly) {
  EXPECT_EQ(TilesAdded(70000, 70000), std::vector<TileId>{});
  EXPECT_EQ(TilesAdded(255, 256), (std::vector<TileId>{{0, 0, 256}, {1, 0, 1}}));
  EXPECT_EQ(TilesAdded(256, 257), (std::vector<TileId>{{0, 1, 1}}));
  EXPECT_EQ(TilesAdded(300, 600), (std::vector<TileId>{{0, 1, 256}, {0, 2, 88}, {1, 0, 2}}));
  // Growing step by step writes, in the end, exactly the tiles of the final tree.
  std::map<std::pair<uint8_t, uint64_t>, uint32_t> written;
  for (uint64_t size = 0; size < 70000; size += 37) {
    for (const TileId& t : TilesAdded(size, size + 37)) {
      EXPECT_GT(t.width, TileWidth(t.level, t.index, size));
      written[{t.level, t.index}] = t.width;
    }
  }
  const std::vector<TileId> final_tiles = TilesForTree(70000 / 37 * 37 + 37);
  ASSERT_EQ(written.size(), final_tiles.size());
  for (const TileId& t : final_tiles) EXPECT_EQ((written[{t.level, t.index}]), t.width);
}

TEST(SlotForNode, OnlyEveryEighthLevelIsStored) {
  EXPECT_FALSE(SlotForNode({1, 0}).has_value());
  EXPECT_FALSE(SlotForNode({7, 3}).has_value());
  std::optional<TileSlot> leaf = SlotForNode({0, 70000});
  ASSERT_TRUE(leaf.has_value());
  EXPECT_EQ(leaf->tile, (TileId{0, 273, 256}));
  EXPECT_EQ(leaf->position, 112u);
  std::optional<TileSlot> upper = SlotForNode({16, 3});
  ASSERT_TRUE(upper.has_value());
  EXPECT_EQ(upper->tile, (TileId{2, 0, 256}));
  EXPECT_EQ(upper->position, 3u);
}

TEST(EntryBundle, RoundTripsAndRefusesTruncation) {
  std::vector<std::string> entries = {"", "a", std::string(300, 'b'), std::string(65535, 'c')};
  StatusOr<std::string> bundle = EncodeEntryBundle(entries);
  ASSERT_TRUE(bundle.ok());
  EXPECT_EQ(bundle->substr(0, 5), std::string("\0\0\0\x01"
                                              "a",
                                              5));
  EXPECT_EQ(*DecodeEntryBundle(*bundle), entries);
  EXPECT_EQ(DecodeEntryBundle(bundle->substr(0, bundle->size() - 1)).status().error_code(),
            "invalid_entry_bundle");
  EXPECT_EQ(DecodeEntryBundle(std::string("\x01", 1)).status().error_code(),
            "invalid_entry_bundle");
  std::vector<std::string> too_big = {std::string(65536, 'd')};
  EXPECT_EQ(EncodeEntryBundle(too_big).status().error_code(), "entry_too_large");
  std::string too_many;
  for (int i = 0; i < 257; ++i) too_many += std::string("\0\0", 2);
  EXPECT_EQ(DecodeEntryBundle(too_many).status().error_code(), "invalid_entry_bundle");
}

TEST(TileSpanForNode, NodesBetweenStoredLevelsAreComputedFromOneTile) {
  // Level 3, index 5: leaves 40..47, the hashes 40..47 of level-0 tile 0.
  TileSpan s = TileSpanForNode({3, 5});
  EXPECT_EQ(s.tile, (TileId{0, 0, 256}));
  EXPECT_EQ(s.first, 40u);
  EXPECT_EQ(s.count, 8u);
  // Level 7, index 3: the right half of level-0 tile 1.
  s = TileSpanForNode({7, 3});
  EXPECT_EQ(s.tile, (TileId{0, 1, 256}));
  EXPECT_EQ(s.first, 128u);
  EXPECT_EQ(s.count, 128u);
  // Level 8 is stored: one hash of level-1 tile 0.
  s = TileSpanForNode({8, 300});
  EXPECT_EQ(s.tile, (TileId{1, 1, 256}));
  EXPECT_EQ(s.first, 44u);
  EXPECT_EQ(s.count, 1u);
  // Level 17, index 1: hashes 2..3 of level-2 tile 0.
  s = TileSpanForNode({17, 1});
  EXPECT_EQ(s.tile, (TileId{2, 0, 256}));
  EXPECT_EQ(s.first, 2u);
  EXPECT_EQ(s.count, 2u);
}

class TreeWithTiles : public ::testing::Test {
 protected:
  void Build(uint64_t size) {
    for (uint64_t i = 0; i < size; ++i) {
      leaves_.push_back(LeafHash(std::to_string(i)));
      ASSERT_TRUE(tree_.AppendLeafHash(leaves_.back(), store_.Sink()).ok());
    }
  }
  std::vector<Hash> leaves_;
  IncrementalTree tree_;
  MemoryTileStore store_;
};

TEST_F(TreeWithTiles, EveryCompleteNodeReadsBackAsItsSubtreeHash) {
  Build(1100);
  for (uint8_t level = 0; level <= 10; ++level) {
    const uint64_t width = uint64_t{1} << level;
    for (uint64_t index = 0; (index + 1) * width <= 1100; ++index) {
      StatusOr<Hash> h = ReadNodeHash(store_, {level, index}, 1100);
      ASSERT_TRUE(h.ok()) << h.status().ToString();
      EXPECT_EQ(*h, RootFromLeafHashes(std::span(leaves_).subspan(index * width, width)))
          << int{level} << "/" << index;
    }
  }
  EXPECT_EQ(ReadNodeHash(store_, {0, 1100}, 1100).status().error_code(), "node_out_of_range");
  EXPECT_EQ(ReadNodeHash(store_, {11, 0}, 1100).status().error_code(), "node_out_of_range");
  EXPECT_EQ(ReadNodeHash(store_, {200, 0}, 1100).status().error_code(), "node_out_of_range");
}

TEST_F(TreeWithTiles, RootAndFrontierAtEverySizeMatchTheIncrementalTree) {
  IncrementalTree replay;
  Build(600);
  for (uint64_t n = 0; n <= 600; ++n) {
    EXPECT_EQ(*TreeRootFromTiles(store_, n), replay.Root()) << n;
    EXPECT_EQ(*FrontierFromTiles(store_, n), replay.frontier()) << n;
    if (n < 600) ASSERT_TRUE(replay.AppendLeafHash(leaves_[n]).ok());
  }
}

TEST_F(TreeWithTiles, SubtreeHashRefusesRangesThatAreNotRfcSubtrees) {
  Build(20);
  EXPECT_EQ(*SubtreeHash(store_, 8, 20, 20), RootFromLeafHashes(std::span(leaves_).subspan(8)));
  EXPECT_EQ(*SubtreeHash(store_, 16, 19, 20),
            RootFromLeafHashes(std::span(leaves_).subspan(16, 3)));
  EXPECT_EQ(SubtreeHash(store_, 1, 3, 20).status().error_code(), "invalid_range");
  EXPECT_EQ(SubtreeHash(store_, 4, 12, 20).status().error_code(), "invalid_range");
  EXPECT_EQ(SubtreeHash(store_, 5, 5, 20).status().error_code(), "invalid_range");
  EXPECT_EQ(SubtreeHash(store_, 16, 21, 20).status().error_code(), "invalid_range");
}

// A store that lies about tile contents.
class ShortTileReader final : public TileReader {
 public:
  StatusOr<std::string> ReadTile(const TileId& tile) override {
    return std::string(tile.width * kHashSize - 1, '\0');
  }
};

TEST(TileReading, ShortTilesFromTheStoreAreDataLoss) {
  ShortTileReader reader;
  EXPECT_EQ(ReadNodeHash(reader, {0, 0}, 10).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(InclusionProof(reader, 3, 10).status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace actlog::integrity
