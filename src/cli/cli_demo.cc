// actlog demo: the deterministic demo log (GenerateDemo) as JSON Lines on stdout, ready
// for `actlog ingest`.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "actlog/demo.h"
#include "actlog/json.h"
#include "cli/cli_commands.h"
#include "cli/cli_common.h"

namespace actlog::cli {

namespace {

int RunDemoCommand(const DemoOptions& options) {
  StatusOr<std::unique_ptr<Output>> out = Output::Open("");
  if (!out.ok()) return FailWith(out.status());
  std::string chunk;
  GenerateDemo(options, [&](const Json& event) {
    AppendCanonicalJson(event, &chunk);
    chunk.push_back('\n');
    if (chunk.size() >= (1 << 16)) {
      (*out)->Write(chunk);
      chunk.clear();
    }
    return true;
  });
  (*out)->Write(chunk);
  Status closed = (*out)->Close();
  return closed.ok() ? kExitOk : FailWith(closed);
}

}  // namespace

Command RegisterDemoCommand(CLI::App* app) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* cmd = app->add_subcommand(
      "demo", "Print a realistic demo activity log as JSON Lines (pipe it to actlog ingest)");
  cmd->add_option("--org", options->org, "Organisation of the events")->capture_default_str();
  cmd->add_option("--events", options->events, "How many events")->capture_default_str();
  cmd->add_option("--seed", options->seed, "Same seed and size, same events")
      ->capture_default_str();
  return Command{cmd, [options] { return RunDemoCommand(*options); }};
}

}  // namespace actlog::cli
