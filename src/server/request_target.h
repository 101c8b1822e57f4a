// Parsing of a request target ("/v1/events?org=o_1&code=org.member%3A*") into
// Request::path and Request::query. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "actlog/status.h"
#include "server/http_exchange.h"

namespace actlog::server {

// Percent-decodes `s` ('+' as space when `plus_is_space`, i.e. in query strings).
// nullopt for a malformed escape ("%4", "%zz") or a decoded NUL byte.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space);

// Fills request->path (decoded, must start with '/') and request->query (decoded names
// and values; "a" alone is a = ""). InvalidArgument "invalid_query" for a malformed
// target or escape.
Status ParseRequestTarget(std::string_view target, Request* request);

}  // namespace actlog::server
