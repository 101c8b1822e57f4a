// The query parameters shared by GET /v1/events, /v1/events/stream, /v1/stats and
// /v1/export (DESIGN §5), turned into an EventQuery for the caller's org.
//
//   org          the org; optional for read keys and viewer tokens (theirs), required
//                for admin keys. Another org than the caller's: 403 forbidden.
//   code         repeatable; exact or prefix ("org.member:*", "org.member")
//   actor, actor_type, actor_email, target_type, target_id, outcome   repeatable
//   from, to     RFC 3339 occurred_at bounds (to exclusive)
//   q            text; search   a people's search string (ParseSearchString)
//   order        desc|asc; limit 1..200; cursor   (where the endpoint pages)
//
// A viewer token limited to one actor always gets that actor filter; asking for another
// actor is 403 forbidden. Unknown parameters are 400 invalid_query (a typo must not
// silently widen a query). Errors: invalid_query (details name the parameter),
// invalid_search, forbidden.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "actlog/query.h"
#include "actlog/status.h"
#include "server/http_exchange.h"
#include "server/principal.h"

namespace actlog::server {

struct QueryParamRules {
  // Parameters the endpoint reads itself (e.g. "bucket", "format"); accepted here.
  std::vector<std::string_view> extra;
  // Whether order, limit and cursor are accepted (GET /v1/events) or refused.
  bool paging = true;
  Order default_order = Order::kDesc;
};

// The org a read request is about: ?org= or the caller's own org. invalid_query when
// neither is given, forbidden when the caller may not read it.
StatusOr<std::string> ReadOrg(const Request& request, const Principal& principal);

// The full query: org (ReadOrg), filters, search, time bounds, paging; validated with
// ValidateQuery.
StatusOr<EventQuery> EventQueryFromParams(const Request& request, const Principal& principal,
                                          const QueryParamRules& rules);

}  // namespace actlog::server
