// ServerOptions: sources, precedence and validation (config.h).
#include "server/config.h"

#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "actlog/json.h"
#include "actlog/store.h"
#include "actlog/signed_note.h"
#include "integrity/checkpointer.h"

namespace actlog::server {
namespace {

Status ConfigError(std::string message) {
  return InvalidArgument("invalid_config", std::move(message));
}

// Every key a config file, the environment or a flag may set, by the field it sets.
using S = ServerOptions;
const std::pair<std::string_view, std::string S::*> kStringKeys[] = {
    {"listen", &S::listen},
    {"data", &S::data_dir},
    {"store", &S::store_url},
    {"catalog", &S::catalog_file},
    {"tls_cert", &S::tls_cert_file},
    {"tls_key", &S::tls_key_file},
    {"admin_key_file", &S::admin_key_file},
    {"log_level", &S::log_level},
    {"log_name", &S::log_name},
    {"checkpoint_key", &S::checkpoint_key_file},
};
const std::pair<std::string_view, uint32_t S::*> kUint32Keys[] = {
    {"max_header_bytes", &S::max_header_bytes},
    {"header_timeout_ms", &S::header_timeout_ms},
    {"body_timeout_ms", &S::body_timeout_ms},
    {"idle_timeout_ms", &S::idle_timeout_ms},
    {"write_timeout_ms", &S::write_timeout_ms},
    {"max_connections", &S::max_connections},
    {"io_threads", &S::io_threads},
    {"blocking_threads", &S::blocking_threads},
    {"ingest_queue_capacity", &S::ingest_queue_capacity},
    {"shutdown_grace_ms", &S::shutdown_grace_ms},
    {"checkpoint_interval_ms", &S::checkpoint_interval_ms},
};
const std::pair<std::string_view, uint64_t S::*> kUint64Keys[] = {
    {"max_body_bytes", &S::max_body_bytes},
    {"demo_events", &S::demo_events},
};
const std::pair<std::string_view, double S::*> kNumberKeys[] = {
    {"rate_limit_per_second", &S::rate_limit_per_second},
    {"rate_limit_burst", &S::rate_limit_burst},
};
constexpr std::string_view kOtherKeys[] = {"catalog_mode", "demo"};

template <typename Table>
auto FindIn(const Table& table, std::string_view key) -> decltype(&table[0]) {
  for (const auto& entry : table) {
    if (entry.first == key) return &entry;
  }
  return nullptr;
}

bool IsConfigKey(std::string_view key) {
  for (std::string_view k : kOtherKeys) {
    if (k == key) return true;
  }
  return FindIn(kStringKeys, key) || FindIn(kUint32Keys, key) || FindIn(kUint64Keys, key) ||
         FindIn(kNumberKeys, key);
}

std::vector<std::string_view> AllConfigKeys() {
  std::vector<std::string_view> keys(std::begin(kOtherKeys), std::end(kOtherKeys));
  for (const auto& e : kStringKeys) keys.push_back(e.first);
  for (const auto& e : kUint32Keys) keys.push_back(e.first);
  for (const auto& e : kUint64Keys) keys.push_back(e.first);
  for (const auto& e : kNumberKeys) keys.push_back(e.first);
  return keys;
}

std::string Normalize(std::string_view name) {
  std::string out(name);
  for (char& c : out) c = c == '-' ? '_' : c;
  return out;
}

StatusOr<uint64_t> ParseUint(std::string_view key, std::string_view text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return ConfigError(std::string(key) + " must be a whole number, got \"" + std::string(text) +
                       "\"");
  }
  return v;
}

StatusOr<bool> ParseBool(std::string_view key, std::string_view text) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off" || text.empty()) {
    return false;
  }
  return ConfigError(std::string(key) + " must be true or false, got \"" + std::string(text) +
                     "\"");
}

Status SetNumber(std::string_view key, std::string_view text, double* field) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v) ||
      v < 0) {
    return ConfigError(std::string(key) + " must be a number >= 0, got \"" + std::string(text) +
                       "\"");
  }
  *field = v;
  return Status::Ok();
}

template <typename T>
Status SetUint(std::string_view key, std::string_view text, T* field) {
  StatusOr<uint64_t> v = ParseUint(key, text);
  if (!v.ok()) return v.status();
  if (*v > std::numeric_limits<T>::max()) return ConfigError(std::string(key) + " is too large");
  *field = static_cast<T>(*v);
  return Status::Ok();
}

Status ApplyOne(const std::string& key, const std::string& value, ServerOptions* o) {
  if (auto* e = FindIn(kStringKeys, key)) {
    o->*(e->second) = value;
  } else if (auto* e = FindIn(kUint32Keys, key)) {
    return SetUint(key, value, &(o->*(e->second)));
  } else if (auto* e = FindIn(kUint64Keys, key)) {
    return SetUint(key, value, &(o->*(e->second)));
  } else if (auto* e = FindIn(kNumberKeys, key)) {
    return SetNumber(key, value, &(o->*(e->second)));
  } else if (key == "admin_key") {
    o->admin_key = value;
  } else if (key == "catalog_mode") {
    if (value != "strict" && value != "open") {
      return ConfigError("catalog_mode must be strict or open, got \"" + value + "\"");
    }
    o->catalog_mode = value == "open" ? CatalogMode::kOpen : CatalogMode::kStrict;
  } else if (key == "demo") {
    StatusOr<bool> b = ParseBool(key, value);
    if (!b.ok()) return b.status();
    o->demo = *b;
  } else if (key != "config") {  // "config" is read by BuildServerOptions
    return ConfigError("unknown configuration key \"" + key + "\"");
  }
  return Status::Ok();
}

std::string JsonValueText(const Json& v) {
  if (v.is_string()) return v.as_string();
  if (v.is_bool()) return v.as_bool() ? "true" : "false";
  return FormatJsonNumber(v.as_number());
}

// The nearest existing ancestor of `dir` must be a writable directory.
Status CheckDataDir(const std::string& dir) {
  namespace fs = std::filesystem;
  if (dir.empty()) return ConfigError("data directory is empty");
  std::error_code ec;
  fs::path p = fs::absolute(dir, ec);
  if (ec) return ConfigError("data directory " + dir + ": " + ec.message());
  while (!fs::exists(p, ec)) {
    if (!p.has_parent_path() || p.parent_path() == p) break;
    p = p.parent_path();
  }
  if (!fs::is_directory(p, ec)) {
    return ConfigError("data directory " + dir + ": " + p.string() + " is not a directory");
  }
  if (::access(p.c_str(), W_OK | X_OK) != 0) {
    return ConfigError("data directory " + dir + ": " + p.string() + " is not writable");
  }
  return Status::Ok();
}

Status CheckTlsPair(const std::string& cert, const std::string& key) {
  if (cert.empty() && key.empty()) return Status::Ok();
  if (cert.empty() || key.empty()) return ConfigError("TLS needs both tls_cert and tls_key");
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return ConfigError("cannot create a TLS context");
  Status st;
  if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1) {
    st = ConfigError("TLS certificate " + cert + " cannot be read as PEM");
  } else {
    EVP_PKEY* pkey = nullptr;
    if (FILE* f = std::fopen(key.c_str(), "rb")) {
      pkey = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
      std::fclose(f);
    }
    if (pkey == nullptr) {
      st = ConfigError("TLS key " + key + " cannot be read as a PEM private key");
    } else if (SSL_CTX_use_PrivateKey(ctx, pkey) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
      st = ConfigError("TLS key " + key + " does not match certificate " + cert);
    }
    EVP_PKEY_free(pkey);
  }
  SSL_CTX_free(ctx);
  return st;
}

// The log name must name a key; an existing key file must hold that log's signer key.
Status CheckCheckpointOptions(const ServerOptions& o) {
  if (!integrity::IsValidKeyName(o.log_name)) {
    return ConfigError("log_name \"" + o.log_name +
                       "\" cannot name a signing key (no spaces, no '+', not empty)");
  }
  if (o.checkpoint_interval_ms != 0 && o.checkpoint_interval_ms < 1000) {
    return ConfigError("checkpoint_interval_ms must be 0 (off) or at least 1000");
  }
  std::error_code ec;
  std::string key_file = CheckpointKeyFile(o);
  if (!std::filesystem::exists(key_file, ec)) return Status::Ok();  // created at start
  StatusOr<integrity::NoteSigner> key = integrity::LoadOrCreateCheckpointKey(key_file, o.log_name);
  if (!key.ok()) return ConfigError(key.status().message());
  return Status::Ok();
}

}  // namespace

std::string CheckpointKeyFile(const ServerOptions& options) {
  if (!options.checkpoint_key_file.empty()) return options.checkpoint_key_file;
  return options.data_dir + "/checkpoint.key";
}

StatusOr<ListenAddress> ParseListenAddress(std::string_view listen) {
  ListenAddress out;
  std::string_view port_text;
  if (!listen.empty() && listen.front() == '[') {
    size_t close = listen.find(']');
    if (close == std::string_view::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      return ConfigError("listen address must be [IPV6]:PORT, got " + std::string(listen));
    }
    out.host = std::string(listen.substr(1, close - 1));
    port_text = listen.substr(close + 2);
  } else {
    size_t colon = listen.rfind(':');
    if (colon == std::string_view::npos || listen.find(':') != colon) {
      return ConfigError("listen address must be HOST:PORT, got " + std::string(listen));
    }
    out.host = std::string(listen.substr(0, colon));
    port_text = listen.substr(colon + 1);
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (out.host.empty() || port_text.empty() || ec != std::errc() ||
      end != port_text.data() + port_text.size() || port > 65535) {
    return ConfigError("listen address must be HOST:PORT with a port 0-65535, got " +
                       std::string(listen));
  }
  out.port = static_cast<uint16_t>(port);
  return out;
}

StatusOr<ConfigValues> ReadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ConfigError("cannot read config file " + path);
  std::stringstream text;
  text << in.rdbuf();
  StatusOr<Json> json = ParseJson(text.str());
  if (!json.ok()) return ConfigError("config file " + path + ": " + json.status().message());
  if (!json->is_object()) return ConfigError("config file " + path + " must hold a JSON object");
  ConfigValues values;
  for (const auto& [name, value] : json->as_object()) {
    std::string key = Normalize(name);
    if (!IsConfigKey(key)) {
      return ConfigError("config file " + path + ": unknown key \"" + name + "\"");
    }
    if (!value.is_string() && !value.is_bool() && !value.is_number()) {
      return ConfigError("config file " + path + ": \"" + name +
                         "\" must be a string, number or boolean");
    }
    values[key] = JsonValueText(value);
  }
  return values;
}

ConfigValues ConfigFromEnvironment(const std::function<const char*(const char*)>& getenv) {
  ConfigValues values;
  auto read = [&](std::string_view key) {
    std::string name = "ACTLOG_";
    for (char c : key) name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (const char* v = getenv(name.c_str()); v != nullptr && *v != '\0') {
      values[std::string(key)] = v;
    }
  };
  for (std::string_view k : AllConfigKeys()) read(k);
  read("admin_key");
  read("config");
  return values;
}

Status ApplyConfig(const ConfigValues& values, ServerOptions* options) {
  for (const auto& [key, value] : values) ACTLOG_RETURN_IF_ERROR(ApplyOne(key, value, options));
  return Status::Ok();
}

StatusOr<ServerOptions> BuildServerOptions(const ConfigValues& environment,
                                           const ConfigValues& flags) {
  ServerOptions options;
  std::string file;
  if (auto it = environment.find("config"); it != environment.end()) file = it->second;
  if (auto it = flags.find("config"); it != flags.end()) file = it->second;
  if (!file.empty()) {
    StatusOr<ConfigValues> from_file = ReadConfigFile(file);
    if (!from_file.ok()) return from_file.status();
    ACTLOG_RETURN_IF_ERROR(ApplyConfig(*from_file, &options));
  }
  ACTLOG_RETURN_IF_ERROR(ApplyConfig(environment, &options));
  ACTLOG_RETURN_IF_ERROR(ApplyConfig(flags, &options));
  // A key file given as a flag beats a key in the environment.
  if (flags.count("admin_key_file") != 0) options.admin_key.reset();
  return options;
}

Status CheckServerOptions(const ServerOptions& o) {
  StatusOr<ListenAddress> address = ParseListenAddress(o.listen);
  if (!address.ok()) return address.status();
  const std::string& store = o.store_url;
  if (!store.empty() && store != "rocksdb:" && !IsPostgresUrl(store)) {
    return ConfigError("unsupported store \"" + store +
                       "\" (supported: rocksdb:, postgres://…, postgresql://…)");
  }
  ACTLOG_RETURN_IF_ERROR(CheckDataDir(o.data_dir));
  ACTLOG_RETURN_IF_ERROR(CheckTlsPair(o.tls_cert_file, o.tls_key_file));
  if (!o.catalog_file.empty()) {
    Catalog catalog = Catalog::BuiltIn(o.catalog_mode);
    Status st = catalog.LoadFile(o.catalog_file);
    if (!st.ok()) return ConfigError("catalog " + o.catalog_file + ": " + st.message());
  }
  if (o.log_level != "error" && o.log_level != "warn" && o.log_level != "info" &&
      o.log_level != "debug") {
    return ConfigError("log_level must be error, warn, info or debug, got \"" + o.log_level + "\"");
  }
  if (o.max_body_bytes < 1024) return ConfigError("max_body_bytes must be at least 1024");
  if (o.max_header_bytes < 1024) return ConfigError("max_header_bytes must be at least 1024");
  if (o.max_connections == 0) return ConfigError("max_connections must be at least 1");
  if (o.header_timeout_ms == 0 || o.idle_timeout_ms == 0 || o.body_timeout_ms == 0 ||
      o.write_timeout_ms == 0) {
    return ConfigError("timeouts must be at least 1 ms");
  }
  if (o.blocking_threads == 0) return ConfigError("blocking_threads must be at least 1");
  if (o.ingest_queue_capacity == 0) return ConfigError("ingest_queue_capacity must be at least 1");
  ACTLOG_RETURN_IF_ERROR(CheckCheckpointOptions(o));
  if (!o.admin_key_file.empty()) {
    StatusOr<std::optional<std::string>> key = SuppliedAdminKey(o);
    if (!key.ok()) return key.status();
  }
  return Status::Ok();
}

StatusOr<std::optional<std::string>> SuppliedAdminKey(const ServerOptions& options) {
  if (options.admin_key && !options.admin_key->empty()) return options.admin_key;
  if (options.admin_key_file.empty()) return std::optional<std::string>();
  std::ifstream in(options.admin_key_file, std::ios::binary);
  if (!in) return ConfigError("cannot read admin key file " + options.admin_key_file);
  std::stringstream text;
  text << in.rdbuf();
  std::string key = text.str();
  while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) key.pop_back();
  size_t start = 0;
  while (start < key.size() && std::isspace(static_cast<unsigned char>(key[start]))) ++start;
  key = key.substr(start);
  if (key.empty()) return ConfigError("admin key file " + options.admin_key_file + " is empty");
  return std::optional<std::string>(std::move(key));
}

}  // namespace actlog::server
