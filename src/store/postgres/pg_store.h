// PgStore: the Store on PostgreSQL through libpq, for deployments where several
// `actlog serve` nodes share one database (DESIGN §8; the schema is in pg_schema.cc and
// docs/STORAGE.md "PostgreSQL store").
//
// Appends join a group-commit queue (store/rocksdb/group_commit.h); the leader commits
// the whole group in one transaction: it locks the head row of every org the group
// touches (SELECT ... FOR UPDATE, in org order), so sequencing happens in the database
// and two nodes never hand out one seq; it checks client ids, assigns seqs, inserts
// the events with multi-row INSERTs, extends each org's Merkle tree tiles and moves the
// heads, then commits. A batch that conflicts fails alone; a failed transaction fails
// the whole group and leaves nothing behind. Queries are keyset scans over
// (org, occurred_at, seq) indexes, with the embedded store's cursors and semantics.
//
// Thread-safe: every method may be called from many threads at once.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/merkle.h"
#include "actlog/store.h"
#include "privacy/seal_reuse.h"
#include "store/postgres/pg_pool.h"
#include "store/rocksdb/group_commit.h"

namespace actlog::store::pg {

// At most this many events are committed in one transaction.
inline constexpr size_t kMaxGroupEvents = 5000;
// Connections per store (per node).
inline constexpr size_t kPoolSize = 16;

class PgStore final : public Store {
 public:
  // Connects to `options.url`, applies the schema migrations and loads the blind-index
  // secret. Unavailable if the database cannot be reached.
  static StatusOr<std::unique_ptr<PgStore>> Open(const StoreOptions& options);

  StatusOr<std::vector<AppendResult>> Append(std::vector<Event> events) override;
  StatusOr<StoredEvent> Get(std::string_view org, std::string_view id) override;
  StatusOr<StoredEvent> GetBySeq(std::string_view org, uint64_t seq) override;
  StatusOr<QueryPage> Query(const EventQuery& query) override;
  Status Scan(std::string_view org, uint64_t from_seq, uint64_t to_seq,
              const std::function<bool(const StoredEvent&)>& fn) override;
  StatusOr<std::vector<OrgInfo>> ListOrgs() override;
  StatusOr<OrgInfo> GetOrg(std::string_view org) override;
  Status CreateOrg(std::string_view org) override;
  Status Sync() override { return Status::Ok(); }  // every commit is already durable
  StoreMetrics Metrics() const override;

  // Access administration (pg_admin.cc).
  StatusOr<OrgInfo> UpdateOrgSettings(std::string_view org,
                                      const std::function<Status(OrgSettings*)>& update) override;
  Status PutApiKey(const ApiKeyRecord& record) override;
  StatusOr<std::vector<ApiKeyRecord>> ListApiKeys() override;
  StatusOr<ApiKeyRecord> RevokeApiKey(std::string_view id, int64_t now_us) override;
  StatusOr<std::string> GetOrCreateSecret(std::string_view name) override;

  // The Merkle tree and checkpoints (pg_tree.cc).
  StatusOr<TreeHead> GetTreeHead(std::string_view org) override;
  StatusOr<std::vector<std::string>> InclusionProof(std::string_view org, uint64_t index,
                                                    uint64_t tree_size) override;
  StatusOr<std::vector<std::string>> ConsistencyProof(std::string_view org, uint64_t from,
                                                      uint64_t to) override;
  StatusOr<std::string> ReadTile(std::string_view org, uint8_t level, uint64_t index,
                                 uint32_t width) override;
  Status PutCheckpoint(std::string_view org, uint64_t size, std::string_view note) override;
  StatusOr<std::string> LatestCheckpoint(std::string_view org) override;
  StatusOr<std::vector<StoredCheckpoint>> ListCheckpoints(std::string_view org, uint64_t from_size,
                                                          size_t limit) override;

  // Personal data (pg_sealed.cc, pg_retention.cc).
  StatusOr<ErasureReceipt> EraseSubject(std::string_view org, std::string_view subject) override;
  StatusOr<PruneResult> PruneBefore(std::string_view org, int64_t cutoff_us) override;
  StatusOr<uint64_t> PrunedBelow(std::string_view org) override;

  // LISTEN/NOTIFY (pg_listen.cc): every append transaction notifies channel
  // "actlog_append" with "<next_seq> <org>" per org; a thread of this store listens on
  // its own connection (reconnecting while the database is away) and calls `listener`.
  void SetAppendListener(
      std::function<void(std::string_view org, uint64_t next_seq)> listener) override;
  ~PgStore() override;

  PgPool& pool() { return *pool_; }

  struct Group;  // one group's transaction state (pg_append.cc)

 private:
  PgStore() = default;
  void CommitGroup(std::span<PendingAppend* const> group);
  Status CommitGroupOnce(PgConn& conn, std::span<PendingAppend* const> group,
                         std::vector<StatusOr<std::vector<AppendResult>>>* results, Group* state);
  // The committed tree of `org`: size and frontier (largest subtree first).
  struct TreeState {
    uint64_t size = 0;
    std::vector<integrity::Hash> frontier;
  };
  StatusOr<TreeState> LoadTree(std::string_view org);

  // Decodes stored canonical bytes of `org`'s events and opens their sealed values
  // (one query for the page), appending them to `out`.
  Status DecodeAndOpen(PgConn& conn, std::string_view org, std::vector<std::string> canonical,
                       std::vector<StoredEvent>* out) const;
  // Erasure (pg_blind.cc): clears the subject's blind-index entries (actor_email of its
  // events as actor, its personal_index rows) and counts them in the receipt.
  Status ClearBlind(PgConn& conn, std::string_view org, std::string_view subject,
                    ErasureReceipt* receipt);
  // Erasure (pg_sealed.cc): the seqs of the subject's events (as actor or target) that
  // refer to one of `hashes`.
  StatusOr<std::vector<int64_t>> EventsReferring(PgConn& conn, std::string_view org,
                                                 std::string_view subject,
                                                 const std::set<std::string>& hashes);

  std::unique_ptr<PgPool> pool_;
  const Clock* clock_ = nullptr;
  const Catalog* catalog_ = nullptr;  // which values are personal; not owned
  Catalog builtin_catalog_;           // catalog_ when the options name none
  std::string secret_;                // 32 bytes: the blind-index key
  privacy::SealReuseCache reuse_cache_;  // which blob holds which values (thread-safe)
  WriteQueue queue_{kMaxGroupEvents};

  void ListenLoop();

  std::mutex listen_mu_;
  std::condition_variable listen_cv_;
  std::function<void(std::string_view, uint64_t)> listener_;  // guarded by listen_mu_
  bool listen_stop_ = false;                                  // guarded by listen_mu_
  std::thread listen_thread_;

  AppendCounters counters_;
};

// Decodes a stored frontier (concatenated 32-byte hashes) for a tree of `size` leaves.
StatusOr<std::vector<integrity::Hash>> DecodeFrontier(std::string_view bytes, uint64_t size,
                                                      std::string_view org);

}  // namespace actlog::store::pg
