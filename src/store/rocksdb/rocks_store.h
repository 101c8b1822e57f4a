// RocksStore: the embedded Store on RocksDB (docs/STORAGE.md has the byte layout).
//
// Four column families: events (canonical bytes by org and seq), ids (exactly-once map
// from client or server id to seq and content digest), index (secondary index entries
// ordered by (occurred_at, seq)) and meta (format version, blind-index secret, org
// registry). Appends go through a group-commit queue (group_commit.h): one leader
// builds one WriteBatch for many Append calls and writes it with one fsync.
//
// Thread-safe: every method may be called from many threads at once. Destroying the
// store while calls are in flight is a caller bug; asynchronous appends still queued are
// committed (and their completions called) before the destructor returns.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <rocksdb/db.h>

#include "actlog/catalog.h"
#include "actlog/store.h"
#include "privacy/seal_reuse.h"
#include "privacy/sealing.h"
#include "store/rocksdb/append_observer.h"
#include "store/rocksdb/group_commit.h"
#include "store/rocksdb/keys.h"
#include "store/rocksdb/org_codes.h"
#include "store/rocksdb/rocks_tree.h"

namespace actlog::store {

// At most this many events are committed in one group (one WriteBatch, one fsync).
inline constexpr size_t kMaxGroupEvents = 10000;

class RocksStore final : public Store {
 public:
  // `observer` (may be null, not owned) joins every group's WriteBatch. Without one the
  // store installs its own RocksTree (rocks_tree.h): each org's Merkle tree tiles.
  static StatusOr<std::unique_ptr<RocksStore>> Open(const StoreOptions& options,
                                                    AppendObserver* observer = nullptr);
  // Opens an existing store only to read it (actlog verify): no flush, compaction or
  // other write; events still in the write-ahead log are seen (replayed into memory).
  // It takes the store's lock file as Open does, so it fails (Unavailable,
  // "store_in_use") while a server has the store open, and no server can open it
  // meanwhile. NotFound ("no_store") if the directory holds no store. Writes fail.
  static StatusOr<std::unique_ptr<RocksStore>> OpenReadOnly(const StoreOptions& options);
  ~RocksStore() override;

  StatusOr<std::vector<AppendResult>> Append(std::vector<Event> events) override;
  // Joins the group-commit queue and returns; the queue's committer thread commits the
  // group and calls `done` there (group_commit.h).
  bool AppendsAsync() const override { return true; }
  void AppendAsync(std::vector<Event> events, AppendDone done) override;
  StatusOr<StoredEvent> Get(std::string_view org, std::string_view id) override;
  StatusOr<StoredEvent> GetBySeq(std::string_view org, uint64_t seq) override;
  StatusOr<QueryPage> Query(const EventQuery& query) override;
  Status Scan(std::string_view org, uint64_t from_seq, uint64_t to_seq,
              const std::function<bool(const StoredEvent&)>& fn) override;
  StatusOr<std::vector<OrgInfo>> ListOrgs() override;
  StatusOr<OrgInfo> GetOrg(std::string_view org) override;
  Status CreateOrg(std::string_view org) override;
  Status Sync() override;
  StoreMetrics Metrics() const override;

  // Access administration (rocks_admin.cc): records in the meta column family.
  StatusOr<OrgInfo> UpdateOrgSettings(
      std::string_view org, const std::function<Status(OrgSettings*)>& update) override;
  Status PutApiKey(const ApiKeyRecord& record) override;
  StatusOr<std::vector<ApiKeyRecord>> ListApiKeys() override;
  StatusOr<ApiKeyRecord> RevokeApiKey(std::string_view id, int64_t now_us) override;
  StatusOr<std::string> GetOrCreateSecret(std::string_view name) override;

  // The Merkle tree (rocks_tree_store.cc, over tree_ = the RocksTree).
  StatusOr<TreeHead> GetTreeHead(std::string_view org) override;
  StatusOr<std::vector<std::string>> InclusionProof(std::string_view org, uint64_t index,
                                                    uint64_t tree_size) override;
  StatusOr<std::vector<std::string>> ConsistencyProof(std::string_view org, uint64_t from,
                                                      uint64_t to) override;
  StatusOr<std::string> ReadTile(std::string_view org, uint8_t level, uint64_t index,
                                 uint32_t width) override;
  Status PutCheckpoint(std::string_view org, uint64_t size, std::string_view note) override;
  StatusOr<std::string> LatestCheckpoint(std::string_view org) override;
  StatusOr<std::vector<StoredCheckpoint>> ListCheckpoints(std::string_view org,
                                                          uint64_t from_size,
                                                          size_t limit) override;

  // Personal data (rocks_privacy.cc): erasure and retention, serialised with appends.
  StatusOr<ErasureReceipt> EraseSubject(std::string_view org, std::string_view subject) override;
  StatusOr<PruneResult> PruneBefore(std::string_view org, int64_t cutoff_us) override;
  StatusOr<uint64_t> PrunedBelow(std::string_view org) override;

  // Flushes memtables and compacts every column family down to its last level, so
  // deleted data is gone from disk (erasure) and files are in their final shape.
  Status Compact();

  // The Merkle tree tiles of every org; null only when an observer was passed to Open.
  const RocksTree* tree() const { return tree_.get(); }

  // Appends queued or being committed right now (tests use it to build a known group).
  size_t PendingAppends() const { return queue_.Depth(); }

 private:
  struct OrgState {
    uint64_t head = 0;  // next seq
    int64_t created_at_us = -1;
    uint64_t pruned_below = 0;  // seqs below were removed by retention
  };
  // Tentative state of a group being committed (see rocks_append.cc).
  struct GroupState;

  RocksStore() = default;
  static StatusOr<std::unique_ptr<RocksStore>> OpenWith(const StoreOptions& options,
                                                        AppendObserver* observer,
                                                        bool read_only);
  Status OpenDb(const StoreOptions& options, bool read_only);
  // Takes the lock file a read-write open holds (released by the destructor).
  Status LockForReading(const std::string& data_dir);
  Status LoadMeta(bool read_only);
  Status LoadOrgs();

  void CommitGroup(std::span<PendingAppend* const> group);
  StatusOr<std::vector<AppendResult>> PlanBatch(std::vector<Event>& events, int64_t now_us,
                                                GroupState* state);
  Status PlanCreateOrg(const std::string& org, GroupState* state,
                       rocksdb::WriteBatch* batch);
  Status EmitEvent(Event& event, GroupState* state, rocksdb::WriteBatch* batch);
  // Decodes stored bytes and opens their personal values at `snapshot` (null = latest);
  // `opened` keeps the blobs opened across one page or scan (may be null).
  StatusOr<StoredEvent> DecodeAndOpen(std::string canonical, const rocksdb::Snapshot* snapshot,
                                      privacy::OpenedBlobs* opened = nullptr);
  // Erasure (rocks_privacy.cc), under commit_mu_: the subject's blobs and list entries,
  // then the content digests of the events they belonged to.
  // Returns the hashes of the deleted blobs.
  StatusOr<std::set<std::string>> DeleteSubjectValues(std::string_view org,
                                                      std::string_view subject,
                                                      const std::optional<std::string>& key,
                                                      rocksdb::WriteBatch* batch,
                                                      ErasureReceipt* receipt);
  // The subject's events (actor or target) that refer to one of `hashes`.
  StatusOr<std::vector<Event>> EventsReferring(std::string_view org, std::string_view subject,
                                               const std::set<std::string>& hashes);
  Status ForgetDigests(std::string_view org, const std::vector<Event>& events,
                       rocksdb::WriteBatch* batch);
  // Erasure (rocks_blind.cc): deletes the blind-index entries (actor_email and
  // searchable personal fields) of the plain values in `values` — the opened {path:
  // value} objects of all the subject's blobs, passed in one call — that belong to an
  // event of `subject`; entries of equal values of other subjects stay. Independent of
  // how blobs map to events.
  Status DeleteBlindEntries(std::string_view org, std::string_view subject,
                            const std::vector<Json>& values, rocksdb::WriteBatch* batch,
                            ErasureReceipt* receipt);
  // Retention: prunes one chunk from the org's mark on; returns how many events went.
  StatusOr<size_t> PruneChunk(std::string_view org, int64_t cutoff_us, uint64_t* first_kept);
  // Deletes one stored event and everything kept for it (rocks_privacy.cc).
  Status PruneEvent(std::string_view org, uint64_t seq, std::string_view canonical,
                    privacy::OpenedBlobs* opened, rocksdb::WriteBatch* batch);
  // Retention: deletes the blobs of the reuse windows that ended by `cutoff_us`.
  StatusOr<size_t> PruneWindows(std::string_view org, int64_t cutoff_us);
  // Flushes every CF (so no WAL file still holds deleted data) and compacts the org's
  // range of `families` down to the last level, dropping deleted records for good.
  Status ForceOut(std::string_view org, std::span<rocksdb::ColumnFamilyHandle* const> families);
  Status WriteGroup(GroupState* state, rocksdb::WriteBatch* batch);
  StatusOr<std::optional<IdEntry>> LookupId(std::string_view org, std::string_view id);
  std::optional<OrgState> FindOrg(std::string_view org) const;
  // Adds the stored settings to orgs listed in any order (rocks_admin.cc).
  Status FillSettings(std::span<OrgInfo> orgs);
  Status PutMetaSynced(std::string_view key, std::string_view value);

  rocksdb::DB* db_ = nullptr;
  rocksdb::FileLock* read_lock_ = nullptr;  // held by a read-only open
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* events_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* ids_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* index_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* meta_cf_ = nullptr;
  rocksdb::ColumnFamilyHandle* sealed_cf_ = nullptr;
  const Catalog* catalog_ = nullptr;  // personal-value rules (options, or builtin_catalog_)
  Catalog builtin_catalog_;
  std::string secret_;  // 32 bytes: the blind-index key
  privacy::SealReuseCache reuse_cache_;  // which blob holds which values (thread-safe)
  const Clock* clock_ = nullptr;
  bool sync_ = true;
  AppendObserver* observer_ = nullptr;
  std::unique_ptr<RocksTree> tree_;  // the observer unless Open was given one
  std::unique_ptr<OrgCodes> codes_;  // each org's codes, for code-prefix filters
  WriteQueue queue_{kMaxGroupEvents};

  mutable std::mutex orgs_mu_;
  std::map<std::string, OrgState, std::less<>> orgs_;  // guarded by orgs_mu_

  // Held by the group leader while it commits, and by erasure and retention while they
  // write: a subject's key cannot be created and destroyed at once.
  std::mutex commit_mu_;

  // Serialises read-modify-write of admin records (settings, keys, secrets).
  std::mutex admin_mu_;

  AppendCounters counters_;
};

}  // namespace actlog::store
