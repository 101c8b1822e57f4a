// The PostgreSQL store's schema and its versioned migrations (docs/STORAGE.md
// "PostgreSQL store" describes every table).
//
// Migrate() brings a database up to date: it creates schema_migrations if needed and
// applies each missing migration in its own transaction, recording its version there.
// Every migration transaction first takes a transaction-scoped advisory lock, so several
// nodes starting at once apply each migration exactly once (the others wait, then see it
// recorded). A database newer than this binary (an unknown version recorded) is refused
// with FailedPrecondition "unsupported_format".
//
// Every per-org table has `org` as its first key column, so an engine that shards by
// org (Citus, YugabyteDB) can distribute it; api_keys and secrets are platform-wide.
#pragma once

#include "store/postgres/pg_pool.h"

namespace actlog::store::pg {

// The schema version this binary writes (the last migration's number).
int SchemaVersion();

Status Migrate(PgPool& pool);

}  // namespace actlog::store::pg
