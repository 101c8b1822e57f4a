#include <CLI/CLI.hpp>
#include <string>

#include "cli/cli_common.h"

namespace actlog::cli {

int RunCli(int argc, char** argv, const std::vector<CommandRegistrar>& commands) {
  CLI::App app{"actlog: a tamper-evident activity log", "actlog"};
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
    if (command.subcommand->parsed()) return command.run();
  }
  PrintError("no command given (see actlog --help)");
  return kExitUsage;
}

}  // namespace actlog::cli
