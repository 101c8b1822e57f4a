#include <cstring>

#include "actlog/tiles.h"

namespace actlog::integrity {

void MemoryTileStore::AddNode(const NodeId& node, const Hash& hash) {
  std::optional<TileSlot> slot = SlotForNode(node);
  if (!slot) return;
  std::lock_guard<std::mutex> lock(mu_);
  std::string& bytes = tiles_[{slot->tile.level, slot->tile.index}];
  const std::size_t offset = std::size_t{slot->position} * kHashSize;
  if (bytes.size() < offset + kHashSize) bytes.resize(offset + kHashSize);
  std::memcpy(bytes.data() + offset, hash.data(), kHashSize);
}

StatusOr<std::string> MemoryTileStore::ReadTile(const TileId& tile) {
  std::lock_guard<std::mutex> lock(mu_);
  ++reads_;
  auto it = tiles_.find({tile.level, tile.index});
  const std::size_t want = std::size_t{tile.width} * kHashSize;
  if (it == tiles_.end() || it->second.size() < want) {
    return NotFound("no tile " + TilePath(tile));
  }
  return it->second.substr(0, want);
}

uint64_t MemoryTileStore::reads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reads_;
}

}  // namespace actlog::integrity
