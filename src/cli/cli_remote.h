// The remote CLI: `actlog --server URL --key KEY ingest|query|export|tail` (or
// ACTLOG_SERVER / ACTLOG_KEY) does over the HTTP API what the local commands do on a
// data directory. Each runner reads the already-parsed flags of its subcommand by name
// (the same flags as the local command; --data is ignored) and returns an exit code
// with the local meaning: 0 ok, 1 some input rejected, 2 usage/connection/server error.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace actlog::cli {

struct RemoteOptions {
  std::string server;  // http://host:port[/base]
  std::string key;     // API key or viewer token
};

// One remote runner per command name that has a remote form.
using RemoteRunner = int (*)(CLI::App* subcommand, const RemoteOptions& remote);

int RunRemoteIngest(CLI::App* cmd, const RemoteOptions& remote);  // cli_remote_ingest.cc
int RunRemoteQuery(CLI::App* cmd, const RemoteOptions& remote);   // cli_remote.cc
int RunRemoteExport(CLI::App* cmd, const RemoteOptions& remote);  // cli_remote.cc
int RunRemoteTail(CLI::App* cmd, const RemoteOptions& remote);    // cli_tail.cc
int RunRemoteSubjects(CLI::App* cmd, const RemoteOptions& remote);  // cli_subjects.cc

// The query string of the shared filter flags (--org, --code…, --search, --order) of
// `cmd`, starting with '?'; --from/--to accept a bare date as locally.
std::string RemoteFilterQuery(CLI::App* cmd, std::string* error);
// Percent-encodes a query parameter value.
std::string UrlEncode(const std::string& value);

}  // namespace actlog::cli
