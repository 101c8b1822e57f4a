// Erasure and retention in the embedded store (docs/PRIVACY.md, docs/STORAGE.md).
//
// Both delete records in one synced WriteBatch while holding commit_mu_ (so no group
// commit creates a key or value of the same subject meanwhile), then force the deleted
// bytes out of the files: every column family is flushed, which makes every WAL file
// written before obsolete (RocksDB deletes it), and the org's key range of the affected
// column families is compacted down to the last level with bottommost compaction
// forced, which drops the deleted records and their tombstones from the SST files.
#include <set>

#include "actlog/clock.h"
#include "privacy/personal_fields.h"
#include "privacy/seal_reuse.h"
#include "store/rocksdb/index_entries.h"
#include "store/rocksdb/keys.h"
#include "store/rocksdb/rocks_sealed.h"
#include "store/rocksdb/rocks_status.h"
#include "store/rocksdb/rocks_store.h"

namespace actlog::store {
namespace {

constexpr size_t kPruneChunk = 1000;  // events per synced delete batch

}  // namespace

Status RocksStore::ForceOut(std::string_view org,
                            std::span<rocksdb::ColumnFamilyHandle* const> families) {
  rocksdb::FlushOptions flush;
  flush.wait = true;
  ACTLOG_RETURN_IF_ERROR(FromRocks(db_->Flush(flush, handles_), "flushing"));
  std::string begin = OrgPrefix(org), end = PrefixSuccessor(begin);
  rocksdb::Slice begin_slice(begin), end_slice(end);
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  for (rocksdb::ColumnFamilyHandle* h : families) {
    ACTLOG_RETURN_IF_ERROR(
        FromRocks(db_->CompactRange(compact, h, &begin_slice, &end_slice), "compacting"));
  }
  return Status::Ok();
}

// Deletes the subject's blobs, their entries in its list and the blind-index entries of
// their values; returns the blobs' hashes.
StatusOr<std::set<std::string>> RocksStore::DeleteSubjectValues(
    std::string_view org, std::string_view subject, const std::optional<std::string>& key,
    rocksdb::WriteBatch* batch, ErasureReceipt* receipt) {
  RocksSealedSource source(db_, sealed_cf_);
  std::set<std::string> hashes;
  std::vector<Json> values;  // the opened blobs, for their blind-index entries
  std::string prefix = SubjectValuesPrefix(org, subject), upper = PrefixSuccessor(prefix);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read;
  read.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, sealed_cf_));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    std::string_view rest(it->key().data() + prefix.size(), it->key().size() - prefix.size());
    int64_t window = 0;
    std::string hash;
    if (!ParseWindowHash(rest, &window, &hash)) return DataLoss("damaged subject entry");
    StatusOr<std::optional<SealedRecord>> record = source.FindRecord(org, window, hash);
    if (!record.ok()) return record.status();
    if (record->has_value()) {
      if (key.has_value()) {
        StatusOr<Json> opened = privacy::OpenValues(*key, org, subject, (*record)->blob);
        if (!opened.ok()) return opened.status();
        values.push_back(std::move(opened).value());
      }
      batch->Delete(sealed_cf_, SealedBlobKey(org, window, hash));
      ++receipt->values_destroyed;
      hashes.insert(std::move(hash));
    }
    batch->Delete(sealed_cf_, it->key());
  }
  ACTLOG_RETURN_IF_ERROR(FromRocks(it->status(), "reading subject entries"));
  ACTLOG_RETURN_IF_ERROR(DeleteBlindEntries(org, subject, values, batch, receipt));
  return hashes;
}

// A subject is an actor id or a target id (privacy/personal_fields.h), so its events are
// in the actor and target-id index streams; of those, the ones that refer to one of
// `hashes` held the subject's values.
StatusOr<std::vector<Event>> RocksStore::EventsReferring(std::string_view org,
                                                         std::string_view subject,
                                                         const std::set<std::string>& hashes) {
  std::set<uint64_t> seqs;
  for (IndexKind kind : {IndexKind::kActor, IndexKind::kTargetId}) {
    std::string prefix = IndexPrefix(org, kind, subject), upper = PrefixSuccessor(prefix);
    rocksdb::Slice upper_slice(upper);
    rocksdb::ReadOptions read;
    read.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, index_cf_));
    for (it->Seek(prefix); it->Valid(); it->Next()) {
      std::string_view key(it->key().data(), it->key().size());
      if (key.size() < prefix.size() + kPositionBytes) return DataLoss("damaged index entry");
      seqs.insert(ParsePositionSuffix(key).seq);
    }
    ACTLOG_RETURN_IF_ERROR(FromRocks(it->status(), "reading index"));
  }
  std::vector<Event> events;
  for (uint64_t seq : seqs) {
    std::string canonical;
    rocksdb::Status s = db_->Get({}, events_cf_, EventKey(org, seq), &canonical);
    if (s.IsNotFound()) continue;
    ACTLOG_RETURN_IF_ERROR(FromRocks(s, "reading event"));
    StatusOr<Event> event = DecodeEvent(canonical);
    if (!event.ok()) return event.status();
    for (const std::string& hash : privacy::SealedHashesOf(&*event, *catalog_)) {
      if (hashes.count(hash)) {
        events.push_back(std::move(event).value());
        break;
      }
    }
  }
  return events;
}

// The content digest covers the plain values: a reader who knows the rest of the event
// could test guesses against it. Forget it (a retry of that client id is then answered
// id_conflict).
Status RocksStore::ForgetDigests(std::string_view org, const std::vector<Event>& events,
                                 rocksdb::WriteBatch* batch) {
  for (const Event& event : events) {
    StatusOr<std::optional<IdEntry>> id = LookupId(org, event.id);
    if (!id.ok()) return id.status();
    if (!id->has_value()) continue;
    (*id)->digest.clear();
    batch->Put(ids_cf_, IdKey(org, event.id), IdValue(**id));
  }
  return Status::Ok();
}

StatusOr<ErasureReceipt> RocksStore::EraseSubject(std::string_view org,
                                                  std::string_view subject) {
  if (!FindOrg(org)) return NotFound("no org " + std::string(org));
  if (subject.empty()) return InvalidArgument("invalid_subject", "the subject is empty");
  ErasureReceipt receipt{std::string(org), std::string(subject), clock_->NowMicros()};
  {
    std::lock_guard<std::mutex> lock(commit_mu_);
    RocksSealedSource source(db_, sealed_cf_);
    StatusOr<std::optional<std::string>> key = source.FindKey(org, subject);
    if (!key.ok()) return key.status();
    rocksdb::WriteBatch batch;
    StatusOr<std::set<std::string>> hashes =
        DeleteSubjectValues(org, subject, *key, &batch, &receipt);
    if (!hashes.ok()) return hashes.status();
    std::vector<Event> events;
    if (!hashes->empty()) {
      StatusOr<std::vector<Event>> found = EventsReferring(org, subject, *hashes);
      if (!found.ok()) return found.status();
      events = std::move(found).value();
    }
    ACTLOG_RETURN_IF_ERROR(ForgetDigests(org, events, &batch));
    if (key->has_value()) {
      batch.Delete(sealed_cf_, SubjectKeyKey(org, subject));
      receipt.keys_destroyed = 1;
    }
    receipt.events_affected = events.size();
    if (batch.Count() > 0) {
      rocksdb::WriteOptions write;
      write.sync = true;
      ACTLOG_RETURN_IF_ERROR(FromRocks(db_->Write(write, &batch), "erasing subject"));
    }
  }
  rocksdb::ColumnFamilyHandle* const families[] = {sealed_cf_, index_cf_, ids_cf_};
  ACTLOG_RETURN_IF_ERROR(ForceOut(org, families));
  return receipt;
}

// Deletes the event at `seq`, its id entry and its index entries (from the opened event,
// so the blind-index entry of its address goes too). Its blobs stay: other events of
// their window may share them (PruneWindows deletes them).
Status RocksStore::PruneEvent(std::string_view org, uint64_t seq, std::string_view canonical,
                              privacy::OpenedBlobs* opened_blobs, rocksdb::WriteBatch* batch) {
  StatusOr<Event> sealed = DecodeEvent(canonical);
  if (!sealed.ok()) return sealed.status();
  Event opened = *sealed;
  RocksSealedSource source(db_, sealed_cf_);
  ACTLOG_RETURN_IF_ERROR(privacy::OpenEvent(&opened, *catalog_, source, opened_blobs));
  Position pos{sealed->occurred_at_us, seq};
  for (const IndexTerm& term : IndexTermsFor(opened, *catalog_, secret_)) {
    batch->Delete(index_cf_, IndexKey(org, term.kind, term.value, pos));
  }
  batch->Delete(ids_cf_, IdKey(org, sealed->id));
  batch->Delete(events_cf_, EventKey(org, seq));
  return Status::Ok();
}

// Deletes the blobs (and their list entries) of every reuse window that ended at or
// before `cutoff_us`: every event of such a window was received before the cutoff, so
// PruneChunk has removed it. In synced batches of kPruneChunk blobs, under commit_mu_,
// so no append checks a blob for reuse while it goes.
StatusOr<size_t> RocksStore::PruneWindows(std::string_view org, int64_t cutoff_us) {
  std::string lower = SealedBlobsPrefix(org);
  std::string upper = SealedBlobsBefore(org, privacy::ReuseWindow(cutoff_us));
  size_t total = 0;
  while (true) {
    std::lock_guard<std::mutex> lock(commit_mu_);
    rocksdb::Slice upper_slice(upper);
    rocksdb::ReadOptions read;
    read.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, sealed_cf_));
    rocksdb::WriteBatch batch;
    size_t removed = 0;
    for (it->Seek(lower); it->Valid() && removed < kPruneChunk; it->Next()) {
      std::string_view rest(it->key().data() + lower.size(), it->key().size() - lower.size());
      int64_t window = 0;
      std::string hash;
      SealedRecord record;
      if (!ParseWindowHash(rest, &window, &hash) ||
          !ParseSealedRecord(std::string_view(it->value().data(), it->value().size()),
                             &record)) {
        return DataLoss("damaged sealed value record");
      }
      batch.Delete(sealed_cf_, it->key());
      batch.Delete(sealed_cf_, SubjectValueKey(org, record.subject, window, hash));
      ++removed;
    }
    ACTLOG_RETURN_IF_ERROR(FromRocks(it->status(), "reading sealed values"));
    if (removed == 0) break;
    rocksdb::WriteOptions write;
    write.sync = true;
    ACTLOG_RETURN_IF_ERROR(FromRocks(db_->Write(write, &batch), "pruning sealed values"));
    total += removed;
    if (removed < kPruneChunk) break;
  }
  return total;
}

// One synced batch of at most kPruneChunk events from the org's pruned mark on, with the
// moved mark; commit_mu_ is held only for the chunk, so appends go on in between.
StatusOr<size_t> RocksStore::PruneChunk(std::string_view org, int64_t cutoff_us,
                                        uint64_t* first_kept) {
  std::lock_guard<std::mutex> lock(commit_mu_);
  std::optional<OrgState> state = FindOrg(org);
  if (!state) return NotFound("no org " + std::string(org));
  uint64_t next = state->pruned_below;
  *first_kept = next;
  rocksdb::WriteBatch batch;
  privacy::OpenedBlobs opened;  // the chunk's events share blobs
  size_t removed = 0;
  std::string lower = EventKey(org, next), upper = EventKey(org, state->head);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read;
  read.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, events_cf_));
  for (it->Seek(lower); it->Valid() && removed < kPruneChunk; it->Next()) {
    std::string_view canonical(it->value().data(), it->value().size());
    StatusOr<Event> event = DecodeEvent(canonical);
    if (!event.ok()) return event.status();
    if (event->received_at_us >= cutoff_us) break;
    ACTLOG_RETURN_IF_ERROR(PruneEvent(org, event->seq, canonical, &opened, &batch));
    next = event->seq + 1;
    ++removed;
  }
  ACTLOG_RETURN_IF_ERROR(FromRocks(it->status(), "reading events"));
  if (removed == 0) return removed;
  std::string mark;
  PutFixed64BE(&mark, next);
  batch.Put(meta_cf_, std::string(kMetaPrunedPrefix) + std::string(org), mark);
  rocksdb::WriteOptions write;
  write.sync = true;
  ACTLOG_RETURN_IF_ERROR(FromRocks(db_->Write(write, &batch), "pruning events"));
  std::lock_guard<std::mutex> orgs_lock(orgs_mu_);
  orgs_[std::string(org)].pruned_below = next;
  *first_kept = next;
  return removed;
}

StatusOr<PruneResult> RocksStore::PruneBefore(std::string_view org, int64_t cutoff_us) {
  PruneResult result;
  while (true) {
    StatusOr<size_t> removed = PruneChunk(org, cutoff_us, &result.first_kept_seq);
    if (!removed.ok()) return removed.status();
    result.events_removed += *removed;
    if (*removed < kPruneChunk) break;
  }
  StatusOr<size_t> blobs = PruneWindows(org, cutoff_us);
  if (!blobs.ok()) return blobs.status();
  if (result.events_removed > 0 || *blobs > 0) {
    rocksdb::ColumnFamilyHandle* const families[] = {events_cf_, ids_cf_, index_cf_, sealed_cf_};
    ACTLOG_RETURN_IF_ERROR(ForceOut(org, families));
  }
  return result;
}

StatusOr<uint64_t> RocksStore::PrunedBelow(std::string_view org) {
  std::optional<OrgState> state = FindOrg(org);
  if (!state) return NotFound("no org " + std::string(org));
  return state->pruned_below;
}

}  // namespace actlog::store
