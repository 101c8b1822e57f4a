// Shared pieces of the actlog command-line tool: how a command registers itself, exit
// codes, opening the store and catalog from flags, the query filter flags that `query`
// and `export` share, and a checked output sink.
//
// Each command lives in its own file (cli_ingest.cc, cli_query.cc, ...) and exposes one
// CommandRegistrar; main.cc lists them. Commands run on the main thread; nothing here is
// shared between threads unless a comment says so.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/query.h"
#include "actlog/status.h"
#include "actlog/store.h"
#include "cli/cli_remote.h"

namespace CLI {
class App;
}

namespace actlog::cli {

inline constexpr std::string_view kVersion = "0.1.0";

// Process exit codes, the contract scripts rely on.
inline constexpr int kExitOk = 0;        // everything succeeded
inline constexpr int kExitRejected = 1;  // ran to the end, but some input was rejected
inline constexpr int kExitUsage = 2;     // bad usage, unreadable input, store or IO error

// Runs a command after its flags were parsed; returns the process exit code.
using CommandRun = std::function<int()>;
// A registered subcommand and what runs it; `run` is called only if that subcommand was
// the one given on the command line.
struct Command {
  CLI::App* subcommand = nullptr;
  CommandRun run;
};
// Adds one subcommand (with its flags and --help) to `app`.
using CommandRegistrar = Command (*)(CLI::App* app);

// Parses argv against the given commands and runs the chosen one. Help and --version
// exit 0, usage errors exit kExitUsage. The global options --server URL and --key KEY
// (env ACTLOG_SERVER, ACTLOG_KEY) select the remote form of a command listed in
// `remote` (by subcommand name); a command without one refuses --server.
int RunCli(int argc, char** argv, const std::vector<CommandRegistrar>& commands,
           const std::vector<std::pair<std::string, RemoteRunner>>& remote = {});

// "actlog: <message>" on stderr.
void PrintError(std::string_view message);
// Prints `status` and returns kExitUsage, for the common "give up" path.
int FailWith(const Status& status);

// Opens the store: the PostgreSQL store when `store_url` is a postgres:// or
// postgresql:// URL, else the embedded store in `data_dir`, which must exist already
// (reading commands must not create an empty store by a typo): NotFound "no_data_dir"
// otherwise.
// `catalog` (not owned, may be null = built-in) says which values are personal, so that
// reads open the ones a catalog file adds (docs/PRIVACY.md).
StatusOr<std::unique_ptr<Store>> OpenExistingStore(const std::string& data_dir,
                                                   const std::string& store_url = "",
                                                   const Catalog* catalog = nullptr);

// Adds --store URL to `cmd` (the PostgreSQL store; default: the embedded store in --data).
void AddStoreFlag(CLI::App* cmd, std::string* store_url);

// The built-in catalog plus `file` (if not empty), in mode "strict" or "open".
StatusOr<Catalog> LoadCatalog(const std::string& file, const std::string& mode);

// RFC 3339 time, or a bare date YYYY-MM-DD meaning 00:00:00Z that day.
StatusOr<int64_t> ParseTimeFlag(std::string_view text);

// The filter flags of `query` and `export` (DESIGN §5), as typed.
struct QueryFlags {
  std::string org;
  std::vector<std::string> codes;
  std::string actor;
  std::string actor_type;
  std::string actor_email;
  std::string target_type;
  std::string target_id;
  std::string outcome;
  std::string from;
  std::string to;
  std::string text;
  std::string search;
  std::string order;
};

// Adds --org (required) and every filter flag to `cmd`; `flags` must outlive parsing.
void AddQueryFlags(CLI::App* cmd, QueryFlags* flags, Order default_order);

// Builds and validates the store query; `limit` and `cursor` as given.
StatusOr<EventQuery> BuildQuery(const QueryFlags& flags, int limit, const std::string& cursor);

// Buffered output to stdout or a file that remembers the first write error.
class Output {
 public:
  // `path` empty or "-" means stdout.
  static StatusOr<std::unique_ptr<Output>> Open(const std::string& path);
  ~Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  void Write(std::string_view bytes);
  // Flushes, closes a file, and reports any write error seen.
  Status Close();

 private:
  Output(std::FILE* file, bool owned, std::string name);
  std::FILE* file_;
  bool owned_;
  std::string name_;
  bool failed_ = false;
};

}  // namespace actlog::cli
