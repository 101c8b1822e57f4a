// actlog serve: the HTTP API (DESIGN §9–10). Options come from defaults, a JSON config
// file, ACTLOG_* environment variables and flags (flags win; see server/config.h), are
// checked before anything starts, and `--check-config` stops right after that check.
//
// Stdout carries exactly what people and scripts read: the admin key when one is created
// (once, at first start), "listening on http://HOST:PORT" once the socket is bound (the
// real port for port 0; flushed, so a harness can read it), and with --demo how to try
// it. Logs go to stderr.
#include <CLI/CLI.hpp>
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "server/admin_log.h"
#include "server/auth.h"
#include "server/config.h"
#include "server/server.h"
#include "server/viewer_token.h"

namespace actlog::cli {
namespace {

// Flags as typed; only those given on the command line become config values.
struct ServeFlags {
  std::vector<std::pair<std::string, CLI::Option*>> options;
  std::vector<std::pair<std::string, std::shared_ptr<std::string>>> values;
  bool demo = false;
  CLI::Option* demo_flag = nullptr;
  bool check_config = false;
};

void AddValue(CLI::App* cmd, ServeFlags* flags, const std::string& flag, const std::string& key,
              const std::string& help) {
  auto value = std::make_shared<std::string>();
  CLI::Option* opt = cmd->add_option(flag, *value, help);
  flags->options.emplace_back(key, opt);
  flags->values.emplace_back(key, value);
}

void PrintLine(const std::string& line) {
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

// The Activity Log page of org_demo, opened with a viewer token valid for a day. The
// token rides in the URL fragment, which browsers never send to a server (docs/WEB.md).
// Minting it is logged in org_demo like any viewer token (actlog.viewer_token:created).
std::string DemoViewerUrl(server::Server& server, const std::string& url) {
  server::ServerContext& ctx = server.context();
  if (ctx.key_ring == nullptr || ctx.admin_log == nullptr) return url + "/";
  StatusOr<server::ViewerTokenGrant> grant = ctx.key_ring->viewer_tokens().Mint(
      "org_demo", std::nullopt, server::ViewerTokens::kMaxTtlSeconds);
  if (!grant.ok()) return url + "/ (no viewer token: " + grant.status().message() + ")";
  server::Principal by{server::PrincipalKind::kAdmin, std::nullopt, std::nullopt, "serve_demo"};
  StatusOr<AppendResult> logged =
      ctx.admin_log->ViewerTokenCreated(by, "org_demo", std::nullopt, grant->expires_at_us);
  if (!logged.ok()) return url + "/ (no viewer token: " + logged.status().message() + ")";
  return url + "/#token=" + grant->token;
}

void PrintDemoHelp(server::Server& server, const std::string& url, uint64_t seeded) {
  if (seeded > 0) PrintLine("demo: seeded org_demo with " + std::to_string(seeded) + " events");
  std::string key = server.created_admin_key() ? *server.created_admin_key()
                                               : "<the admin key printed at first start>";
  PrintLine("try: curl -H 'Authorization: Bearer " + key + "' '" + url +
            "/v1/events?org=org_demo&limit=5'");
  PrintLine("web page: " + DemoViewerUrl(server, url));
}

int RunServe(const ServeFlags& flags) {
  // Each of the server's many request threads (blocking_threads) would get a glibc malloc
  // arena of its own and keep its freed memory; two arenas bound resident memory (RSS
  // after a 100,000-event batch ingest: 419 -> 287 MiB, same CPU; docs/BENCHMARKS.md).
  // MALLOC_ARENA_MAX in the environment still decides when set.
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
  server::ConfigValues flag_values;
  for (size_t i = 0; i < flags.options.size(); ++i) {
    if (flags.options[i].second->count() > 0) {
      flag_values[flags.options[i].first] = *flags.values[i].second;
    }
  }
  if (flags.demo_flag->count() > 0) flag_values["demo"] = "true";
  server::ConfigValues env = server::ConfigFromEnvironment(
      [](const char* name) -> const char* { return std::getenv(name); });
  StatusOr<server::ServerOptions> options = server::BuildServerOptions(env, flag_values);
  if (!options.ok()) return FailWith(options.status());
  Status checked = server::CheckServerOptions(*options);
  if (!checked.ok()) return FailWith(checked);
  if (flags.check_config) {
    PrintLine("config ok");
    return kExitOk;
  }
  StatusOr<std::unique_ptr<server::Server>> server = server::Server::Create(*options);
  if (!server.ok()) return FailWith(server.status());
  server::Server& s = **server;
  uint64_t seeded = 0;
  if (options->demo) {
    StatusOr<uint64_t> n = s.SeedDemo("org_demo", options->demo_events);
    if (!n.ok()) return FailWith(n.status());
    seeded = *n;
  }
  if (s.created_admin_key()) PrintLine("admin key: " + *s.created_admin_key());
  Status started = s.Start();
  if (!started.ok()) return FailWith(started);
  PrintLine("listening on " + s.url());
  if (options->demo) PrintDemoHelp(s, s.url(), seeded);
  s.WaitForStopRequest();
  std::fprintf(stderr, "shutting down\n");
  Status stopped = s.Shutdown();
  if (!stopped.ok()) return FailWith(stopped);
  return kExitOk;
}

}  // namespace

Command RegisterServeCommand(CLI::App* app) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* cmd = app->add_subcommand("serve", "Run the HTTP API server");
  AddValue(cmd, flags.get(), "--listen", "listen", "HOST:PORT to listen on (port 0: any free)");
  AddValue(cmd, flags.get(), "--data", "data", "Embedded store directory (created if missing)");
  AddValue(cmd, flags.get(), "--store", "store",
           "Store URL: postgres://… or postgresql://… for the PostgreSQL store; rocksdb: "
           "(the default) for the embedded store in --data");
  AddValue(cmd, flags.get(), "--catalog", "catalog", "Extra event-type catalog file (JSON)");
  AddValue(cmd, flags.get(), "--catalog-mode", "catalog_mode", "strict or open");
  AddValue(cmd, flags.get(), "--tls-cert", "tls_cert", "TLS certificate chain (PEM)");
  AddValue(cmd, flags.get(), "--tls-key", "tls_key", "TLS private key (PEM)");
  AddValue(cmd, flags.get(), "--admin-key-file", "admin_key_file",
           "File holding the admin key to register at first start");
  AddValue(cmd, flags.get(), "--config", "config", "JSON config file (same keys as the flags)");
  AddValue(cmd, flags.get(), "--log-level", "log_level", "error, warn, info or debug");
  AddValue(cmd, flags.get(), "--log-name", "log_name",
           "Name of the log: checkpoint origins are <log name>/<org> (default actlog)");
  AddValue(cmd, flags.get(), "--checkpoint-key", "checkpoint_key",
           "Checkpoint signing key file (default <data>/checkpoint.key, created if missing)");
  AddValue(cmd, flags.get(), "--checkpoint-interval-ms", "checkpoint_interval_ms",
           "How often to sign checkpoints of grown trees (>= 1000; 0 = only on request)");
  AddValue(cmd, flags.get(), "--max-connections", "max_connections", "Open connections at most");
  AddValue(cmd, flags.get(), "--io-threads", "io_threads", "I/O threads (0 = one per core)");
  AddValue(cmd, flags.get(), "--rate-limit", "rate_limit_per_second",
           "Requests per second per key (0 = no limit)");
  flags->demo_flag = cmd->add_flag("--demo", flags->demo, "Seed org_demo with demo events");
  AddValue(cmd, flags.get(), "--demo-events", "demo_events", "How many demo events to seed");
  cmd->add_flag("--check-config", flags->check_config,
                "Validate the configuration, then exit 0 (ok) or 2 (with the reason)");
  return Command{cmd, [flags] { return RunServe(*flags); }};
}

}  // namespace actlog::cli
