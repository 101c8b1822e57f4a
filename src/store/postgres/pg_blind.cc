#include "store/postgres/pg_blind.h"

#include "store/postgres/pg_rows.h"
#include "store/postgres/pg_store.h"

namespace actlog::store::pg {

Status InsertPersonalIndex(PgConn& conn, const std::vector<PersonalIndexRow>& rows) {
  // A path named twice in one event (metadata.a and an alias) is one row.
  return InsertRows(
      conn, "INSERT INTO personal_index (org, path, mac, seq, subject) VALUES ", 5, rows.size(),
      [&rows](size_t i, PgParams& params) {
        const PersonalIndexRow& row = rows[i];
        params.Text(row.org).Text(row.term.path).Bytes(row.term.mac);
        params.Int(static_cast<int64_t>(row.seq)).Text(row.term.subject);
      },
      " ON CONFLICT DO NOTHING");
}

// The subject's entries in both blind indexes: the actor_email column of its events as
// actor (actor.email is always the actor's value) and its personal_index rows.
Status PgStore::ClearBlind(PgConn& conn, std::string_view org, std::string_view subject,
                           ErasureReceipt* receipt) {
  StatusOr<PgResult> email = conn.Exec(
      "UPDATE events SET actor_email = NULL WHERE org = $1 AND actor_id = $2 AND "
      "actor_email IS NOT NULL",
      PgParams().Text(org).Text(subject));
  if (!email.ok()) return email.status();
  StatusOr<PgResult> personal =
      conn.Exec("DELETE FROM personal_index WHERE org = $1 AND subject = $2",
                PgParams().Text(org).Text(subject));
  if (!personal.ok()) return personal.status();
  receipt->index_entries_removed += email->affected() + personal->affected();
  return Status::Ok();
}

}  // namespace actlog::store::pg
