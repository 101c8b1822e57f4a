#include "store/postgres/pg_schema.h"

#include <string>

namespace actlog::store::pg {
namespace {

// A fixed key for pg_advisory_xact_lock that every node agrees on.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(418581457767)";

struct Migration {
  int version;
  const char* sql;
};

// Append only: a released migration is never edited, a change is a new migration.
constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE org_heads (
  org text COLLATE "C" PRIMARY KEY,
  next_seq bigint NOT NULL DEFAULT 0,
  created_at bigint NOT NULL,
  frontier bytea NOT NULL DEFAULT ''::bytea
);
CREATE TABLE org_settings (
  org text COLLATE "C" PRIMARY KEY,
  name text,
  retention_days bigint
);
CREATE TABLE events (
  org text COLLATE "C" NOT NULL,
  seq bigint NOT NULL,
  id text COLLATE "C" NOT NULL,
  client_id boolean NOT NULL,
  content_digest bytea NOT NULL,
  occurred_at bigint NOT NULL,
  received_at bigint NOT NULL,
  code text COLLATE "C" NOT NULL,
  actor_id text COLLATE "C" NOT NULL,
  actor_type text COLLATE "C" NOT NULL,
  actor_email bytea,
  target_type text COLLATE "C",
  target_id text COLLATE "C",
  outcome text COLLATE "C" NOT NULL,
  canonical text NOT NULL,
  PRIMARY KEY (org, seq)
);
CREATE UNIQUE INDEX events_by_id ON events (org, id);
CREATE INDEX events_by_time ON events (org, occurred_at, seq);
CREATE INDEX events_by_code ON events (org, code, occurred_at, seq);
CREATE INDEX events_by_actor ON events (org, actor_id, occurred_at, seq);
CREATE INDEX events_by_actor_email ON events (org, actor_email, occurred_at, seq)
  WHERE actor_email IS NOT NULL;
CREATE INDEX events_by_target_id ON events (org, target_id, occurred_at, seq)
  WHERE target_id IS NOT NULL;
CREATE INDEX events_by_target_type ON events (org, target_type, occurred_at, seq)
  WHERE target_type IS NOT NULL;
CREATE TABLE tree_tiles (
  org text COLLATE "C" NOT NULL,
  level smallint NOT NULL,
  idx bigint NOT NULL,
  hashes bytea NOT NULL,
  PRIMARY KEY (org, level, idx)
);
CREATE TABLE checkpoints (
  org text COLLATE "C" NOT NULL,
  size bigint NOT NULL,
  note text NOT NULL,
  PRIMARY KEY (org, size)
);
CREATE TABLE api_keys (
  id text COLLATE "C" PRIMARY KEY,
  kind text NOT NULL,
  org text,
  hash bytea NOT NULL,
  created_at bigint NOT NULL,
  revoked_at bigint,
  name text
);
CREATE TABLE secrets (
  name text COLLATE "C" PRIMARY KEY,
  value bytea NOT NULL
);
)sql"},
    // Retention: events below pruned_below are gone (the tree keeps their leaves).
    {2, R"sql(
ALTER TABLE org_heads ADD COLUMN pruned_below bigint NOT NULL DEFAULT 0;
)sql"},
    // Sealed personal values (DESIGN §7): subject keys, and one blob per (event, subject).
    {3, R"sql(
CREATE TABLE subject_keys (
  org text COLLATE "C" NOT NULL,
  subject text COLLATE "C" NOT NULL,
  key bytea NOT NULL,
  PRIMARY KEY (org, subject)
);
CREATE TABLE sealed_values (
  org text COLLATE "C" NOT NULL,
  seq bigint NOT NULL,
  hash bytea NOT NULL,
  subject text COLLATE "C" NOT NULL,
  has_email boolean NOT NULL,
  blob bytea NOT NULL,
  PRIMARY KEY (org, seq, hash)
);
CREATE INDEX sealed_values_by_subject ON sealed_values (org, subject);
)sql"},
    // The blind index of searchable personal fields (catalog searchable_fields): one row
    // per (event, path); subject for erasure.
    {4, R"sql(
CREATE TABLE personal_index (
  org text COLLATE "C" NOT NULL,
  path text COLLATE "C" NOT NULL,
  mac bytea NOT NULL,
  seq bigint NOT NULL,
  subject text COLLATE "C" NOT NULL,
  PRIMARY KEY (org, path, mac, seq)
);
CREATE INDEX personal_index_by_subject ON personal_index (org, subject);
CREATE INDEX personal_index_by_seq ON personal_index (org, seq);
)sql"},
    // One sealed blob per subject and distinct values in a reuse window, shared by the
    // events of that window that repeat them (privacy/seal_reuse.h). sealed_values keeps
    // the per-event blobs written before; it is still read, erased and pruned.
    {5, R"sql(
CREATE TABLE sealed_blobs (
  org text COLLATE "C" NOT NULL,
  hash bytea NOT NULL,
  time_window bigint NOT NULL,
  subject text COLLATE "C" NOT NULL,
  blob bytea NOT NULL,
  PRIMARY KEY (org, hash)
);
CREATE INDEX sealed_blobs_by_subject ON sealed_blobs (org, subject);
CREATE INDEX sealed_blobs_by_window ON sealed_blobs (org, time_window);
)sql"},
};

Status Apply(PgConn& conn, const Migration& m, bool* newer) {
  ACTLOG_RETURN_IF_ERROR(conn.Exec(kMigrationLock).status());
  ACTLOG_RETURN_IF_ERROR(conn.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                   "version bigint PRIMARY KEY, "
                                   "applied_at timestamptz NOT NULL DEFAULT now())")
                             .status());
  StatusOr<PgResult> max = conn.Exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!max.ok()) return max.status();
  int64_t current = max->Int(0, 0);
  if (current > SchemaVersion()) *newer = true;
  if (current >= m.version) return Status::Ok();
  ACTLOG_RETURN_IF_ERROR(conn.ExecScript(m.sql));
  return conn.Exec("INSERT INTO schema_migrations (version) VALUES ($1)", PgParams().Int(m.version))
      .status();
}

}  // namespace

int SchemaVersion() { return kMigrations[std::size(kMigrations) - 1].version; }

Status Migrate(PgPool& pool) {
  for (const Migration& m : kMigrations) {
    bool newer = false;
    ACTLOG_RETURN_IF_ERROR(pool.Transaction([&](PgConn& conn) { return Apply(conn, m, &newer); }));
    if (newer) {
      return Status(StatusCode::kFailedPrecondition, "unsupported_format",
                    "the database holds a newer actlog schema than this binary knows (" +
                        std::to_string(SchemaVersion()) + ")");
    }
  }
  return Status::Ok();
}

}  // namespace actlog::store::pg
