// Multi-row INSERTs on the PostgreSQL store: "INSERT ... VALUES ($1,..),($n,..)" in
// statements of at most `per_statement` rows, one round trip each. Every table the store
// fills row by row in an append or erasure transaction goes through here.
//
// Thread-compatible: uses the connection it is given.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "store/postgres/pg_conn.h"

namespace actlog::store::pg {

// Inserts `count` rows of `columns` values: `head` is "INSERT INTO t (a, b) VALUES ",
// `bind(i, params)` adds row i's values (exactly `columns` of them), `tail` follows the
// rows (e.g. " ON CONFLICT DO NOTHING").
Status InsertRows(PgConn& conn, std::string_view head, int columns, size_t count,
                  const std::function<void(size_t i, PgParams& params)>& bind,
                  std::string_view tail = {}, size_t per_statement = 500);

}  // namespace actlog::store::pg
