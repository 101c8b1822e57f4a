#include "store/postgres/pg_conn.h"

#include <libpq-fe.h>

#include <cstring>

namespace actlog::store::pg {
namespace {

// SQLSTATE classes and codes (PostgreSQL "Appendix A. Error Codes").
bool IsConnectionState(std::string_view state) {
  return state.starts_with("08") ||  // connection exception
         state == "57P01" ||         // admin_shutdown
         state == "57P02" ||         // crash_shutdown
         state == "57P03";           // cannot_connect_now (starting up)
}

std::string FirstLine(const char* message) {
  std::string text = message != nullptr ? message : "";
  if (size_t nl = text.find('\n'); nl != std::string::npos) text.resize(nl);
  return text;
}

Status DatabaseUnavailable(std::string_view why) {
  return Unavailable("the database is unavailable: " + std::string(why));
}

}  // namespace

PgParams& PgParams::Text(std::string_view v) {
  values_.emplace_back(v);
  nulls_.push_back(false);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::Bytes(std::string_view v) {
  values_.emplace_back(v);
  nulls_.push_back(false);
  formats_.push_back(1);
  return *this;
}

PgParams& PgParams::Int(int64_t v) { return Text(std::to_string(v)); }

PgParams& PgParams::Null() {
  values_.emplace_back();
  nulls_.push_back(true);
  formats_.push_back(0);
  return *this;
}

PgResult::~PgResult() {
  if (result_ != nullptr) PQclear(result_);
}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    if (result_ != nullptr) PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

int PgResult::rows() const { return PQntuples(result_); }

uint64_t PgResult::affected() const {
  const char* n = PQcmdTuples(result_);
  return (n == nullptr || *n == '\0') ? 0 : std::strtoull(n, nullptr, 10);
}

bool PgResult::IsNull(int row, int col) const { return PQgetisnull(result_, row, col) != 0; }

std::string PgResult::Bytes(int row, int col) const {
  return std::string(PQgetvalue(result_, row, col),
                     static_cast<size_t>(PQgetlength(result_, row, col)));
}

int64_t PgResult::Int(int row, int col) const {
  const auto* p = reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row, col));
  int len = PQgetlength(result_, row, col);
  if (len != 2 && len != 4 && len != 8) return 0;
  uint64_t v = 0;
  for (int i = 0; i < len; ++i) v = (v << 8) | p[i];
  if (len < 8 && (p[0] & 0x80) != 0) v |= ~uint64_t{0} << (8 * len);  // sign-extend
  return static_cast<int64_t>(v);
}

bool PgResult::Bool(int row, int col) const {
  return PQgetlength(result_, row, col) == 1 && PQgetvalue(result_, row, col)[0] != 0;
}

StatusOr<std::unique_ptr<PgConn>> PgConn::Connect(const std::string& url) {
  // Earlier entries are defaults; the URL (expanded from dbname) overrides them.
  // GSSAPI encryption is off unless the URL asks for it: probing it costs every connect.
  const char* keys[] = {"connect_timeout", "application_name", "client_encoding",
                        "gssencmode",      "dbname",           nullptr};
  const char* values[] = {"5", "actlog", "UTF8", "disable", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) return DatabaseUnavailable("out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = FirstLine(PQerrorMessage(conn));
    PQfinish(conn);
    return DatabaseUnavailable(why);
  }
  // Server notices ("relation ... already exists, skipping") are not errors: drop them.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<PgConn>(new PgConn(conn));
}

PgConn::~PgConn() { PQfinish(conn_); }

int PgConn::socket() const { return PQsocket(conn_); }

bool PgConn::ConsumeInput() { return PQconsumeInput(conn_) == 1; }

std::vector<std::pair<std::string, std::string>> PgConn::TakeNotifications() {
  std::vector<std::pair<std::string, std::string>> out;
  while (PGnotify* n = PQnotifies(conn_)) {
    out.emplace_back(n->relname != nullptr ? n->relname : "", n->extra != nullptr ? n->extra : "");
    PQfreemem(n);
  }
  return out;
}

bool PgConn::healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

bool PgConn::in_transaction() const {
  PGTransactionStatusType t = PQtransactionStatus(conn_);
  return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

StatusOr<PgResult> PgConn::Exec(std::string_view sql) {
  std::string text(sql);
  return Check(PQexecParams(conn_, text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1), sql);
}

Status PgConn::ExecScript(std::string_view sql) {
  std::string text(sql);
  return Check(PQexec(conn_, text.c_str()), sql).status();
}

StatusOr<PgResult> PgConn::Exec(std::string_view sql, const PgParams& params) {
  std::string text(sql);
  std::vector<const char*> values;
  std::vector<int> lengths;
  values.reserve(params.size());
  lengths.reserve(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    values.push_back(params.nulls_[i] ? nullptr : params.values_[i].data());
    lengths.push_back(static_cast<int>(params.values_[i].size()));
  }
  return Check(PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr,
                            values.data(), lengths.data(), params.formats_.data(), 1),
               sql);
}

StatusOr<PgResult> PgConn::Check(pg_result* raw, std::string_view sql) {
  PgResult result(raw);
  if (raw == nullptr) return DatabaseUnavailable(FirstLine(PQerrorMessage(conn_)));
  ExecStatusType st = PQresultStatus(raw);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return result;
  const char* state_c = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
  std::string state = state_c != nullptr ? state_c : "";
  std::string message = FirstLine(PQresultErrorMessage(raw));
  if (state.empty() || IsConnectionState(state) || PQstatus(conn_) != CONNECTION_OK) {
    return DatabaseUnavailable(message);
  }
  if (state == "40P01" || state == "40001") {
    return Status(StatusCode::kUnavailable, "pg_retry", "transaction must be retried: " + message);
  }
  if (state == "23505") {
    return Status(StatusCode::kAlreadyExists, "pg_unique_violation", message);
  }
  std::string head(sql.substr(0, 60));
  return Internal("database error " + state + ": " + message + " (in: " + head + ")");
}

std::string UrlWithDatabase(std::string_view url, std::string_view database) {
  size_t scheme = url.find("://");
  size_t authority = scheme == std::string_view::npos ? 0 : scheme + 3;
  size_t path = url.find('/', authority);
  size_t query = url.find('?', authority);
  if (path == std::string_view::npos || (query != std::string_view::npos && query < path)) {
    path = query == std::string_view::npos ? url.size() : query;
  }
  size_t path_end = query == std::string_view::npos || query < path ? url.size() : query;
  std::string out(url.substr(0, path));
  out += '/';
  out += database;
  out += url.substr(path_end);
  return out;
}

std::string TextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

bool IsRetryable(const Status& status) { return status.error_code() == "pg_retry"; }

}  // namespace actlog::store::pg
