// ParseIngestBody: a POST /v1/events body -> validated events, all or nothing.
//
// Order of checks, each ending the request: the body size (before any parsing, so an
// oversized body costs nothing), the JSON text itself (ParseJson's error as is), the
// batch envelope, then every event, whose problems are all collected and stamped with
// the event's index (0 for a single event) so the reply names each bad one.
#include <string>
#include <utility>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/event.h"

namespace actlog {
namespace {

Status BadBatch(std::string field, const char* code, std::string message) {
  std::string top = "invalid batch: " + message;
  return InvalidArgument("invalid_event", std::move(top),
                         {ErrorDetail{std::nullopt, std::move(field), code, std::move(message)}});
}

// The envelope {"events": [...]}: only that member, an array of 1..max events.
Status CheckEnvelope(const Json& body, const EventLimits& limits) {
  std::vector<ErrorDetail> details;
  for (const auto& [key, value] : body.as_object()) {
    if (key != "events") {
      details.push_back(ErrorDetail{std::nullopt, key.substr(0, 128), "unknown_field",
                                    "a batch body has only \"events\""});
    }
  }
  if (!details.empty()) {
    return InvalidArgument("invalid_event", "invalid batch: unknown member", std::move(details));
  }
  const Json& events = *body.Find("events");
  if (!events.is_array()) {
    return BadBatch("events", "invalid_type", "\"events\" must be an array of event objects");
  }
  if (events.as_array().empty()) {
    return BadBatch("events", "empty", "a batch holds at least one event");
  }
  if (events.as_array().size() > limits.max_batch_events) {
    return BadBatch("events", "batch_too_large",
                    "a batch holds at most " + std::to_string(limits.max_batch_events) +
                        " events; this one has " + std::to_string(events.as_array().size()));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::vector<Event>> ParseIngestBody(std::string_view body, const Catalog& catalog,
                                             const EventLimits& limits) {
  if (body.size() > limits.max_body_bytes) {
    return Status(StatusCode::kResourceExhausted, "body_too_large",
                  "the body is " + std::to_string(body.size()) + " bytes; the limit is " +
                      std::to_string(limits.max_body_bytes));
  }
  StatusOr<Json> parsed = ParseJson(body);
  if (!parsed.ok()) return parsed.status();
  const Json& root = *parsed;

  if (!root.is_object() || root.Find("events") == nullptr) {
    StatusOr<Event> e = ValidateEvent(root, catalog, limits, 0);
    if (!e.ok()) return e.status();
    std::vector<Event> one;
    one.push_back(std::move(e).value());
    return one;
  }
  ACTLOG_RETURN_IF_ERROR(CheckEnvelope(root, limits));
  const Json::Array& inputs = root.Find("events")->as_array();

  std::vector<Event> events;
  events.reserve(inputs.size());
  std::vector<ErrorDetail> details;
  std::size_t bad_events = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    StatusOr<Event> e = ValidateEvent(inputs[i], catalog, limits, i);
    if (!e.ok()) {
      ++bad_events;
      const std::vector<ErrorDetail>& d = e.status().details();
      details.insert(details.end(), d.begin(), d.end());
    } else if (bad_events == 0) {
      events.push_back(std::move(e).value());
    }
  }
  if (bad_events == 0) return events;
  return InvalidArgument("invalid_event",
                         std::to_string(bad_events) + " of " + std::to_string(inputs.size()) +
                             " events are invalid; nothing was stored",
                         std::move(details));
}

}  // namespace actlog
