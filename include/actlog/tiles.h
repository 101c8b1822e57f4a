// The tree as C2SP tlog-tiles, and proofs computed by reading tiles.
//
// A tile is 256 consecutive node hashes of one tree level: tile (L, N) holds the hashes
// at tree level 8*L with indices [N*256, N*256 + 256), i.e. the 8-level subtree under them
// seen from its leaves. Level-0 tiles hold leaf hashes. A tile of fewer than 256 hashes
// ("partial", width W) is the rightmost tile of its level in a tree whose size does not
// fill it; it is a prefix of the full tile that will replace it. Entry bundles carry the
// leaves themselves, 256 per bundle, each a big-endian uint16 length then the bytes.
//
// Every node hash the proofs need is read from a TileReader: the level-8L hashes come
// straight from tiles, the levels between are rehashed from them. Nothing here writes:
// a store persists tiles from the nodes IncrementalTree reports (MemoryTileStore shows
// how) and implements TileReader over them.
//
// Thread-safety: free functions are thread-safe if the TileReader passed in is.
// MemoryTileStore is thread-safe (one internal mutex).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "actlog/merkle.h"
#include "actlog/status.h"

namespace actlog::integrity {

inline constexpr int kTileHeight = 8;
inline constexpr uint32_t kTileWidth = 256;  // hashes in a full tile
inline constexpr int kMaxTileLevel = 7;      // 8 * 8 = 64 tree levels
inline constexpr std::size_t kMaxEntrySize = 65535;

// One tile of a tree of some size. width is 1..256; 256 means full.
struct TileId {
  uint8_t level = 0;
  uint64_t index = 0;
  uint32_t width = kTileWidth;

  bool full() const { return width == kTileWidth; }
  bool operator==(const TileId&) const = default;
  auto operator<=>(const TileId&) const = default;
};

// "tile/<L>/<N>[.p/<W>]", N written as 3-digit groups, all but the last prefixed with
// "x": index 1234067 is "x001/x234/067". The ".p/<W>" suffix only for partial tiles.
std::string TilePath(const TileId& tile);
// "tile/entries/<N>[.p/<W>]" for the entry bundle of leaves [N*256, N*256 + W).
std::string EntryBundlePath(uint64_t index, uint32_t width);

// A tile path, as a server receives it (without the URL prefix).
struct TilePathInfo {
  bool entries = false;  // an entry bundle, not a hash tile (then tile.level == 0)
  TileId tile;
};
// Accepts exactly the paths TilePath/EntryBundlePath produce: canonical digits, no
// leading zeros, level <= 63, width 1..255 only after ".p/". Anything else is
// InvalidArgument "invalid_tile_path".
StatusOr<TilePathInfo> ParseTilePath(std::string_view path);

// The width of tile (level, index) in a tree of tree_size leaves; 0 if it has no such tile.
uint32_t TileWidth(uint8_t level, uint64_t index, uint64_t tree_size);
// Every tile of a tree of tree_size leaves, level by level, left to right. There are
// about tree_size / 255 of them: for export and tests, not for hot paths.
std::vector<TileId> TilesForTree(uint64_t tree_size);
// The tiles a tree of new_size has that one of old_size does not (new tiles, and partial
// tiles that grew): what a store must write when it grows from old_size to new_size.
// REQUIRES: old_size <= new_size.
std::vector<TileId> TilesAdded(uint64_t old_size, uint64_t new_size);

// Where a node hash is stored: nodes at tree levels 0, 8, 16, ... have a slot in the full
// tile (level / 8, index / 256) at position index % 256. Other levels have none.
struct TileSlot {
  TileId tile;  // always full width
  uint32_t position = 0;
};
std::optional<TileSlot> SlotForNode(const NodeId& node);

// Where any node's hash is computed from: the node at tree level 8*T + h covers the 2^h
// hashes [first, first + count) of the full tile (T, index * 2^h / 256); its hash is
// their Merkle root. For h == 0 this is the node's own slot.
struct TileSpan {
  TileId tile;  // always full width; the tree's size decides the width actually read
  uint32_t first = 0;
  uint32_t count = 1;
};
// REQUIRES: node.level < 64.
TileSpan TileSpanForNode(const NodeId& node);

// Entry bundle encoding. Encoding fails (InvalidArgument "entry_too_large") for an entry
// over 65535 bytes; decoding fails ("invalid_entry_bundle") on truncation or trailing bytes.
StatusOr<std::string> EncodeEntryBundle(std::span<const std::string> entries);
StatusOr<std::vector<std::string>> DecodeEntryBundle(std::string_view bundle);

// Source of tile bytes, implemented by a store.
class TileReader {
 public:
  virtual ~TileReader() = default;
  // Returns the hashes of `tile`, concatenated: at least tile.width * 32 bytes (a wider
  // version of the same tile is fine, the extra hashes are ignored), a multiple of 32.
  // NotFound if the store does not have it. Shorter answers are reported as DataLoss.
  virtual StatusOr<std::string> ReadTile(const TileId& tile) = 0;
};

// The hash of a node of the tree of tree_size leaves, read from tiles.
// REQUIRES (else InvalidArgument "node_out_of_range"): the node is complete in that tree,
// (node.index + 1) * 2^node.level <= tree_size.
StatusOr<Hash> ReadNodeHash(TileReader& reader, const NodeId& node, uint64_t tree_size);
// MTH(D[begin:end]) as a subtree of the RFC 9162 tree (as proofs use it), read from tiles.
// REQUIRES (else InvalidArgument "invalid_range"): begin < end <= tree_size and begin is
// a multiple of the largest power of two not above end - begin.
StatusOr<Hash> SubtreeHash(TileReader& reader, uint64_t begin, uint64_t end, uint64_t tree_size);
// The root of the tree of tree_size leaves (EmptyRootHash() for 0).
StatusOr<Hash> TreeRootFromTiles(TileReader& reader, uint64_t tree_size);
// The frontier of the tree of tree_size leaves, to resume an IncrementalTree.
StatusOr<std::vector<Hash>> FrontierFromTiles(TileReader& reader, uint64_t tree_size);

// RFC 9162 §2.1.3.1 PATH(index, D[tree_size]), O(log n) node reads. Each tile is read at
// most once per call. InvalidArgument "invalid_proof_request" unless index < tree_size.
StatusOr<std::vector<Hash>> InclusionProof(TileReader& reader, uint64_t index, uint64_t tree_size);
// RFC 9162 §2.1.4.1 PROOF(old_size, D[new_size]); empty when old_size is 0 or equals
// new_size. InvalidArgument "invalid_proof_request" if old_size > new_size.
StatusOr<std::vector<Hash>> ConsistencyProof(TileReader& reader, uint64_t old_size,
                                             uint64_t new_size);

// What a store answers from its tree of `current_size` leaves, whose tiles `reader`
// serves (the integrity methods of Store, include/actlog/store.h): each request is first
// checked against current_size, proofs come back as 32-byte strings and a tile is cut to
// its width. `org` only names the org in messages.
// InvalidArgument "invalid_proof_request" unless index < tree_size <= current_size.
StatusOr<std::vector<std::string>> CheckedInclusionProof(TileReader& reader,
                                                         uint64_t current_size, uint64_t index,
                                                         uint64_t tree_size);
// InvalidArgument "invalid_proof_request" unless from <= to <= current_size.
StatusOr<std::vector<std::string>> CheckedConsistencyProof(TileReader& reader,
                                                           uint64_t current_size, uint64_t from,
                                                           uint64_t to);
// NotFound unless the tree of current_size leaves has `tile` at least tile.width wide.
StatusOr<std::string> CheckedTile(TileReader& reader, uint64_t current_size,
                                  std::string_view org, const TileId& tile);

// Tiles in memory, filled from IncrementalTree's node reports. A reference for stores
// and the fixture for tests. Thread-safe.
class MemoryTileStore final : public TileReader {
 public:
  // Records a node hash; nodes at levels other than multiples of 8 are ignored.
  void AddNode(const NodeId& node, const Hash& hash);
  // A sink for IncrementalTree that calls AddNode. The store must outlive it.
  IncrementalTree::NodeSink Sink() {
    return [this](const NodeId& node, const Hash& hash) { AddNode(node, hash); };
  }
  // Serves the tile's first tile.width hashes, NotFound if fewer are stored.
  StatusOr<std::string> ReadTile(const TileId& tile) override;
  // Number of ReadTile calls so far, for tests that count reads.
  uint64_t reads() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<uint8_t, uint64_t>, std::string> tiles_;  // GUARDED_BY(mu_)
  uint64_t reads_ = 0;                                         // GUARDED_BY(mu_)
};

}  // namespace actlog::integrity
