// Event API bodies (event_output.h).
#include "server/event_output.h"

#include "actlog/json.h"

namespace actlog::server {

void AppendEventJson(const Event& event, std::string* out) {
  // From the decoded event, not the stored bytes: once personal values are sealed the
  // stored canonical form holds references, while readers with access see the values.
  // Without erased values EventToJson's canonical form is AppendCanonicalEvent's, which
  // writes straight into `out` instead of building (and copying into) a Json first.
  if (event.erased.empty() && event.changes.is_object() && event.metadata.is_object()) {
    AppendCanonicalEvent(event, out);
    return;
  }
  AppendCanonicalJson(EventToJson(event), out);
}

std::string EventListBody(const QueryPage& page) {
  // The stored bytes' sizes are a close guess of the answer's (opened values are about
  // as long as their references): one allocation instead of a dozen regrowths.
  size_t guess = 64;
  for (const StoredEvent& stored : page.events) guess += stored.canonical.size() + 1;
  std::string out;
  out.reserve(guess);
  out += "{\"data\":[";
  bool first = true;
  for (const StoredEvent& stored : page.events) {
    if (!first) out.push_back(',');
    first = false;
    AppendEventJson(stored.event, &out);
  }
  out += "],\"next_cursor\":";
  if (page.next_cursor) {
    AppendJsonString(*page.next_cursor, &out);
  } else {
    out += "null";
  }
  out.push_back('}');
  return out;
}

std::string IngestResultBody(const std::vector<AppendResult>& results) {
  std::string out = "{\"data\":[";
  bool first = true;
  for (const AppendResult& r : results) {
    if (!first) out.push_back(',');
    first = false;
    out += "{\"id\":";
    AppendJsonString(r.id, &out);
    out += ",\"seq\":" + std::to_string(r.seq) + "}";
  }
  out += "]}";
  return out;
}

bool AllDuplicates(const std::vector<AppendResult>& results) {
  if (results.empty()) return false;
  for (const AppendResult& r : results) {
    if (!r.duplicate) return false;
  }
  return true;
}

}  // namespace actlog::server
