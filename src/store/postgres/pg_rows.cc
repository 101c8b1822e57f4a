#include "store/postgres/pg_rows.h"

#include <algorithm>
#include <string>

namespace actlog::store::pg {

Status InsertRows(PgConn& conn, std::string_view head, int columns, size_t count,
                  const std::function<void(size_t i, PgParams& params)>& bind,
                  std::string_view tail, size_t per_statement) {
  for (size_t start = 0; start < count; start += per_statement) {
    size_t end = std::min(count, start + per_statement);
    std::string sql(head);
    PgParams params;
    for (size_t i = start; i < end; ++i) {
      int base = params.last();
      bind(i, params);
      if (params.last() - base != columns) {
        return Internal("a row of " + std::string(head) + "has " +
                        std::to_string(params.last() - base) + " values, not " +
                        std::to_string(columns));
      }
      sql += i == start ? "(" : ",(";
      for (int c = 1; c <= columns; ++c) sql += (c == 1 ? "$" : ",$") + std::to_string(base + c);
      sql += ')';
    }
    sql += tail;
    ACTLOG_RETURN_IF_ERROR(conn.Exec(sql, params).status());
  }
  return Status::Ok();
}

}  // namespace actlog::store::pg
