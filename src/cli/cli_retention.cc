// actlog retention run --data DIR: one pass of the retention job (privacy/retention.h)
// over a data directory, for deployments that run no server; `actlog serve` runs the
// same pass at start and hourly. Prints one JSON line per org with retention_days.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "actlog/clock.h"
#include "actlog/json.h"
#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "privacy/retention.h"

namespace actlog::cli {
namespace {

struct RetentionFlags {
  std::string data_dir = "./data";
  std::string store_url;
};

int RunRetentionCommand(const RetentionFlags& flags) {
  StatusOr<std::unique_ptr<Store>> store = OpenExistingStore(flags.data_dir, flags.store_url);
  if (!store.ok()) return FailWith(store.status());
  StatusOr<std::vector<privacy::RetentionRun>> runs =
      privacy::RunRetention(**store, *SystemClock::Default(), Catalog::BuiltIn());
  if (!runs.ok()) return FailWith(runs.status());
  StatusOr<std::unique_ptr<Output>> out = Output::Open("");
  if (!out.ok()) return FailWith(out.status());
  for (const privacy::RetentionRun& run : *runs) {
    Json line = Json::MakeObject({
        {"org", Json::String(run.org)},
        {"retention_days", Json::Number(static_cast<double>(run.retention_days))},
        {"cutoff", Json::String(FormatTimestamp(run.cutoff_us))},
        {"events_removed", Json::Number(static_cast<double>(run.result.events_removed))},
        {"first_kept_seq", Json::Number(static_cast<double>(run.result.first_kept_seq))},
    });
    (*out)->Write(CanonicalJson(line) + "\n");
  }
  Status closed = (*out)->Close();
  return closed.ok() ? kExitOk : FailWith(closed);
}

}  // namespace

Command RegisterRetentionCommand(CLI::App* app) {
  auto flags = std::make_shared<RetentionFlags>();
  CLI::App* cmd = app->add_subcommand("retention", "Retention of old events");
  cmd->require_subcommand(1);
  CLI::App* run = cmd->add_subcommand(
      "run", "Remove events older than each org's retention_days (logged in the org)");
  run->add_option("--data", flags->data_dir, "Data directory")->capture_default_str();
  AddStoreFlag(run, &flags->store_url);
  return Command{cmd, [flags] { return RunRetentionCommand(*flags); }};
}

}  // namespace actlog::cli
