// The actlog binary: one registry line per command, each command in its own file.
#include <vector>

#include "cli/cli_commands.h"
#include "cli/cli_common.h"

int main(int argc, char** argv) {
  using namespace actlog::cli;
  const std::vector<CommandRegistrar> commands = {
      RegisterIngestCommand,  // cli_ingest.cc
      RegisterQueryCommand,   // cli_query.cc
      RegisterExportCommand,  // cli_export.cc
      RegisterOrgsCommand,    // cli_orgs.cc
      RegisterDemoCommand,    // cli_demo.cc
      RegisterServeCommand,   // cli_serve.cc
  };
  return RunCli(argc, argv, commands);
}
