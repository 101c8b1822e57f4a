#include "store/rocksdb/rocks_sealed.h"

#include "store/rocksdb/keys.h"
#include "store/rocksdb/rocks_status.h"

namespace actlog::store {
namespace {

std::string Prefixed(std::string_view org, char kind) {
  std::string key = OrgPrefix(org);
  key.push_back(kind);
  return key;
}

bool GetLengthPrefixed(std::string_view* in, std::string* out) {
  uint64_t len = 0;
  if (!GetVarint64(in, &len) || len > in->size()) return false;
  out->assign(in->substr(0, len));
  in->remove_prefix(len);
  return true;
}

}  // namespace

std::string SubjectKeyKey(std::string_view org, std::string_view subject) {
  std::string key = Prefixed(org, 'k');
  key.append(subject);
  return key;
}

std::string SealedBlobsPrefix(std::string_view org) { return Prefixed(org, 'b'); }

std::string SealedBlobsBefore(std::string_view org, int64_t window) {
  std::string key = Prefixed(org, 'b');
  PutFixed64BE(&key, EncodeTime(window));
  return key;
}

std::string SealedBlobKey(std::string_view org, int64_t window, std::string_view hash) {
  std::string key = SealedBlobsBefore(org, window);
  key.append(hash);
  return key;
}

bool ParseWindowHash(std::string_view rest, int64_t* window, std::string* hash) {
  if (rest.size() != 8 + privacy::kSealedHashBytes) return false;
  *window = DecodeTime(DecodeFixed64BE(rest.data()));
  hash->assign(rest.substr(8));
  return true;
}

std::string SubjectValuesPrefix(std::string_view org, std::string_view subject) {
  std::string key = Prefixed(org, 's');
  PutVarint64(&key, subject.size());
  key.append(subject);
  return key;
}

std::string SubjectValueKey(std::string_view org, std::string_view subject, int64_t window,
                            std::string_view hash) {
  std::string key = SubjectValuesPrefix(org, subject);
  PutFixed64BE(&key, EncodeTime(window));
  key.append(hash);
  return key;
}

std::string SealedRecordValue(const SealedRecord& r) {
  std::string out;
  PutVarint64(&out, r.subject.size());
  out.append(r.subject);
  out.append(r.blob);
  return out;
}

bool ParseSealedRecord(std::string_view value, SealedRecord* r) {
  if (!GetLengthPrefixed(&value, &r->subject)) return false;
  r->blob.assign(value);
  return true;
}

StatusOr<std::string> GroupSubjectKeys::KeyFor(std::string_view org, std::string_view subject) {
  auto name = std::make_pair(std::string(org), std::string(subject));
  if (auto it = keys_.find(name); it != keys_.end()) return it->second;
  std::string key;
  rocksdb::Status s = db_->Get({}, cf_, SubjectKeyKey(org, subject), &key);
  if (s.IsNotFound()) {
    key = privacy::NewSubjectKey();
    s = batch_->Put(cf_, SubjectKeyKey(org, subject), key);
  } else if (s.ok() && key.size() != privacy::kSubjectKeyBytes) {
    return DataLoss("damaged subject key in org " + std::string(org));
  }
  if (!s.ok()) return FromRocks(s, "reading subject key");
  keys_.emplace(std::move(name), key);
  return key;
}

Status SealIntoBatch(Event* event, const Catalog& catalog, GroupSubjectKeys& keys,
                     privacy::GroupReuse& reuse, rocksdb::ColumnFamilyHandle* cf,
                     rocksdb::WriteBatch* batch) {
  keys.set_batch(batch);
  StatusOr<std::vector<privacy::SealedValue>> sealed =
      privacy::SealEvent(event, catalog, keys, &reuse);
  if (!sealed.ok()) return sealed.status();
  for (privacy::SealedValue& v : *sealed) {
    if (v.reused) continue;
    SealedRecord record{v.subject, std::move(v.blob)};
    rocksdb::Status s = batch->Put(cf, SealedBlobKey(event->org, reuse.window(), v.hash),
                                   SealedRecordValue(record));
    if (s.ok()) {
      s = batch->Put(cf, SubjectValueKey(event->org, v.subject, reuse.window(), v.hash),
                     rocksdb::Slice());
    }
    if (!s.ok()) return FromRocks(s, "building write batch");
  }
  return Status::Ok();
}

RocksSealedSource::RocksSealedSource(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf,
                                     const rocksdb::Snapshot* snapshot)
    : db_(db), cf_(cf) {
  read_.snapshot = snapshot;
}

StatusOr<std::optional<SealedRecord>> RocksSealedSource::FindRecord(std::string_view org,
                                                                    int64_t window,
                                                                    std::string_view hash) {
  std::string value;
  rocksdb::Status s = db_->Get(read_, cf_, SealedBlobKey(org, window, hash), &value);
  if (s.IsNotFound()) return std::optional<SealedRecord>();
  if (!s.ok()) return FromRocks(s, "reading sealed value");
  SealedRecord record;
  if (!ParseSealedRecord(value, &record)) return DataLoss("damaged sealed value record");
  return std::optional<SealedRecord>(std::move(record));
}

StatusOr<std::optional<privacy::StoredSealed>> RocksSealedSource::FindSealed(
    const Event& event, std::string_view hash) {
  StatusOr<std::optional<SealedRecord>> record =
      FindRecord(event.org, privacy::ReuseWindow(event.received_at_us), hash);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return std::optional<privacy::StoredSealed>();
  return std::optional<privacy::StoredSealed>(
      privacy::StoredSealed{std::move((*record)->subject), std::move((*record)->blob)});
}

StatusOr<std::optional<std::string>> RocksSealedSource::FindKey(std::string_view org,
                                                                std::string_view subject) {
  auto name = std::make_pair(std::string(org), std::string(subject));
  if (auto it = keys_.find(name); it != keys_.end()) return it->second;
  std::string key;
  rocksdb::Status s = db_->Get(read_, cf_, SubjectKeyKey(org, subject), &key);
  std::optional<std::string> found;
  if (s.ok()) {
    found = std::move(key);
  } else if (!s.IsNotFound()) {
    return FromRocks(s, "reading subject key");
  }
  keys_.emplace(std::move(name), found);
  return found;
}

}  // namespace actlog::store
