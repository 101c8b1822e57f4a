// Erasure of blind-index entries in the embedded store (docs/PRIVACY.md): the entries of
// a subject's actor.email and of its searchable personal values. They are found from the
// plain values (the index holds only their HMAC) and kept for any other subject whose
// value is equal, so the function does not depend on how blobs map to events.
#include <set>
#include <utility>

#include "privacy/blind_index.h"
#include "store/rocksdb/index_entries.h"
#include "store/rocksdb/keys.h"
#include "store/rocksdb/rocks_status.h"
#include "store/rocksdb/rocks_store.h"

namespace actlog::store {

Status RocksStore::DeleteBlindEntries(std::string_view org, std::string_view subject,
                                      const std::vector<Json>& values,
                                      rocksdb::WriteBatch* batch, ErasureReceipt* receipt) {
  struct Stream {
    IndexKind kind;
    std::string value;
    std::string path;
    auto operator<=>(const Stream&) const = default;
  };
  std::set<Stream> streams;
  for (const Json& object : values) {
    if (!object.is_object()) continue;
    for (const auto& [path, value] : object.as_object()) {
      if (!value.is_string()) continue;
      if (path == privacy::kActorEmailPath) {
        streams.insert({IndexKind::kActorEmail, BlindEmail(secret_, value.as_string()), path});
      } else if (catalog_->IsSearchable(path)) {
        std::string mac = privacy::BlindValue(secret_, path, value.as_string());
        streams.insert({IndexKind::kPersonal, PersonalTermValue(path, mac), path});
      }
    }
  }
  for (const Stream& stream : streams) {
    std::string prefix = IndexPrefix(org, stream.kind, stream.value);
    std::string upper = PrefixSuccessor(prefix);
    rocksdb::Slice upper_slice(upper);
    rocksdb::ReadOptions read;
    read.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, index_cf_));
    for (it->Seek(prefix); it->Valid(); it->Next()) {
      if (it->key().size() != prefix.size() + kPositionBytes) continue;
      Position pos = ParsePositionSuffix(std::string_view(it->key().data(), it->key().size()));
      std::string canonical;
      rocksdb::Status s = db_->Get({}, events_cf_, EventKey(org, pos.seq), &canonical);
      if (s.ok()) {
        StatusOr<Event> event = DecodeEvent(canonical);
        if (!event.ok()) return event.status();
        // An equal value of another subject keeps its entry.
        if (!privacy::PathBelongsTo(*event, *catalog_, stream.path, subject)) continue;
      } else if (!s.IsNotFound()) {
        return FromRocks(s, "reading event");
      }
      ACTLOG_RETURN_IF_ERROR(FromRocks(batch->Delete(index_cf_, it->key()), "building write batch"));
      ++receipt->index_entries_removed;
    }
    ACTLOG_RETURN_IF_ERROR(FromRocks(it->status(), "reading the blind index"));
  }
  return Status::Ok();
}

}  // namespace actlog::store
