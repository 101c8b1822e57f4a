// JSON bodies of the events API (DESIGN §9): an event is EventToJson(event) in
// canonical form; lists are {"data":[…],"next_cursor":"…"|null}; an ingest answer is
// {"data":[{"id":…,"seq":…},…]} in the order sent.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "actlog/event.h"
#include "actlog/store.h"

namespace actlog::server {

// Appends the event's API JSON (canonical, one line).
void AppendEventJson(const Event& event, std::string* out);

// {"data":[events…],"next_cursor":…}
std::string EventListBody(const QueryPage& page);

// {"data":[{"id":…,"seq":…},…]}
std::string IngestResultBody(const std::vector<AppendResult>& results);

// True when every result is a duplicate of an earlier append (the answer is then 200).
bool AllDuplicates(const std::vector<AppendResult>& results);

}  // namespace actlog::server
