// Status -> HTTP (errors.h).
#include "server/errors.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "actlog/json.h"

namespace actlog::server {
namespace {

struct CodeStatus {
  std::string_view code;
  int http;
};

// The agreed table of stable codes (DESIGN §3).
constexpr CodeStatus kCodeTable[] = {
    {"invalid_json", 400},   {"invalid_event", 422},      {"invalid_query", 400},
    {"invalid_search", 400}, {"invalid_cursor", 400},     {"unsupported_media_type", 415},
    {"body_too_large", 413}, {"unauthenticated", 401},    {"forbidden", 403},
    {"not_found", 404},      {"method_not_allowed", 405}, {"id_conflict", 409},
    {"conflict", 409},       {"rate_limited", 429},       {"queue_full", 503},
    {"unavailable", 503},    {"internal", 500},
};

int HttpStatusForCode(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kDataLoss:
      return 500;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

std::string_view ErrorCodeOrDefault(const Status& status) {
  if (!status.error_code().empty()) return status.error_code();
  return "internal";
}

}  // namespace

int HttpStatusFor(const Status& status) {
  if (status.ok()) return 200;
  for (const CodeStatus& entry : kCodeTable) {
    if (entry.code == status.error_code()) return entry.http;
  }
  return HttpStatusForCode(status.code());
}

std::string ErrorBody(const Status& status) {
  std::string out = "{\"error\":{\"code\":";
  AppendJsonString(ErrorCodeOrDefault(status), &out);
  out += ",\"message\":";
  AppendJsonString(status.message(), &out);
  out += ",\"details\":[";
  bool first = true;
  for (const ErrorDetail& d : status.details()) {
    if (!first) out += ',';
    first = false;
    out += '{';
    if (d.index) out += "\"index\":" + std::to_string(*d.index) + ",";
    out += "\"field\":";
    AppendJsonString(d.field, &out);
    out += ",\"code\":";
    AppendJsonString(d.code, &out);
    out += ",\"message\":";
    AppendJsonString(d.message, &out);
    out += '}';
  }
  out += "]}}";
  return out;
}

Response ErrorResponse(const Status& status, int retry_after_seconds) {
  Response response;
  response.status = HttpStatusFor(status);
  if (response.status < 400) response.status = 500;  // an OK status is not an error
  response.content_type = "application/json";
  response.body = ErrorBody(status);
  if (response.status == 429 || response.status == 503) {
    response.headers.emplace_back("Retry-After", std::to_string(std::max(1, retry_after_seconds)));
  }
  if (response.status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

Response Response::Error(const Status& status) {
  return ErrorResponse(status, kDefaultRetryAfterSeconds);
}

Response Response::Json(int status, std::string body) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = std::move(body);
  return response;
}

Status Unauthenticated(std::string message) {
  return Status(StatusCode::kUnauthenticated, "unauthenticated", std::move(message));
}
Status Forbidden(std::string message) {
  return Status(StatusCode::kPermissionDenied, "forbidden", std::move(message));
}
Status MethodNotAllowed(std::string message) {
  return Status(StatusCode::kFailedPrecondition, "method_not_allowed", std::move(message));
}
Status UnsupportedMediaType(std::string message) {
  return Status(StatusCode::kInvalidArgument, "unsupported_media_type", std::move(message));
}
Status BodyTooLarge(std::string message) {
  return Status(StatusCode::kResourceExhausted, "body_too_large", std::move(message));
}
Status RateLimited(std::string message) {
  return Status(StatusCode::kResourceExhausted, "rate_limited", std::move(message));
}
Status QueueFull(std::string message) {
  return Status(StatusCode::kUnavailable, "queue_full", std::move(message));
}
Status InvalidJson(std::string message) {
  return InvalidArgument("invalid_json", std::move(message));
}
Status InvalidQuery(std::string message) {
  return InvalidArgument("invalid_query", std::move(message));
}
Status Conflict(std::string message) {
  return Status(StatusCode::kAlreadyExists, "conflict", std::move(message));
}

Status CheckJsonContentType(const Request& request) {
  bool has_body_method = request.method == Method::kPost || request.method == Method::kPatch ||
                         request.method == Method::kPut;
  if (!has_body_method || request.body.empty()) return Status::Ok();
  std::string type = request.Header("content-type").value_or("");
  type = type.substr(0, type.find(';'));
  std::string lower;
  for (char c : type) {
    if (c == ' ' || c == '\t') continue;
    // Echoed into the JSON message: printable ASCII only, bounded.
    bool printable = c > 0x20 && c < 0x7f;
    lower += printable ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : '?';
    if (lower.size() >= 100) break;
  }
  if (lower == "application/json") return Status::Ok();
  return UnsupportedMediaType(lower.empty()
                                  ? "a request body needs Content-Type: application/json"
                                  : "Content-Type must be application/json, not " + lower);
}

std::string_view MethodName(Method method) {
  switch (method) {
    case Method::kGet:
      return "GET";
    case Method::kPost:
      return "POST";
    case Method::kPatch:
      return "PATCH";
    case Method::kPut:
      return "PUT";
    case Method::kDelete:
      return "DELETE";
    case Method::kHead:
      return "HEAD";
    case Method::kOptions:
      return "OPTIONS";
    case Method::kOther:
      return "OTHER";
  }
  return "OTHER";
}

Method ParseMethod(std::string_view name) {
  for (Method m : {Method::kGet, Method::kPost, Method::kPatch, Method::kPut, Method::kDelete,
                   Method::kHead, Method::kOptions}) {
    if (MethodName(m) == name) return m;
  }
  return Method::kOther;
}

}  // namespace actlog::server
