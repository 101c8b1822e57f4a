// EventMatcher: whether one decoded event passes an EventQuery's filters, for the
// places that see events one by one instead of through Store::Query (the live tail
// scans new events in seq order).
//
// Same semantics as the store's query: positive filters of one field OR together, the
// fields AND; no negative filter may match; occurred_at in [from, to); `text` is a
// case-insensitive (ASCII) substring of the stored canonical bytes or, for an event with
// sealed personal values, of the event as readers see it; actor_email compares
// case-insensitively; code filters are exact or resource prefixes (CodeMatchesFilter).
// The query's org, order, limit and cursor are not looked at.
//
// Immutable after construction; Matches is thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "actlog/catalog.h"
#include "actlog/event.h"
#include "actlog/query.h"

namespace actlog::server {

class EventMatcher {
 public:
  // REQUIRES: ValidateQuery(query).ok(). `catalog` says which personal paths are
  // searchable for which code (kPersonal filters); null = none.
  explicit EventMatcher(EventQuery query, const Catalog* catalog = nullptr);

  // `canonical` = the stored bytes of `event` (for the text filter).
  bool Matches(const Event& event, std::string_view canonical) const;

 private:
  EventQuery query_;
  std::string needle_;  // lower-cased query_.text
  const Catalog* catalog_;
};

// Whether `event` has `value` in `field` (one filter term; never for kPersonal).
bool FieldMatches(const Event& event, QueryField field, std::string_view value);
// The same for any filter: a kPersonal one matches when the event's code marks the path
// searchable and its (opened) value there equals the filter's, ASCII case-insensitively.
bool FieldMatches(const Event& event, const FieldFilter& filter, const Catalog* catalog);

}  // namespace actlog::server
