// The actlog subcommands, one registrar per file (see cli_common.h for the contract).
#pragma once

#include "cli/cli_common.h"

namespace actlog::cli {

Command RegisterIngestCommand(CLI::App* app);  // actlog ingest
Command RegisterQueryCommand(CLI::App* app);   // actlog query
Command RegisterExportCommand(CLI::App* app);  // actlog export
Command RegisterOrgsCommand(CLI::App* app);    // actlog orgs
Command RegisterDemoCommand(CLI::App* app);    // actlog demo
Command RegisterServeCommand(CLI::App* app);   // actlog serve
Command RegisterTailCommand(CLI::App* app);    // actlog tail (remote only)
Command RegisterVerifyCommand(CLI::App* app);  // actlog verify
Command RegisterWitnessCommand(CLI::App* app);  // actlog witness
Command RegisterSubjectsCommand(CLI::App* app);   // actlog subjects erase
Command RegisterRetentionCommand(CLI::App* app);  // actlog retention run

}  // namespace actlog::cli
