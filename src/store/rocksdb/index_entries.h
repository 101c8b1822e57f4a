// Which secondary-index entries an event has, and which index streams a filter reads.
// Both sides live here so that they cannot drift apart.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/event.h"
#include "actlog/query.h"
#include "store/rocksdb/keys.h"

namespace actlog::store {

struct IndexTerm {
  IndexKind kind;
  std::string value;
  bool operator==(const IndexTerm&) const = default;
};

// HMAC-SHA256(secret, ASCII-lowercased email): the blind-index value of an email.
// REQUIRES: secret.size() == 32.
std::string BlindEmail(std::string_view secret, std::string_view email);

// Every index entry of `event` (the time entry first), without positions: time, exact
// code, actor, actor type only when it is not `user`, blind email, target type and id,
// and outcome only when it is `failure`. Code prefixes, `user` and `success` — the
// values most events have — have no entries (see FilterSource). With a
// catalog, also the blind entries of the personal values it marks searchable (the event
// must still hold its plain values).
std::vector<IndexTerm> IndexTermsFor(const Event& event, std::string_view secret);
std::vector<IndexTerm> IndexTermsFor(const Event& event, const Catalog& catalog,
                                     std::string_view secret);

// The kPersonal stream value of a searchable path's blind value: path ‖ 0x00 ‖ mac.
std::string PersonalTermValue(std::string_view path, std::string_view mac);

// Where a positive filter's events are found in the index:
//  - `term`: one stream (exact code "a.b:act", actor, outcome=failure, ...);
//  - `code_prefix`: "a.b" or "a.b:*" has no stream of its own; it reads the kCode
//    streams of the org's codes that CodeMatchesFilter(code, prefix) (OrgCodes);
//  - neither: outcome=success and actor_type=user have no stream; the filter is checked
//    on each fetched event
//    (MatchesOnEvent) while another field's stream, or the time stream, is read.
struct FilterSource {
  std::optional<IndexTerm> term;
  std::optional<std::string> code_prefix;
};
FilterSource SourceForFilter(const FieldFilter& filter, std::string_view secret);

// True if `filter` is a code, outcome or actor-type filter that the event's own fields
// satisfy (false for any other field: those are matched through their index terms).
bool MatchesOnEvent(const Event& event, const FieldFilter& filter);

}  // namespace actlog::store
