// The PostgreSQL baseline (baseline.h) through libpq: multi-row INSERT and COPY, one
// transaction per batch, synchronous_commit on; prepared statements for everything
// repeated, so the baseline pays no parsing or planning per call.
#include <libpq-fe.h>

#include <map>

#include "baseline.h"

namespace actlog::bench {
namespace {

constexpr int kColumns = 10;
constexpr char kColumnList[] =
    "org, id, code, actor_type, actor_id, target_type, target_id, outcome, occurred_at, body";

constexpr char kSchema[] = R"sql(
DROP TABLE IF EXISTS audit_events;
CREATE TABLE audit_events (
  seq         bigint GENERATED ALWAYS AS IDENTITY,
  org         text NOT NULL,
  id          text NOT NULL,
  code        text NOT NULL,
  actor_type  text NOT NULL,
  actor_id    text NOT NULL,
  target_type text,
  target_id   text,
  outcome     text NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  body        jsonb NOT NULL,
  PRIMARY KEY (org, id)
);
CREATE INDEX audit_events_org_time ON audit_events (org, occurred_at, seq);
CREATE INDEX audit_events_org_code ON audit_events (org, code, occurred_at, seq);
CREATE INDEX audit_events_org_actor ON audit_events (org, actor_id, occurred_at, seq);
CREATE INDEX audit_events_org_target ON audit_events (org, target_type, target_id, occurred_at, seq);
)sql";

// Checks a result, consumes it, and reports the server's message on failure.
bool Ok(PGresult* result, ExecStatusType want, PGconn* conn, std::string* error) {
  bool ok = PQresultStatus(result) == want;
  if (!ok)
    *error = PQresultErrorMessage(result)[0] ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  PQclear(result);
  return ok;
}

const char* OrNull(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

void AppendParams(const Row& r, std::vector<const char*>* params) {
  for (const std::string* s : {&r.org, &r.id, &r.code, &r.actor_type, &r.actor_id, &r.target_type,
                               &r.target_id, &r.outcome, &r.occurred_at, &r.body}) {
    params->push_back(OrNull(*s));
  }
}

std::string InsertSql(size_t rows) {
  std::string sql = std::string("INSERT INTO audit_events (") + kColumnList + ") VALUES ";
  for (size_t i = 0; i < rows; ++i) {
    sql += i ? ",(" : "(";
    for (int c = 0; c < kColumns; ++c) {
      if (c) sql += ',';
      sql += '$' + std::to_string(i * kColumns + c + 1);
    }
    sql += ')';
  }
  return sql;
}

// COPY text format: backslash, tab, newline and carriage return escaped; NULL as \N.
void AppendCopyField(const std::string& s, bool null_if_empty, std::string* out) {
  if (s.empty() && null_if_empty) {
    *out += "\\N";
    return;
  }
  for (char c : s) {
    switch (c) {
      case '\\':
        *out += "\\\\";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      default:
        out->push_back(c);
    }
  }
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }

  bool InsertBatch(std::span<const Row> rows, std::string* error) override {
    std::string name = "ins" + std::to_string(rows.size());
    if (!Prepare(name, InsertSql(rows.size()), error)) return false;
    std::vector<const char*> params;
    params.reserve(rows.size() * kColumns);
    for (const Row& r : rows) AppendParams(r, &params);
    return Ok(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), params.data(),
                             nullptr, nullptr, 0),
              PGRES_COMMAND_OK, conn_, error);
  }

  bool CopyBatch(std::span<const Row> rows, std::string* error) override {
    std::string sql = std::string("COPY audit_events (") + kColumnList + ") FROM STDIN";
    if (!Ok(PQexec(conn_, sql.c_str()), PGRES_COPY_IN, conn_, error)) return false;
    std::string data;
    for (const Row& r : rows) {
      int c = 0;
      for (const std::string* s :
           {&r.org, &r.id, &r.code, &r.actor_type, &r.actor_id, &r.target_type, &r.target_id,
            &r.outcome, &r.occurred_at, &r.body}) {
        if (c++) data.push_back('\t');
        AppendCopyField(*s, /*null_if_empty=*/c == 6 || c == 7, &data);
      }
      data.push_back('\n');
    }
    if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1 ||
        PQputCopyEnd(conn_, nullptr) != 1) {
      *error = PQerrorMessage(conn_);
      return false;
    }
    bool ok = true;
    while (PGresult* result = PQgetResult(conn_))
      ok = Ok(result, PGRES_COMMAND_OK, conn_, error) && ok;
    return ok;
  }

  bool InsertOne(const Row& row, std::string* error) override {
    if (!Prepare("ins1", InsertSql(1), error)) return false;
    std::vector<const char*> params;
    AppendParams(row, &params);
    return Ok(PQexecPrepared(conn_, "ins1", kColumns, params.data(), nullptr, nullptr, 0),
              PGRES_COMMAND_OK, conn_, error);
  }

  bool Page(const std::string& org, const PageRequest& r, PageAnswer* answer,
            std::string* error) override {
    std::vector<const char*> params = {org.c_str()};
    std::string sql = "SELECT seq, occurred_at, body FROM audit_events WHERE org = $1";
    std::string name = "page";
    if (!r.code.empty()) {
      params.push_back(r.code.c_str());
      sql += " AND code = $" + std::to_string(params.size());
      name += "_code";
    }
    if (!r.actor.empty()) {
      params.push_back(r.actor.c_str());
      sql += " AND actor_id = $" + std::to_string(params.size());
      name += "_actor";
    }
    std::string at, seq;
    if (!r.cursor.empty()) {
      size_t bar = r.cursor.find('|');
      at = r.cursor.substr(0, bar);
      seq = r.cursor.substr(bar + 1);
      params.push_back(at.c_str());
      params.push_back(seq.c_str());
      sql += " AND (occurred_at, seq) < ($" + std::to_string(params.size() - 1) +
             "::timestamptz, $" + std::to_string(params.size()) + "::bigint)";
      name += "_after";
    }
    std::string limit = std::to_string(r.limit);
    params.push_back(limit.c_str());
    sql += " ORDER BY occurred_at DESC, seq DESC LIMIT $" + std::to_string(params.size()) + "::int";
    if (!Prepare(name, sql, error)) return false;
    PGresult* result = PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()),
                                      params.data(), nullptr, nullptr, 0);
    if (PQresultStatus(result) != PGRES_TUPLES_OK) return Ok(result, PGRES_TUPLES_OK, conn_, error);
    int n = PQntuples(result);  // libpq has received every row's body by now
    answer->events = n;
    answer->next_cursor.reset();
    if (n == r.limit) {
      answer->next_cursor =
          std::string(PQgetvalue(result, n - 1, 1)) + "|" + PQgetvalue(result, n - 1, 0);
    }
    PQclear(result);
    return true;
  }

 private:
  bool Prepare(const std::string& name, const std::string& sql, std::string* error) {
    if (prepared_.count(name)) return true;
    if (!Ok(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), PGRES_COMMAND_OK, conn_,
            error)) {
      return false;
    }
    prepared_[name] = true;
    return true;
  }

  PGconn* conn_;
  std::map<std::string, bool> prepared_;
};

class PgBaseline final : public Baseline {
 public:
  explicit PgBaseline(std::string url) : url_(std::move(url)) {}
  std::string Name() const override { return "postgresql"; }

  bool Reset(std::string* error) override { return Exec(kSchema, error); }
  bool Settle(std::string* error) override { return Exec("ANALYZE audit_events", error); }

  std::unique_ptr<Connection> Connect(std::string* error) override {
    PGconn* conn = PQconnectdb(url_.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      *error = PQerrorMessage(conn);
      PQfinish(conn);
      return nullptr;
    }
    // The durable settings actlog is held to, stated rather than assumed.
    if (!Ok(PQexec(conn, "SET synchronous_commit = on; SET TimeZone = 'UTC'"), PGRES_COMMAND_OK,
            conn, error)) {
      PQfinish(conn);
      return nullptr;
    }
    return std::make_unique<PgConnection>(conn);
  }

  double BytesOnDisk() override {
    PGconn* conn = PQconnectdb(url_.c_str());
    double bytes = -1;
    PGresult* r = PQexec(conn, "SELECT pg_total_relation_size('audit_events')");
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
      bytes = std::strtod(PQgetvalue(r, 0, 0), nullptr);
    }
    PQclear(r);
    PQfinish(conn);
    return bytes;
  }

 private:
  bool Exec(const char* sql, std::string* error) {
    PGconn* conn = PQconnectdb(url_.c_str());
    bool ok = PQstatus(conn) == CONNECTION_OK;
    if (!ok) *error = PQerrorMessage(conn);
    if (ok) ok = Ok(PQexec(conn, sql), PGRES_COMMAND_OK, conn, error);
    PQfinish(conn);
    return ok;
  }

  std::string url_;
};

}  // namespace

std::unique_ptr<Baseline> NewPostgresBaseline(const std::string& url, std::string* error) {
  PGconn* conn = PQconnectdb(url.c_str());
  bool ok = PQstatus(conn) == CONNECTION_OK;
  if (!ok) *error = PQerrorMessage(conn);
  PQfinish(conn);
  if (!ok) return nullptr;
  return std::make_unique<PgBaseline>(url);
}

}  // namespace actlog::bench
