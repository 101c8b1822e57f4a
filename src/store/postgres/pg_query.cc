// Queries on the PostgreSQL store: one keyset scan per page.
//
//   SELECT ... FROM events WHERE org = $1 [filters] [time bounds]
//     AND (occurred_at, seq) <= (cursor)            -- >= for ascending order
//   ORDER BY occurred_at DESC, seq DESC LIMIT limit + 1
//
// A field given several values is an OR of them; fields AND. Code prefixes are two
// ranges on the "C"-collated code column ("a.b:" <= code < "a.b;" and "a.b." <= code <
// "a.b/"), so "org.member" never matches "org.member_x". Negative filters are
// NOT coalesce(match, false): an event without the field is not excluded. Text is an
// ASCII-case-insensitive substring of the canonical bytes, as in the embedded store.
// The extra row decides whether there is a next page; its position is the cursor (the
// embedded store's cursor format, store/rocksdb/cursor.h), so pages never use offsets.
// The planner picks the index ((org, field, occurred_at, seq) or (org, occurred_at,
// seq)), so a deep page costs what the first does.
#include <map>

#include "privacy/blind_index.h"
#include "store/postgres/pg_store.h"
#include "store/rocksdb/cursor.h"
#include "store/rocksdb/index_entries.h"

namespace actlog::store::pg {
namespace {

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Placeholder(int n) {
  std::string out = "$";
  out += std::to_string(n);
  return out;
}

class SqlBuilder {
 public:
  explicit SqlBuilder(std::string_view secret) : secret_(secret) {}

  // "(cond OR cond ...)" for several filters of one field.
  std::string Match(const FieldFilter& f) {
    switch (f.field) {
      case QueryField::kCode:
        return CodeMatch(f.value);
      case QueryField::kActor:
        return Eq("actor_id", f.value);
      case QueryField::kActorType:
        return Eq("actor_type", f.value);
      case QueryField::kActorEmail:
        params.Bytes(BlindEmail(secret_, f.value));
        return "actor_email = " + Placeholder(params.last());
      case QueryField::kTargetType:
        return Eq("target_type", f.value);
      case QueryField::kTargetId:
        return Eq("target_id", f.value);
      case QueryField::kOutcome:
        return Eq("outcome", f.value);
      case QueryField::kPersonal: {
        std::string path = Param(f.path);
        params.Bytes(privacy::BlindValue(secret_, f.path, f.value));
        return "seq IN (SELECT p.seq FROM personal_index p WHERE p.org = $1 AND p.path = " +
               path + " AND p.mac = " + Placeholder(params.last()) + ")";
      }
    }
    return "false";
  }

  std::string Param(std::string_view v) {
    params.Text(v);
    return Placeholder(params.last());
  }
  std::string Param(int64_t v) {
    params.Int(v);
    return Placeholder(params.last());
  }

  PgParams params;

 private:
  std::string Eq(const char* column, std::string_view v) {
    return std::string(column) + " = " + Param(v);
  }
  std::string Range(const std::string& low, const std::string& high) {
    return "(code >= " + Param(low) + " AND code < " + Param(high) + ")";
  }
  std::string CodeMatch(const std::string& v) {
    size_t colon = v.find(':');
    bool prefix = colon == std::string::npos || (v.size() == colon + 2 && v[colon + 1] == '*');
    if (!prefix) return Eq("code", v);
    std::string resource = v.substr(0, colon);
    return "(" + Range(resource + ":", resource + ";") + " OR " +
           Range(resource + ".", resource + "/") + ")";
  }

  std::string_view secret_;
};

std::string BuildSql(const EventQuery& query, const std::optional<Position>& resume,
                     SqlBuilder* b) {
  std::string sql =
      "SELECT occurred_at, seq, canonical FROM events WHERE org = " + b->Param(query.org);
  // One AND term per field; every searchable path is a field of its own.
  std::map<std::pair<QueryField, std::string>, std::vector<std::string>> by_field;
  for (const FieldFilter& f : query.include) by_field[{f.field, f.path}].push_back(b->Match(f));
  for (const auto& [field, matches] : by_field) {
    sql += " AND (";
    for (size_t i = 0; i < matches.size(); ++i) sql += (i ? " OR " : "") + matches[i];
    sql += ")";
  }
  for (const FieldFilter& f : query.exclude) sql += " AND NOT coalesce(" + b->Match(f) + ", false)";
  if (query.from_us) sql += " AND occurred_at >= " + b->Param(*query.from_us);
  if (query.to_us) sql += " AND occurred_at < " + b->Param(*query.to_us);
  if (!query.text.empty()) {
    sql +=
        " AND strpos(translate(canonical, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
        "'abcdefghijklmnopqrstuvwxyz'), " +
        b->Param(AsciiLower(query.text)) + ") > 0";
  }
  bool asc = query.order == Order::kAsc;
  if (resume) {
    // Positions beyond bigint (Position::Max) need no bound.
    uint64_t seq = std::min<uint64_t>(resume->seq, static_cast<uint64_t>(INT64_MAX));
    sql += std::string(" AND (occurred_at, seq) ") + (asc ? ">= (" : "<= (") +
           b->Param(resume->occurred_at_us) + ", " + b->Param(static_cast<int64_t>(seq)) + ")";
  }
  sql += asc ? " ORDER BY occurred_at ASC, seq ASC" : " ORDER BY occurred_at DESC, seq DESC";
  sql += " LIMIT " + b->Param(int64_t{std::max(1, query.limit)} + 1);
  return sql;
}

}  // namespace

StatusOr<QueryPage> PgStore::Query(const EventQuery& query) {
  ACTLOG_RETURN_IF_ERROR(privacy::CheckSearchable(query, *catalog_));
  std::optional<Position> resume;
  if (!query.cursor.empty()) {
    StatusOr<Position> decoded = DecodeCursor(query);
    if (!decoded.ok()) return decoded.status();
    resume = *decoded;
  }
  SqlBuilder builder(secret_);
  std::string sql = BuildSql(query, resume, &builder);
  size_t limit = static_cast<size_t>(std::max(1, query.limit));
  std::vector<std::string> rows;
  std::optional<Position> next;
  QueryPage page;
  ACTLOG_RETURN_IF_ERROR(pool_->Run([&](PgConn& conn) -> Status {
    StatusOr<PgResult> r = conn.Exec(sql, builder.params);
    if (!r.ok()) return r.status();
    for (int i = 0; i < r->rows(); ++i) {
      if (rows.size() == limit) {
        next = Position{r->Int(i, 0), static_cast<uint64_t>(r->Int(i, 1))};
        break;
      }
      rows.push_back(r->Bytes(i, 2));
    }
    page.scanned = rows.size() + (next ? 1 : 0);
    return DecodeAndOpen(conn, query.org, std::move(rows), &page.events);
  }));
  if (next) page.next_cursor = EncodeCursor(query, *next);
  return page;
}

}  // namespace actlog::store::pg
