// ServerOptions: everything `actlog serve` can be told, as one plain struct, and how it is
// gathered (DESIGN §9–10): defaults, then a JSON config file (--config FILE, the same
// keys as the flags), then the environment (ACTLOG_*), then command-line flags — later
// sources win. Validation (CheckServerOptions) runs before the server starts and is what
// `actlog serve --check-config` reports.
//
// Plain value types; thread-compatible. The server reads its options once at start.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/status.h"

namespace actlog::server {

struct ServerOptions {
  // Where to listen: "HOST:PORT" ("[::1]:8080" for IPv6). Port 0 picks a free port; the
  // server prints the real one ("listening on http://HOST:PORT").
  std::string listen = "127.0.0.1:8080";
  // Embedded store directory (created if missing).
  std::string data_dir = "./data";
  // Store URL: empty or "rocksdb:" = the embedded store in data_dir; "postgres://…" or
  // "postgresql://…" = the PostgreSQL store (data_dir still holds checkpoint.key).
  std::string store_url;
  // Extra catalog file (JSON, see catalog.h); empty = the built-in catalog only.
  std::string catalog_file;
  CatalogMode catalog_mode = CatalogMode::kStrict;
  // TLS: both or neither. PEM files.
  std::string tls_cert_file;
  std::string tls_key_file;
  // The admin key to register at first start (file holding the key); ACTLOG_ADMIN_KEY
  // gives the key itself. Neither: the first start creates one and prints it once.
  std::string admin_key_file;
  std::optional<std::string> admin_key;  // from ACTLOG_ADMIN_KEY; never logged
  std::string log_level = "info";        // error | warn | info | debug
  bool demo = false;                     // seed org_demo with demo events at start
  // Signed checkpoints (docs/INTEGRITY.md). The log's name: origins are
  // "<log_name>/<org>" and the signing key carries this name.
  std::string log_name = "actlog";
  // The signed-note signer key file; empty = <data_dir>/checkpoint.key. Created (mode
  // 0600) if missing. Servers sharing one store share the key by naming one file.
  std::string checkpoint_key_file;
  // How often the background signer looks for grown trees; 0 turns it off (checkpoints
  // are then signed only on request). At least 1000: one checkpoint a second at most.
  uint32_t checkpoint_interval_ms = 1000;
  uint64_t demo_events = 2000;

  // Limits and timeouts. Defaults suit one machine; each bounds memory or holding time.
  uint64_t max_body_bytes = (1u << 20) + 64 * 1024;  // 1 MiB batch + margin -> else 413
  uint32_t max_header_bytes = 16 * 1024;             // request line + headers
  uint32_t header_timeout_ms = 10'000;      // whole header must arrive within this (slow-loris)
  uint32_t body_timeout_ms = 30'000;        // body must arrive within this once headers are in
  uint32_t idle_timeout_ms = 60'000;        // keep-alive connection with no request
  uint32_t write_timeout_ms = 60'000;       // a response (or stream chunk) the client won't read
  uint32_t max_connections = 10'000;        // over it: 503 unavailable + Retry-After, close
  uint32_t io_threads = 0;                  // 0 = std::thread::hardware_concurrency()
  uint32_t blocking_threads = 64;           // store calls; many let group commit gather appends
  uint32_t ingest_queue_capacity = 50'000;  // in-flight ingest events; over it: 503
  uint32_t shutdown_grace_ms = 10'000;      // in-flight requests get this long at shutdown
  // Per-key rate limit (rate_limit.h): requests per second and burst; 0 turns it off.
  double rate_limit_per_second = 2000;
  double rate_limit_burst = 4000;
};

// Splits "HOST:PORT" / "[V6]:PORT". InvalidArgument "invalid_config" if malformed.
struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};
StatusOr<ListenAddress> ParseListenAddress(std::string_view listen);

// Configuration values by key, as one source gives them. Keys are the flag names with
// '_' for '-' ("listen", "data", "store", "catalog", "catalog_mode", "tls_cert",
// "tls_key", "admin_key_file", "log_level", "demo", "demo_events", "log_name",
// "checkpoint_key", "checkpoint_interval_ms", and the limits:
// "max_body_bytes", "max_connections", "header_timeout_ms", "idle_timeout_ms",
// "io_threads", "blocking_threads", "ingest_queue_capacity", "shutdown_grace_ms",
// "rate_limit_per_second", "rate_limit_burst", …;
// see the key tables in config.cc). "admin_key" only from the environment.
using ConfigValues = std::map<std::string, std::string>;

// A JSON object of those keys (string, number or boolean values; '-' or '_' in names).
// InvalidArgument "invalid_config" for unreadable files, bad JSON, unknown keys or
// values of the wrong type.
StatusOr<ConfigValues> ReadConfigFile(const std::string& path);

// ACTLOG_<KEY in upper case> for every key (ACTLOG_LISTEN, ACTLOG_DATA, ACTLOG_STORE,
// ACTLOG_ADMIN_KEY, …), plus ACTLOG_CONFIG (the config file) as "config". `getenv` is
// injected for tests.
ConfigValues ConfigFromEnvironment(const std::function<const char*(const char*)>& getenv);

// Applies `values` over `options`: InvalidArgument "invalid_config" naming the key for an
// unknown key or a value that does not parse.
Status ApplyConfig(const ConfigValues& values, ServerOptions* options);

// defaults <- file <- environment <- flags (later wins). The config file is flags'
// "config", else the environment's; none = no file.
StatusOr<ServerOptions> BuildServerOptions(const ConfigValues& environment,
                                           const ConfigValues& flags);

// Everything that can be checked before starting (what --check-config reports): listen
// address parses, the data directory exists or can be created, TLS files readable and a
// matching pair (both or neither), the catalog file loads, the store URL's scheme is
// supported, limits are sane, log level known. The first problem, as invalid_config.
Status CheckServerOptions(const ServerOptions& options);

// The checkpoint signing key file: checkpoint_key_file, else <data_dir>/checkpoint.key.
std::string CheckpointKeyFile(const ServerOptions& options);

// The admin key supplied by ACTLOG_ADMIN_KEY or read (trimmed) from admin_key_file;
// nullopt when neither is set.
StatusOr<std::optional<std::string>> SuppliedAdminKey(const ServerOptions& options);

}  // namespace actlog::server
