// ParseRow: a demo JSON line to the baseline table's columns (baseline.h).
#include <simdjson.h>

#include "baseline.h"

namespace actlog::bench {
namespace {

std::string Str(simdjson::dom::element parent, const char* key) {
  std::string_view value;
  if (parent[key].get_string().get(value) != simdjson::SUCCESS) return {};
  return std::string(value);
}

}  // namespace

bool ParseRow(const std::string& line, Row* row, std::string* error) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element event;
  if (parser.parse(line).get(event) != simdjson::SUCCESS) {
    *error = "not JSON: " + line.substr(0, 80);
    return false;
  }
  row->org = Str(event, "org");
  row->id = Str(event, "id");
  row->code = Str(event, "code");
  row->occurred_at = Str(event, "occurred_at");
  row->outcome = Str(event, "outcome");
  if (row->outcome.empty()) row->outcome = "success";
  simdjson::dom::element actor, target;
  if (event["actor"].get(actor) == simdjson::SUCCESS) {
    row->actor_type = Str(actor, "type");
    row->actor_id = Str(actor, "id");
  }
  row->target_type.clear();
  row->target_id.clear();
  if (event["target"].get(target) == simdjson::SUCCESS) {
    row->target_type = Str(target, "type");
    row->target_id = Str(target, "id");
  }
  row->body = line;
  if (row->org.empty() || row->id.empty() || row->code.empty() || row->occurred_at.empty() ||
      row->actor_id.empty()) {
    *error = "event lacks org, id, code, occurred_at or actor.id: " + line.substr(0, 80);
    return false;
  }
  return true;
}

}  // namespace actlog::bench
