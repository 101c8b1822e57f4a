// Store: where events live. One interface, several backends (embedded RocksDB, the
// default; PostgreSQL for scale-out), all held to one conformance suite
// (src/store/store_conformance_test.cc).
//
// Contract (DESIGN §2, §4, §5):
// - Append is atomic for the whole batch: every event is stored, or none is.
// - Each organisation's events get seq 0, 1, 2, ... with no gap, in append order.
// - When Append returns OK, the events are durable (fsynced, unless Options say
//   otherwise) and sequenced. Concurrent appenders share one synced write (group commit).
// - A client id is exactly-once per org: the same id with the same content returns the
//   stored event's id and seq (duplicate = true); with other content the whole batch
//   fails with AlreadyExists, error_code "id_conflict", detail index = batch position.
// - Queries return events in (occurred_at, seq) order with opaque cursors.
//
// Thread-safety: every method may be called from many threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/event.h"
#include "actlog/query.h"
#include "actlog/stats.h"
#include "actlog/status.h"

namespace actlog {

class Catalog;
class Clock;

// What Append reports for each event, in the order given.
struct AppendResult {
  std::string org;
  std::string id;
  uint64_t seq = 0;
  bool duplicate = false;  // an earlier append already stored this client id + content
};

// An event as stored: its canonical bytes (the Merkle leaf) and the decoded form.
// Where the backend seals personal data (see "personal data" below), `canonical` holds
// the sealed references and `event` the opened values that readers are shown.
struct StoredEvent {
  std::string canonical;
  Event event;
};

struct QueryPage {
  std::vector<StoredEvent> events;
  // Set when more results may follow; pass it back as EventQuery::cursor. A bounded scan
  // (text search, negative filters) may return fewer than `limit` events and a cursor.
  std::optional<std::string> next_cursor;
  uint64_t scanned = 0;  // index entries examined, for metrics and benchmarks
};

// Settings an admin sets on an org (PATCH /v1/orgs/{org}). Unset = not configured.
struct OrgSettings {
  std::optional<std::string> name;         // display name
  std::optional<int64_t> retention_days;   // events older than this may be pruned

  bool operator==(const OrgSettings&) const = default;
};

struct OrgInfo {
  std::string org;
  uint64_t event_count = 0;    // = next seq = tree size
  int64_t created_at_us = -1;  // first event or explicit creation
  OrgSettings settings;        // empty for backends without settings
};

// An API key as stored: never the key itself, only its SHA-256 (DESIGN §3).
struct ApiKeyRecord {
  std::string id;                   // "key_" + 16 hex digits; public, names the key
  std::string kind;                 // "admin" | "ingest" | "read"
  std::optional<std::string> org;   // scope; unset = platform-wide (admin, ingest)
  std::string hash;                 // 32 raw bytes: SHA-256 of the key text
  int64_t created_at_us = -1;
  std::optional<int64_t> revoked_at_us;
  std::optional<std::string> name;  // a label for people

  bool operator==(const ApiKeyRecord&) const = default;
};

// Counters since the store was opened, for /metrics and benchmarks. Requests per sync
// = appends / syncs shows how well group commit works.
struct StoreMetrics {
  uint64_t appends = 0;            // Append calls that succeeded (duplicates included)
  uint64_t failed_appends = 0;     // Append calls that returned an error
  uint64_t events = 0;             // events newly stored (duplicates not counted)
  uint64_t duplicates = 0;         // events answered from an earlier append
  uint64_t syncs = 0;              // group writes (fsynced unless StoreOptions::sync is off)
  uint64_t sync_micros_total = 0;  // wall time spent in those writes
  uint64_t disk_bytes = 0;         // approximate on-disk size (table files + write-ahead log)
};

// The head of an org's Merkle tree (see the integrity methods of Store).
struct TreeHead {
  uint64_t size = 0;
  std::string root;  // 32 bytes
};

// One kept signed checkpoint of an org's tree (Store::ListCheckpoints).
struct StoredCheckpoint {
  uint64_t size = 0;  // the tree size it commits to
  std::string note;   // the signed note, as signed
};

// What EraseSubject did (the receipt of DESIGN §7). Counts are of this call: erasing a
// subject again, or one the org never had, answers zeros.
struct ErasureReceipt {
  std::string org;
  std::string subject;
  int64_t erased_at_us = -1;
  uint64_t keys_destroyed = 0;         // the subject's key in the org: 0 or 1
  uint64_t values_destroyed = 0;       // sealed values (ciphertexts) deleted
  uint64_t index_entries_removed = 0;  // blind-index entries deleted
  uint64_t events_affected = 0;        // events that now read with erased fields
};

// What PruneBefore did. Events [0, first_kept_seq) of the org are gone for good.
struct PruneResult {
  uint64_t first_kept_seq = 0;
  uint64_t events_removed = 0;  // by this call
};

class Store {
 public:
  virtual ~Store() = default;

  // Assigns seq, received_at, occurred_at (default received_at) and, where missing,
  // id; stores the batch atomically and durably. REQUIRES: events were validated.
  virtual StatusOr<std::vector<AppendResult>> Append(std::vector<Event> events) = 0;

  // Append without parking the caller's thread: `done` is called exactly once with what
  // Append would return, once the batch is durable (or failed), on a thread of the
  // store's; it must not block. Only backends whose AppendsAsync() is true implement it
  // so; the default runs Append on the caller's thread, so a server should call it only
  // where AppendsAsync() is true and use Append on a blocking thread otherwise.
  using AppendDone = std::function<void(StatusOr<std::vector<AppendResult>>)>;
  virtual bool AppendsAsync() const { return false; }
  virtual void AppendAsync(std::vector<Event> events, AppendDone done) {
    done(Append(std::move(events)));
  }

  // NotFound if the org has no such event.
  virtual StatusOr<StoredEvent> Get(std::string_view org, std::string_view id) = 0;
  virtual StatusOr<StoredEvent> GetBySeq(std::string_view org, uint64_t seq) = 0;

  // REQUIRES: ValidateQuery(query).ok(). InvalidArgument "invalid_cursor" for a cursor
  // that this store did not make for this org and order.
  virtual StatusOr<QueryPage> Query(const EventQuery& query) = 0;

  // Calls `fn` for events seq in [from_seq, to_seq) of one org, in seq order, until it
  // returns false. For export, verification and the live tail.
  virtual Status Scan(std::string_view org, uint64_t from_seq, uint64_t to_seq,
                      const std::function<bool(const StoredEvent&)>& fn) = 0;

  virtual StatusOr<std::vector<OrgInfo>> ListOrgs() = 0;
  // NotFound for an org that has no events and was never created.
  virtual StatusOr<OrgInfo> GetOrg(std::string_view org) = 0;

  // Registers an org before its first event (POST /v1/orgs); created_at = now. An org
  // that already exists (created, or with events) is AlreadyExists "org_exists".
  // REQUIRES: IsValidOrgId(org). Backends that cannot do it answer FailedPrecondition.
  virtual Status CreateOrg(std::string_view org) {
    return Status(StatusCode::kFailedPrecondition, "unsupported",
                  "this store cannot create orgs: " + std::string(org));
  }

  // --- access administration (keys, org settings, server secrets) ---
  // Backends that do not keep them answer FailedPrecondition "unsupported". Every
  // successful write below is durable (synced) when it returns.

  // Merges settings into an existing org: `update` gets the current settings and edits
  // them; it runs under the store's admin lock, so concurrent updates never lose each
  // other's fields. A non-OK status from `update` is returned and nothing is written.
  // NotFound for an unknown org. Returns the org with its new settings.
  virtual StatusOr<OrgInfo> UpdateOrgSettings(std::string_view org,
                                              const std::function<Status(OrgSettings*)>& update) {
    (void)update;
    return Unsupported("org settings", org);
  }

  // Stores a new key record. AlreadyExists "key_exists" if the id is taken.
  virtual Status PutApiKey(const ApiKeyRecord& record) {
    return Unsupported("api keys", record.id);
  }
  // Every key record, revoked ones included, ordered by id.
  virtual StatusOr<std::vector<ApiKeyRecord>> ListApiKeys() { return Unsupported("api keys", ""); }
  // Marks a key revoked at `now_us` and returns its record. Idempotent: revoking a revoked
  // key keeps the first revocation time. NotFound for an unknown id.
  virtual StatusOr<ApiKeyRecord> RevokeApiKey(std::string_view id, int64_t now_us) {
    (void)now_us;
    return Unsupported("api keys", id);
  }

  // A named 32-byte random secret (e.g. "viewer_token" for the HMAC of viewer tokens),
  // created on first use and kept for the life of the store. Concurrent first calls
  // agree on one value.
  virtual StatusOr<std::string> GetOrCreateSecret(std::string_view name) {
    return Unsupported("secrets", name);
  }

  // Counts of the events matching `query` (its filters and from/to; order, limit and
  // cursor are ignored) by time bucket and group, newest first up to
  // options.max_events (then truncated). REQUIRES: ValidateQuery(query).ok(). The
  // default pages through Query(); backends may count faster.
  virtual StatusOr<StatsResult> Stats(const EventQuery& query, const StatsOptions& options);

  // --- integrity (docs/INTEGRITY.md): each org's RFC 9162 Merkle tree, whose leaf n is
  // the canonical bytes of the org's event seq n. Hashes are 32-byte strings. Backends
  // without a tree answer FailedPrecondition "unsupported". A tree only grows, so a
  // proof for a size at or below the current one stays valid while appends go on.

  // The org's committed tree: size (its event count) and root. Size 0 (root
  // SHA-256("")) for an org without events.
  virtual StatusOr<TreeHead> GetTreeHead(std::string_view org) {
    return Unsupported("a Merkle tree", org);
  }
  // RFC 9162 inclusion proof of leaf `index` in the org's tree of `tree_size` leaves.
  // InvalidArgument "invalid_proof_request" unless index < tree_size <= current size.
  virtual StatusOr<std::vector<std::string>> InclusionProof(std::string_view org,
                                                            uint64_t index, uint64_t tree_size) {
    (void)index, (void)tree_size;
    return Unsupported("a Merkle tree", org);
  }
  // RFC 9162 consistency proof from the org's tree of `from` leaves to that of `to`.
  // InvalidArgument "invalid_proof_request" unless from <= to <= current size.
  virtual StatusOr<std::vector<std::string>> ConsistencyProof(std::string_view org,
                                                              uint64_t from, uint64_t to) {
    (void)from, (void)to;
    return Unsupported("a Merkle tree", org);
  }
  // The hashes of C2SP tlog-tiles tile (level, index) cut to `width` (1..256) hashes,
  // concatenated. NotFound unless the current tree has that tile at least that wide.
  virtual StatusOr<std::string> ReadTile(std::string_view org, uint8_t level, uint64_t index,
                                         uint32_t width) {
    (void)level, (void)index, (void)width;
    return Unsupported("a Merkle tree", org);
  }

  // Signed checkpoints of the org's tree (signed-note text), kept forever. PutCheckpoint
  // stores one for tree size `size` durably (synced); a second one for the same size
  // replaces nothing: AlreadyExists "checkpoint_exists". LatestCheckpoint is the one of
  // the largest size, NotFound if the org has none.
  virtual Status PutCheckpoint(std::string_view org, uint64_t size, std::string_view note) {
    (void)size, (void)note;
    return Unsupported("checkpoints", org);
  }
  virtual StatusOr<std::string> LatestCheckpoint(std::string_view org) {
    return Unsupported("checkpoints", org);
  }
  // The org's kept checkpoints of tree size >= from_size, smallest size first, at most
  // `limit` of them (for `actlog verify`, and GET /v1/orgs/{org}/checkpoints). Empty for
  // an org without checkpoints.
  virtual StatusOr<std::vector<StoredCheckpoint>> ListCheckpoints(std::string_view org,
                                                                  uint64_t from_size,
                                                                  size_t limit) {
    (void)from_size, (void)limit;
    return Unsupported("checkpoints", org);
  }

  // --- personal data (DESIGN §7, docs/PRIVACY.md) ---
  // A backend that seals does it inside Append: each personal value of an event
  // (src/privacy/personal_fields.h; the rules come from StoreOptions::catalog) is sealed
  // under the key of its data subject in the org before the canonical bytes are made,
  // and the sealed values and new subject keys go into the same atomic write as the
  // events. Every read (Get, GetBySeq, Query, Scan) returns StoredEvent::event with the
  // values opened; a value whose subject was erased reads as absent and its path is
  // listed in Event::erased. Backends without sealing store the plain values and answer
  // FailedPrecondition "unsupported" below.

  // Destroys the subject's key, sealed values and blind-index entries in the org, and
  // forces them out of the storage files (compaction, WAL) before it returns; also
  // forgets the content digests of the subject's events (they cover the plain values).
  // Idempotent. NotFound for an unknown org. REQUIRES: subject non-empty.
  virtual StatusOr<ErasureReceipt> EraseSubject(std::string_view org,
                                                std::string_view subject) {
    return Unsupported("sealed personal data", std::string(org) + "/" + std::string(subject));
  }

  // Retention: removes the org's oldest events, from the first not yet pruned, while
  // their received_at is before `cutoff_us` (received_at follows seq, so what goes is a
  // prefix of the log), with their id, index and sealed-value records. The tree's tiles,
  // tree head and checkpoints stay, so proofs of the remaining events still verify.
  // NotFound for an unknown org.
  virtual StatusOr<PruneResult> PruneBefore(std::string_view org, int64_t cutoff_us) {
    (void)cutoff_us;
    return Unsupported("retention", org);
  }
  // The first seq that was not pruned (0 when nothing was).
  virtual StatusOr<uint64_t> PrunedBelow(std::string_view org) {
    return Unsupported("retention", org);
  }

  // Flushes everything to stable storage (used at shutdown).
  virtual Status Sync() = 0;

  // A snapshot of the counters. Backends without metrics return zeros.
  virtual StoreMetrics Metrics() const { return {}; }

  // Calls `listener(org, next_seq)` (from a thread of the store's) after appends that
  // other processes sharing this store commit, so live tails on every node wake at once
  // (PostgreSQL: LISTEN/NOTIFY; may also report this process's own appends). A new
  // listener replaces the last; nullptr stops the calls. Backends that no other process
  // shares ignore it.
  virtual void SetAppendListener(std::function<void(std::string_view org, uint64_t next_seq)>
                                     listener) {
    (void)listener;
  }

 protected:
  static Status Unsupported(std::string_view what, std::string_view subject) {
    return Status(StatusCode::kFailedPrecondition, "unsupported",
                  "this store does not keep " + std::string(what) + ": " + std::string(subject));
  }
};

// Which backend and where. Parsed from --data / --store.
struct StoreOptions {
  // Embedded store directory (created if missing).
  std::string data_dir = "./data";
  // Store URL: empty (or "rocksdb:") = the embedded store in data_dir;
  // "postgres://…" or "postgresql://…" = the PostgreSQL store (libpq URL syntax).
  std::string url;
  // fsync every append before it returns. Only benchmarks that say so turn it off.
  bool sync = true;
  // Time source for received_at and default occurred_at. Not owned; nullptr = system.
  const Clock* clock = nullptr;
  // Which values are personal, per code (Catalog::Find: target_is_person,
  // personal_fields). Not owned; nullptr = the built-in catalog.
  const Catalog* catalog = nullptr;
};

// Opens the embedded RocksDB store.
StatusOr<std::unique_ptr<Store>> OpenRocksStore(const StoreOptions& options);

// True for "postgres://…" and "postgresql://…" store URLs.
bool IsPostgresUrl(std::string_view url);

// Opens the backend options.url names: the PostgreSQL store for a postgres URL (schema
// migrations applied; Unavailable if the database cannot be reached), the embedded
// store for an empty url or "rocksdb:", InvalidArgument "invalid_store_url" otherwise.
StatusOr<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

}  // namespace actlog
