// Access administration on the PostgreSQL store: org settings (org_settings, one row
// per org, locked FOR UPDATE while an update runs), API key records (api_keys) and
// named secrets (secrets). Every write is a committed transaction, hence durable.
#include <sodium.h>

#include "store/postgres/pg_store.h"

namespace actlog::store::pg {
namespace {

constexpr size_t kNamedSecretBytes = 32;

constexpr const char* kKeyColumns =
    "SELECT id, kind, org, hash, created_at, revoked_at, name FROM api_keys ";

ApiKeyRecord KeyFromRow(const PgResult& r, int row) {
  ApiKeyRecord k;
  k.id = r.Bytes(row, 0);
  k.kind = r.Bytes(row, 1);
  if (!r.IsNull(row, 2)) k.org = r.Bytes(row, 2);
  k.hash = r.Bytes(row, 3);
  k.created_at_us = r.Int(row, 4);
  if (!r.IsNull(row, 5)) k.revoked_at_us = r.Int(row, 5);
  if (!r.IsNull(row, 6)) k.name = r.Bytes(row, 6);
  return k;
}

PgParams& Optional(PgParams& p, const std::optional<std::string>& v) {
  return v ? p.Text(*v) : p.Null();
}

}  // namespace

StatusOr<OrgInfo> PgStore::UpdateOrgSettings(std::string_view org,
                                             const std::function<Status(OrgSettings*)>& update) {
  ACTLOG_RETURN_IF_ERROR(pool_->Transaction([&](PgConn& conn) -> Status {
    StatusOr<PgResult> exists =
        conn.Exec("SELECT 1 FROM org_heads WHERE org = $1", PgParams().Text(org));
    if (!exists.ok()) return exists.status();
    if (exists->rows() == 0) return NotFound("no org " + std::string(org));
    ACTLOG_RETURN_IF_ERROR(conn.Exec("INSERT INTO org_settings (org) VALUES ($1) "
                                     "ON CONFLICT DO NOTHING",
                                     PgParams().Text(org))
                               .status());
    StatusOr<PgResult> row =
        conn.Exec("SELECT name, retention_days FROM org_settings WHERE org = $1 FOR UPDATE",
                  PgParams().Text(org));
    if (!row.ok()) return row.status();
    OrgSettings settings;
    if (!row->IsNull(0, 0)) settings.name = row->Bytes(0, 0);
    if (!row->IsNull(0, 1)) settings.retention_days = row->Int(0, 1);
    ACTLOG_RETURN_IF_ERROR(update(&settings));
    PgParams params;
    params.Text(org);
    Optional(params, settings.name);
    if (settings.retention_days) {
      params.Int(*settings.retention_days);
    } else {
      params.Null();
    }
    return conn
        .Exec("UPDATE org_settings SET name = $2, retention_days = $3 WHERE org = $1", params)
        .status();
  }));
  return GetOrg(org);
}

Status PgStore::PutApiKey(const ApiKeyRecord& record) {
  return pool_->Run([&](PgConn& conn) -> Status {
    PgParams params;
    params.Text(record.id).Text(record.kind);
    Optional(params, record.org).Bytes(record.hash).Int(record.created_at_us);
    if (record.revoked_at_us) {
      params.Int(*record.revoked_at_us);
    } else {
      params.Null();
    }
    Optional(params, record.name);
    StatusOr<PgResult> r = conn.Exec(
        "INSERT INTO api_keys (id, kind, org, hash, created_at, revoked_at, name) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        params);
    if (!r.ok()) return r.status();
    if (r->affected() == 0) {
      return Status(StatusCode::kAlreadyExists, "key_exists", "key " + record.id + " exists");
    }
    return Status::Ok();
  });
}

StatusOr<std::vector<ApiKeyRecord>> PgStore::ListApiKeys() {
  std::vector<ApiKeyRecord> out;
  ACTLOG_RETURN_IF_ERROR(pool_->Run([&](PgConn& conn) -> Status {
    StatusOr<PgResult> r = conn.Exec(std::string(kKeyColumns) + "ORDER BY id");
    if (!r.ok()) return r.status();
    for (int i = 0; i < r->rows(); ++i) out.push_back(KeyFromRow(*r, i));
    return Status::Ok();
  }));
  return out;
}

StatusOr<ApiKeyRecord> PgStore::RevokeApiKey(std::string_view id, int64_t now_us) {
  StatusOr<ApiKeyRecord> out = NotFound("no key " + std::string(id));
  ACTLOG_RETURN_IF_ERROR(pool_->Run([&](PgConn& conn) -> Status {
    StatusOr<PgResult> r = conn.Exec(
        "UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 "
        "RETURNING id, kind, org, hash, created_at, revoked_at, name",
        PgParams().Text(id).Int(now_us));
    if (!r.ok()) return r.status();
    if (r->rows() > 0) out = KeyFromRow(*r, 0);
    return Status::Ok();
  }));
  return out;
}

// Concurrent first calls (on any node) agree: the insert that loses does nothing, and
// the read that follows sees the winner's value.
StatusOr<std::string> PgStore::GetOrCreateSecret(std::string_view name) {
  std::string fresh(kNamedSecretBytes, '\0');
  randombytes_buf(fresh.data(), fresh.size());
  std::string out;
  ACTLOG_RETURN_IF_ERROR(pool_->Run([&](PgConn& conn) -> Status {
    ACTLOG_RETURN_IF_ERROR(conn.Exec("INSERT INTO secrets (name, value) VALUES ($1, $2) "
                                     "ON CONFLICT DO NOTHING",
                                     PgParams().Text(name).Bytes(fresh))
                               .status());
    StatusOr<PgResult> r =
        conn.Exec("SELECT value FROM secrets WHERE name = $1", PgParams().Text(name));
    if (!r.ok()) return r.status();
    if (r->rows() != 1) return Internal("secret " + std::string(name) + " vanished");
    out = r->Bytes(0, 0);
    return Status::Ok();
  }));
  if (out.size() != kNamedSecretBytes) {
    return DataLoss("secret " + std::string(name) + " is damaged");
  }
  return out;
}

}  // namespace actlog::store::pg
