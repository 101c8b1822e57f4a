// The actlog binary: one registry line per command, each command in its own file.
#include <vector>

#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "cli/cli_integrity.h"
#include "cli/cli_remote.h"

int main(int argc, char** argv) {
  using namespace actlog::cli;
  const std::vector<CommandRegistrar> commands = {
      RegisterIngestCommand,  // cli_ingest.cc
      RegisterQueryCommand,   // cli_query.cc
      RegisterExportCommand,  // cli_export.cc
      RegisterOrgsCommand,    // cli_orgs.cc
      RegisterDemoCommand,    // cli_demo.cc
      RegisterServeCommand,   // cli_serve.cc
      RegisterTailCommand,    // cli_tail.cc
      RegisterVerifyCommand,  // cli_verify.cc
      RegisterWitnessCommand,  // cli_witness.cc
      RegisterSubjectsCommand,   // cli_subjects.cc
      RegisterRetentionCommand,  // cli_retention.cc
  };
  // With --server (or ACTLOG_SERVER) these run against the HTTP API instead.
  const std::vector<std::pair<std::string, RemoteRunner>> remote = {
      {"ingest", RunRemoteIngest},  // cli_remote_ingest.cc
      {"query", RunRemoteQuery},    // cli_remote.cc
      {"export", RunRemoteExportOrBundle},  // cli_remote.cc; --bundle: cli_export_bundle.cc
      {"tail", RunRemoteTail},      // cli_tail.cc
      {"subjects", RunRemoteSubjects},  // cli_subjects.cc
  };
  return RunCli(argc, argv, commands, remote);
}
