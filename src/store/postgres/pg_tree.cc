// Each org's Merkle tree on the PostgreSQL store: the head row holds the tree's size
// (= next_seq: events and tree commit in one transaction) and frontier; tree_tiles holds
// the C2SP tlog-tiles, a partial tile growing in place. Proofs read tiles through the
// integrity library. Checkpoints are rows of checkpoints, kept forever.
#include "actlog/tiles.h"
#include "store/postgres/pg_store.h"

namespace actlog::store::pg {
namespace {

class PgTileReader final : public integrity::TileReader {
 public:
  PgTileReader(PgPool* pool, std::string org) : pool_(pool), org_(std::move(org)) {}

  StatusOr<std::string> ReadTile(const integrity::TileId& tile) override {
    StatusOr<std::string> out = NotFound("no tile " + integrity::TilePath(tile));
    ACTLOG_RETURN_IF_ERROR(pool_->Run([&](PgConn& conn) -> Status {
      StatusOr<PgResult> r =
          conn.Exec("SELECT hashes FROM tree_tiles WHERE org = $1 AND level = $2 AND idx = $3",
                    PgParams().Text(org_).Int(tile.level).Int(static_cast<int64_t>(tile.index)));
      if (!r.ok()) return r.status();
      if (r->rows() == 0) return Status::Ok();
      std::string hashes = r->Bytes(0, 0);
      if (hashes.size() % integrity::kHashSize != 0) {
        out = DataLoss("tile " + integrity::TilePath(tile) + " is malformed");
      } else if (hashes.size() < size_t{tile.width} * integrity::kHashSize) {
        out = NotFound("tile " + integrity::TilePath(tile) + " is not that wide");
      } else {
        out = std::move(hashes);
      }
      return Status::Ok();
    }));
    return out;
  }

 private:
  PgPool* pool_;
  std::string org_;
};

}  // namespace

StatusOr<PgStore::TreeState> PgStore::LoadTree(std::string_view org) {
  TreeState state;
  std::string frontier;
  ACTLOG_RETURN_IF_ERROR(pool_->Run([&](PgConn& conn) -> Status {
    StatusOr<PgResult> r =
        conn.Exec("SELECT next_seq, frontier FROM org_heads WHERE org = $1", PgParams().Text(org));
    if (!r.ok()) return r.status();
    if (r->rows() > 0) {
      state.size = static_cast<uint64_t>(r->Int(0, 0));
      frontier = r->Bytes(0, 1);
    }
    return Status::Ok();
  }));
  StatusOr<std::vector<integrity::Hash>> hashes = DecodeFrontier(frontier, state.size, org);
  if (!hashes.ok()) return hashes.status();
  state.frontier = std::move(hashes).value();
  return state;
}

StatusOr<TreeHead> PgStore::GetTreeHead(std::string_view org) {
  StatusOr<TreeState> state = LoadTree(org);
  if (!state.ok()) return state.status();
  StatusOr<integrity::IncrementalTree> tree =
      integrity::IncrementalTree::FromFrontier(state->size, std::move(state->frontier));
  if (!tree.ok()) return tree.status();
  integrity::Hash root = tree->Root();
  return TreeHead{tree->size(), std::string(root.begin(), root.end())};
}

StatusOr<std::vector<std::string>> PgStore::InclusionProof(std::string_view org, uint64_t index,
                                                           uint64_t tree_size) {
  StatusOr<TreeState> state = LoadTree(org);
  if (!state.ok()) return state.status();
  PgTileReader reader(pool_.get(), std::string(org));
  return integrity::CheckedInclusionProof(reader, state->size, index, tree_size);
}

StatusOr<std::vector<std::string>> PgStore::ConsistencyProof(std::string_view org, uint64_t from,
                                                             uint64_t to) {
  StatusOr<TreeState> state = LoadTree(org);
  if (!state.ok()) return state.status();
  PgTileReader reader(pool_.get(), std::string(org));
  return integrity::CheckedConsistencyProof(reader, state->size, from, to);
}

StatusOr<std::string> PgStore::ReadTile(std::string_view org, uint8_t level, uint64_t index,
                                        uint32_t width) {
  StatusOr<TreeState> state = LoadTree(org);
  if (!state.ok()) return state.status();
  PgTileReader reader(pool_.get(), std::string(org));
  return integrity::CheckedTile(reader, state->size, org, integrity::TileId{level, index, width});
}

Status PgStore::PutCheckpoint(std::string_view org, uint64_t size, std::string_view note) {
  return pool_->Run([&](PgConn& conn) -> Status {
    StatusOr<PgResult> r = conn.Exec(
        "INSERT INTO checkpoints (org, size, note) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        PgParams().Text(org).Int(static_cast<int64_t>(size)).Text(note));
    if (!r.ok()) return r.status();
    if (r->affected() == 0) {
      return Status(
          StatusCode::kAlreadyExists, "checkpoint_exists",
          "org " + std::string(org) + " already has a checkpoint of size " + std::to_string(size));
    }
    return Status::Ok();
  });
}

StatusOr<std::string> PgStore::LatestCheckpoint(std::string_view org) {
  StatusOr<std::string> out = NotFound("org " + std::string(org) + " has no checkpoint yet");
  ACTLOG_RETURN_IF_ERROR(pool_->Run([&](PgConn& conn) -> Status {
    StatusOr<PgResult> r =
        conn.Exec("SELECT note FROM checkpoints WHERE org = $1 ORDER BY size DESC LIMIT 1",
                  PgParams().Text(org));
    if (!r.ok()) return r.status();
    if (r->rows() > 0) out = r->Bytes(0, 0);
    return Status::Ok();
  }));
  return out;
}

StatusOr<std::vector<StoredCheckpoint>> PgStore::ListCheckpoints(std::string_view org,
                                                                 uint64_t from_size, size_t limit) {
  std::vector<StoredCheckpoint> out;
  const uint64_t kMax = static_cast<uint64_t>(INT64_MAX);
  ACTLOG_RETURN_IF_ERROR(pool_->Run([&](PgConn& conn) -> Status {
    StatusOr<PgResult> r = conn.Exec(
        "SELECT size, note FROM checkpoints WHERE org = $1 AND size >= $2 ORDER BY size "
        "LIMIT $3",
        PgParams()
            .Text(org)
            .Int(static_cast<int64_t>(std::min(from_size, kMax)))
            .Int(static_cast<int64_t>(std::min<uint64_t>(limit, kMax))));
    if (!r.ok()) return r.status();
    for (int i = 0; i < r->rows(); ++i) {
      out.push_back({static_cast<uint64_t>(r->Int(i, 0)), r->Bytes(i, 1)});
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace actlog::store::pg
