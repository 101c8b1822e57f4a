// Query fields, code filters and the shape check of an EventQuery.
#include "actlog/query.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "actlog/event.h"
#include "core/query_values.h"

namespace actlog {
namespace {

constexpr std::size_t kMaxTextBytes = 4096;
constexpr std::size_t kMaxFilters = 64;
// 10000-01-01T00:00:00Z: RFC 3339 timestamps (and ParseTimestamp) stop before it.
constexpr int64_t kEndOfTimestamps = 253'402'300'800'000'000;

struct FieldName {
  std::string_view key;
  QueryField field;
};

// Canonical keys first; aliases after. ToString returns the first match.
constexpr FieldName kFieldNames[] = {
    {"code", QueryField::kCode},
    {"actor", QueryField::kActor},
    {"actor_type", QueryField::kActorType},
    {"actor_email", QueryField::kActorEmail},
    {"target_type", QueryField::kTargetType},
    {"target", QueryField::kTargetId},
    {"outcome", QueryField::kOutcome},
    {"email", QueryField::kActorEmail},
    {"target_id", QueryField::kTargetId},
};

// "org.member" or "org.member:*": a resource, i.e. code segments without the action.
bool IsResourcePrefix(std::string_view value) {
  if (value.size() >= 2 && value.substr(value.size() - 2) == ":*") {
    value.remove_suffix(2);
  }
  if (value.empty() || value.find(':') != std::string_view::npos) return false;
  // A resource is well formed exactly when "<resource>:x" is a well-formed code.
  return IsWellFormedCode(std::string(value) + ":x");
}

std::string_view ResourceOfFilter(std::string_view filter) {
  if (filter.size() >= 2 && filter.substr(filter.size() - 2) == ":*") {
    filter.remove_suffix(2);
  }
  return filter;
}

}  // namespace

namespace query_internal {

std::string FilterValueProblem(QueryField field, std::string_view value) {
  std::string name = field == QueryField::kPersonal ? "a field filter" : std::string(ToString(field));
  if (value.empty()) return name + " must not be empty";
  if (value.size() > kMaxFilterValueBytes) return name + " is longer than 4096 bytes";
  switch (field) {
    case QueryField::kCode:
      if (IsWellFormedCode(value) || IsResourcePrefix(value)) return "";
      return "code must be an event code such as org.member:invited, or a prefix such as "
             "org.member:* or org.member";
    case QueryField::kActorType:
      if (ParseActorType(value)) return "";
      return "actor_type must be user, api_key or system";
    case QueryField::kOutcome:
      if (ParseOutcome(value)) return "";
      return "outcome must be success or failure";
    case QueryField::kActor:
    case QueryField::kActorEmail:
    case QueryField::kTargetType:
    case QueryField::kTargetId:
    case QueryField::kPersonal:
      return "";
  }
  return "unknown field";
}

}  // namespace query_internal

std::string_view ToString(QueryField f) {
  for (const FieldName& n : kFieldNames) {
    if (n.field == f) return n.key;
  }
  return "unknown";
}

std::optional<QueryField> ParseQueryField(std::string_view key) {
  for (const FieldName& n : kFieldNames) {
    if (n.key == key) return n.field;
  }
  return std::nullopt;
}

bool IsPersonalFilterKey(std::string_view key) {
  if (key.size() > 256) return false;
  bool rooted = false;
  for (std::string_view root : {"actor.", "context.", "target.", "metadata.", "changes."}) {
    if (key.starts_with(root)) rooted = true;
  }
  if (!rooted || key.back() == '.') return false;
  char prev = '.';
  for (char c : key) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-';
    if (!word && !(c == '.' && prev != '.')) return false;
    prev = c;
  }
  return true;
}

std::optional<FieldFilter> FilterForKey(std::string_view key, std::string value) {
  if (key == "actor.email") return FieldFilter{QueryField::kActorEmail, std::move(value)};
  if (IsPersonalFilterKey(key)) {
    return FieldFilter{QueryField::kPersonal, std::move(value), std::string(key)};
  }
  std::optional<QueryField> field = ParseQueryField(key);
  if (!field) return std::nullopt;
  return FieldFilter{*field, std::move(value)};
}

bool IsCodeFilter(std::string_view filter) {
  return IsWellFormedCode(filter) || IsResourcePrefix(filter);
}

bool CodeMatchesFilter(std::string_view code, std::string_view filter) {
  if (IsWellFormedCode(filter)) return code == filter;
  const std::string_view want = ResourceOfFilter(filter);
  const std::string_view have = code.substr(0, code.find(':'));
  if (have.size() < want.size() || have.substr(0, want.size()) != want) return false;
  return have.size() == want.size() || have[want.size()] == '.';
}

Status ValidateQuery(const EventQuery& query) {
  std::vector<ErrorDetail> problems;
  auto add = [&problems](std::string field, std::string code, std::string message) {
    problems.push_back({std::nullopt, std::move(field), std::move(code), std::move(message)});
  };
  if (!IsValidOrgId(query.org)) {
    add("org", "invalid_format", "org must be 1..64 of [A-Za-z0-9_.-], not \".\" or \"..\"");
  }
  if (query.limit < 1 || query.limit > kMaxQueryLimit) {
    add("limit", "out_of_range", "limit must be 1.." + std::to_string(kMaxQueryLimit));
  }
  for (const auto& [field, bound] : {std::pair{"from", query.from_us}, {"to", query.to_us}}) {
    if (bound && (*bound < 0 || *bound >= kEndOfTimestamps)) {
      add(field, "out_of_range", std::string(field) + " must be between 1970 and 9999");
    }
  }
  if (query.from_us && query.to_us && *query.from_us >= *query.to_us) {
    add("from", "invalid_range", "from must be before to");
  }
  if (query.text.size() > kMaxTextBytes) add("q", "too_long", "q is longer than 4096 bytes");
  if (query.include.size() + query.exclude.size() > kMaxFilters) {
    add("filters", "too_many", "at most " + std::to_string(kMaxFilters) + " filters");
  }
  for (const auto* filters : {&query.include, &query.exclude}) {
    for (const FieldFilter& f : *filters) {
      std::string why = query_internal::FilterValueProblem(f.field, f.value);
      std::string key = f.field == QueryField::kPersonal ? f.path : std::string(ToString(f.field));
      if (f.field == QueryField::kPersonal && !IsPersonalFilterKey(f.path)) {
        why = "\"" + f.path + "\" is not a personal field path such as metadata.email";
      }
      if (!why.empty()) add(std::move(key), "invalid_value", std::move(why));
    }
  }
  if (problems.empty()) return Status::Ok();
  std::string message = problems.front().field + ": " + problems.front().message;
  return InvalidArgument("invalid_query", std::move(message), std::move(problems));
}

}  // namespace actlog
