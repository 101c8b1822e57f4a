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

#include "actlog/event.h"
#include "actlog/query.h"

namespace actlog::server {

class EventMatcher {
 public:
  // REQUIRES: ValidateQuery(query).ok().
  explicit EventMatcher(EventQuery query);

  // `canonical` = the stored bytes of `event` (for the text filter).
  bool Matches(const Event& event, std::string_view canonical) const;

 private:
  EventQuery query_;
  std::string needle_;  // lower-cased query_.text
};

// Whether `event` has `value` in `field` (one filter term).
bool FieldMatches(const Event& event, QueryField field, std::string_view value);

}  // namespace actlog::server
