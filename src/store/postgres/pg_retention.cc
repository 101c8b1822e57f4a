// Retention on the PostgreSQL store: PruneBefore deletes a prefix of an org's events
// (from pruned_below while received_at < cutoff) and moves org_heads.pruned_below, in one
// transaction that holds the org's head lock, so it never races an append or another
// node's retention run. Tiles, the tree head and checkpoints stay: proofs of the events
// that remain still verify. Sealed blobs go with the last event of their reuse window:
// those of windows that ended by the cutoff (privacy/seal_reuse.h). Deleted rows are
// reclaimed by autovacuum.
#include "store/postgres/pg_store.h"

namespace actlog::store::pg {

StatusOr<PruneResult> PgStore::PruneBefore(std::string_view org, int64_t cutoff_us) {
  PruneResult result;
  ACTLOG_RETURN_IF_ERROR(pool_->Transaction([&](PgConn& conn) -> Status {
    StatusOr<PgResult> head =
        conn.Exec("SELECT pruned_below, next_seq FROM org_heads WHERE org = $1 FOR UPDATE",
                  PgParams().Text(org));
    if (!head.ok()) return head.status();
    if (head->rows() == 0) return NotFound("no org " + std::string(org));
    int64_t first = head->Int(0, 0);
    StatusOr<PgResult> stop = conn.Exec(
        "SELECT coalesce(min(seq), $3) FROM events WHERE org = $1 AND seq >= $2 AND "
        "received_at >= $4",
        PgParams().Text(org).Int(first).Int(head->Int(0, 1)).Int(cutoff_us));
    if (!stop.ok()) return stop.status();
    int64_t kept = stop->Int(0, 0);
    result.first_kept_seq = static_cast<uint64_t>(kept);
    // Blobs of reuse windows that ended by the cutoff: every event that refers to one was
    // received before the cutoff, so it is below `kept` (deleted now or by an earlier run).
    ACTLOG_RETURN_IF_ERROR(
        conn.Exec("DELETE FROM sealed_blobs WHERE org = $1 AND time_window < $2",
                  PgParams().Text(org).Int(privacy::ReuseWindow(cutoff_us)))
            .status());
    if (kept <= first) return Status::Ok();
    StatusOr<PgResult> deleted =
        conn.Exec("DELETE FROM events WHERE org = $1 AND seq >= $2 AND seq < $3",
                  PgParams().Text(org).Int(first).Int(kept));
    if (!deleted.ok()) return deleted.status();
    result.events_removed = deleted->affected();
    ACTLOG_RETURN_IF_ERROR(
        conn.Exec("DELETE FROM sealed_values WHERE org = $1 AND seq >= $2 AND seq < $3",
                  PgParams().Text(org).Int(first).Int(kept))
            .status());
    ACTLOG_RETURN_IF_ERROR(
        conn.Exec("DELETE FROM personal_index WHERE org = $1 AND seq >= $2 AND seq < $3",
                  PgParams().Text(org).Int(first).Int(kept))
            .status());
    return conn
        .Exec("UPDATE org_heads SET pruned_below = $2 WHERE org = $1",
              PgParams().Text(org).Int(kept))
        .status();
  }));
  return result;
}

StatusOr<uint64_t> PgStore::PrunedBelow(std::string_view org) {
  StatusOr<uint64_t> out = NotFound("no org " + std::string(org));
  ACTLOG_RETURN_IF_ERROR(pool_->Run([&](PgConn& conn) -> Status {
    StatusOr<PgResult> r =
        conn.Exec("SELECT pruned_below FROM org_heads WHERE org = $1", PgParams().Text(org));
    if (!r.ok()) return r.status();
    if (r->rows() > 0) out = static_cast<uint64_t>(r->Int(0, 0));
    return Status::Ok();
  }));
  return out;
}

}  // namespace actlog::store::pg
