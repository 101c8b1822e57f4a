// The two readers of stored event bytes behind DecodeEvent (event_decode.cc). Not a
// public interface; thread-safe (each thread parses with its own parser).
#pragma once

#include <optional>
#include <string_view>

#include "actlog/event.h"
#include "actlog/status.h"

namespace actlog::internal {

// The bytes' simdjson parse tree read straight into an Event (a Json is built only of
// `changes` and `metadata`). nullopt for bytes it does not take: any the Json reader
// rejects, and integers beyond 64 bits anywhere (which the Json reader accepts).
// Otherwise the very Event DecodeEventThroughJson returns.
std::optional<Event> DecodeEventFromTree(std::string_view canonical);

// DecodeEvent through a whole Json of the bytes: ParseJson, then every member read
// strictly (unknown fields, wrong types and missing fields are DataLoss naming the
// field). The reference the tree reader is tested against, and DecodeEvent's path for
// the bytes the tree reader does not take. Same contract as DecodeEvent.
StatusOr<Event> DecodeEventThroughJson(std::string_view canonical);

}  // namespace actlog::internal
