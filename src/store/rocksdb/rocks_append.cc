// The write path: Append (or AppendAsync) joins the group-commit queue; the leader plans
// every batch of the group (exactly-once checks, seq and id assignment), emits one
// WriteBatch and writes it with one sync. A batch that conflicts fails alone; a failed
// write fails the whole group. Heads only move after a successful write.
#include <chrono>
#include <map>
#include <set>
#include <unordered_map>

#include "actlog/clock.h"
#include "store/rocksdb/index_entries.h"
#include "store/rocksdb/keys.h"
#include "store/rocksdb/rocks_sealed.h"
#include "store/rocksdb/rocks_status.h"
#include "store/rocksdb/rocks_store.h"

namespace actlog::store {

struct RocksStore::GroupState {
  GroupState(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* sealed_cf,
             privacy::SealReuseCache* cache, int64_t now)
      : now_us(now),
        keys(db, sealed_cf),
        reuse(cache, now,
              [db, sealed_cf](std::string_view org, std::string_view, int64_t window,
                              std::string_view hash) -> StatusOr<bool> {
                std::string ignored;
                rocksdb::Status s =
                    db->Get({}, sealed_cf, SealedBlobKey(org, window, hash), &ignored);
                if (s.IsNotFound()) return false;
                if (!s.ok()) return FromRocks(s, "reading sealed value");
                return true;
              }) {}
  int64_t now_us = 0;
  GroupSubjectKeys keys;      // subject keys read or made by this group
  privacy::GroupReuse reuse;  // blobs this group may refer to (checked under commit_mu_)
  std::unordered_map<std::string, uint64_t> next_seq;     // tentative heads
  std::map<std::pair<std::string, std::string>, IdEntry> ids;  // ids taken in the group
  std::set<std::string> new_orgs;
  struct Run {
    uint64_t first_seq = 0;
    std::vector<std::string> leaves;
  };
  std::map<std::string, Run> runs;  // only kept when an observer is installed
  uint64_t new_events = 0;
};

namespace {

Status IdConflict(size_t index, const Event& event) {
  return Status(StatusCode::kAlreadyExists, "id_conflict",
                "event " + std::to_string(index) + ": id " + event.id +
                    " was already used for another event",
                {{index, "id", "id_conflict", "the id is taken by an event with other content"}});
}

}  // namespace

StatusOr<std::vector<AppendResult>> RocksStore::Append(std::vector<Event> events) {
  return queue_.Append(
      std::move(events),
      [this](std::span<PendingAppend* const> group) { CommitGroup(group); }, counters_);
}

void RocksStore::AppendAsync(std::vector<Event> events, AppendDone done) {
  queue_.AppendAsync(
      std::move(events),
      [this](std::span<PendingAppend* const> group) { CommitGroup(group); }, counters_,
      std::move(done));
}

Status RocksStore::CreateOrg(std::string_view org) {
  PendingAppend pending;
  pending.create_org = std::string(org);
  queue_.Submit(&pending, [this](std::span<PendingAppend* const> group) { CommitGroup(group); });
  return pending.result.status();
}

void RocksStore::CommitGroup(std::span<PendingAppend* const> group) {
  std::lock_guard<std::mutex> commit_lock(commit_mu_);
  GroupState state(db_, sealed_cf_, &reuse_cache_, clock_->NowMicros());
  rocksdb::WriteBatch batch;
  std::vector<PendingAppend*> accepted;
  for (PendingAppend* p : group) {
    if (p->create_org.has_value()) {
      Status created = PlanCreateOrg(*p->create_org, &state, &batch);
      p->result = created.ok() ? StatusOr<std::vector<AppendResult>>(std::vector<AppendResult>())
                               : StatusOr<std::vector<AppendResult>>(created);
    } else {
      p->result = PlanBatch(p->events, state.now_us, &state);
    }
    if (p->result.ok()) accepted.push_back(p);
  }
  if (accepted.empty()) return;

  Status status;
  for (PendingAppend* p : accepted) {
    for (size_t i = 0; i < p->events.size() && status.ok(); ++i) {
      if ((*p->result)[i].duplicate) continue;
      status = EmitEvent(p->events[i], &state, &batch);
    }
  }
  if (status.ok()) status = WriteGroup(&state, &batch);
  if (!status.ok()) {
    for (PendingAppend* p : accepted) p->result = status;
    return;
  }
  state.reuse.Commit();
  for (PendingAppend* p : accepted) {
    for (const AppendResult& r : *p->result) counters_.duplicates.fetch_add(r.duplicate ? 1 : 0);
  }
  std::lock_guard<std::mutex> lock(orgs_mu_);
  for (const auto& [org, next] : state.next_seq) {
    OrgState& org_state = orgs_[org];
    org_state.head = next;
    if (state.new_orgs.count(org)) org_state.created_at_us = state.now_us;
  }
}

// Checks one batch against the store and the earlier batches of the group and assigns
// its seqs and ids. On success the batch's effects join `state`; on failure nothing does.
StatusOr<std::vector<AppendResult>> RocksStore::PlanBatch(std::vector<Event>& events,
                                                          int64_t now_us, GroupState* state) {
  std::unordered_map<std::string, uint64_t> next_seq;
  std::map<std::pair<std::string, std::string>, IdEntry> ids;
  std::vector<AppendResult> results;
  results.reserve(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    Event& e = events[i];
    bool client_id = !e.id.empty();
    if (client_id) {
      std::pair<std::string, std::string> key(e.org, e.id);
      std::optional<IdEntry> found;
      if (auto it = ids.find(key); it != ids.end()) {
        found = it->second;
      } else if (auto git = state->ids.find(key); git != state->ids.end()) {
        found = git->second;
      } else {
        StatusOr<std::optional<IdEntry>> stored = LookupId(e.org, e.id);
        if (!stored.ok()) return stored.status();
        found = *stored;
      }
      if (found.has_value()) {
        if (found->digest != e.content_digest) return IdConflict(i, e);
        results.push_back({e.org, e.id, found->seq, true});
        continue;
      }
    } else {
      e.id = NewEventId(*clock_);
    }
    e.client_id = client_id;
    e.received_at_us = now_us;
    if (e.occurred_at_us < 0) e.occurred_at_us = now_us;
    auto seq_it = next_seq.find(e.org);
    if (seq_it == next_seq.end()) {
      uint64_t head = 0;
      if (auto g = state->next_seq.find(e.org); g != state->next_seq.end()) {
        head = g->second;
      } else if (std::optional<OrgState> org = FindOrg(e.org)) {
        head = org->head;
      }
      seq_it = next_seq.emplace(e.org, head).first;
    }
    e.seq = seq_it->second++;
    ids[{e.org, e.id}] = IdEntry{e.seq, client_id, e.content_digest};
    results.push_back({e.org, e.id, e.seq, false});
  }
  for (auto& [org, next] : next_seq) state->next_seq[org] = next;
  for (auto& [key, entry] : ids) state->ids[key] = std::move(entry);
  return results;
}

// An org is new if neither the registry nor an earlier member of the group has it.
Status RocksStore::PlanCreateOrg(const std::string& org, GroupState* state,
                                 rocksdb::WriteBatch* batch) {
  if (FindOrg(org) || state->next_seq.count(org)) {
    return Status(StatusCode::kAlreadyExists, "org_exists", "org " + org + " already exists");
  }
  std::string created;
  PutFixed64BE(&created, EncodeTime(state->now_us));
  ACTLOG_RETURN_IF_ERROR(FromRocks(
      batch->Put(meta_cf_, std::string(kMetaOrgPrefix) + org, created), "building write batch"));
  state->new_orgs.insert(org);
  state->next_seq[org] = 0;
  return Status::Ok();
}

// Index terms come from the plain event (the blind index needs the address); then the
// event is sealed in place, and its canonical bytes (the leaf) hold only references.
Status RocksStore::EmitEvent(Event& e, GroupState* state, rocksdb::WriteBatch* batch) {
  std::vector<IndexTerm> terms = IndexTermsFor(e, *catalog_, secret_);
  ACTLOG_RETURN_IF_ERROR(
      SealIntoBatch(&e, *catalog_, state->keys, state->reuse, sealed_cf_, batch));
  std::string canonical = CanonicalEvent(e);
  rocksdb::Status s = batch->Put(events_cf_, EventKey(e.org, e.seq), canonical);
  if (s.ok()) {
    s = batch->Put(ids_cf_, IdKey(e.org, e.id),
                   IdValue(IdEntry{e.seq, e.client_id, e.content_digest}));
  }
  // Before the write, so every event a later snapshot sees has its code listed.
  if (s.ok()) codes_->Add(e.org, e.code);
  Position pos{e.occurred_at_us, e.seq};
  for (const IndexTerm& term : terms) {
    if (!s.ok()) break;
    s = batch->Put(index_cf_, IndexKey(e.org, term.kind, term.value, pos), rocksdb::Slice());
  }
  if (s.ok() && !state->new_orgs.count(e.org) && !FindOrg(e.org)) {
    std::string created;
    PutFixed64BE(&created, EncodeTime(state->now_us));
    s = batch->Put(meta_cf_, std::string(kMetaOrgPrefix) + e.org, created);
    state->new_orgs.insert(e.org);
  }
  if (!s.ok()) return FromRocks(s, "building write batch");
  ++state->new_events;
  if (observer_ != nullptr) {
    auto [it, fresh] = state->runs.try_emplace(e.org);
    if (fresh) it->second.first_seq = e.seq;
    it->second.leaves.push_back(std::move(canonical));
  }
  return Status::Ok();
}

Status RocksStore::WriteGroup(GroupState* state, rocksdb::WriteBatch* batch) {
  if (observer_ != nullptr) {
    for (const auto& [org, run] : state->runs) {
      std::vector<std::string_view> leaves(run.leaves.begin(), run.leaves.end());
      ACTLOG_RETURN_IF_ERROR(observer_->OnAppend(org, run.first_seq, leaves, batch));
    }
  }
  if (batch->Count() == 0) return Status::Ok();  // only duplicates: nothing to write
  rocksdb::WriteOptions write;
  write.sync = sync_;
  auto start = std::chrono::steady_clock::now();
  rocksdb::Status s = db_->Write(write, batch);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count();
  if (!s.ok()) return FromRocks(s, "writing events");
  counters_.CountGroupWrite(state->new_events, micros);
  return Status::Ok();
}

}  // namespace actlog::store
