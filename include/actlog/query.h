// EventQuery: what a reader asks of one organisation's log (DESIGN §5), and the
// GitHub-style search string that people type for the same filters.
//
// Results are ordered by (occurred_at, seq): newest first by default. Cursors are opaque
// positions in that order, so a page never uses an offset and stays correct while
// appends continue. Plain value types; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/status.h"

namespace actlog {

enum class Order { kDesc, kAsc };

// A filterable field. The search-string key in parentheses.
enum class QueryField {
  kCode,        // code:       exact "org.member:invited", or prefix "org.member:*" / "org.member"
  kActor,       // actor:      actor id
  kActorType,   // actor_type: user | api_key | system
  kActorEmail,  // actor_email: (alias email:) exact, through the keyed blind index
  kTargetType,  // target_type:
  kTargetId,    // target:     (alias target_id:)
  kOutcome,     // outcome:    success | failure
  kPersonal,    // <path>:     a personal field the catalog marks searchable, e.g.
                //             metadata.email:ann@example.com — exact (ASCII case-insensitive)
                //             match through the keyed blind index; `path` names the field
};

struct FieldFilter {
  QueryField field;
  std::string value;
  std::string path;  // kPersonal only: the dotted path, e.g. "metadata.email"
  bool operator==(const FieldFilter&) const = default;
};

struct EventQuery {
  std::string org;  // required
  // Positive filters: a field given more than once matches any of its values (OR); the
  // fields combine with AND.
  std::vector<FieldFilter> include;
  // Negative filters (search string "-outcome:success"): none may match.
  std::vector<FieldFilter> exclude;
  std::optional<int64_t> from_us;  // occurred_at >= from
  std::optional<int64_t> to_us;    // occurred_at <  to
  std::string text;                // `q`: case-insensitive substring over the event
  Order order = Order::kDesc;
  int limit = 50;      // 1..200
  std::string cursor;  // opaque, from a previous page's next_cursor; empty = first page

  bool operator==(const EventQuery&) const = default;
};

constexpr int kMaxQueryLimit = 200;

std::string_view ToString(QueryField f);  // "code", "actor", ... (the search key)
std::optional<QueryField> ParseQueryField(std::string_view key);  // accepts aliases

// True if `key` names a personal field as a filter key: a dotted path under actor.,
// context., target., metadata. or changes. ("metadata.email"), each segment of
// [A-Za-z0-9_-]. Whether the catalog marks it searchable is checked by the reader.
// "actor.email" is the actor_email filter.
bool IsPersonalFilterKey(std::string_view key);
// The filter a key names: a QueryField key, or a personal path (kPersonal with `path`).
std::optional<FieldFilter> FilterForKey(std::string_view key, std::string value);

// Parses a people's search string and adds its filters to `query`, e.g.
//   code:org.member:* actor:u_7 after:2026-11-01 -outcome:success "text"
// Keys: code, actor, actor_type, actor_email/email, target/target_id, target_type,
// outcome, and a searchable personal field's path (metadata.email:ann@example.com, the
// path's case kept); after:/from: and before:/to: take a date or RFC 3339 time; a leading "-"
// negates; bare words and "quoted phrases" go to `text`. Errors name the bad token
// (error_code "invalid_search").
//
// Details: keys are case-insensitive; a value may be quoted (actor:"u 7"), and inside
// quotes \" and \\ stand for " and \. A date means 00:00:00Z of that day, so
// after:2026-11-01 includes Nov 1 and before:2026-11-01 ends at its start (to is
// exclusive). Time bounds intersect with those already in `query` (the later after:,
// the earlier before: wins). Text words are appended to `query->text`, joined by single
// spaces. A word that looks like key:value with an unknown key, a negated word or time
// bound, an empty value and an unclosed quote are errors: quote a phrase to search for
// it as text ("http://x", "-1"). On error `query` is left unchanged.
Status ParseSearchString(std::string_view search, EventQuery* query);

// Renders a query's filters back as a search string (inverse of ParseSearchString up to
// whitespace and alias spelling), for the web page and the CLI.
std::string FormatSearchString(const EventQuery& query);

// Checks a query's shape: org valid, limit 1..200, from and to within years 1970..9999
// (what RFC 3339 can write) and from < to when both are given, at most 64 filters, text
// at most 4 KiB, and each filter value well-formed (code a code or prefix, actor_type and
// outcome from their enums, nothing empty). Every problem is one ErrorDetail (field =
// "org", "limit", "from", "to", "q", "filters" or the filter's key); error_code
// "invalid_query".
Status ValidateQuery(const EventQuery& query);

// A `code` filter value is an exact code ("org.member:invited") or a resource prefix
// ("org.member:*" or "org.member", the same thing). A prefix matches codes of that
// resource and of its sub-resources: "org.member" matches "org.member:invited" and
// "org.member.phone:verified", but not "org:created" or "org.member_x:created".
bool IsCodeFilter(std::string_view filter);
// REQUIRES: IsCodeFilter(filter).
bool CodeMatchesFilter(std::string_view code, std::string_view filter);

}  // namespace actlog
