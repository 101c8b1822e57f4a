// Remote `actlog query` and `actlog export` over the HTTP API (cli_remote.h).
#include "cli/cli_remote.h"

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/event.h"
#include "actlog/json.h"
#include "cli/cli_common.h"
#include "cli/cli_format.h"
#include "cli/http_client.h"

namespace actlog::cli {
namespace {

// Every value given for `name` on `cmd` (none if absent).
std::vector<std::string> Values(CLI::App* cmd, const std::string& name) {
  CLI::Option* opt = cmd->get_option_no_throw(name);
  if (opt == nullptr || opt->count() == 0) return {};
  return opt->results();
}

std::string Value(CLI::App* cmd, const std::string& name, const std::string& fallback) {
  std::vector<std::string> v = Values(cmd, name);
  return v.empty() ? fallback : v.back();
}

// The table needs an Event; the API's event JSON has every field the table shows.
Event EventFromApiJson(const Json& j) {
  Event e;
  auto str = [](const Json* v) { return v && v->is_string() ? v->as_string() : std::string(); };
  e.org = str(j.Find("org"));
  e.code = str(j.Find("code"));
  e.id = str(j.Find("id"));
  if (StatusOr<int64_t> t = ParseTimestamp(str(j.Find("occurred_at"))); t.ok()) {
    e.occurred_at_us = *t;
  }
  if (const Json* a = j.Find("actor")) {
    e.actor.type = ParseActorType(str(a->Find("type"))).value_or(ActorType::kUser);
    e.actor.id = str(a->Find("id"));
    if (a->Find("name")) e.actor.name = str(a->Find("name"));
    if (a->Find("email")) e.actor.email = str(a->Find("email"));
  }
  if (const Json* t = j.Find("target"); t && t->is_object()) {
    e.target = Target{str(t->Find("type")), str(t->Find("id")), std::nullopt};
    if (t->Find("name")) e.target->name = str(t->Find("name"));
  }
  if (const Json* c = j.Find("context"); c && c->Find("ip")) e.context.ip = str(c->Find("ip"));
  e.outcome = ParseOutcome(str(j.Find("outcome"))).value_or(Outcome::kSuccess);
  return e;
}

int FailRemote(const std::string& message) {
  PrintError(message);
  return kExitUsage;
}

}  // namespace

std::string UrlEncode(const std::string& value) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':' || c == '*') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string RemoteFilterQuery(CLI::App* cmd, std::string* error) {
  static const std::pair<const char*, const char*> kParams[] = {
      {"--org", "org"},           {"--code", "code"},           {"--actor", "actor"},
      {"--actor-type", "actor_type"}, {"--actor-email", "actor_email"},
      {"--target-type", "target_type"}, {"--target-id", "target_id"}, {"--outcome", "outcome"},
      {"--from", "from"},         {"--to", "to"},               {"--text", "q"},
      {"--search", "search"},     {"--order", "order"}};
  std::string query;
  for (const auto& [flag, param] : kParams) {
    for (std::string value : Values(cmd, flag)) {
      if (std::string_view(param) == "from" || std::string_view(param) == "to") {
        StatusOr<int64_t> t = ParseTimeFlag(value);
        if (!t.ok()) {
          *error = std::string(flag) + ": " + t.status().message();
          return "";
        }
        value = FormatTimestamp(*t);
      }
      query += (query.empty() ? "?" : "&") + std::string(param) + "=" + UrlEncode(value);
    }
  }
  return query.empty() ? "?" : query;
}

int RunRemoteQuery(CLI::App* cmd, const RemoteOptions& remote) {
  StatusOr<HttpUrl> url = ParseHttpUrl(remote.server);
  if (!url.ok()) return FailWith(url.status());
  std::string error;
  std::string filters = RemoteFilterQuery(cmd, &error);
  if (!error.empty()) return FailRemote(error);
  StatusOr<Catalog> catalog = LoadCatalog(Value(cmd, "--catalog", ""), "open");
  if (!catalog.ok()) return FailWith(catalog.status());
  bool json = Value(cmd, "--format", "table") == "json";
  bool all = !Values(cmd, "--all").empty();
  std::string limit = Value(cmd, "--limit", "50");
  std::string cursor = Value(cmd, "--cursor", "");
  StatusOr<std::unique_ptr<Output>> out = Output::Open("");
  if (!out.ok()) return FailWith(out.status());

  HttpClient client(*url, remote.key);
  Table table(EventTableColumns());
  uint64_t count = 0;
  std::optional<std::string> next;
  if (json) (*out)->Write("{\"data\":[");
  for (;;) {
    std::string target = "/v1/events" + filters + "&limit=" + limit;
    if (!cursor.empty()) target += "&cursor=" + UrlEncode(cursor);
    StatusOr<HttpReply> reply = client.Request("GET", target);
    if (!reply.ok()) return FailWith(reply.status());
    if (reply->status != 200) return FailRemote(DescribeHttpError(*reply));
    StatusOr<Json> page = ParseJson(reply->body);
    const Json* data = page.ok() ? page->Find("data") : nullptr;
    if (!data || !data->is_array()) return FailRemote("the server's answer is not an event list");
    std::string chunk;
    for (const Json& e : data->as_array()) {
      if (json) {
        if (count > 0) chunk.push_back(',');
        AppendCanonicalJson(e, &chunk);
      } else {
        table.AddRow(EventTableRow(EventFromApiJson(e), *catalog));
      }
      ++count;
    }
    if (!json && !data->as_array().empty()) chunk = table.Flush();
    (*out)->Write(chunk);
    const Json* nc = page->Find("next_cursor");
    next = nc && nc->is_string() ? std::optional<std::string>(nc->as_string()) : std::nullopt;
    if (!all || !next) break;
    cursor = *next;
  }
  std::string tail;
  if (json) {
    tail = "],\"next_cursor\":";
    if (next) {
      AppendJsonString(*next, &tail);
    } else {
      tail += "null";
    }
    tail += "}\n";
  } else {
    if (count == 0) tail = "no events\n";
    if (next) tail += "more: --cursor " + *next + "\n";
  }
  (*out)->Write(tail);
  Status closed = (*out)->Close();
  return closed.ok() ? kExitOk : FailWith(closed);
}

int RunRemoteExport(CLI::App* cmd, const RemoteOptions& remote) {
  StatusOr<HttpUrl> url = ParseHttpUrl(remote.server);
  if (!url.ok()) return FailWith(url.status());
  std::string error;
  std::string filters = RemoteFilterQuery(cmd, &error);
  if (!error.empty()) return FailRemote(error);
  std::string target = "/v1/export" + filters + "&format=" + Value(cmd, "--format", "jsonl");
  StatusOr<std::unique_ptr<Output>> out = Output::Open(Value(cmd, "--output", ""));
  if (!out.ok()) return FailWith(out.status());
  HttpClient client(*url, remote.key);
  StatusOr<HttpReply> reply = client.Stream(target, {}, [&](std::string_view bytes) {
    (*out)->Write(bytes);
    return true;
  });
  Status closed = (*out)->Close();
  if (!reply.ok()) return FailWith(reply.status());  // a cut stream is an error, not a short file
  if (reply->status != 200) return FailRemote(DescribeHttpError(*reply));
  return closed.ok() ? kExitOk : FailWith(closed);
}

}  // namespace actlog::cli
