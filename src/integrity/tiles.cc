// tlog-tiles layout: paths, which tiles a tree has, where node hashes are stored, and
// entry bundles.
#include "actlog/tiles.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace actlog::integrity {

namespace {

// Writes N as 3-digit groups, "x"-prefixed except the last: 1234067 -> x001/x234/067.
void AppendIndex(uint64_t n, std::string* out) {
  std::vector<int> groups;
  do {
    groups.push_back(static_cast<int>(n % 1000));
    n /= 1000;
  } while (n > 0);
  for (std::size_t i = groups.size(); i-- > 0;) {
    char buf[6];
    std::snprintf(buf, sizeof(buf), "%s%03d", i > 0 ? "x" : "", groups[i]);
    out->append(buf);
    if (i > 0) out->push_back('/');
  }
}

std::string PathWithSuffix(std::string path, uint64_t index, uint32_t width) {
  AppendIndex(index, &path);
  if (width < kTileWidth) path += ".p/" + std::to_string(width);
  return path;
}

Status BadPath(std::string_view path) {
  return InvalidArgument("invalid_tile_path", "not a tile path: " + std::string(path));
}

// Parses a decimal with no sign and no leading zeros.
std::optional<uint64_t> ParseDecimal(std::string_view s) {
  if (s.empty() || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

uint64_t HashesAtTileLevel(uint8_t level, uint64_t tree_size) {
  const unsigned shift = kTileHeight * static_cast<unsigned>(level);
  return shift >= 64 ? 0 : tree_size >> shift;
}

}  // namespace

std::string TilePath(const TileId& tile) {
  return PathWithSuffix("tile/" + std::to_string(tile.level) + "/", tile.index, tile.width);
}

std::string EntryBundlePath(uint64_t index, uint32_t width) {
  return PathWithSuffix("tile/entries/", index, width);
}

StatusOr<TilePathInfo> ParseTilePath(std::string_view path) {
  constexpr std::string_view kPrefix = "tile/";
  if (!path.starts_with(kPrefix)) return BadPath(path);
  std::string_view rest = path.substr(kPrefix.size());
  TilePathInfo info;
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return BadPath(path);
  std::string_view level = rest.substr(0, slash);
  if (level == "entries") {
    info.entries = true;
  } else {
    std::optional<uint64_t> l = ParseDecimal(level);
    if (!l || *l > 63) return BadPath(path);
    info.tile.level = static_cast<uint8_t>(*l);
  }
  rest = rest.substr(slash + 1);
  std::string_view index_part = rest;
  info.tile.width = kTileWidth;
  if (const std::size_t p = rest.find(".p/"); p != std::string_view::npos) {
    index_part = rest.substr(0, p);
    std::optional<uint64_t> w = ParseDecimal(rest.substr(p + 3));
    if (!w || *w == 0 || *w >= kTileWidth) return BadPath(path);
    info.tile.width = static_cast<uint32_t>(*w);
  }
  // Read the digits, then insist the path is the canonical spelling of the number.
  uint64_t index = 0;
  for (char c : index_part) {
    if (c == 'x' || c == '/') continue;
    if (c < '0' || c > '9') return BadPath(path);
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (index > (UINT64_MAX - digit) / 10) return BadPath(path);
    index = index * 10 + digit;
  }
  std::string canonical;
  AppendIndex(index, &canonical);
  if (canonical != index_part) return BadPath(path);
  info.tile.index = index;
  return info;
}

uint32_t TileWidth(uint8_t level, uint64_t index, uint64_t tree_size) {
  const uint64_t count = HashesAtTileLevel(level, tree_size);
  if (index >= count / kTileWidth + 1) return 0;  // also guards index * 256 overflow
  const uint64_t start = index * kTileWidth;
  if (start >= count) return 0;
  return static_cast<uint32_t>(std::min<uint64_t>(kTileWidth, count - start));
}

std::vector<TileId> TilesForTree(uint64_t tree_size) { return TilesAdded(0, tree_size); }

std::vector<TileId> TilesAdded(uint64_t old_size, uint64_t new_size) {
  std::vector<TileId> out;
  for (uint8_t level = 0; level <= kMaxTileLevel; ++level) {
    const uint64_t new_count = HashesAtTileLevel(level, new_size);
    if (new_count == 0) break;
    const uint64_t old_count = HashesAtTileLevel(level, old_size);
    for (uint64_t i = old_count / kTileWidth; i <= (new_count - 1) / kTileWidth; ++i) {
      const uint32_t w = TileWidth(level, i, new_size);
      if (w != TileWidth(level, i, old_size)) out.push_back(TileId{level, i, w});
    }
  }
  return out;
}

std::optional<TileSlot> SlotForNode(const NodeId& node) {
  if (node.level % kTileHeight != 0) return std::nullopt;
  return TileSlot{
      TileId{static_cast<uint8_t>(node.level / kTileHeight), node.index / kTileWidth, kTileWidth},
      static_cast<uint32_t>(node.index % kTileWidth)};
}

TileSpan TileSpanForNode(const NodeId& node) {
  const unsigned height = node.level % kTileHeight;
  const uint64_t first = node.index << height;  // in hashes of tile level node.level / 8
  return TileSpan{
      TileId{static_cast<uint8_t>(node.level / kTileHeight), first / kTileWidth, kTileWidth},
      static_cast<uint32_t>(first % kTileWidth), 1u << height};
}

StatusOr<std::string> EncodeEntryBundle(std::span<const std::string> entries) {
  std::string out;
  for (const std::string& e : entries) {
    if (e.size() > kMaxEntrySize) {
      return InvalidArgument("entry_too_large", "an entry bundle entry is over 65535 bytes");
    }
    out.push_back(static_cast<char>(e.size() >> 8));
    out.push_back(static_cast<char>(e.size() & 0xff));
    out += e;
  }
  return out;
}

StatusOr<std::vector<std::string>> DecodeEntryBundle(std::string_view bundle) {
  std::vector<std::string> out;
  while (!bundle.empty()) {
    if (bundle.size() < 2 || out.size() == kTileWidth) {
      return InvalidArgument("invalid_entry_bundle", "truncated or overlong entry bundle");
    }
    const std::size_t len = static_cast<uint8_t>(bundle[0]) << 8 | static_cast<uint8_t>(bundle[1]);
    if (bundle.size() - 2 < len) {
      return InvalidArgument("invalid_entry_bundle", "entry runs past the end of the bundle");
    }
    out.emplace_back(bundle.substr(2, len));
    bundle.remove_prefix(2 + len);
  }
  return out;
}

}  // namespace actlog::integrity
