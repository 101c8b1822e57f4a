// Sealed personal values in the embedded store (docs/STORAGE.md "sealed", and
// docs/PRIVACY.md). The `sealed` column family keeps, per org:
//
//   org ‖ 0x00 ‖ 'k' ‖ subject                                   -> the subject's 32-byte key
//   org ‖ 0x00 ‖ 'v' ‖ BE64(seq) ‖ hash                          -> varint(len) ‖ subject ‖ blob
//   org ‖ 0x00 ‖ 's' ‖ varint(len) ‖ subject ‖ BE64(seq) ‖ hash  -> empty (a subject's blobs)
//
// where blob holds one subject's values of the event `seq` and hash = SHA-256(blob), what
// the event's references name. 'v' keys grow with seq, so appends add them in order.
// Keys and values are written in the WriteBatch of the events that use them; erasure
// deletes a subject's 'k', 'v' and 's' records.
//
// Thread-compatible: each object serves one group commit or one read.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "actlog/catalog.h"
#include "actlog/event.h"
#include "privacy/sealing.h"

namespace actlog::store {

std::string SubjectKeyKey(std::string_view org, std::string_view subject);
std::string SealedValueKey(std::string_view org, uint64_t seq, std::string_view hash);
// org ‖ 0x00 ‖ 's' ‖ varint(len) ‖ subject: the prefix of the subject's value list.
std::string SubjectValuesPrefix(std::string_view org, std::string_view subject);
std::string SubjectValueKey(std::string_view org, std::string_view subject, uint64_t seq,
                            std::string_view hash);

struct SealedRecord {
  std::string subject;
  std::string blob;
};
std::string SealedRecordValue(const SealedRecord& record);
bool ParseSealedRecord(std::string_view value, SealedRecord* record);

// Keys for one group commit: found in the store, made earlier in the group, or made
// now and put into the group's batch.
class GroupSubjectKeys final : public privacy::SubjectKeys {
 public:
  GroupSubjectKeys(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf) : db_(db), cf_(cf) {}
  void set_batch(rocksdb::WriteBatch* batch) { batch_ = batch; }
  StatusOr<std::string> KeyFor(std::string_view org, std::string_view subject) override;

 private:
  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* cf_;
  rocksdb::WriteBatch* batch_ = nullptr;
  std::map<std::pair<std::string, std::string>, std::string> keys_;
};

// Seals `event` in place (privacy::SealEvent) and adds its values to `batch`.
// REQUIRES: seq assigned.
Status SealIntoBatch(Event* event, const Catalog& catalog, GroupSubjectKeys& keys,
                     rocksdb::ColumnFamilyHandle* cf, rocksdb::WriteBatch* batch);

// Reads sealed values and keys at one snapshot (null = the latest state).
class RocksSealedSource final : public privacy::SealedSource {
 public:
  RocksSealedSource(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf,
                    const rocksdb::Snapshot* snapshot = nullptr);
  StatusOr<std::optional<privacy::StoredSealed>> FindSealed(std::string_view org, uint64_t seq,
                                                            std::string_view hash) override;
  StatusOr<std::optional<std::string>> FindKey(std::string_view org,
                                               std::string_view subject) override;
  // The full record behind a reference (for erasure and retention).
  StatusOr<std::optional<SealedRecord>> FindRecord(std::string_view org, uint64_t seq,
                                                   std::string_view hash);

 private:
  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* cf_;
  rocksdb::ReadOptions read_;
  std::map<std::pair<std::string, std::string>, std::optional<std::string>> keys_;
};

}  // namespace actlog::store
