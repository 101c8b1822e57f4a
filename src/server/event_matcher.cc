// EventMatcher (event_matcher.h).
#include "server/event_matcher.h"

#include <algorithm>
#include <cctype>

#include "privacy/blind_index.h"

namespace actlog::server {
namespace {

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

bool FieldMatches(const Event& event, const FieldFilter& filter, const Catalog* catalog) {
  if (filter.field != QueryField::kPersonal) return FieldMatches(event, filter.field, filter.value);
  if (catalog == nullptr) return false;
  std::optional<std::string> value = privacy::SearchableValue(event, *catalog, filter.path);
  return value && AsciiLower(*value) == AsciiLower(filter.value);
}

bool FieldMatches(const Event& event, QueryField field, std::string_view value) {
  switch (field) {
    case QueryField::kCode:
      return CodeMatchesFilter(event.code, value);
    case QueryField::kActor:
      return event.actor.id == value;
    case QueryField::kActorType:
      return ToString(event.actor.type) == value;
    case QueryField::kActorEmail:
      return event.actor.email && AsciiLower(*event.actor.email) == AsciiLower(value);
    case QueryField::kTargetType:
      return event.target && event.target->type == value;
    case QueryField::kTargetId:
      return event.target && event.target->id == value;
    case QueryField::kOutcome:
      return ToString(event.outcome) == value;
    case QueryField::kPersonal:
      return false;  // needs its path and the catalog: the FieldFilter overload
  }
  return false;
}

EventMatcher::EventMatcher(EventQuery query, const Catalog* catalog)
    : query_(std::move(query)), needle_(AsciiLower(query_.text)), catalog_(catalog) {}

bool EventMatcher::Matches(const Event& event, std::string_view canonical) const {
  if (query_.from_us && event.occurred_at_us < *query_.from_us) return false;
  if (query_.to_us && event.occurred_at_us >= *query_.to_us) return false;
  for (const FieldFilter& f : query_.exclude) {
    if (FieldMatches(event, f, catalog_)) return false;
  }
  // Each field that has positive filters needs one of them to match.
  for (const FieldFilter& f : query_.include) {
    bool any = false;
    for (const FieldFilter& g : query_.include) {
      if (g.field == f.field && g.path == f.path && FieldMatches(event, g, catalog_)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  if (needle_.empty() || AsciiLower(canonical).find(needle_) != std::string::npos) return true;
  // Sealed personal values: match what readers see, as Store::Query does.
  if (canonical.find("\"sealed:v1:") == std::string_view::npos) return false;
  return AsciiLower(CanonicalJson(EventToJson(event))).find(needle_) != std::string::npos;
}

}  // namespace actlog::server
