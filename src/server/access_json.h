// JSON in and out for the access resources (orgs, keys, viewer tokens): request bodies
// read strictly (an object, only known members) and the shapes the API answers.
//
// Request validation errors of these resources are 422 with a stable code and one
// detail per problem: invalid_settings (orgs), invalid_key (keys), invalid_token_request
// (viewer tokens). Pure functions; thread-safe.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "actlog/json.h"
#include "actlog/status.h"
#include "actlog/store.h"
#include "server/http_exchange.h"

namespace actlog::server {

// The body as a JSON object: 415 unless Content-Type is JSON, 400 invalid_json unless it
// parses to an object. An empty body reads as {} when `allow_empty`.
StatusOr<Json> ReadObjectBody(const Request& request, bool allow_empty);

// InvalidArgument `error_code` naming every member not in `known` (detail code
// "unknown_field"), or OK.
Status RejectUnknownFields(const Json& body, std::initializer_list<std::string_view> known,
                           std::string_view error_code);

// A request-validation failure of these resources: `error_code`, one detail.
Status InvalidField(std::string_view error_code, std::string field, std::string code,
                    std::string message);

// {"org","name"?,"retention_days"?,"event_count","created_at"}
Json OrgJson(const OrgInfo& org);
// {"id","kind","org"?,"name"?,"created_at","revoked_at"?} — never the key or its hash.
Json KeyJson(const ApiKeyRecord& key);

// A list answer: {"data":[...],"next_cursor":null} (these lists are never paged).
Json ListJson(Json data);

// A JSON answer; errors via AccessError.
Response JsonResponse(int status, const Json& body);
// Response::Error, except that the request-validation codes above answer 422 (the
// shared table in errors.cc does not list them yet).
Response AccessError(const Status& status);

}  // namespace actlog::server
