// Sealed personal values on the PostgreSQL store (DESIGN §7; the crypto and the choice
// of values are src/privacy's, shared with the embedded store).
//
//   subject_keys(org, subject, key)             one random key per subject in an org
//   sealed_blobs(org, hash, time_window, subject, blob)
//                                               one blob per subject and distinct values in
//                                               a reuse window (privacy/seal_reuse.h)
//   sealed_values(org, seq, hash, subject, ...) one blob per (event, subject), as written
//                                               before sealed_blobs: still read and erased
//
// Appends seal in the group's transaction, after seqs are assigned and before the
// canonical bytes are made (pg_append.cc); new keys and blobs are inserted there too,
// and blobs taken from the reuse cache are checked to exist (CheckReused). Reads open a
// page of events with one query (DecodeAndOpen). EraseSubject deletes the subject's key
// and blobs, clears its blind-index entries (pg_blind.cc) and forgets the content
// digests of the events that referred to its blobs, all under the org's head lock, then
// VACUUMs the tables so the deleted rows leave the table files.
#include "store/postgres/pg_sealed.h"

#include <algorithm>
#include <set>

#include <sodium.h>

#include "actlog/clock.h"
#include "privacy/seal_reuse.h"
#include "privacy/sealing.h"
#include "store/postgres/pg_rows.h"
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

std::string HexArray(const std::vector<std::string>& items) {
  std::vector<std::string> hex;
  hex.reserve(items.size());
  for (const std::string& item : items) {
    std::string h(item.size() * 2 + 1, '\0');
    sodium_bin2hex(h.data(), h.size(), reinterpret_cast<const unsigned char*>(item.data()),
                   item.size());
    h.pop_back();
    hex.push_back(std::move(h));
  }
  return TextArray(hex);
}

// Blobs and keys of one page of events, fetched at once; hashes are unique, so blobs are
// found by hash alone.
class PageSealedSource final : public privacy::SealedSource {
 public:
  std::map<std::string, privacy::StoredSealed> blobs;
  std::map<std::string, std::string> keys;

  StatusOr<std::optional<privacy::StoredSealed>> FindSealed(const Event&,
                                                            std::string_view hash) override {
    auto it = blobs.find(std::string(hash));
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
  return InsertRows(*conn_, "INSERT INTO subject_keys (org, subject, key) VALUES ", 3,
                    fresh_.size(), [this](size_t i, PgParams& params) {
                      params.Text(fresh_[i].first).Text(fresh_[i].second).Bytes(keys_.at(fresh_[i]));
                    });
}

Status InsertSealed(PgConn& conn, const std::vector<SealedRow>& rows) {
  return InsertRows(conn, "INSERT INTO sealed_blobs (org, hash, time_window, subject, blob) VALUES ",
                    5, rows.size(), [&rows](size_t i, PgParams& params) {
                      const SealedRow& row = rows[i];
                      params.Text(row.org).Bytes(row.value.hash).Int(row.window);
                      params.Text(row.value.subject).Bytes(row.value.blob);
                    });
}

Status CheckReused(PgConn& conn, const privacy::GroupReuse& reuse,
                   privacy::SealReuseCache* cache) {
  const std::vector<privacy::GroupReuse::Unchecked>& used = reuse.FromCache();
  if (used.empty()) return Status::Ok();
  std::vector<std::string> orgs, hashes;
  for (const privacy::GroupReuse::Unchecked& u : used) {
    orgs.push_back(u.org);
    hashes.push_back(u.hash);
  }
  StatusOr<PgResult> r = conn.Exec(
      "SELECT u.org, b.hash FROM unnest($1::text[], $2::text[]) AS u(org, h) "
      "JOIN sealed_blobs b ON b.org = u.org AND b.hash = decode(u.h, 'hex')",
      PgParams().Text(TextArray(orgs)).Text(HexArray(hashes)));
  if (!r.ok()) return r.status();
  std::set<std::pair<std::string, std::string>> found;
  for (int i = 0; i < r->rows(); ++i) found.emplace(r->Bytes(i, 0), r->Bytes(i, 1));
  size_t gone = 0;
  for (const privacy::GroupReuse::Unchecked& u : used) {
    if (found.count({u.org, u.hash})) continue;
    cache->Forget(u.cache_key);
    ++gone;
  }
  if (gone == 0) return Status::Ok();
  return Status(StatusCode::kUnavailable, "pg_retry",
                std::to_string(gone) + " cached sealed values are gone: sealing again");
}

Status PgStore::DecodeAndOpen(PgConn& conn, std::string_view org,
                              std::vector<std::string> canonical,
                              std::vector<StoredEvent>* out) const {
  size_t first = out->size();
  std::vector<int64_t> seqs;
  std::set<std::string> hashes;
  for (std::string& bytes : canonical) {
    StatusOr<Event> event = DecodeEvent(bytes);
    if (!event.ok()) return event.status();
    seqs.push_back(static_cast<int64_t>(event->seq));
    hashes.merge(privacy::SealedHashesOf(&*event, *catalog_));
    out->push_back(StoredEvent{std::move(bytes), std::move(event).value()});
  }
  if (hashes.empty()) return Status::Ok();
  // Each blob of the page once (many events share one), and any per-event blobs written
  // before sealed_blobs existed.
  StatusOr<PgResult> r = conn.Exec(
      "SELECT s.hash, s.subject, s.blob, k.key FROM ("
      "SELECT org, hash, subject, blob FROM sealed_blobs WHERE org = $1 AND hash IN "
      "(SELECT decode(h, 'hex') FROM unnest($2::text[]) AS h) "
      "UNION ALL SELECT org, hash, subject, blob FROM sealed_values "
      "WHERE org = $1 AND seq = ANY($3::bigint[])) s "
      "LEFT JOIN subject_keys k ON k.org = s.org AND k.subject = s.subject",
      PgParams()
          .Text(org)
          .Text(HexArray({hashes.begin(), hashes.end()}))
          .Text(Int64Array(seqs)));
  if (!r.ok()) return r.status();
  PageSealedSource source;
  for (int i = 0; i < r->rows(); ++i) {
    std::string subject = r->Bytes(i, 1);
    source.blobs[r->Bytes(i, 0)] = privacy::StoredSealed{subject, r->Bytes(i, 2)};
    if (!r->IsNull(i, 3)) source.keys[subject] = r->Bytes(i, 3);
  }
  privacy::OpenedBlobs opened;
  for (size_t i = first; i < out->size(); ++i) {
    ACTLOG_RETURN_IF_ERROR(privacy::OpenEvent(&(*out)[i].event, *catalog_, source, &opened));
  }
  return Status::Ok();
}

namespace {

// Deletes the subject's blobs (both layouts); returns their hashes.
StatusOr<std::set<std::string>> DeleteSubjectBlobs(PgConn& conn, std::string_view org,
                                                   std::string_view subject) {
  std::set<std::string> hashes;
  for (const char* table : {"sealed_blobs", "sealed_values"}) {
    StatusOr<PgResult> r =
        conn.Exec(std::string("DELETE FROM ") + table +
                      " WHERE org = $1 AND subject = $2 RETURNING hash",
                  PgParams().Text(org).Text(subject));
    if (!r.ok()) return r.status();
    for (int i = 0; i < r->rows(); ++i) hashes.insert(r->Bytes(i, 0));
  }
  return hashes;
}

}  // namespace

// The seqs of the subject's events (as actor or target) that refer to one of `hashes`.
StatusOr<std::vector<int64_t>> PgStore::EventsReferring(PgConn& conn, std::string_view org,
                                                        std::string_view subject,
                                                        const std::set<std::string>& hashes) {
  StatusOr<PgResult> r = conn.Exec(
      "SELECT canonical FROM events WHERE org = $1 AND actor_id = $2 UNION ALL "
      "SELECT canonical FROM events WHERE org = $1 AND target_id = $2 AND actor_id <> $2",
      PgParams().Text(org).Text(subject));
  if (!r.ok()) return r.status();
  std::vector<int64_t> seqs;
  for (int i = 0; i < r->rows(); ++i) {
    StatusOr<Event> event = DecodeEvent(r->Bytes(i, 0));
    if (!event.ok()) return event.status();
    for (const std::string& hash : privacy::SealedHashesOf(&*event, *catalog_)) {
      if (hashes.count(hash)) {
        seqs.push_back(static_cast<int64_t>(event->seq));
        break;
      }
    }
  }
  return seqs;
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
    StatusOr<std::set<std::string>> hashes = DeleteSubjectBlobs(conn, org, subject);
    if (!hashes.ok()) return hashes.status();
    receipt.values_destroyed = hashes->size();
    ACTLOG_RETURN_IF_ERROR(ClearBlind(conn, org, subject, &receipt));
    if (hashes->empty()) return Status::Ok();
    StatusOr<std::vector<int64_t>> seqs = EventsReferring(conn, org, subject, *hashes);
    if (!seqs.ok()) return seqs.status();
    receipt.events_affected = seqs->size();
    // The content digest covers the plain values: forget it (a retry of that client id
    // is then answered id_conflict), as the embedded store does.
    if (seqs->empty()) return Status::Ok();
    return conn
        .Exec(
            "UPDATE events SET content_digest = ''::bytea WHERE org = $1 AND "
            "seq = ANY($2::bigint[])",
            PgParams().Text(org).Text(Int64Array(*seqs)))
        .status();
  }));
  // Deleted and updated rows stay in the table files until vacuumed: force them out.
  ACTLOG_RETURN_IF_ERROR(pool_->Run([](PgConn& conn) {
    return conn.ExecScript(
        "VACUUM subject_keys, sealed_blobs, sealed_values, personal_index, events");
  }));
  return receipt;
}

}  // namespace actlog::store::pg
