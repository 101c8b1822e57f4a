#include <CLI/CLI.hpp>
#include <cstdlib>
#include <string>

#include "cli/cli_common.h"

namespace actlog::cli {

int RunCli(int argc, char** argv, const std::vector<CommandRegistrar>& commands,
           const std::vector<std::pair<std::string, RemoteRunner>>& remote) {
  CLI::App app{"actlog: a tamper-evident activity log", "actlog"};
  RemoteOptions remote_options;
  if (!remote.empty()) {
    app.add_option("--server", remote_options.server,
                   "Run ingest/query/export/tail against this actlog server (http://HOST:PORT)")
        ->envname("ACTLOG_SERVER");
    app.add_option("--key", remote_options.key, "API key or viewer token for --server")
        ->envname("ACTLOG_KEY");
  }
  app.set_version_flag("--version", "actlog " + std::string(kVersion));
  app.require_subcommand(1);
  app.fallthrough(false);
  std::vector<Command> registered;
  for (CommandRegistrar registrar : commands) registered.push_back(registrar(&app));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  for (const Command& command : registered) {
    if (!command.subcommand->parsed()) continue;
    if (remote_options.server.empty()) return command.run();
    for (const auto& [name, runner] : remote) {
      if (name == command.subcommand->get_name()) return runner(command.subcommand, remote_options);
    }
    // ACTLOG_SERVER in the environment must not stop local-only commands (serve, demo…);
    // an explicit --server for them is a mistake worth saying.
    const char* env = std::getenv("ACTLOG_SERVER");
    if (env != nullptr && remote_options.server == env) return command.run();
    PrintError("actlog " + command.subcommand->get_name() + " does not run against --server");
    return kExitUsage;
  }
  PrintError("no command given (see actlog --help)");
  return kExitUsage;
}

}  // namespace actlog::cli
