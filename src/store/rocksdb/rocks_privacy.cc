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
// its addresses; returns the seqs of the events those blobs belonged to.
StatusOr<std::set<uint64_t>> RocksStore::DeleteSubjectValues(
    std::string_view org, std::string_view subject, const std::optional<std::string>& key,
    rocksdb::WriteBatch* batch, ErasureReceipt* receipt) {
  RocksSealedSource source(db_, sealed_cf_);
  std::set<uint64_t> seqs;
  std::vector<Json> values;  // the opened blobs, for their blind-index entries
  std::string prefix = SubjectValuesPrefix(org, subject), upper = PrefixSuccessor(prefix);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read;
  read.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, sealed_cf_));
  for (it->Seek(prefix); it->Valid(); it->Next()) {
    std::string_view rest(it->key().data() + prefix.size(), it->key().size() - prefix.size());
    if (rest.size() != 8 + privacy::kSealedHashBytes) return DataLoss("damaged subject entry");
    uint64_t seq = DecodeFixed64BE(rest.data());
    std::string_view hash = rest.substr(8);
    StatusOr<std::optional<SealedRecord>> record = source.FindRecord(org, seq, hash);
    if (!record.ok()) return record.status();
    if (record->has_value()) {
      if (key.has_value()) {
        StatusOr<Json> opened = privacy::OpenValues(*key, org, subject, (*record)->blob);
        if (!opened.ok()) return opened.status();
        values.push_back(std::move(opened).value());
      }
      batch->Delete(sealed_cf_, SealedValueKey(org, seq, hash));
      ++receipt->values_destroyed;
    }
    batch->Delete(sealed_cf_, it->key());
    seqs.insert(seq);
  }
  ACTLOG_RETURN_IF_ERROR(FromRocks(it->status(), "reading subject entries"));
  ACTLOG_RETURN_IF_ERROR(DeleteBlindEntries(org, subject, values, batch, receipt));
  return seqs;
}

// The content digest covers the plain values: a reader who knows the rest of the event
// could test guesses against it. Forget it (a retry of that client id is then answered
// id_conflict).
Status RocksStore::ForgetDigests(std::string_view org, const std::set<uint64_t>& seqs,
                                 rocksdb::WriteBatch* batch) {
  for (uint64_t seq : seqs) {
    std::string canonical;
    rocksdb::Status s = db_->Get({}, events_cf_, EventKey(org, seq), &canonical);
    if (s.IsNotFound()) continue;
    ACTLOG_RETURN_IF_ERROR(FromRocks(s, "reading event"));
    StatusOr<Event> event = DecodeEvent(canonical);
    if (!event.ok()) return event.status();
    StatusOr<std::optional<IdEntry>> id = LookupId(org, event->id);
    if (!id.ok()) return id.status();
    if (!id->has_value()) continue;
    (*id)->digest.clear();
    batch->Put(ids_cf_, IdKey(org, event->id), IdValue(**id));
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
    StatusOr<std::set<uint64_t>> seqs =
        DeleteSubjectValues(org, subject, *key, &batch, &receipt);
    if (!seqs.ok()) return seqs.status();
    ACTLOG_RETURN_IF_ERROR(ForgetDigests(org, *seqs, &batch));
    if (key->has_value()) {
      batch.Delete(sealed_cf_, SubjectKeyKey(org, subject));
      receipt.keys_destroyed = 1;
    }
    receipt.events_affected = seqs->size();
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

// Deletes the event at `seq`, its id entry, its index entries (from the opened event,
// so the blind-index entry of its address goes too) and its sealed values.
Status RocksStore::PruneEvent(std::string_view org, uint64_t seq, std::string_view canonical,
                              rocksdb::WriteBatch* batch) {
  StatusOr<Event> sealed = DecodeEvent(canonical);
  if (!sealed.ok()) return sealed.status();
  Event opened = *sealed;
  RocksSealedSource source(db_, sealed_cf_);
  ACTLOG_RETURN_IF_ERROR(privacy::OpenEvent(&opened, *catalog_, source));
  Position pos{sealed->occurred_at_us, seq};
  for (const IndexTerm& term : IndexTermsFor(opened, *catalog_, secret_)) {
    batch->Delete(index_cf_, IndexKey(org, term.kind, term.value, pos));
  }
  std::set<std::string> hashes;
  for (const privacy::PersonalSlot& slot : privacy::PersonalSlots(&*sealed, *catalog_)) {
    const std::string* text = slot.field != nullptr ? &**slot.field
                              : slot.json->is_string() ? &slot.json->as_string()
                                                       : nullptr;
    std::optional<std::string> hash = text ? privacy::ParseSealedRef(*text) : std::nullopt;
    if (hash) hashes.insert(*hash);
  }
  for (const std::string& hash : hashes) {
    StatusOr<std::optional<SealedRecord>> record = source.FindRecord(org, seq, hash);
    if (!record.ok()) return record.status();
    if (!record->has_value()) continue;  // erased already
    batch->Delete(sealed_cf_, SealedValueKey(org, seq, hash));
    batch->Delete(sealed_cf_, SubjectValueKey(org, (*record)->subject, seq, hash));
  }
  batch->Delete(ids_cf_, IdKey(org, sealed->id));
  batch->Delete(events_cf_, EventKey(org, seq));
  return Status::Ok();
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
    ACTLOG_RETURN_IF_ERROR(PruneEvent(org, event->seq, canonical, &batch));
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
  if (result.events_removed > 0) {
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
