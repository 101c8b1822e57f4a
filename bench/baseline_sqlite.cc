// The SQLite baseline (baseline.h): WAL mode, synchronous = FULL (an fsync per commit),
// the same table and indexes. SQLite has one writer at a time, so writes go through one
// shared connection under a mutex — what an application would do; each reader has its
// own connection. Batches are a prepared one-row INSERT run once per row inside
// BEGIN … COMMIT, SQLite's fastest idiom (a 1,000-row VALUES list is no faster).
#include <sqlite3.h>
#include <sys/stat.h>

#include <map>
#include <mutex>

#include "baseline.h"

namespace actlog::bench {
namespace {

constexpr char kSchema[] = R"sql(
DROP TABLE IF EXISTS audit_events;
CREATE TABLE audit_events (
  seq         INTEGER PRIMARY KEY,
  org         TEXT NOT NULL,
  id          TEXT NOT NULL,
  code        TEXT NOT NULL,
  actor_type  TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  target_type TEXT,
  target_id   TEXT,
  outcome     TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  body        TEXT NOT NULL,
  UNIQUE (org, id)
);
CREATE INDEX audit_events_org_time ON audit_events (org, occurred_at, seq);
CREATE INDEX audit_events_org_code ON audit_events (org, code, occurred_at, seq);
CREATE INDEX audit_events_org_actor ON audit_events (org, actor_id, occurred_at, seq);
CREATE INDEX audit_events_org_target ON audit_events (org, target_type, target_id, occurred_at, seq);
)sql";

constexpr char kInsert[] =
    "INSERT INTO audit_events (org, id, code, actor_type, actor_id, target_type, target_id, "
    "outcome, occurred_at, body) VALUES (?,?,?,?,?,?,?,?,?,?)";

bool Exec(sqlite3* db, const char* sql, std::string* error) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK) return true;
  *error = message ? message : sqlite3_errmsg(db);
  sqlite3_free(message);
  return false;
}

sqlite3* Open(const std::string& path, std::string* error) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    *error = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_busy_timeout(db, 30000);
  if (!Exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL", error)) {
    sqlite3_close(db);
    return nullptr;
  }
  return db;
}

void Bind(sqlite3_stmt* stmt, int index, const std::string& s, bool null_if_empty) {
  if (s.empty() && null_if_empty) {
    sqlite3_bind_null(stmt, index);
  } else {
    sqlite3_bind_text(stmt, index, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
  }
}

// The one writer every Connection shares.
struct Writer {
  std::mutex mu;
  sqlite3* db = nullptr;           // guarded by mu
  sqlite3_stmt* insert = nullptr;  // guarded by mu

  bool InsertRows(std::span<const Row> rows, std::string* error) {
    std::lock_guard<std::mutex> lock(mu);
    if (!Exec(db, "BEGIN", error)) return false;
    for (const Row& r : rows) {
      int i = 0;
      for (const std::string* s :
           {&r.org, &r.id, &r.code, &r.actor_type, &r.actor_id, &r.target_type, &r.target_id,
            &r.outcome, &r.occurred_at, &r.body}) {
        ++i;
        Bind(insert, i, *s, i == 6 || i == 7);
      }
      int rc = sqlite3_step(insert);
      sqlite3_reset(insert);
      if (rc != SQLITE_DONE) {
        *error = sqlite3_errmsg(db);
        std::string ignored;
        Exec(db, "ROLLBACK", &ignored);
        return false;
      }
    }
    return Exec(db, "COMMIT", error);
  }
};

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(Writer* writer, sqlite3* reader) : writer_(writer), reader_(reader) {}
  ~SqliteConnection() override {
    for (auto& [name, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close(reader_);
  }

  bool InsertBatch(std::span<const Row> rows, std::string* error) override {
    return writer_->InsertRows(rows, error);
  }
  bool CopyBatch(std::span<const Row>, std::string* error) override {
    *error = "unsupported";
    return false;
  }
  bool InsertOne(const Row& row, std::string* error) override {
    return writer_->InsertRows(std::span<const Row>(&row, 1), error);
  }

  bool Page(const std::string& org, const PageRequest& r, PageAnswer* answer,
            std::string* error) override {
    std::string sql = "SELECT seq, occurred_at, body FROM audit_events WHERE org = ?";
    if (!r.code.empty()) sql += " AND code = ?";
    if (!r.actor.empty()) sql += " AND actor_id = ?";
    if (!r.cursor.empty()) sql += " AND (occurred_at, seq) < (?, ?)";
    sql += " ORDER BY occurred_at DESC, seq DESC LIMIT ?";
    sqlite3_stmt*& stmt = statements_[sql];
    if (stmt == nullptr &&
        sqlite3_prepare_v2(reader_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      *error = sqlite3_errmsg(reader_);
      return false;
    }
    int i = 0;
    Bind(stmt, ++i, org, false);
    if (!r.code.empty()) Bind(stmt, ++i, r.code, false);
    if (!r.actor.empty()) Bind(stmt, ++i, r.actor, false);
    std::string at;
    if (!r.cursor.empty()) {
      size_t bar = r.cursor.find('|');
      at = r.cursor.substr(0, bar);
      Bind(stmt, ++i, at, false);
      sqlite3_bind_int64(stmt, ++i, std::strtoll(r.cursor.c_str() + bar + 1, nullptr, 10));
    }
    sqlite3_bind_int(stmt, ++i, r.limit);
    int n = 0, rc;
    std::string last;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      ++n;
      // The client reads each body, as it would to show the page.
      if (sqlite3_column_bytes(stmt, 2) <= 0) break;
      last = std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1))) + "|" +
             std::to_string(sqlite3_column_int64(stmt, 0));
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) {
      *error = sqlite3_errmsg(reader_);
      return false;
    }
    answer->events = n;
    answer->next_cursor.reset();
    if (n == r.limit) answer->next_cursor = last;
    return true;
  }

 private:
  Writer* writer_;
  sqlite3* reader_;
  std::map<std::string, sqlite3_stmt*> statements_;
};

class SqliteBaseline final : public Baseline {
 public:
  SqliteBaseline(std::string path, sqlite3* db) : path_(std::move(path)) { writer_.db = db; }
  ~SqliteBaseline() override {
    sqlite3_finalize(writer_.insert);
    sqlite3_close(writer_.db);
  }
  std::string Name() const override { return "sqlite"; }

  bool Reset(std::string* error) override {
    std::lock_guard<std::mutex> lock(writer_.mu);
    sqlite3_finalize(writer_.insert);
    writer_.insert = nullptr;
    if (!Exec(writer_.db, kSchema, error)) return false;
    if (sqlite3_prepare_v2(writer_.db, kInsert, -1, &writer_.insert, nullptr) != SQLITE_OK) {
      *error = sqlite3_errmsg(writer_.db);
      return false;
    }
    return true;
  }

  bool Settle(std::string* error) override {
    std::lock_guard<std::mutex> lock(writer_.mu);
    return Exec(writer_.db, "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)", error);
  }

  std::unique_ptr<Connection> Connect(std::string* error) override {
    sqlite3* reader = Open(path_, error);
    if (reader == nullptr) return nullptr;
    return std::make_unique<SqliteConnection>(&writer_, reader);
  }

  double BytesOnDisk() override {
    double bytes = 0;
    for (const std::string& file : {path_, path_ + "-wal"}) {
      struct stat st;
      if (::stat(file.c_str(), &st) == 0) bytes += static_cast<double>(st.st_size);
    }
    return bytes;
  }

 private:
  std::string path_;
  Writer writer_;
};

}  // namespace

std::unique_ptr<Baseline> NewSqliteBaseline(const std::string& path, std::string* error) {
  sqlite3* db = Open(path, error);
  if (db == nullptr) return nullptr;
  return std::make_unique<SqliteBaseline>(path, db);
}

}  // namespace actlog::bench
