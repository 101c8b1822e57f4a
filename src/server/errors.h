// The one place that maps a Status to an HTTP answer (DESIGN §3): status line from the
// stable error code (falling back to the StatusCode), and the JSON error body
//   {"error":{"code":"invalid_event","message":"…","details":[{"index":3,
//    "field":"actor.email","code":"too_long","message":"…"}]}}
// 429 and 503 answers carry Retry-After. Handlers return errors as Status values and
// answer with Response::Error(status) (http_exchange.h); nothing else picks HTTP codes
// for errors.
//
// Stable codes: invalid_json 400, invalid_event 422, invalid_query / invalid_search /
// invalid_cursor 400, unsupported_media_type 415, body_too_large 413, unauthenticated
// 401, forbidden 403, not_found 404, method_not_allowed 405, id_conflict / conflict 409,
// rate_limited 429, queue_full / unavailable 503, internal 500. Other codes map by
// StatusCode (e.g. a kInvalidArgument "invalid_config" → 400).
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "actlog/status.h"
#include "server/http_exchange.h"

namespace actlog::server {

// The HTTP status for a non-OK Status (200 for OK).
int HttpStatusFor(const Status& status);

// The JSON error body of DESIGN §3.
std::string ErrorBody(const Status& status);

// Response::Error with an explicit Retry-After (seconds), e.g. from the rate limiter.
// Response::Error(status) uses kDefaultRetryAfterSeconds for 429 and 503.
inline constexpr int kDefaultRetryAfterSeconds = 1;
Response ErrorResponse(const Status& status, int retry_after_seconds);

// Statuses the HTTP layer itself produces, with their stable codes.
Status Unauthenticated(std::string message);       // 401 unauthenticated
Status Forbidden(std::string message);             // 403 forbidden
Status MethodNotAllowed(std::string message);      // 405 method_not_allowed
Status UnsupportedMediaType(std::string message);  // 415 unsupported_media_type
Status BodyTooLarge(std::string message);          // 413 body_too_large
Status RateLimited(std::string message);           // 429 rate_limited
Status QueueFull(std::string message);             // 503 queue_full
Status InvalidJson(std::string message);           // 400 invalid_json
Status InvalidQuery(std::string message);          // 400 invalid_query
Status Conflict(std::string message);              // 409 conflict

// POST/PATCH/PUT with a non-empty body must say Content-Type: application/json
// (parameters such as charset=utf-8 allowed): OK, or 415 unsupported_media_type.
Status CheckJsonContentType(const Request& request);

// Method names for Allow headers and logs ("GET", …).
std::string_view MethodName(Method method);
Method ParseMethod(std::string_view name);

}  // namespace actlog::server
