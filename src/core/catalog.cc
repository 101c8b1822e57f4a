// Catalog lookups, strict/open checking and nearest-code suggestions.
#include "actlog/catalog.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "actlog/event.h"

namespace actlog {
namespace {

// Inputs longer than this get no suggestion: no real code is that long, and the
// distance computation is quadratic.
constexpr std::size_t kMaxSuggestInput = 128;
// Error messages quote at most this much of the offending code.
constexpr std::size_t kMaxQuotedCode = 200;

// REQUIRES: `code` is valid UTF-8 (it came from parsed JSON); the cut keeps it so.
std::string Quoted(std::string_view code) {
  std::size_t cut = std::min(code.size(), kMaxQuotedCode);
  while (cut < code.size() && cut > 0 && (static_cast<unsigned char>(code[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  std::string out = "\"" + std::string(code.substr(0, cut));
  if (cut < code.size()) out += "...";
  return out + "\"";
}

// Optimal string alignment distance (Levenshtein plus adjacent transpositions), so
// "org.member:inivted" is one edit from "org.member:invited".
std::size_t EditDistance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  // Three rolling rows: i-2, i-1, i.
  std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (std::size_t j = 0; j <= m; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t best = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        best = std::min(best, prev2[j - 2] + 1);
      }
      cur[j] = best;
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

// How far a suggestion may be: two edits for short codes, a third of the input's length
// for longer ones, so a missing "org." prefix is still found but "foo:bar" matches
// nothing.
std::size_t SuggestCutoff(std::string_view input) {
  return std::max<std::size_t>(2, input.size() / 3);
}

// What a malformed code probably meant: lower case, '-' for '_'.
std::string NormalizedForSuggestion(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '-') c = '_';
  }
  return out;
}

std::string DidYouMean(const std::optional<std::string>& suggestion) {
  if (!suggestion) return "";
  return "; did you mean \"" + *suggestion + "\"?";
}

}  // namespace

void Catalog::Add(CatalogEntry entry) {
  auto it = std::lower_bound(
      entries_.begin(), entries_.end(), entry.code,
      [](const CatalogEntry& e, const std::string& code) { return e.code < code; });
  if (it != entries_.end() && it->code == entry.code) {
    *it = std::move(entry);
  } else {
    entries_.insert(it, std::move(entry));
  }
}

const CatalogEntry* Catalog::Find(std::string_view code) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), code,
                             [](const CatalogEntry& e, std::string_view c) { return e.code < c; });
  if (it != entries_.end() && it->code == code) return &*it;
  return nullptr;
}

bool Catalog::IsSearchable(std::string_view path) const {
  if (path == "actor.email") return true;
  for (const CatalogEntry& e : entries_) {
    for (const std::string& f : e.searchable_fields) {
      if (f == path) return true;
    }
  }
  return false;
}

Status Catalog::Check(std::string_view code) const {
  if (!IsWellFormedCode(code)) {
    std::string message = "malformed event code " + Quoted(code) +
                          ": codes are resource[.sub]*:action in lower snake case";
    if (mode_ == CatalogMode::kStrict)
      message += DidYouMean(Suggest(NormalizedForSuggestion(code)));
    return InvalidArgument("invalid_code", std::move(message));
  }
  if (mode_ == CatalogMode::kOpen || Find(code) != nullptr) return Status::Ok();
  return InvalidArgument("unknown_code",
                         "unknown event code " + Quoted(code) + DidYouMean(Suggest(code)));
}

std::optional<std::string> Catalog::Suggest(std::string_view code) const {
  if (code.empty() || code.size() > kMaxSuggestInput) return std::nullopt;
  const std::size_t cutoff = SuggestCutoff(code);
  const CatalogEntry* best = nullptr;
  std::size_t best_distance = cutoff + 1;
  // entries_ is sorted, so on a tie the first (lexicographically smallest) code wins.
  for (const CatalogEntry& e : entries_) {
    const std::size_t len_gap =
        e.code.size() > code.size() ? e.code.size() - code.size() : code.size() - e.code.size();
    if (len_gap >= best_distance) continue;  // cannot beat the best so far
    const std::size_t d = EditDistance(code, e.code);
    if (d < best_distance) {
      best_distance = d;
      best = &e;
    }
  }
  if (best == nullptr) return std::nullopt;
  return best->code;
}

std::string_view Catalog::ResourceOf(std::string_view code) {
  if (!IsWellFormedCode(code)) return {};
  return code.substr(0, code.find(':'));
}

}  // namespace actlog
