// RocksTree: each org's RFC 9162 Merkle tree over its events, kept as C2SP tlog-tiles in
// the meta column family and written in the very WriteBatch that stores the events
// (AppendObserver), so events and tree commit or fail together.
//
// Layout (meta CF, see docs/STORAGE.md):
//   "tree/" ‖ org            -> BE64(size) ‖ frontier hashes (32 bytes each, largest first)
//   "tile/" ‖ org ‖ 0x00 ‖ level byte ‖ BE64(index) -> the tile's hashes, 32 bytes each;
//                               a partial tile grows in place until it holds 256.
// Appending n leaves reads the org's tree record and the partial tiles it extends (one
// Get each), hashes n leaves plus about n/255 interior nodes: O(1) amortised per event.
// A store whose events predate the tree catches up from its events on its next append.
//
// Thread-safety: OnAppend is called by the group-commit leader only (never concurrently
// with itself). The read methods may be called from any thread at any time; they see
// the last committed group.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <rocksdb/db.h>

#include "actlog/merkle.h"
#include "actlog/tiles.h"
#include "store/rocksdb/append_observer.h"

namespace actlog::store {

inline constexpr std::string_view kMetaTreePrefix = "tree/";
inline constexpr std::string_view kMetaTilePrefix = "tile/";

std::string TreeStateKey(std::string_view org);
std::string TileKey(std::string_view org, uint8_t level, uint64_t index);

// One problem `actlog verify` found. seq is the event's position (the leaf index);
// id is empty when the stored record could not be read as an event.
struct TreeFinding {
  uint64_t seq = 0;
  std::string id;
  std::string problem;
};

struct TreeVerifyResult {
  uint64_t events = 0;     // event records found
  uint64_t tree_size = 0;  // size the stored tree claims
  integrity::Hash root{};  // root recomputed from the events
  // Events [0, pruned_below) were removed by retention (PruneBefore): their leaf hashes
  // are taken from the stored level-0 tiles, and their absence is not a finding.
  uint64_t pruned_below = 0;
  bool ok = true;
};

// How Verify spreads its work. Findings and result do not depend on these.
struct TreeVerifyOptions {
  // Threads that read and hash records (the calling thread builds the tree): 0 = one
  // per core (at most 8); 1 = all on the calling thread.
  size_t threads = 0;
  // Consecutive seqs per unit of work; each in-flight unit holds ~48 bytes per record.
  uint64_t chunk_leaves = 16384;
};

class RocksTree final : public AppendObserver {
 public:
  // Not owned; all must outlive this object.
  RocksTree(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* events_cf,
            rocksdb::ColumnFamilyHandle* meta_cf)
      : db_(db), events_cf_(events_cf), meta_cf_(meta_cf) {}

  Status OnAppend(std::string_view org, uint64_t first_seq,
                  const std::vector<std::string_view>& leaves,
                  rocksdb::WriteBatch* batch) override;

  // The committed tree of `org`: size 0 and no frontier if it has none.
  struct State {
    uint64_t size = 0;
    std::vector<integrity::Hash> frontier;
  };
  StatusOr<State> LoadState(std::string_view org) const;
  // Root of the committed tree of `org` (EmptyRootHash() if empty).
  StatusOr<integrity::Hash> Root(std::string_view org) const;
  // The stored hashes of tile (level, index) of `org`; NotFound if fewer than
  // tile.width are stored.
  StatusOr<std::string> ReadTile(std::string_view org, const integrity::TileId& tile) const;
  // A TileReader over `org`'s tiles. Valid while this object lives.
  std::unique_ptr<integrity::TileReader> Reader(std::string_view org) const;

  // Recomputes `org`'s tree from its stored event records and compares it with the
  // stored tree: every event whose record is missing, out of place, or differs from its
  // leaf hash is reported to `report` in seq order, then tile or root mismatches. A
  // non-OK status means the check could not run (I/O), not that it found problems.
  StatusOr<TreeVerifyResult> Verify(std::string_view org,
                                    const std::function<void(const TreeFinding&)>& report,
                                    const TreeVerifyOptions& options = {}) const;

 private:
  class ChunkScanner;  // Verify's per-chunk read and hash (rocks_tree_verify.cc)

  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* events_cf_;
  rocksdb::ColumnFamilyHandle* meta_cf_;
};

}  // namespace actlog::store
