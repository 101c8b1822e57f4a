// The write path: Append joins the group-commit queue; the leader runs the whole group
// as one transaction (see pg_store.h). Within it, in this order:
//   1. head rows of orgs new to the database are inserted (ON CONFLICT DO NOTHING), then
//      every head the group touches is locked, in org order, with SELECT ... FOR UPDATE;
//   2. the group's client ids are looked up in one query;
//   3. each batch is planned as in the embedded store (exactly-once, seqs, ids); a batch
//      that conflicts fails alone;
//   4. the planned events are inserted, each org's tree tiles extended and its head
//      moved; head rows that only failed batches wanted are deleted again; COMMIT.
// A deadlock between nodes makes PostgreSQL abort one transaction; it is run again.
#include <chrono>
#include <map>
#include <memory>
#include <set>

#include "actlog/clock.h"
#include "actlog/tiles.h"
#include "privacy/blind_index.h"
#include "store/postgres/pg_blind.h"
#include "store/postgres/pg_rows.h"
#include "store/postgres/pg_sealed.h"
#include "store/postgres/pg_store.h"
#include "store/rocksdb/index_entries.h"

namespace actlog::store::pg {

using integrity::Hash;

struct PgStore::Group {
  struct Head {
    uint64_t committed = 0;  // next seq before this transaction
    uint64_t next = 0;       // tentative next seq
    std::string frontier;
  };
  struct Stored {
    uint64_t seq = 0;
    std::string digest;
  };
  int64_t now_us = 0;
  std::map<std::string, Head> heads;  // every locked org
  std::set<std::string> fresh;        // head rows this transaction inserted
  std::set<std::string> used;         // orgs an accepted batch writes or creates
  std::map<std::pair<std::string, std::string>, Stored> ids;  // stored and planned
  std::vector<Event> rows;       // accepted new events, in seq order per org
  std::vector<size_t> accepted;  // group positions of accepted appends
  bool planned = false;          // every batch has its own result
  std::shared_ptr<privacy::GroupReuse> reuse;  // new blobs join the cache after COMMIT
};

namespace {

constexpr int kEventColumns = 15;

Status IdConflict(size_t index, const Event& event) {
  return Status(
      StatusCode::kAlreadyExists, "id_conflict",
      "event " + std::to_string(index) + ": id " + event.id + " was already used for another event",
      {{index, "id", "id_conflict", "the id is taken by an event with other content"}});
}

std::string_view HashBytes(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

std::vector<std::string> GroupOrgs(std::span<PendingAppend* const> group) {
  std::set<std::string> orgs;
  for (PendingAppend* p : group) {
    if (p->create_org) orgs.insert(*p->create_org);
    for (const Event& e : p->events) orgs.insert(e.org);
  }
  return {orgs.begin(), orgs.end()};
}

Status LockHeads(PgConn& conn, const std::vector<std::string>& orgs, PgStore::Group* g) {
  std::string array = TextArray(orgs);
  StatusOr<PgResult> fresh = conn.Exec(
      "INSERT INTO org_heads (org, created_at) SELECT o, $2 FROM unnest($1::text[]) AS o "
      "ORDER BY o ON CONFLICT DO NOTHING RETURNING org",
      PgParams().Text(array).Int(g->now_us));
  if (!fresh.ok()) return fresh.status();
  for (int i = 0; i < fresh->rows(); ++i) g->fresh.insert(fresh->Bytes(i, 0));
  StatusOr<PgResult> heads = conn.Exec(
      "SELECT org, next_seq, frontier FROM org_heads WHERE org = ANY($1::text[]) "
      "ORDER BY org FOR UPDATE",
      PgParams().Text(array));
  if (!heads.ok()) return heads.status();
  for (int i = 0; i < heads->rows(); ++i) {
    PgStore::Group::Head head;
    head.committed = head.next = static_cast<uint64_t>(heads->Int(i, 1));
    head.frontier = heads->Bytes(i, 2);
    g->heads[heads->Bytes(i, 0)] = std::move(head);
  }
  if (g->heads.size() != orgs.size()) return Internal("an org head row vanished while locked");
  return Status::Ok();
}

Status LoadIds(PgConn& conn, std::span<PendingAppend* const> group, PgStore::Group* g) {
  std::vector<std::string> orgs, ids;
  for (PendingAppend* p : group) {
    for (const Event& e : p->events) {
      if (e.id.empty()) continue;
      orgs.push_back(e.org);
      ids.push_back(e.id);
    }
  }
  if (ids.empty()) return Status::Ok();
  StatusOr<PgResult> r = conn.Exec(
      "SELECT e.org, e.id, e.seq, e.content_digest FROM unnest($1::text[], $2::text[]) AS "
      "k(org, id) JOIN events e ON e.org = k.org AND e.id = k.id",
      PgParams().Text(TextArray(orgs)).Text(TextArray(ids)));
  if (!r.ok()) return r.status();
  for (int i = 0; i < r->rows(); ++i) {
    g->ids[{r->Bytes(i, 0), r->Bytes(i, 1)}] =
        PgStore::Group::Stored{static_cast<uint64_t>(r->Int(i, 2)), r->Bytes(i, 3)};
  }
  return Status::Ok();
}

// Plans one batch against the group so far; on success its effects join `g`.
StatusOr<std::vector<AppendResult>> PlanBatch(std::vector<Event> events, const Clock& clock,
                                              PgStore::Group* g) {
  std::map<std::string, uint64_t> next;
  std::map<std::pair<std::string, std::string>, PgStore::Group::Stored> ids;
  std::vector<AppendResult> results;
  std::vector<Event> rows;
  for (size_t i = 0; i < events.size(); ++i) {
    Event& e = events[i];
    bool client_id = !e.id.empty();
    if (client_id) {
      std::pair<std::string, std::string> key(e.org, e.id);
      const PgStore::Group::Stored* found = nullptr;
      if (auto it = ids.find(key); it != ids.end()) {
        found = &it->second;
      } else if (auto git = g->ids.find(key); git != g->ids.end()) {
        found = &git->second;
      }
      if (found != nullptr) {
        if (found->digest != e.content_digest) return IdConflict(i, e);
        results.push_back({e.org, e.id, found->seq, true});
        continue;
      }
    } else {
      e.id = NewEventId(clock);
    }
    e.client_id = client_id;
    e.received_at_us = g->now_us;
    if (e.occurred_at_us < 0) e.occurred_at_us = g->now_us;
    auto [it, fresh] = next.try_emplace(e.org, 0);
    if (fresh) it->second = g->heads.at(e.org).next;
    e.seq = it->second++;
    ids[{e.org, e.id}] = PgStore::Group::Stored{e.seq, e.content_digest};
    results.push_back({e.org, e.id, e.seq, false});
    rows.push_back(std::move(e));
  }
  for (auto& [org, n] : next) {
    g->heads.at(org).next = n;
    g->used.insert(org);
  }
  for (auto& [key, stored] : ids) g->ids[key] = std::move(stored);
  std::move(rows.begin(), rows.end(), std::back_inserter(g->rows));
  return results;
}

// `emails` are the plain actor emails (the events' own are sealed by now).
Status InsertEvents(PgConn& conn, const std::vector<Event>& rows,
                    const std::vector<std::string>& canonical,
                    const std::vector<std::optional<std::string>>& emails,
                    std::string_view secret) {
  return InsertRows(
      conn,
      "INSERT INTO events (org, seq, id, client_id, content_digest, occurred_at, "
      "received_at, code, actor_id, actor_type, actor_email, target_type, target_id, "
      "outcome, canonical) VALUES ",
      kEventColumns, rows.size(), [&](size_t i, PgParams& params) {
        const Event& e = rows[i];
        params.Text(e.org).Int(static_cast<int64_t>(e.seq)).Text(e.id);
        params.Text(e.client_id ? "true" : "false").Bytes(e.content_digest);
        params.Int(e.occurred_at_us).Int(e.received_at_us).Text(e.code).Text(e.actor.id);
        params.Text(ToString(e.actor.type));
        if (emails[i]) {
          params.Bytes(BlindEmail(secret, *emails[i]));
        } else {
          params.Null();
        }
        if (e.target) {
          params.Text(e.target->type).Text(e.target->id);
        } else {
          params.Null().Null();
        }
        params.Text(ToString(e.outcome)).Text(canonical[i]);
      });
}

// Extends `org`'s tree by `leaves` (its events committed..next-1) in the same transaction:
// new tiles are inserted, partial tiles grow in place (only if they end where the tree
// does), and the new frontier goes to the head row with the new next_seq.
Status ExtendTree(PgConn& conn, const std::string& org, const PgStore::Group::Head& head,
                  const std::vector<std::string_view>& leaves) {
  StatusOr<std::vector<Hash>> frontier = DecodeFrontier(head.frontier, head.committed, org);
  if (!frontier.ok()) return frontier.status();
  StatusOr<integrity::IncrementalTree> tree =
      integrity::IncrementalTree::FromFrontier(head.committed, std::move(frontier).value());
  if (!tree.ok()) return tree.status();
  struct TileAppend {
    uint32_t first = 0;
    std::string bytes;
  };
  std::map<std::pair<uint8_t, uint64_t>, TileAppend> appends;
  auto sink = [&appends](const integrity::NodeId& node, const Hash& hash) {
    std::optional<integrity::TileSlot> slot = integrity::SlotForNode(node);
    if (!slot) return;
    auto [it, fresh] = appends.try_emplace({slot->tile.level, slot->tile.index});
    if (fresh) it->second.first = slot->position;
    it->second.bytes.append(HashBytes(hash));
  };
  for (std::string_view leaf : leaves) ACTLOG_RETURN_IF_ERROR(tree->Append(leaf, sink));
  for (const auto& [tile, append] : appends) {
    PgParams params;
    params.Text(org).Int(tile.first).Int(static_cast<int64_t>(tile.second)).Bytes(append.bytes);
    StatusOr<PgResult> r = Status::Ok();
    if (append.first == 0) {
      r = conn.Exec("INSERT INTO tree_tiles (org, level, idx, hashes) VALUES ($1, $2, $3, $4)",
                    params);
      if (!r.ok() && r.status().code() == StatusCode::kAlreadyExists) {
        return DataLoss("org " + org + ": a tree tile already exists where a new one starts");
      }
    } else {
      params.Int(int64_t{append.first} * integrity::kHashSize);
      r = conn.Exec(
          "UPDATE tree_tiles SET hashes = hashes || $4 WHERE org = $1 AND level = $2 AND "
          "idx = $3 AND octet_length(hashes) = $5",
          params);
      if (r.ok() && r->affected() != 1) {
        return DataLoss("org " + org + ": stored tile " +
                        integrity::TilePath({tile.first, tile.second, integrity::kTileWidth}) +
                        " does not end where the tree does");
      }
    }
    if (!r.ok()) return r.status();
  }
  std::string record;
  for (const Hash& h : tree->frontier()) record.append(HashBytes(h));
  return conn
      .Exec("UPDATE org_heads SET next_seq = $2, frontier = $3 WHERE org = $1",
            PgParams().Text(org).Int(static_cast<int64_t>(tree->size())).Bytes(record))
      .status();
}

}  // namespace

StatusOr<std::vector<AppendResult>> PgStore::Append(std::vector<Event> events) {
  return queue_.Append(
      std::move(events),
      [this](std::span<PendingAppend* const> group) { CommitGroup(group); }, counters_);
}

void PgStore::CommitGroup(std::span<PendingAppend* const> group) {
  // Sized before the transaction: it may fail before the first attempt runs.
  std::vector<StatusOr<std::vector<AppendResult>>> results(group.size(),
                                                           Internal("append was not committed"));
  Group state;
  auto start = std::chrono::steady_clock::now();
  Status status = pool_->Transaction([&](PgConn& conn) {
    results.assign(group.size(), Internal("append was not committed"));
    state = Group();
    return CommitGroupOnce(conn, group, &results, &state);
  });
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count();
  if (!status.ok()) {
    // Batches that failed their own checks keep their error; the rest get the failure.
    if (!state.planned) {
      for (auto& r : results) r = status;
    }
    for (size_t i : state.accepted) results[i] = status;
  } else if (!state.rows.empty()) {
    counters_.CountGroupWrite(state.rows.size(), micros);
    if (state.reuse) state.reuse->Commit();
  }
  for (size_t i = 0; i < group.size(); ++i) {
    if (status.ok() && results[i].ok()) {
      for (const AppendResult& r : *results[i]) counters_.duplicates.fetch_add(r.duplicate ? 1 : 0);
    }
    group[i]->result = std::move(results[i]);
  }
}

Status PgStore::CommitGroupOnce(PgConn& conn, std::span<PendingAppend* const> group,
                                std::vector<StatusOr<std::vector<AppendResult>>>* results,
                                Group* g) {
  g->now_us = clock_->NowMicros();
  ACTLOG_RETURN_IF_ERROR(LockHeads(conn, GroupOrgs(group), g));
  ACTLOG_RETURN_IF_ERROR(LoadIds(conn, group, g));
  for (size_t i = 0; i < group.size(); ++i) {
    PendingAppend* p = group[i];
    if (p->create_org) {
      const std::string& org = *p->create_org;
      if (!g->fresh.count(org) || g->used.count(org)) {
        (*results)[i] =
            Status(StatusCode::kAlreadyExists, "org_exists", "org " + org + " already exists");
        continue;
      }
      g->used.insert(org);
      (*results)[i] = std::vector<AppendResult>();
    } else {
      (*results)[i] = PlanBatch(p->events, *clock_, g);
    }
    if ((*results)[i].ok()) g->accepted.push_back(i);
  }
  g->planned = true;

  // Personal values are sealed before the canonical bytes (the leaves) are made.
  std::vector<std::optional<std::string>> emails;
  std::vector<PersonalIndexRow> searchable;
  std::vector<SealedRow> sealed;
  GroupSubjectKeys keys(&conn);
  ACTLOG_RETURN_IF_ERROR(keys.Prefetch(g->rows));
  g->reuse = std::make_shared<privacy::GroupReuse>(&reuse_cache_, g->now_us);
  for (Event& e : g->rows) {
    emails.push_back(e.actor.email);
    for (privacy::BlindTerm& t : privacy::SearchableTerms(e, *catalog_, secret_)) {
      searchable.push_back({e.org, e.seq, std::move(t)});
    }
    StatusOr<std::vector<privacy::SealedValue>> values =
        privacy::SealEvent(&e, *catalog_, keys, g->reuse.get());
    if (!values.ok()) return values.status();
    for (privacy::SealedValue& v : *values) {
      if (!v.reused) sealed.push_back({e.org, g->reuse->window(), std::move(v)});
    }
  }
  ACTLOG_RETURN_IF_ERROR(CheckReused(conn, *g->reuse, &reuse_cache_));
  std::vector<std::string> canonical;
  canonical.reserve(g->rows.size());
  std::map<std::string, std::vector<std::string_view>> leaves;
  for (const Event& e : g->rows) canonical.push_back(CanonicalEvent(e));
  for (size_t i = 0; i < g->rows.size(); ++i) leaves[g->rows[i].org].push_back(canonical[i]);
  ACTLOG_RETURN_IF_ERROR(InsertEvents(conn, g->rows, canonical, emails, secret_));
  ACTLOG_RETURN_IF_ERROR(InsertPersonalIndex(conn, searchable));
  ACTLOG_RETURN_IF_ERROR(keys.InsertNew());
  ACTLOG_RETURN_IF_ERROR(InsertSealed(conn, sealed));
  for (const auto& [org, org_leaves] : leaves) {
    ACTLOG_RETURN_IF_ERROR(ExtendTree(conn, org, g->heads.at(org), org_leaves));
  }
  if (!leaves.empty()) {
    // Delivered to listeners at commit only (NOTIFY is transactional).
    std::vector<std::string> payloads;
    for (const auto& [org, org_leaves] : leaves) {
      payloads.push_back(std::to_string(g->heads.at(org).committed + org_leaves.size()) + " " +
                         org);
    }
    ACTLOG_RETURN_IF_ERROR(
        conn.Exec("SELECT pg_notify('actlog_append', p) FROM unnest($1::text[]) AS p",
                  PgParams().Text(TextArray(payloads)))
            .status());
  }
  std::vector<std::string> unused;
  for (const std::string& org : g->fresh) {
    if (!g->used.count(org)) unused.push_back(org);
  }
  if (!unused.empty()) {
    ACTLOG_RETURN_IF_ERROR(conn.Exec("DELETE FROM org_heads WHERE org = ANY($1::text[])",
                                     PgParams().Text(TextArray(unused)))
                               .status());
  }
  return Status::Ok();
}

}  // namespace actlog::store::pg
