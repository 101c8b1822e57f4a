// Internals of ValidateEvent shared by event_validate.cc and event_validate_parts.cc.
// Not a public interface. Thread-compatible: one FieldChecker per validated event.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/event.h"
#include "actlog/json.h"
#include "actlog/status.h"

namespace actlog::internal {

// The producer object's top-level members; nullptr = absent (or JSON null).
struct EventFields {
  const Json* org = nullptr;
  const Json* code = nullptr;
  const Json* id = nullptr;
  const Json* occurred_at = nullptr;
  const Json* actor = nullptr;
  const Json* target = nullptr;
  const Json* context = nullptr;
  const Json* changes = nullptr;
  const Json* before = nullptr;
  const Json* after = nullptr;
  const Json* outcome = nullptr;
  const Json* reason = nullptr;
  const Json* metadata = nullptr;
};

// One step of a JSON path inside a free-form value, linked to its parent so that the
// dotted text is only built when a problem is reported. `key` is a member name, or
// empty with `index` set for an array element.
struct PathNode {
  const PathNode* parent = nullptr;
  std::string_view key;
  std::optional<std::size_t> index;
};
std::string RenderPath(const PathNode& node);

// A member name as it appears in a field path, cut to 128 bytes so that a hostile key
// cannot blow up the error reply.
std::string TruncatedKey(std::string_view key);

// Collects the problems of one event as ErrorDetails.
class FieldChecker {
 public:
  FieldChecker(const EventLimits& limits, std::optional<std::size_t> index)
      : limits_(limits), index_(index) {}

  void Add(std::string field, const char* code, std::string message);
  std::size_t problems() const { return details_.size(); }
  const EventLimits& limits() const { return limits_; }
  // InvalidArgument("invalid_event") with every detail. REQUIRES: problems() > 0.
  Status ToStatus();

  // A fixed-schema string: reports invalid_type, too_long or empty and returns nullptr,
  // or returns the string. RequiredString also reports a missing value.
  const std::string* RequiredString(const Json* v, std::string_view path);
  const std::string* OptionalString(const Json* v, std::string_view path);

  // Checks a free-form value for the string-length and depth limits. `depth` is the
  // nesting level `v` has if it is an array or object (the event object is 1).
  void WalkFree(const Json& v, const PathNode& path, std::size_t depth);

 private:
  const EventLimits& limits_;
  std::optional<std::size_t> index_;
  std::vector<ErrorDetail> details_;
};

// Field groups, each filling its part of `e` when valid.
void CheckActor(const EventFields& f, FieldChecker* check, Event* e);
void CheckTarget(const EventFields& f, FieldChecker* check, Event* e);
void CheckContext(const EventFields& f, FieldChecker* check, Event* e);
void CheckChanges(const EventFields& f, FieldChecker* check, Event* e);

// True for something that looks like an e-mail address: local@domain.tld, no spaces
// or control characters, at most 254 bytes.
bool LooksLikeEmail(std::string_view s);

// RFC 8785 bytes of the normalised producer object (see event_validate.cc).
// REQUIRES: the event validated without problems.
std::string NormalisedCanonical(const EventFields& f, const Json& changes,
                                const std::string& canonical_metadata);

}  // namespace actlog::internal
