// Shape checks for org ids, client event ids and event codes (declared in event.h).
//
// These run on every ingested event, so they are hand-written scanners rather than
// std::regex: one pass over the bytes, no allocation.
#include <cstddef>
#include <string_view>

#include "actlog/event.h"

namespace actlog {
namespace {

constexpr std::size_t kMaxOrgBytes = 64;
constexpr std::size_t kMaxClientIdBytes = 128;

bool IsOrgChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool IsLowerAlpha(char c) { return c >= 'a' && c <= 'z'; }

bool IsSnakeChar(char c) { return IsLowerAlpha(c) || (c >= '0' && c <= '9') || c == '_'; }

// Consumes one segment `[a-z][a-z0-9_]*` starting at `*pos`; false if none is there.
bool ConsumeSegment(std::string_view s, std::size_t* pos) {
  std::size_t i = *pos;
  if (i >= s.size() || !IsLowerAlpha(s[i])) return false;
  ++i;
  while (i < s.size() && IsSnakeChar(s[i])) ++i;
  *pos = i;
  return true;
}

}  // namespace

bool IsValidOrgId(std::string_view org) {
  if (org.empty() || org.size() > kMaxOrgBytes) return false;
  if (org == "." || org == "..") return false;
  for (char c : org) {
    if (!IsOrgChar(c)) return false;
  }
  return true;
}

bool IsValidClientId(std::string_view id) {
  if (id.empty() || id.size() > kMaxClientIdBytes) return false;
  for (char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7E) return false;
  }
  return true;
}

// ^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*:[a-z][a-z0-9_]*$
bool IsWellFormedCode(std::string_view code) {
  std::size_t pos = 0;
  if (!ConsumeSegment(code, &pos)) return false;
  while (pos < code.size() && code[pos] == '.') {
    ++pos;
    if (!ConsumeSegment(code, &pos)) return false;
  }
  if (pos >= code.size() || code[pos] != ':') return false;
  ++pos;
  if (!ConsumeSegment(code, &pos)) return false;
  return pos == code.size();
}

}  // namespace actlog
