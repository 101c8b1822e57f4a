// The search-string language (query.h): lexing into terms, applying them to an
// EventQuery, and rendering a query back.
#include <simdjson.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "actlog/event.h"
#include "actlog/query.h"
#include "core/query_values.h"

namespace actlog {
namespace {

constexpr std::size_t kMaxSearchBytes = 8192;
constexpr std::size_t kMaxQuotedTermInMessage = 80;
constexpr int64_t kMicrosPerDay = 86'400'000'000;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// A candidate key: letters and underscores only. So "10:15" is a text word, while
// "http://x" reads as an (unknown) key and must be quoted to be searched as text.
bool LooksLikeKey(std::string_view s) {
  if (IsPersonalFilterKey(s)) return true;
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')) return false;
  }
  return true;
}

std::string Lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// One lexed term: either text (a bare word or a quoted phrase) or key:value.
struct Term {
  std::string_view raw;  // as typed, for error messages
  bool is_filter = false;
  bool negated = false;
  std::string key;    // lowercased
  std::string value;  // unquoted
};

// Cuts at most `max` bytes from the front of valid UTF-8 without splitting a character.
std::string_view Truncated(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

Status BadTerm(std::string_view raw, std::string_view why) {
  std::string shown(Truncated(raw, kMaxQuotedTermInMessage));
  if (shown.size() < raw.size()) shown += "...";
  return InvalidArgument("invalid_search",
                         "invalid search term \"" + shown + "\": " + std::string(why));
}

// Reads a quoted string whose opening quote is at `*pos`; on success `*pos` is just past
// the closing quote and must be followed by whitespace or the end.
Status ReadQuoted(std::string_view s, std::size_t term_start, std::size_t* pos, std::string* out) {
  std::size_t i = *pos + 1;
  for (; i < s.size() && s[i] != '"'; ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) ++i;
    out->push_back(s[i]);
  }
  if (i >= s.size()) return BadTerm(s.substr(term_start), "missing closing quote");
  ++i;
  if (i < s.size() && !IsSpace(s[i])) {
    std::size_t end = i;
    while (end < s.size() && !IsSpace(s[end])) ++end;
    return BadTerm(s.substr(term_start, end - term_start), "text right after a closing quote");
  }
  *pos = i;
  return Status::Ok();
}

// Splits a bare (unquoted) run into a filter or a text word.
Status ClassifyBare(std::string_view raw, Term* term) {
  term->raw = raw;
  const bool negated = raw.front() == '-';
  const std::string_view body = negated ? raw.substr(1) : raw;
  const std::size_t colon = body.find(':');
  if (colon != std::string_view::npos && LooksLikeKey(body.substr(0, colon))) {
    term->is_filter = true;
    term->negated = negated;
    // A field path keeps its case (metadata keys are the sender's); other keys do not.
    std::string_view key = body.substr(0, colon);
    term->key = IsPersonalFilterKey(key) ? std::string(key) : Lowercase(key);
    term->value = std::string(body.substr(colon + 1));
    return Status::Ok();
  }
  if (negated) {
    return BadTerm(raw, "only key:value filters can be negated; quote it to search for it");
  }
  term->value = std::string(raw);
  return Status::Ok();
}

Status Lex(std::string_view s, std::vector<Term>* terms) {
  std::size_t i = 0;
  while (true) {
    while (i < s.size() && IsSpace(s[i])) ++i;
    if (i >= s.size()) return Status::Ok();
    const std::size_t start = i;
    Term term;
    if (s[i] == '"') {
      ACTLOG_RETURN_IF_ERROR(ReadQuoted(s, start, &i, &term.value));
      term.raw = s.substr(start, i - start);
      terms->push_back(std::move(term));
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && !IsSpace(s[j]) && s[j] != ':') ++j;
    std::string_view key = s.substr(start, j - start);
    if (!key.empty() && key.front() == '-') key.remove_prefix(1);
    if (j + 1 < s.size() && s[j] == ':' && s[j + 1] == '"' && LooksLikeKey(key)) {
      // key:"quoted value"
      std::size_t k = j + 1;
      std::string value;
      ACTLOG_RETURN_IF_ERROR(ReadQuoted(s, start, &k, &value));
      ACTLOG_RETURN_IF_ERROR(ClassifyBare(s.substr(start, j + 1 - start), &term));
      term.raw = s.substr(start, k - start);
      term.value = std::move(value);
      i = k;
    } else {
      while (j < s.size() && !IsSpace(s[j])) ++j;
      ACTLOG_RETURN_IF_ERROR(ClassifyBare(s.substr(start, j - start), &term));
      i = j;
    }
    terms->push_back(std::move(term));
  }
}

// A date (YYYY-MM-DD, meaning 00:00:00Z) or a full RFC 3339 time.
StatusOr<int64_t> ParseBound(std::string_view value) {
  if (value.size() == 10 && value[4] == '-' && value[7] == '-') {
    return ParseTimestamp(std::string(value) + "T00:00:00Z");
  }
  return ParseTimestamp(value);
}

Status ApplyBound(const Term& term, bool is_from, EventQuery* query) {
  if (term.negated) return BadTerm(term.raw, "a time bound cannot be negated");
  StatusOr<int64_t> t = ParseBound(term.value);
  if (!t.ok()) {
    return BadTerm(term.raw, term.key +
                                 " needs a date (2026-11-01) or an RFC 3339 time "
                                 "(2026-11-01T10:15:00Z)");
  }
  std::optional<int64_t>& bound = is_from ? query->from_us : query->to_us;
  if (!bound || (is_from ? *t > *bound : *t < *bound)) bound = *t;
  return Status::Ok();
}

Status ApplyTerm(const Term& term, EventQuery* query) {
  if (!term.is_filter) {
    if (term.value.empty()) return Status::Ok();  // ""
    if (!query->text.empty()) query->text += ' ';
    query->text += term.value;
    return Status::Ok();
  }
  if (term.value.empty()) return BadTerm(term.raw, "missing value after \"" + term.key + ":\"");
  if (term.key == "after" || term.key == "from") return ApplyBound(term, true, query);
  if (term.key == "before" || term.key == "to") return ApplyBound(term, false, query);
  std::optional<FieldFilter> filter = FilterForKey(term.key, term.value);
  if (!filter) {
    return BadTerm(term.raw,
                   "unknown key \"" + term.key +
                       "\" (keys: code, actor, actor_type, actor_email, target, target_type, "
                       "outcome, after, before, or a searchable field such as "
                       "metadata.email); quote it to search for it as text");
  }
  std::string why = query_internal::FilterValueProblem(filter->field, term.value);
  if (!why.empty()) return BadTerm(term.raw, why);
  (term.negated ? query->exclude : query->include).push_back(std::move(*filter));
  return Status::Ok();
}

// --- formatting ---

void AppendQuoted(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

bool HasSpace(std::string_view s) {
  for (char c : s) {
    if (IsSpace(c)) return true;
  }
  return false;
}

void AppendValue(std::string_view value, std::string* out) {
  if (value.empty() || value.front() == '"' || HasSpace(value)) {
    AppendQuoted(value, out);
  } else {
    out->append(value);
  }
}

// A text word can stay bare when the lexer would read it back as the same text word.
bool IsBareTextWord(std::string_view w) {
  if (w.empty() || w.front() == '"' || w.front() == '-') return false;
  const std::size_t colon = w.find(':');
  return colon == std::string_view::npos || !LooksLikeKey(w.substr(0, colon));
}

void AppendText(std::string_view text, std::string* out) {
  // Single-space separated words keep their spelling; anything else is one phrase.
  std::vector<std::string_view> words;
  bool simple = !text.empty() && !IsSpace(text.front()) && !IsSpace(text.back());
  for (std::size_t i = 0; simple && i < text.size();) {
    std::size_t j = text.find(' ', i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view w = text.substr(i, j - i);
    if (w.empty() || HasSpace(w)) simple = false;
    words.push_back(w);
    i = j + 1;
  }
  if (!simple) {
    AppendQuoted(text, out);
    return;
  }
  for (std::size_t k = 0; k < words.size(); ++k) {
    if (k > 0) out->push_back(' ');
    if (IsBareTextWord(words[k])) {
      out->append(words[k]);
    } else {
      AppendQuoted(words[k], out);
    }
  }
}

std::string FormatBound(int64_t micros) {
  std::string t = FormatTimestamp(micros);
  if (micros >= 0 && micros % kMicrosPerDay == 0 && t.size() >= 10) return t.substr(0, 10);
  return t;
}

}  // namespace

Status ParseSearchString(std::string_view search, EventQuery* query) {
  if (search.size() > kMaxSearchBytes) {
    return InvalidArgument("invalid_search", "search string is longer than 8192 bytes");
  }
  // Messages quote the input back, and the filters end up in JSON: UTF-8 only.
  if (!simdjson::validate_utf8(search)) {
    return InvalidArgument("invalid_search", "search string is not valid UTF-8");
  }
  std::vector<Term> terms;
  ACTLOG_RETURN_IF_ERROR(Lex(search, &terms));
  EventQuery result = *query;
  for (const Term& term : terms) ACTLOG_RETURN_IF_ERROR(ApplyTerm(term, &result));
  *query = std::move(result);
  return Status::Ok();
}

std::string FormatSearchString(const EventQuery& query) {
  std::string out;
  auto next = [&out] {
    if (!out.empty()) out.push_back(' ');
  };
  for (const auto* filters : {&query.include, &query.exclude}) {
    for (const FieldFilter& f : *filters) {
      next();
      if (filters == &query.exclude) out.push_back('-');
      out.append(f.field == QueryField::kPersonal ? std::string_view(f.path) : ToString(f.field));
      out.push_back(':');
      AppendValue(f.value, &out);
    }
  }
  if (query.from_us) {
    next();
    out += "after:" + FormatBound(*query.from_us);
  }
  if (query.to_us) {
    next();
    out += "before:" + FormatBound(*query.to_us);
  }
  if (!query.text.empty()) {
    next();
    AppendText(query.text, &out);
  }
  return out;
}

}  // namespace actlog
