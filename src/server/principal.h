// Principal: who is making a request, after authentication (DESIGN §3), and the access
// rules every handler applies. Plain value type; thread-compatible.
//
// Kinds: admin (platform operator: everything, every org), ingest (write events,
// platform-wide or for one org), read (one org), viewer (a short-lived signed token for
// one org, optionally one actor; reads only). Nothing crosses organisations.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace actlog::server {

enum class PrincipalKind { kNone, kAdmin, kIngest, kRead, kViewer };

struct Principal {
  PrincipalKind kind = PrincipalKind::kNone;
  std::optional<std::string> org;    // scope; empty = platform-wide (admin, ingest)
  std::optional<std::string> actor;  // viewer tokens may be limited to one actor
  std::string key_id;                // for logs, metrics and rate limits; never the secret
};

// What a route requires before its handler runs.
enum class Access {
  kPublic,  // no credentials (healthz, readyz, metrics, public-key)
  kAnyKey,  // any valid key or viewer token (event-types)
  kRead,    // read, viewer or admin; the handler checks the org with CanRead
  kIngest,  // ingest or admin; the handler checks each event's org with CanIngest
  kAdmin,   // admin keys only
};

inline bool IsAdmin(const Principal& p) { return p.kind == PrincipalKind::kAdmin; }

inline bool CanRead(const Principal& p, std::string_view org) {
  switch (p.kind) {
    case PrincipalKind::kAdmin: return true;
    case PrincipalKind::kRead:
    case PrincipalKind::kViewer: return p.org && *p.org == org;
    default: return false;
  }
}

inline bool CanIngest(const Principal& p, std::string_view org) {
  switch (p.kind) {
    case PrincipalKind::kAdmin: return true;
    case PrincipalKind::kIngest: return !p.org || *p.org == org;
    default: return false;
  }
}

// Whether the principal's kind satisfies the route's access level (org checks aside).
inline bool Satisfies(const Principal& p, Access a) {
  switch (a) {
    case Access::kPublic: return true;
    case Access::kAnyKey: return p.kind != PrincipalKind::kNone;
    case Access::kRead:
      return p.kind == PrincipalKind::kRead || p.kind == PrincipalKind::kViewer || IsAdmin(p);
    case Access::kIngest: return p.kind == PrincipalKind::kIngest || IsAdmin(p);
    case Access::kAdmin: return IsAdmin(p);
  }
  return false;
}

}  // namespace actlog::server
