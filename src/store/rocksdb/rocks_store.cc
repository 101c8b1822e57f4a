// Opening the embedded store and the read paths that are not queries.
#include "store/rocksdb/rocks_store.h"

#include <sodium.h>

#include <algorithm>
#include <filesystem>

#include "actlog/clock.h"
#include "store/rocksdb/keys.h"
#include "store/rocksdb/query_planner.h"
#include "store/rocksdb/rocks_options.h"
#include "store/rocksdb/rocks_sealed.h"
#include "store/rocksdb/rocks_status.h"

namespace actlog::store {
namespace {

constexpr size_t kSecretBytes = 32;
constexpr size_t kScanOpenedBlobs = 4096;  // opened blobs a Scan keeps at most

}  // namespace

StatusOr<StoredEvent> RocksStore::DecodeAndOpen(std::string canonical,
                                                const rocksdb::Snapshot* snapshot,
                                                privacy::OpenedBlobs* opened) {
  StatusOr<Event> event = DecodeEvent(canonical);
  if (!event.ok()) return event.status();
  RocksSealedSource source(db_, sealed_cf_, snapshot);
  ACTLOG_RETURN_IF_ERROR(privacy::OpenEvent(&*event, *catalog_, source, opened));
  return StoredEvent{std::move(canonical), std::move(event).value()};
}

StatusOr<std::unique_ptr<RocksStore>> RocksStore::Open(const StoreOptions& options,
                                                       AppendObserver* observer) {
  return OpenWith(options, observer, /*read_only=*/false);
}

StatusOr<std::unique_ptr<RocksStore>> RocksStore::OpenReadOnly(const StoreOptions& options) {
  return OpenWith(options, nullptr, /*read_only=*/true);
}

StatusOr<std::unique_ptr<RocksStore>> RocksStore::OpenWith(const StoreOptions& options,
                                                           AppendObserver* observer,
                                                           bool read_only) {
  if (sodium_init() < 0) return Internal("libsodium failed to initialise");
  std::unique_ptr<RocksStore> store(new RocksStore());
  store->clock_ = options.clock != nullptr ? options.clock : SystemClock::Default();
  store->sync_ = options.sync;
  store->observer_ = observer;
  if (options.catalog != nullptr) {
    store->catalog_ = options.catalog;
  } else {
    store->builtin_catalog_ = Catalog::BuiltIn();
    store->catalog_ = &store->builtin_catalog_;
  }
  ACTLOG_RETURN_IF_ERROR(store->OpenDb(options, read_only));
  if (observer == nullptr) {
    store->tree_ = std::make_unique<RocksTree>(store->db_, store->events_cf_, store->meta_cf_);
    store->observer_ = store->tree_.get();
  }
  ACTLOG_RETURN_IF_ERROR(store->LoadMeta(read_only));
  ACTLOG_RETURN_IF_ERROR(store->LoadOrgs());
  store->codes_ = std::make_unique<OrgCodes>(store->db_, store->index_cf_);
  return store;
}

RocksStore::~RocksStore() {
  queue_.StopCommitter();  // its last groups still write through db_
  if (db_ != nullptr) {
    for (rocksdb::ColumnFamilyHandle* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close();
    delete db_;
  }
  if (read_lock_ != nullptr) {
    rocksdb::Env::Default()->UnlockFile(read_lock_).PermitUncheckedError();
  }
}

// A read-only RocksDB open takes no lock: a server could flush, compact and delete the
// files the reader is about to open, and the reader would report events as missing. So
// the reader takes the same lock file a read-write open holds.
Status RocksStore::LockForReading(const std::string& data_dir) {
  rocksdb::Status s = rocksdb::Env::Default()->LockFile(data_dir + "/LOCK", &read_lock_);
  if (s.ok()) return Status::Ok();
  read_lock_ = nullptr;
  return Status(StatusCode::kUnavailable, "store_in_use",
                "the store at " + data_dir +
                    " is open in another process (a running server?); stop it first: " +
                    s.ToString());
}

Status RocksStore::OpenDb(const StoreOptions& options, bool read_only) {
  RocksLayout layout = MakeRocksLayout();
  rocksdb::Status s;
  if (read_only) {
    std::error_code ec;
    if (!std::filesystem::exists(options.data_dir + "/CURRENT", ec)) {
      return Status(StatusCode::kNotFound, "no_store", "no store in " + options.data_dir);
    }
    ACTLOG_RETURN_IF_ERROR(LockForReading(options.data_dir));
    s = rocksdb::DB::OpenForReadOnly(layout.db, options.data_dir, layout.families, &handles_,
                                     &db_);
  } else {
    s = rocksdb::DB::Open(layout.db, options.data_dir, layout.families, &handles_, &db_);
  }
  if (!s.ok()) return FromRocks(s, "opening store at " + options.data_dir);
  events_cf_ = handles_[1];
  ids_cf_ = handles_[2];
  index_cf_ = handles_[3];
  meta_cf_ = handles_[4];
  sealed_cf_ = handles_[5];
  return Status::Ok();
}

// A new store gets a format version and a random blind-index secret, synced before use.
Status RocksStore::LoadMeta(bool read_only) {
  std::string version;
  rocksdb::Status s = db_->Get({}, meta_cf_, kMetaFormatVersion, &version);
  if (s.IsNotFound() && read_only) {
    return Status(StatusCode::kNotFound, "no_store", "the data directory holds no actlog store");
  }
  if (s.IsNotFound()) {
    secret_.resize(kSecretBytes);
    randombytes_buf(secret_.data(), secret_.size());
    rocksdb::WriteBatch batch;
    std::string v;
    PutFixed64BE(&v, kFormatVersion);
    batch.Put(meta_cf_, kMetaFormatVersion, v);
    batch.Put(meta_cf_, kMetaBlindIndexSecret, secret_);
    rocksdb::WriteOptions write;
    write.sync = true;
    return FromRocks(db_->Write(write, &batch), "initialising store");
  }
  if (!s.ok()) return FromRocks(s, "reading format version");
  if (version.size() != 8 || DecodeFixed64BE(version.data()) != kFormatVersion) {
    uint64_t found = version.size() == 8 ? DecodeFixed64BE(version.data()) : 0;
    return Status(StatusCode::kFailedPrecondition, "unsupported_format",
                  found != 0 && found < kFormatVersion
                      ? "the data directory holds store format " + std::to_string(found) +
                            ", older than this build's (" + std::to_string(kFormatVersion) +
                            "), whose index has other entries; this build does not convert it: "
                            "ingest the events again into a new data directory"
                      : "the data directory holds an unknown store format");
  }
  s = db_->Get({}, meta_cf_, kMetaBlindIndexSecret, &secret_);
  if (!s.ok() || secret_.size() != kSecretBytes) {
    return DataLoss("the store's blind-index secret is missing or damaged");
  }
  return Status::Ok();
}

// Heads come from the last events key of each org in the registry.
Status RocksStore::LoadOrgs() {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, meta_cf_));
  for (it->Seek(kMetaOrgPrefix); it->Valid() && it->key().starts_with(kMetaOrgPrefix);
       it->Next()) {
    std::string org = it->key().ToString().substr(kMetaOrgPrefix.size());
    if (it->value().size() != 8) return DataLoss("damaged org record for " + org);
    OrgState state;
    state.created_at_us = DecodeTime(DecodeFixed64BE(it->value().data()));
    std::string lower = OrgPrefix(org);
    rocksdb::Slice lower_slice(lower);
    rocksdb::ReadOptions read;
    read.iterate_lower_bound = &lower_slice;
    std::unique_ptr<rocksdb::Iterator> events(db_->NewIterator(read, events_cf_));
    events->SeekForPrev(EventKey(org, UINT64_MAX));
    if (events->Valid()) {
      auto seq = ParseEventKey(std::string_view(events->key().data(), events->key().size()), org);
      if (!seq) return DataLoss("damaged event key in org " + org);
      state.head = *seq + 1;
    }
    ACTLOG_RETURN_IF_ERROR(FromRocks(events->status(), "loading heads"));
    std::string pruned;
    rocksdb::Status p = db_->Get({}, meta_cf_, std::string(kMetaPrunedPrefix) + org, &pruned);
    if (p.ok() && pruned.size() == 8) {
      state.pruned_below = DecodeFixed64BE(pruned.data());
      state.head = std::max(state.head, state.pruned_below);  // every event may be pruned
    } else if (!p.IsNotFound()) {
      return p.ok() ? DataLoss("damaged pruned mark for " + org) : FromRocks(p, "loading orgs");
    }
    orgs_[org] = state;
  }
  return FromRocks(it->status(), "loading orgs");
}

StatusOr<std::optional<IdEntry>> RocksStore::LookupId(std::string_view org,
                                                      std::string_view id) {
  std::string value;
  rocksdb::Status s = db_->Get({}, ids_cf_, IdKey(org, id), &value);
  if (s.IsNotFound()) return std::optional<IdEntry>();
  if (!s.ok()) return FromRocks(s, "reading id");
  IdEntry entry;
  if (!ParseIdValue(value, &entry)) return DataLoss("damaged id record");
  return std::optional<IdEntry>(std::move(entry));
}

StatusOr<StoredEvent> RocksStore::Get(std::string_view org, std::string_view id) {
  StatusOr<std::optional<IdEntry>> entry = LookupId(org, id);
  if (!entry.ok()) return entry.status();
  if (!entry->has_value()) return NotFound("no event " + std::string(id));
  StatusOr<StoredEvent> stored = GetBySeq(org, (*entry)->seq);
  if (!stored.ok()) {
    if (stored.status().code() == StatusCode::kNotFound) {
      return DataLoss("id " + std::string(id) + " points at a missing event");
    }
    return stored;
  }
  stored->event.client_id = (*entry)->client_id;
  stored->event.content_digest = (*entry)->digest;
  return stored;
}

StatusOr<StoredEvent> RocksStore::GetBySeq(std::string_view org, uint64_t seq) {
  std::string value;
  rocksdb::Status s = db_->Get({}, events_cf_, EventKey(org, seq), &value);
  if (s.IsNotFound()) return NotFound("no event with seq " + std::to_string(seq));
  if (!s.ok()) return FromRocks(s, "reading event");
  return DecodeAndOpen(std::move(value), nullptr);
}

StatusOr<QueryPage> RocksStore::Query(const EventQuery& query) {
  QueryContext context{db_, events_cf_, index_cf_, secret_};
  context.catalog = catalog_;
  context.codes = codes_.get();
  // One page reads at one snapshot and often shows one actor many times: each blob of
  // the page is read and decrypted once.
  auto opened = std::make_shared<privacy::OpenedBlobs>();
  context.open = [this, opened](std::string canonical, const rocksdb::Snapshot* snapshot) {
    return DecodeAndOpen(std::move(canonical), snapshot, opened.get());
  };
  return RunQuery(context, query);
}

Status RocksStore::Scan(std::string_view org, uint64_t from_seq, uint64_t to_seq,
                        const std::function<bool(const StoredEvent&)>& fn) {
  if (from_seq >= to_seq) return Status::Ok();
  std::string lower = EventKey(org, from_seq), upper = EventKey(org, to_seq);
  rocksdb::Slice lower_slice(lower), upper_slice(upper);
  rocksdb::ReadOptions read;
  read.iterate_lower_bound = &lower_slice;
  read.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, events_cf_));
  privacy::OpenedBlobs opened;  // neighbouring events share blobs; bounded below
  for (it->Seek(lower); it->Valid(); it->Next()) {
    if (opened.size() > kScanOpenedBlobs) opened.clear();
    StatusOr<StoredEvent> stored = DecodeAndOpen(it->value().ToString(), nullptr, &opened);
    if (!stored.ok()) return stored.status();
    if (!fn(*stored)) return Status::Ok();
  }
  return FromRocks(it->status(), "scanning events");
}

std::optional<RocksStore::OrgState> RocksStore::FindOrg(std::string_view org) const {
  std::lock_guard<std::mutex> lock(orgs_mu_);
  auto it = orgs_.find(org);
  if (it == orgs_.end()) return std::nullopt;
  return it->second;
}

StatusOr<std::vector<OrgInfo>> RocksStore::ListOrgs() {
  std::vector<OrgInfo> out;
  {
    std::lock_guard<std::mutex> lock(orgs_mu_);
    out.reserve(orgs_.size());
    for (const auto& [org, state] : orgs_) out.push_back({org, state.head, state.created_at_us});
  }
  ACTLOG_RETURN_IF_ERROR(FillSettings(out));
  return out;
}

StatusOr<OrgInfo> RocksStore::GetOrg(std::string_view org) {
  std::optional<OrgState> state = FindOrg(org);
  if (!state) return NotFound("no org " + std::string(org));
  OrgInfo info{std::string(org), state->head, state->created_at_us};
  ACTLOG_RETURN_IF_ERROR(FillSettings(std::span<OrgInfo>(&info, 1)));
  return info;
}

Status RocksStore::Compact() {
  rocksdb::FlushOptions flush;
  flush.wait = true;
  ACTLOG_RETURN_IF_ERROR(FromRocks(db_->Flush(flush, handles_), "flushing"));
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    ACTLOG_RETURN_IF_ERROR(
        FromRocks(db_->CompactRange(compact, h, nullptr, nullptr), "compacting"));
  }
  return Status::Ok();
}

Status RocksStore::Sync() { return FromRocks(db_->FlushWAL(/*sync=*/true), "syncing"); }

StoreMetrics RocksStore::Metrics() const {
  StoreMetrics m = counters_.Snapshot();
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    uint64_t sst = 0;
    if (db_->GetIntProperty(h, "rocksdb.total-sst-files-size", &sst)) m.disk_bytes += sst;
  }
  rocksdb::VectorLogPtr wal_files;
  if (db_->GetSortedWalFiles(wal_files).ok()) {
    for (const auto& f : wal_files) m.disk_bytes += f->SizeFileBytes();
  }
  return m;
}

}  // namespace actlog::store

namespace actlog {

StatusOr<std::unique_ptr<Store>> OpenRocksStore(const StoreOptions& options) {
  StatusOr<std::unique_ptr<store::RocksStore>> store = store::RocksStore::Open(options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(store).value());
}

}  // namespace actlog
