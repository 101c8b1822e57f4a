// Catalog: the event codes actlog knows, with their descriptions (DESIGN §2 "Catalog").
//
// The built-in catalog is the seed's 30 codes, the three its text implies
// (payment:processed_manually, payout:processed_manually, org.member:signed_in) and the
// actlog.* codes of the service's own admin actions. A deployment adds codes from a
// catalog file. In strict mode an unknown code is rejected with the nearest known code
// suggested; in open mode any well-formed code is accepted.
//
// Immutable after construction and loading; const methods are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/status.h"

namespace actlog {

enum class CatalogMode { kStrict, kOpen };

struct CatalogEntry {
  std::string code;         // e.g. "org.member:invited"
  std::string description;  // e.g. "Team member invited"
  // Extra personal JSON paths for this code beyond the defaults (DESIGN §7), e.g.
  // "metadata.phone". Used by the privacy layer.
  std::vector<std::string> personal_fields;
  // True when the target of this code is a person (its name is personal data).
  bool target_is_person = false;
  // Personal paths of this code that can be filtered by exact match through the keyed
  // blind index (docs/PRIVACY.md), e.g. "metadata.email". Each is one of this code's
  // personal paths (the defaults or personal_fields); actor.email always is searchable.
  std::vector<std::string> searchable_fields;
};

class Catalog {
 public:
  // The built-in catalog in the given mode.
  static Catalog BuiltIn(CatalogMode mode = CatalogMode::kStrict);

  // Adds the entries of a catalog file (JSON: {"codes":[{"code":..., "description":...,
  // "personal_fields":[...], "target_is_person":bool, "searchable_fields":[...]}, ...]}).
  // Later entries replace
  // earlier ones with the same code. Errors name the file position/entry.
  Status LoadFile(const std::string& path);
  Status LoadJson(std::string_view json_text);
  void Add(CatalogEntry entry);

  CatalogMode mode() const { return mode_; }
  void set_mode(CatalogMode mode) { mode_ = mode; }

  const CatalogEntry* Find(std::string_view code) const;
  // The code's description, empty for a code the catalog does not know (open mode).
  std::string DescriptionOf(std::string_view code) const {
    const CatalogEntry* entry = Find(code);
    return entry != nullptr ? entry->description : std::string();
  }
  // OK if the code is acceptable in this mode; otherwise InvalidArgument with
  // error_code "unknown_code" (message suggests the nearest code) or "invalid_code".
  Status Check(std::string_view code) const;
  // The known code closest to `code` (edit distance), if any is reasonably close.
  std::optional<std::string> Suggest(std::string_view code) const;

  // True if some entry marks `path` searchable (actor.email always is).
  bool IsSearchable(std::string_view path) const;

  // All entries, sorted by code.
  const std::vector<CatalogEntry>& entries() const { return entries_; }

  // "org.member:invited" -> "org.member"; "" if malformed.
  static std::string_view ResourceOf(std::string_view code);

 private:
  CatalogMode mode_ = CatalogMode::kStrict;
  std::vector<CatalogEntry> entries_;  // sorted by code, unique
};

}  // namespace actlog
