// Which secondary-index entries an event has, and which index streams a filter reads.
// Both sides live here so that they cannot drift apart.
//
// Thread-safety: pure functions.
#pragma once

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

// The resource levels of a code: "a.b.c:act" -> {"a", "a.b", "a.b.c"}.
std::vector<std::string> ResourceLevels(std::string_view code);

// Every index entry of `event` (the time entry first), without positions. With a
// catalog, also the blind entries of the personal values it marks searchable (the event
// must still hold its plain values).
std::vector<IndexTerm> IndexTermsFor(const Event& event, std::string_view secret);
std::vector<IndexTerm> IndexTermsFor(const Event& event, const Catalog& catalog,
                                     std::string_view secret);

// The kPersonal stream value of a searchable path's blind value: path ‖ 0x00 ‖ mac.
std::string PersonalTermValue(std::string_view path, std::string_view mac);

// The index stream a positive filter reads. Code filters: "a.b:act" is exact; "a.b:*"
// and "a.b" match every code whose resource is a.b or below it (a.b.c:...).
IndexTerm TermForFilter(const FieldFilter& filter, std::string_view secret);

}  // namespace actlog::store
