// Blind-index terms of searchable personal values (DESIGN §7, docs/PRIVACY.md).
//
// A personal value can be found by exact match without any index holding it: the index
// holds HMAC-SHA256 under the store's 32-byte blind-index secret of the value, ASCII-
// lowercased (so matching ignores ASCII case). actor.email is always searchable (its own
// index, `actor_email`); any other personal path becomes searchable when a catalog entry
// lists it in `searchable_fields`. Only string values are indexed.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/event.h"
#include "actlog/query.h"
#include "actlog/status.h"

namespace actlog::privacy {

inline constexpr std::string_view kActorEmailPath = "actor.email";

// HMAC-SHA256(secret, message): every blind-index value is one (libsodium).
std::string HmacSha256(std::string_view secret, std::string_view message);

// HMAC-SHA256(secret, "actlog/blind/v1" 0x00 path 0x00 ascii_lower(value)): the term of a
// searchable personal value other than actor.email. REQUIRES: secret.size() == 32.
std::string BlindValue(std::string_view secret, std::string_view path, std::string_view value);

// One searchable personal value of an event.
struct BlindTerm {
  std::string path;     // "metadata.email"
  std::string mac;      // BlindValue(secret, path, value)
  std::string subject;  // whose value it is
  bool operator==(const BlindTerm&) const = default;
};

// The searchable values of a *plain* event (before sealing) other than actor.email: the
// string values at the paths its code's catalog entry marks searchable.
std::vector<BlindTerm> SearchableTerms(const Event& event, const Catalog& catalog,
                                       std::string_view secret);

// OK unless a filter of `query` names a personal path no catalog entry marks
// searchable: InvalidArgument "invalid_query" naming the path (such a filter could only
// ever match nothing, which would hide the mistake).
Status CheckSearchable(const EventQuery& query, const Catalog& catalog);

// The string value of `event` at `path` if its code's catalog entry marks the path
// searchable (what a kPersonal filter compares with, read on an opened event).
std::optional<std::string> SearchableValue(const Event& event, const Catalog& catalog,
                                           std::string_view path);

// True if an event of this code and subject holds, at `path`, a value of `subject`
// (used at erasure to keep other subjects' entries of an equal value).
bool PathBelongsTo(const Event& event, const Catalog& catalog, std::string_view path,
                   std::string_view subject);

}  // namespace actlog::privacy
