// Sealed personal values in the embedded store (docs/STORAGE.md "sealed", and
// docs/PRIVACY.md). The `sealed` column family keeps, per org:
//
//   org ‖ 0x00 ‖ 'k' ‖ subject                                      -> the subject's 32-byte key
//   org ‖ 0x00 ‖ 'b' ‖ BE64(window) ‖ hash                          -> varint(len) ‖ subject ‖ blob
//   org ‖ 0x00 ‖ 's' ‖ varint(len) ‖ subject ‖ BE64(window) ‖ hash  -> empty (a subject's blobs)
//
// where blob holds one subject's values, shared by every event whose received_at falls
// in the reuse window `window` (privacy/seal_reuse.h, sign-flipped like times) and that
// repeats those values; hash = SHA-256(blob), what the events' references name. 'b' keys
// grow with the window, so retention deletes the blobs of ended windows as a key range.
// Keys and blobs are written in the WriteBatch of the first event that uses them;
// erasure deletes a subject's 'k', 'b' and 's' records.
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
#include "privacy/seal_reuse.h"
#include "privacy/sealing.h"

namespace actlog::store {

std::string SubjectKeyKey(std::string_view org, std::string_view subject);
std::string SealedBlobKey(std::string_view org, int64_t window, std::string_view hash);
// org ‖ 0x00 ‖ 'b' ‖ BE64(window): blob keys of windows before `window` sort below it.
std::string SealedBlobsBefore(std::string_view org, int64_t window);
// org ‖ 0x00 ‖ 'b': the first blob key of the org.
std::string SealedBlobsPrefix(std::string_view org);
// org ‖ 0x00 ‖ 's' ‖ varint(len) ‖ subject: the prefix of the subject's blob list.
std::string SubjectValuesPrefix(std::string_view org, std::string_view subject);
std::string SubjectValueKey(std::string_view org, std::string_view subject, int64_t window,
                            std::string_view hash);
// The window and hash of a 'b' key (after the org prefix and 'b'); false if damaged.
bool ParseWindowHash(std::string_view rest, int64_t* window, std::string* hash);

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

// Seals `event` in place (privacy::SealEvent, reusing blobs through `reuse`) and adds
// its new blobs to `batch`. REQUIRES: seq and received_at assigned, in reuse's window.
Status SealIntoBatch(Event* event, const Catalog& catalog, GroupSubjectKeys& keys,
                     privacy::GroupReuse& reuse, rocksdb::ColumnFamilyHandle* cf,
                     rocksdb::WriteBatch* batch);

// Reads sealed values and keys at one snapshot (null = the latest state).
class RocksSealedSource final : public privacy::SealedSource {
 public:
  RocksSealedSource(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf,
                    const rocksdb::Snapshot* snapshot = nullptr);
  StatusOr<std::optional<privacy::StoredSealed>> FindSealed(const Event& event,
                                                            std::string_view hash) override;
  StatusOr<std::optional<std::string>> FindKey(std::string_view org,
                                               std::string_view subject) override;
  // The record of blob `hash` of window `window`.
  StatusOr<std::optional<SealedRecord>> FindRecord(std::string_view org, int64_t window,
                                                   std::string_view hash);

 private:
  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* cf_;
  rocksdb::ReadOptions read_;
  std::map<std::pair<std::string, std::string>, std::optional<std::string>> keys_;
};

}  // namespace actlog::store
