// Node hashes, subtree hashes and proofs, computed from tiles.
#include <bit>
#include <cstring>
#include <string>
#include <string_view>

#include "actlog/tiles.h"

namespace actlog::integrity {

namespace {

// Wraps a TileReader for the length of one call so each tile is fetched at most once,
// and checks what the store returns.
class TileCache {
 public:
  explicit TileCache(TileReader& reader) : reader_(reader) {}

  // The hashes [first, first + count) of `tile`. REQUIRES: first + count <= tile.width.
  StatusOr<std::vector<Hash>> Hashes(const TileId& tile, uint32_t first, uint32_t count) {
    auto it = cache_.find(tile);
    if (it == cache_.end()) {
      StatusOr<std::string> bytes = reader_.ReadTile(tile);
      if (!bytes.ok()) return bytes.status();
      if (bytes->size() % kHashSize != 0 || bytes->size() < tile.width * kHashSize) {
        return DataLoss("store returned " + std::to_string(bytes->size()) + " bytes for " +
                        TilePath(tile));
      }
      it = cache_.emplace(tile, std::move(*bytes)).first;
    }
    std::vector<Hash> out(count);
    for (uint32_t i = 0; i < count; ++i) {
      std::memcpy(out[i].data(), it->second.data() + (first + i) * kHashSize, kHashSize);
    }
    return out;
  }

 private:
  TileReader& reader_;
  std::map<TileId, std::string> cache_;
};

StatusOr<Hash> NodeFromTiles(TileCache& tiles, const NodeId& node, uint64_t tree_size) {
  if (node.level >= 64 || node.index >= (tree_size >> node.level)) {
    return InvalidArgument("node_out_of_range", "node is not complete in a tree of " +
                                                    std::to_string(tree_size) + " leaves");
  }
  TileSpan span = TileSpanForNode(node);
  span.tile.width = TileWidth(span.tile.level, span.tile.index, tree_size);
  StatusOr<std::vector<Hash>> hashes = tiles.Hashes(span.tile, span.first, span.count);
  if (!hashes.ok()) return hashes.status();
  std::vector<Hash>& h = *hashes;
  for (uint32_t width = span.count; width > 1; width /= 2) {
    for (uint32_t i = 0; i < width / 2; ++i) h[i] = NodeHash(h[2 * i], h[2 * i + 1]);
  }
  return h[0];
}

// The perfect subtrees making up [begin, end), left to right.
// REQUIRES: begin is a multiple of bit_floor(end - begin).
std::vector<NodeId> Decompose(uint64_t begin, uint64_t end) {
  std::vector<NodeId> nodes;
  const uint64_t n = end - begin;
  for (int level = 63; level >= 0; --level) {
    if ((n >> level & 1) == 0) continue;
    nodes.push_back(NodeId{static_cast<uint8_t>(level), begin >> level});
    begin += uint64_t{1} << level;
  }
  return nodes;
}

StatusOr<Hash> RangeFromTiles(TileCache& tiles, uint64_t begin, uint64_t end, uint64_t tree_size) {
  if (begin >= end || end > tree_size || begin % std::bit_floor(end - begin) != 0) {
    std::string message = "range ";
    message += std::to_string(begin) + ".." + std::to_string(end) + " is not a subtree";
    return InvalidArgument("invalid_range", std::move(message));
  }
  std::vector<NodeId> nodes = Decompose(begin, end);
  StatusOr<Hash> acc = NodeFromTiles(tiles, nodes.back(), tree_size);
  for (std::size_t i = nodes.size() - 1; acc.ok() && i-- > 0;) {
    StatusOr<Hash> left = NodeFromTiles(tiles, nodes[i], tree_size);
    if (!left.ok()) return left.status();
    acc = NodeHash(*left, *acc);
  }
  return acc;
}

// Hashes the ranges (listed root-side first) in proof order (leaf side first).
StatusOr<std::vector<Hash>> HashRanges(TileReader& reader,
                                       const std::vector<std::pair<uint64_t, uint64_t>>& ranges,
                                       uint64_t tree_size) {
  TileCache tiles(reader);
  std::vector<Hash> proof;
  proof.reserve(ranges.size());
  for (std::size_t i = ranges.size(); i-- > 0;) {
    StatusOr<Hash> h = RangeFromTiles(tiles, ranges[i].first, ranges[i].second, tree_size);
    if (!h.ok()) return h.status();
    proof.push_back(*h);
  }
  return proof;
}

}  // namespace

StatusOr<Hash> ReadNodeHash(TileReader& reader, const NodeId& node, uint64_t tree_size) {
  TileCache tiles(reader);
  return NodeFromTiles(tiles, node, tree_size);
}

StatusOr<Hash> SubtreeHash(TileReader& reader, uint64_t begin, uint64_t end, uint64_t tree_size) {
  TileCache tiles(reader);
  return RangeFromTiles(tiles, begin, end, tree_size);
}

StatusOr<Hash> TreeRootFromTiles(TileReader& reader, uint64_t tree_size) {
  if (tree_size == 0) return EmptyRootHash();
  return SubtreeHash(reader, 0, tree_size, tree_size);
}

StatusOr<std::vector<Hash>> FrontierFromTiles(TileReader& reader, uint64_t tree_size) {
  TileCache tiles(reader);
  std::vector<Hash> frontier;
  for (const NodeId& node : Decompose(0, tree_size)) {
    StatusOr<Hash> h = NodeFromTiles(tiles, node, tree_size);
    if (!h.ok()) return h.status();
    frontier.push_back(*h);
  }
  return frontier;
}

// PATH(m, D[a:b]) unrolled: at each step the sibling subtree is the proof node.
StatusOr<std::vector<Hash>> InclusionProof(TileReader& reader, uint64_t index, uint64_t tree_size) {
  if (index >= tree_size) {
    return InvalidArgument(
        "invalid_proof_request",
        "leaf " + std::to_string(index) + " is not in a tree of " + std::to_string(tree_size));
  }
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  uint64_t a = 0, b = tree_size;
  while (b - a > 1) {
    const uint64_t k = SplitPoint(b - a);
    if (index < a + k) {
      ranges.emplace_back(a + k, b);
      b = a + k;
    } else {
      ranges.emplace_back(a, a + k);
      a += k;
    }
  }
  return HashRanges(reader, ranges, tree_size);
}

// SUBPROOF(m, D[a:b], flag) unrolled, m being the absolute old size.
StatusOr<std::vector<Hash>> ConsistencyProof(TileReader& reader, uint64_t old_size,
                                             uint64_t new_size) {
  if (old_size > new_size) {
    return InvalidArgument("invalid_proof_request", "old size is larger than new size");
  }
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  if (old_size == 0 || old_size == new_size) return std::vector<Hash>();
  uint64_t a = 0, b = new_size;
  bool whole_old_tree = true;  // the RFC's flag b: [a, m) is the whole old tree
  while (true) {
    if (old_size == b) {
      if (!whole_old_tree) ranges.emplace_back(a, b);
      break;
    }
    const uint64_t k = SplitPoint(b - a);
    if (old_size - a <= k) {
      ranges.emplace_back(a + k, b);
      b = a + k;
    } else {
      ranges.emplace_back(a, a + k);
      a += k;
      whole_old_tree = false;
    }
  }
  return HashRanges(reader, ranges, new_size);
}

namespace {

std::vector<std::string> ToStrings(const std::vector<Hash>& hashes) {
  std::vector<std::string> out;
  out.reserve(hashes.size());
  for (const Hash& h : hashes) out.emplace_back(h.begin(), h.end());
  return out;
}

Status BadProofRequest(std::string message) {
  return InvalidArgument("invalid_proof_request", std::move(message));
}

}  // namespace

StatusOr<std::vector<std::string>> CheckedInclusionProof(TileReader& reader,
                                                         uint64_t current_size, uint64_t index,
                                                         uint64_t tree_size) {
  if (index >= tree_size || tree_size > current_size) {
    return BadProofRequest("no leaf " + std::to_string(index) + " in a tree of size " +
                           std::to_string(tree_size) + " (current size " +
                           std::to_string(current_size) + ")");
  }
  StatusOr<std::vector<Hash>> proof = InclusionProof(reader, index, tree_size);
  if (!proof.ok()) return proof.status();
  return ToStrings(*proof);
}

StatusOr<std::vector<std::string>> CheckedConsistencyProof(TileReader& reader,
                                                           uint64_t current_size, uint64_t from,
                                                           uint64_t to) {
  if (from > to || to > current_size) {
    return BadProofRequest("no consistency proof from size " + std::to_string(from) + " to " +
                           std::to_string(to) + " (current size " +
                           std::to_string(current_size) + ")");
  }
  StatusOr<std::vector<Hash>> proof = ConsistencyProof(reader, from, to);
  if (!proof.ok()) return proof.status();
  return ToStrings(*proof);
}

StatusOr<std::string> CheckedTile(TileReader& reader, uint64_t current_size,
                                  std::string_view org, const TileId& tile) {
  if (tile.width == 0 || tile.width > kTileWidth || tile.level > kMaxTileLevel ||
      tile.width > TileWidth(tile.level, tile.index, current_size)) {
    return NotFound("org " + std::string(org) + " has no tile " + TilePath(tile));
  }
  StatusOr<std::string> hashes = reader.ReadTile(tile);
  if (!hashes.ok()) return hashes.status();
  return hashes->substr(0, size_t{tile.width} * kHashSize);
}

}  // namespace actlog::integrity
