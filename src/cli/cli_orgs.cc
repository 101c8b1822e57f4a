// actlog orgs: the organisations in the store with their event counts.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "actlog/event.h"
#include "actlog/json.h"
#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "cli/cli_format.h"

namespace actlog::cli {

namespace {

struct OrgsFlags {
  std::string data_dir = "./data";
  std::string store_url;
  std::string format = "table";
};

std::string CreatedAt(const OrgInfo& org) {
  return org.created_at_us >= 0 ? FormatTimestamp(org.created_at_us) : "";
}

std::string RenderJson(const std::vector<OrgInfo>& orgs) {
  Json::Array data;
  for (const OrgInfo& org : orgs) {
    Json item = Json::MakeObject();
    item.Set("org", Json::String(org.org));
    item.Set("event_count", Json::Number(static_cast<double>(org.event_count)));
    item.Set("created_at", org.created_at_us >= 0 ? Json::String(CreatedAt(org)) : Json());
    data.push_back(std::move(item));
  }
  Json body = Json::MakeObject();
  body.Set("data", Json::MakeArray(std::move(data)));
  return CanonicalJson(body) + "\n";
}

std::string RenderTable(const std::vector<OrgInfo>& orgs) {
  Table table({{"ORG", 64}, {"EVENTS", 20}, {"CREATED", 32}});
  for (const OrgInfo& org : orgs) {
    table.AddRow({org.org, std::to_string(org.event_count), CreatedAt(org)});
  }
  std::string text = table.Flush();
  if (orgs.empty()) text += "no organisations\n";
  return text;
}

int RunOrgsCommand(const OrgsFlags& flags) {
  StatusOr<std::unique_ptr<Store>> store = OpenExistingStore(flags.data_dir, flags.store_url);
  if (!store.ok()) return FailWith(store.status());
  StatusOr<std::vector<OrgInfo>> orgs = (*store)->ListOrgs();
  if (!orgs.ok()) return FailWith(orgs.status());
  StatusOr<std::unique_ptr<Output>> out = Output::Open("");
  if (!out.ok()) return FailWith(out.status());
  (*out)->Write(flags.format == "json" ? RenderJson(*orgs) : RenderTable(*orgs));
  Status closed = (*out)->Close();
  return closed.ok() ? kExitOk : FailWith(closed);
}

}  // namespace

Command RegisterOrgsCommand(CLI::App* app) {
  auto flags = std::make_shared<OrgsFlags>();
  CLI::App* cmd = app->add_subcommand("orgs", "List organisations with their event counts");
  cmd->add_option("--data", flags->data_dir, "Data directory")->capture_default_str();
  AddStoreFlag(cmd, &flags->store_url);
  cmd->add_option("--format", flags->format, "table or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json"}));
  return Command{cmd, [flags] { return RunOrgsCommand(*flags); }};
}

}  // namespace actlog::cli
