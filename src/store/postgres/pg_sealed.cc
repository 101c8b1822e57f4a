// Sealed personal values on the PostgreSQL store (DESIGN §7; the crypto and the choice
// of values are src/privacy's, shared with the embedded store).
//
//   subject_keys(org, subject, key)                    one random key per subject in an org
//   sealed_values(org, seq, hash, subject, has_email, blob)
//                                                      one blob per (event, subject)
//
// Appends seal in the group's transaction, after seqs are assigned and before the
// canonical bytes are made (pg_append.cc); new keys and the blobs are inserted there
// too. Reads open a page of events with one query (DecodeAndOpen). EraseSubject deletes
// the subject's key and blobs, clears its blind-index entries (pg_blind.cc) and forgets their content digests, all under the org's head lock,
// then VACUUMs the tables so the deleted rows leave the table files.
#include "store/postgres/pg_sealed.h"

#include <algorithm>
#include <set>

#include "actlog/clock.h"
#include "privacy/sealing.h"
#include "store/postgres/pg_store.h"

namespace actlog::store::pg {
namespace {

std::string Int64Array(const std::vector<int64_t>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(items[i]);
  }
  return out + "}";
}

// Blobs and keys of one page of events, fetched at once.
class PageSealedSource final : public privacy::SealedSource {
 public:
  std::map<std::pair<uint64_t, std::string>, privacy::StoredSealed> blobs;
  std::map<std::string, std::string> keys;

  StatusOr<std::optional<privacy::StoredSealed>> FindSealed(std::string_view, uint64_t seq,
                                                            std::string_view hash) override {
    auto it = blobs.find({seq, std::string(hash)});
    if (it == blobs.end()) return std::optional<privacy::StoredSealed>();
    return std::optional<privacy::StoredSealed>(it->second);
  }
  StatusOr<std::optional<std::string>> FindKey(std::string_view,
                                               std::string_view subject) override {
    auto it = keys.find(std::string(subject));
    if (it == keys.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
};

}  // namespace

Status GroupSubjectKeys::Prefetch(const std::vector<Event>& events) {
  std::set<std::pair<std::string, std::string>> wanted;
  for (const Event& e : events) {
    wanted.emplace(e.org, e.actor.id);
    if (e.target) wanted.emplace(e.org, e.target->id);
  }
  if (wanted.empty()) return Status::Ok();
  std::vector<std::string> orgs, subjects;
  for (const auto& [org, subject] : wanted) {
    orgs.push_back(org);
    subjects.push_back(subject);
  }
  StatusOr<PgResult> r = conn_->Exec(
      "SELECT k.org, k.subject, k.key FROM unnest($1::text[], $2::text[]) AS w(org, subject) "
      "JOIN subject_keys k ON k.org = w.org AND k.subject = w.subject",
      PgParams().Text(TextArray(orgs)).Text(TextArray(subjects)));
  if (!r.ok()) return r.status();
  for (int i = 0; i < r->rows(); ++i) keys_[{r->Bytes(i, 0), r->Bytes(i, 1)}] = r->Bytes(i, 2);
  for (const auto& name : wanted) {
    if (!keys_.count(name)) absent_.insert(name);
  }
  return Status::Ok();
}

StatusOr<std::string> GroupSubjectKeys::KeyFor(std::string_view org, std::string_view subject) {
  std::pair<std::string, std::string> name(org, subject);
  if (auto it = keys_.find(name); it != keys_.end()) return it->second;
  std::string key;
  bool known_absent = absent_.count(name) > 0;
  StatusOr<PgResult> r = Status::Ok();
  if (!known_absent) {
    r = conn_->Exec("SELECT key FROM subject_keys WHERE org = $1 AND subject = $2",
                    PgParams().Text(org).Text(subject));
    if (!r.ok()) return r.status();
  }
  if (!known_absent && r->rows() > 0) {
    key = r->Bytes(0, 0);
  } else {
    key = privacy::NewSubjectKey();
    fresh_.push_back(name);
  }
  keys_[name] = key;
  return key;
}

Status GroupSubjectKeys::InsertNew() {
  constexpr size_t kRowsPerInsert = 1000;
  for (size_t start = 0; start < fresh_.size(); start += kRowsPerInsert) {
    size_t end = std::min(fresh_.size(), start + kRowsPerInsert);
    std::string sql = "INSERT INTO subject_keys (org, subject, key) VALUES ";
    PgParams params;
    for (size_t i = start; i < end; ++i) {
      params.Text(fresh_[i].first).Text(fresh_[i].second).Bytes(keys_.at(fresh_[i]));
      int base = params.last() - 3;
      sql += i == start ? "(" : ",(";
      for (int c = 1; c <= 3; ++c) {
        sql += c == 1 ? "$" : ",$";
        sql += std::to_string(base + c);
      }
      sql += ')';
    }
    ACTLOG_RETURN_IF_ERROR(conn_->Exec(sql, params).status());
  }
  return Status::Ok();
}

Status InsertSealed(PgConn& conn, const std::vector<SealedRow>& rows) {
  constexpr size_t kRowsPerInsert = 500;
  for (size_t start = 0; start < rows.size(); start += kRowsPerInsert) {
    size_t end = std::min(rows.size(), start + kRowsPerInsert);
    std::string sql =
        "INSERT INTO sealed_values (org, seq, hash, subject, has_email, blob) VALUES ";
    PgParams params;
    for (size_t i = start; i < end; ++i) {
      const SealedRow& row = rows[i];
      bool has_email = std::find(row.value.paths.begin(), row.value.paths.end(), "actor.email") !=
                       row.value.paths.end();
      params.Text(row.org).Int(static_cast<int64_t>(row.seq)).Bytes(row.value.hash);
      params.Text(row.value.subject).Text(has_email ? "true" : "false").Bytes(row.value.blob);
      int base = params.last() - 6;
      sql += i == start ? "(" : ",(";
      for (int c = 1; c <= 6; ++c) {
        sql += c == 1 ? "$" : ",$";
        sql += std::to_string(base + c);
      }
      sql += ')';
    }
    ACTLOG_RETURN_IF_ERROR(conn.Exec(sql, params).status());
  }
  return Status::Ok();
}

Status PgStore::DecodeAndOpen(PgConn& conn, std::string_view org,
                              std::vector<std::string> canonical,
                              std::vector<StoredEvent>* out) const {
  size_t first = out->size();
  std::vector<int64_t> seqs;
  for (std::string& bytes : canonical) {
    StatusOr<Event> event = DecodeEvent(bytes);
    if (!event.ok()) return event.status();
    seqs.push_back(static_cast<int64_t>(event->seq));
    out->push_back(StoredEvent{std::move(bytes), std::move(event).value()});
  }
  if (seqs.empty()) return Status::Ok();
  StatusOr<PgResult> r = conn.Exec(
      "SELECT s.seq, s.hash, s.subject, s.blob, k.key FROM sealed_values s "
      "LEFT JOIN subject_keys k ON k.org = s.org AND k.subject = s.subject "
      "WHERE s.org = $1 AND s.seq = ANY($2::bigint[])",
      PgParams().Text(org).Text(Int64Array(seqs)));
  if (!r.ok()) return r.status();
  PageSealedSource source;
  for (int i = 0; i < r->rows(); ++i) {
    std::string subject = r->Bytes(i, 2);
    source.blobs[{static_cast<uint64_t>(r->Int(i, 0)), r->Bytes(i, 1)}] =
        privacy::StoredSealed{subject, r->Bytes(i, 3)};
    if (!r->IsNull(i, 4)) source.keys[subject] = r->Bytes(i, 4);
  }
  for (size_t i = first; i < out->size(); ++i) {
    ACTLOG_RETURN_IF_ERROR(privacy::OpenEvent(&(*out)[i].event, *catalog_, source));
  }
  return Status::Ok();
}

StatusOr<ErasureReceipt> PgStore::EraseSubject(std::string_view org, std::string_view subject) {
  if (subject.empty()) return InvalidArgument("invalid_subject", "the subject is empty");
  ErasureReceipt receipt{std::string(org), std::string(subject), clock_->NowMicros()};
  ACTLOG_RETURN_IF_ERROR(pool_->Transaction([&](PgConn& conn) -> Status {
    receipt = ErasureReceipt{std::string(org), std::string(subject), receipt.erased_at_us};
    StatusOr<PgResult> head =
        conn.Exec("SELECT 1 FROM org_heads WHERE org = $1 FOR UPDATE", PgParams().Text(org));
    if (!head.ok()) return head.status();
    if (head->rows() == 0) return NotFound("no org " + std::string(org));
    StatusOr<PgResult> keys = conn.Exec("DELETE FROM subject_keys WHERE org = $1 AND subject = $2",
                                        PgParams().Text(org).Text(subject));
    if (!keys.ok()) return keys.status();
    receipt.keys_destroyed = keys->affected();
    StatusOr<PgResult> values = conn.Exec(
        "DELETE FROM sealed_values WHERE org = $1 AND subject = $2 RETURNING seq, has_email",
        PgParams().Text(org).Text(subject));
    if (!values.ok()) return values.status();
    receipt.values_destroyed = static_cast<uint64_t>(values->rows());
    std::set<int64_t> seqs;
    for (int i = 0; i < values->rows(); ++i) seqs.insert(values->Int(i, 0));
    receipt.events_affected = seqs.size();
    ACTLOG_RETURN_IF_ERROR(ClearBlind(conn, org, subject, &receipt));
    // The content digest covers the plain values: forget it (a retry of that client id
    // is then answered id_conflict), as the embedded store does.
    if (seqs.empty()) return Status::Ok();
    return conn
        .Exec(
            "UPDATE events SET content_digest = ''::bytea WHERE org = $1 AND "
            "seq = ANY($2::bigint[])",
            PgParams().Text(org).Text(Int64Array({seqs.begin(), seqs.end()})))
        .status();
  }));
  // Deleted and updated rows stay in the table files until vacuumed: force them out.
  ACTLOG_RETURN_IF_ERROR(pool_->Run(
      [](PgConn& conn) { return conn.ExecScript("VACUUM subject_keys, sealed_values, personal_index, events"); }));
  return receipt;
}

}  // namespace actlog::store::pg
