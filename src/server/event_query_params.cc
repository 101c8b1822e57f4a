// Query parameters -> EventQuery (event_query_params.h).
#include "server/event_query_params.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "actlog/event.h"
#include "server/errors.h"

namespace actlog::server {
namespace {

constexpr std::string_view kFilterParams[] = {
    "code", "actor", "actor_type", "actor_email", "target_type", "target_id", "outcome"};
constexpr std::string_view kCommonParams[] = {"org", "from", "to", "q", "search"};
constexpr std::string_view kPagingParams[] = {"order", "limit", "cursor"};

Status BadParam(std::string_view param, std::string code, std::string message) {
  std::string text = std::string(param) + ": " + message;
  return InvalidArgument("invalid_query", text,
                         {ErrorDetail{std::nullopt, std::string(param), std::move(code), message}});
}

template <size_t N>
bool In(std::string_view name, const std::string_view (&names)[N]) {
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

Status CheckKnownParams(const Request& request, const QueryParamRules& rules) {
  for (const auto& [name, value] : request.query) {
    (void)value;
    if (In(name, kFilterParams) || In(name, kCommonParams)) continue;
    if (IsPersonalFilterKey(name)) continue;  // a searchable field, e.g. metadata.email
    if (rules.paging && In(name, kPagingParams)) continue;
    if (std::find(rules.extra.begin(), rules.extra.end(), name) != rules.extra.end()) continue;
    return BadParam(name, "unknown_parameter", "unknown query parameter");
  }
  return Status::Ok();
}

Status AddTimeBounds(const Request& request, EventQuery* query) {
  for (std::string_view name : {"from", "to"}) {
    std::optional<std::string> text = request.Query(name);
    if (!text) continue;
    StatusOr<int64_t> us = ParseTimestamp(*text);
    if (!us.ok()) return BadParam(name, "invalid_format", "not an RFC 3339 time: " + *text);
    (name == "from" ? query->from_us : query->to_us) = *us;
  }
  return Status::Ok();
}

Status AddPaging(const Request& request, const QueryParamRules& rules, EventQuery* query) {
  query->order = rules.default_order;
  if (!rules.paging) return Status::Ok();
  if (std::optional<std::string> order = request.Query("order")) {
    if (*order == "asc") {
      query->order = Order::kAsc;
    } else if (*order == "desc") {
      query->order = Order::kDesc;
    } else {
      return BadParam("order", "invalid_value", "must be asc or desc");
    }
  }
  if (std::optional<std::string> limit = request.Query("limit")) {
    int value = 0;
    auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (ec != std::errc() || end != limit->data() + limit->size() || value < 1 ||
        value > kMaxQueryLimit) {
      return BadParam("limit", "invalid_value",
                      "must be an integer from 1 to " + std::to_string(kMaxQueryLimit));
    }
    query->limit = value;
  }
  query->cursor = request.Query("cursor").value_or("");
  return Status::Ok();
}

// A viewer token for one actor reads that actor's events only.
Status ForceViewerActor(const Principal& principal, EventQuery* query) {
  if (principal.kind != PrincipalKind::kViewer || !principal.actor) return Status::Ok();
  auto& include = query->include;
  for (const FieldFilter& f : include) {
    if (f.field == QueryField::kActor && f.value != *principal.actor) {
      return Forbidden("this viewer token may only read the events of actor " + *principal.actor);
    }
  }
  include.erase(std::remove_if(include.begin(), include.end(),
                               [](const FieldFilter& f) { return f.field == QueryField::kActor; }),
                include.end());
  include.push_back(FieldFilter{QueryField::kActor, *principal.actor});
  return Status::Ok();
}

}  // namespace

StatusOr<std::string> ReadOrg(const Request& request, const Principal& principal) {
  std::optional<std::string> org = request.Query("org");
  if (!org) {
    if (principal.kind == PrincipalKind::kAdmin || !principal.org) {
      return BadParam("org", "required", "an admin key must name the org (?org=)");
    }
    org = principal.org;
  }
  if (!IsValidOrgId(*org)) return BadParam("org", "invalid_format", "not a valid org id");
  if (!CanRead(principal, *org)) return Forbidden("this credential may not read org " + *org);
  return *org;
}

StatusOr<EventQuery> EventQueryFromParams(const Request& request, const Principal& principal,
                                          const QueryParamRules& rules) {
  ACTLOG_RETURN_IF_ERROR(CheckKnownParams(request, rules));
  StatusOr<std::string> org = ReadOrg(request, principal);
  if (!org.ok()) return org.status();
  EventQuery query;
  query.org = *org;
  for (std::string_view name : kFilterParams) {
    QueryField field = *ParseQueryField(name);
    for (std::string& value : request.QueryAll(name)) {
      query.include.push_back(FieldFilter{field, std::move(value)});
    }
  }
  // Searchable personal fields by path (?metadata.email=...), in the order given.
  for (const auto& [name, value] : request.query) {
    if (!IsPersonalFilterKey(name)) continue;
    if (std::optional<FieldFilter> f = FilterForKey(name, value)) query.include.push_back(*f);
  }
  ACTLOG_RETURN_IF_ERROR(AddTimeBounds(request, &query));
  query.text = request.Query("q").value_or("");
  ACTLOG_RETURN_IF_ERROR(AddPaging(request, rules, &query));
  if (std::optional<std::string> search = request.Query("search")) {
    ACTLOG_RETURN_IF_ERROR(ParseSearchString(*search, &query));
  }
  ACTLOG_RETURN_IF_ERROR(ForceViewerActor(principal, &query));
  ACTLOG_RETURN_IF_ERROR(ValidateQuery(query));
  return query;
}

}  // namespace actlog::server
