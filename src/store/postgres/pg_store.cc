// Opening the PostgreSQL store and the read paths that are not queries.
#include "store/postgres/pg_store.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "actlog/clock.h"
#include "store/postgres/pg_schema.h"

namespace actlog::store::pg {
namespace {

// The blind-index key lives among the named secrets under a name the server never uses.
constexpr std::string_view kBlindIndexSecret = "store.blind_index";
constexpr int64_t kScanPage = 500;

}  // namespace

StatusOr<std::unique_ptr<PgStore>> PgStore::Open(const StoreOptions& options) {
  if (sodium_init() < 0) return Internal("libsodium failed to initialise");
  std::unique_ptr<PgStore> store(new PgStore());
  store->clock_ = options.clock != nullptr ? options.clock : SystemClock::Default();
  if (options.catalog != nullptr) {
    store->catalog_ = options.catalog;
  } else {
    store->builtin_catalog_ = Catalog::BuiltIn();
    store->catalog_ = &store->builtin_catalog_;
  }
  store->pool_ = std::make_unique<PgPool>(options.url, kPoolSize);
  ACTLOG_RETURN_IF_ERROR(store->pool_->Run([](PgConn& conn) -> Status {
    StatusOr<PgResult> enc = conn.Exec("SELECT current_setting('server_encoding')");
    if (!enc.ok()) return enc.status();
    if (enc->Bytes(0, 0) != "UTF8") {
      return Status(StatusCode::kFailedPrecondition, "unsupported_database",
                    "the database must use UTF8 encoding, not " + enc->Bytes(0, 0));
    }
    return Status::Ok();
  }));
  ACTLOG_RETURN_IF_ERROR(Migrate(*store->pool_));
  StatusOr<std::string> secret = store->GetOrCreateSecret(kBlindIndexSecret);
  if (!secret.ok()) return secret.status();
  store->secret_ = std::move(secret).value();
  return store;
}

StatusOr<StoredEvent> PgStore::Get(std::string_view org, std::string_view id) {
  StatusOr<StoredEvent> out = NotFound("no event " + std::string(id));
  ACTLOG_RETURN_IF_ERROR(pool_->Run([&](PgConn& conn) -> Status {
    StatusOr<PgResult> r = conn.Exec(
        "SELECT canonical, client_id, content_digest FROM events WHERE org = $1 AND id = $2",
        PgParams().Text(org).Text(id));
    if (!r.ok()) return r.status();
    if (r->rows() == 0) return Status::Ok();
    std::vector<StoredEvent> events;
    ACTLOG_RETURN_IF_ERROR(DecodeAndOpen(conn, org, {r->Bytes(0, 0)}, &events));
    events[0].event.client_id = r->Bool(0, 1);
    events[0].event.content_digest = r->Bytes(0, 2);
    out = std::move(events[0]);
    return Status::Ok();
  }));
  return out;
}

StatusOr<StoredEvent> PgStore::GetBySeq(std::string_view org, uint64_t seq) {
  StatusOr<StoredEvent> out = NotFound("no event with seq " + std::to_string(seq));
  if (seq > static_cast<uint64_t>(INT64_MAX)) return out;
  ACTLOG_RETURN_IF_ERROR(pool_->Run([&](PgConn& conn) -> Status {
    StatusOr<PgResult> r = conn.Exec("SELECT canonical FROM events WHERE org = $1 AND seq = $2",
                                     PgParams().Text(org).Int(static_cast<int64_t>(seq)));
    if (!r.ok()) return r.status();
    if (r->rows() == 0) return Status::Ok();
    std::vector<StoredEvent> events;
    ACTLOG_RETURN_IF_ERROR(DecodeAndOpen(conn, org, {r->Bytes(0, 0)}, &events));
    out = std::move(events[0]);
    return Status::Ok();
  }));
  return out;
}

// Reads a page at a time (a connection is never held while `fn` runs).
Status PgStore::Scan(std::string_view org, uint64_t from_seq, uint64_t to_seq,
                     const std::function<bool(const StoredEvent&)>& fn) {
  const uint64_t kMax = static_cast<uint64_t>(INT64_MAX);
  uint64_t next = std::min(from_seq, kMax);
  uint64_t end = std::min(to_seq, kMax);
  while (next < end) {
    std::vector<StoredEvent> page;
    ACTLOG_RETURN_IF_ERROR(pool_->Run([&](PgConn& conn) -> Status {
      StatusOr<PgResult> r = conn.Exec(
          "SELECT seq, canonical FROM events WHERE org = $1 AND seq >= $2 AND seq < $3 "
          "ORDER BY seq LIMIT $4",
          PgParams()
              .Text(org)
              .Int(static_cast<int64_t>(next))
              .Int(static_cast<int64_t>(end))
              .Int(kScanPage));
      if (!r.ok()) return r.status();
      std::vector<std::string> canonical;
      for (int i = 0; i < r->rows(); ++i) canonical.push_back(r->Bytes(i, 1));
      if (r->rows() > 0) next = static_cast<uint64_t>(r->Int(r->rows() - 1, 0)) + 1;
      return DecodeAndOpen(conn, org, std::move(canonical), &page);
    }));
    for (const StoredEvent& stored : page) {
      if (!fn(stored)) return Status::Ok();
    }
    if (page.size() < static_cast<size_t>(kScanPage)) break;
  }
  return Status::Ok();
}

namespace {

constexpr const char* kOrgColumns =
    "SELECT h.org, h.next_seq, h.created_at, s.name, s.retention_days "
    "FROM org_heads h LEFT JOIN org_settings s ON s.org = h.org ";

OrgInfo OrgFromRow(const PgResult& r, int row) {
  OrgInfo info;
  info.org = r.Bytes(row, 0);
  info.event_count = static_cast<uint64_t>(r.Int(row, 1));
  info.created_at_us = r.Int(row, 2);
  if (!r.IsNull(row, 3)) info.settings.name = r.Bytes(row, 3);
  if (!r.IsNull(row, 4)) info.settings.retention_days = r.Int(row, 4);
  return info;
}

}  // namespace

StatusOr<std::vector<OrgInfo>> PgStore::ListOrgs() {
  std::vector<OrgInfo> out;
  ACTLOG_RETURN_IF_ERROR(pool_->Run([&](PgConn& conn) -> Status {
    StatusOr<PgResult> r = conn.Exec(std::string(kOrgColumns) + "ORDER BY h.org");
    if (!r.ok()) return r.status();
    for (int i = 0; i < r->rows(); ++i) out.push_back(OrgFromRow(*r, i));
    return Status::Ok();
  }));
  return out;
}

StatusOr<OrgInfo> PgStore::GetOrg(std::string_view org) {
  StatusOr<OrgInfo> out = NotFound("no org " + std::string(org));
  ACTLOG_RETURN_IF_ERROR(pool_->Run([&](PgConn& conn) -> Status {
    StatusOr<PgResult> r =
        conn.Exec(std::string(kOrgColumns) + "WHERE h.org = $1", PgParams().Text(org));
    if (!r.ok()) return r.status();
    if (r->rows() > 0) out = OrgFromRow(*r, 0);
    return Status::Ok();
  }));
  return out;
}

Status PgStore::CreateOrg(std::string_view org) {
  return pool_->Run([&](PgConn& conn) -> Status {
    StatusOr<PgResult> r =
        conn.Exec("INSERT INTO org_heads (org, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                  PgParams().Text(org).Int(clock_->NowMicros()));
    if (!r.ok()) return r.status();
    if (r->affected() == 0) {
      return Status(StatusCode::kAlreadyExists, "org_exists",
                    "org " + std::string(org) + " already exists");
    }
    return Status::Ok();
  });
}

StoreMetrics PgStore::Metrics() const {
  StoreMetrics m = counters_.Snapshot();
  Status ignored = pool_->Run([&](PgConn& conn) -> Status {
    StatusOr<PgResult> r = conn.Exec("SELECT pg_database_size(current_database())");
    if (r.ok() && r->rows() == 1) m.disk_bytes = static_cast<uint64_t>(r->Int(0, 0));
    return r.status();
  });
  (void)ignored;  // metrics stay readable while the database is down
  return m;
}

StatusOr<std::vector<integrity::Hash>> DecodeFrontier(std::string_view bytes, uint64_t size,
                                                      std::string_view org) {
  if (bytes.size() % integrity::kHashSize != 0 ||
      bytes.size() / integrity::kHashSize != static_cast<size_t>(__builtin_popcountll(size))) {
    return DataLoss("tree state of org " + std::string(org) + " has a wrong frontier");
  }
  std::vector<integrity::Hash> frontier(bytes.size() / integrity::kHashSize);
  for (size_t i = 0; i < frontier.size(); ++i) {
    std::memcpy(frontier[i].data(), bytes.data() + i * integrity::kHashSize, integrity::kHashSize);
  }
  return frontier;
}

}  // namespace actlog::store::pg
