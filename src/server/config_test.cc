// ServerOptions sources, precedence and validation (config.h).
#include "server/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace actlog::server {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("actlog_config_test_" + std::to_string(::getpid()) + "_" + std::to_string(next_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string File(const std::string& name, const std::string& content) const {
    std::string p = (path_ / name).string();
    std::ofstream(p) << content;
    return p;
  }
  std::string path() const { return path_.string(); }

 private:
  static inline int next_ = 0;
  fs::path path_;
};

std::function<const char*(const char*)> Env(std::map<std::string, std::string> vars) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
  return [shared](const char* name) -> const char* {
    auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}

TEST(Config, ListenAddressForms) {
  StatusOr<ListenAddress> a = ParseListenAddress("127.0.0.1:0");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 0);
  StatusOr<ListenAddress> v6 = ParseListenAddress("[::1]:8080");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 8080);
  for (const char* bad : {"", "8080", ":8080", "host:", "host:65536", "host:-1", "host:80x",
                          "::1:80", "[::1]80", "[::1]:"}) {
    EXPECT_EQ(ParseListenAddress(bad).status().error_code(), "invalid_config") << bad;
  }
}

TEST(Config, DefaultsWithNoSources) {
  StatusOr<ServerOptions> o = BuildServerOptions({}, {});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->listen, "127.0.0.1:8080");
  EXPECT_EQ(o->data_dir, "./data");
  EXPECT_EQ(o->max_body_bytes, (1u << 20) + 64 * 1024);
}

TEST(Config, FlagsBeatEnvironmentBeatFile) {
  TempDir dir;
  std::string file = dir.File("c.json", R"({"listen":"0.0.0.0:1","data":"/file/data",
      "log-level":"debug","max_connections":5,"demo":true,"rate_limit_per_second":0.5})");
  ConfigValues env = ConfigFromEnvironment(
      Env({{"ACTLOG_CONFIG", file}, {"ACTLOG_LISTEN", "0.0.0.0:2"}, {"ACTLOG_DATA", "/env/data"}}));
  ConfigValues flags = {{"listen", "0.0.0.0:3"}};
  StatusOr<ServerOptions> o = BuildServerOptions(env, flags);
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->listen, "0.0.0.0:3");    // flag
  EXPECT_EQ(o->data_dir, "/env/data");  // environment over file
  EXPECT_EQ(o->log_level, "debug");     // file over default
  EXPECT_EQ(o->max_connections, 5u);
  EXPECT_TRUE(o->demo);
  EXPECT_EQ(o->rate_limit_per_second, 0.5);
}

TEST(Config, ConfigFlagBeatsConfigEnvironment) {
  TempDir dir;
  std::string a = dir.File("a.json", R"({"data":"/a"})");
  std::string b = dir.File("b.json", R"({"data":"/b"})");
  StatusOr<ServerOptions> o =
      BuildServerOptions(ConfigFromEnvironment(Env({{"ACTLOG_CONFIG", a}})), {{"config", b}});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->data_dir, "/b");
}

TEST(Config, AdminKeyFromEnvironmentUnlessFileFlagGiven) {
  TempDir dir;
  ConfigValues env = ConfigFromEnvironment(Env({{"ACTLOG_ADMIN_KEY", "actlog_admin_env"}}));
  StatusOr<ServerOptions> o = BuildServerOptions(env, {});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(SuppliedAdminKey(*o).value(), "actlog_admin_env");
  std::string key_file = dir.File("key", "  actlog_admin_file\n");
  StatusOr<ServerOptions> with_flag = BuildServerOptions(env, {{"admin_key_file", key_file}});
  ASSERT_TRUE(with_flag.ok());
  EXPECT_EQ(SuppliedAdminKey(*with_flag).value(), "actlog_admin_file");
  EXPECT_EQ(SuppliedAdminKey(ServerOptions{}).value(), std::nullopt);
}

TEST(Config, UnknownKeysAndBadValuesAreRejectedByName) {
  TempDir dir;
  std::string unknown = dir.File("u.json", R"({"listne":"x:1"})");
  Status st = BuildServerOptions({}, {{"config", unknown}}).status();
  EXPECT_EQ(st.error_code(), "invalid_config");
  EXPECT_NE(st.message().find("listne"), std::string::npos);
  std::string nested = dir.File("n.json", R"({"listen":{"host":"x"}})");
  EXPECT_FALSE(BuildServerOptions({}, {{"config", nested}}).ok());
  std::string not_json = dir.File("j.json", "listen = 1");
  EXPECT_FALSE(BuildServerOptions({}, {{"config", not_json}}).ok());
  EXPECT_FALSE(BuildServerOptions({}, {{"config", dir.path() + "/missing.json"}}).ok());
  Status bad_number = BuildServerOptions({}, {{"max_connections", "many"}}).status();
  EXPECT_NE(bad_number.message().find("max_connections"), std::string::npos);
  EXPECT_FALSE(BuildServerOptions({}, {{"catalog_mode", "lenient"}}).ok());
  EXPECT_FALSE(BuildServerOptions({}, {{"demo", "maybe"}}).ok());
  EXPECT_FALSE(BuildServerOptions({}, {{"io_threads", "99999999999"}}).ok());
  EXPECT_FALSE(BuildServerOptions({}, {{"rate_limit_per_second", "-1"}}).ok());
  EXPECT_FALSE(BuildServerOptions({}, {{"rate_limit_burst", "lots"}}).ok());
}

TEST(Config, CheckAcceptsAWorkingConfiguration) {
  TempDir dir;
  ServerOptions o;
  o.listen = "127.0.0.1:0";
  o.data_dir = dir.path() + "/not/yet/there";
  EXPECT_TRUE(CheckServerOptions(o).ok()) << CheckServerOptions(o).ToString();
}

TEST(Config, CheckRejectsEachProblemWithAReason) {
  TempDir dir;
  ServerOptions base;
  base.listen = "127.0.0.1:0";
  base.data_dir = dir.path();
  auto reason = [](const ServerOptions& o) {
    Status st = CheckServerOptions(o);
    EXPECT_EQ(st.error_code(), "invalid_config");
    return st.message();
  };
  ServerOptions o = base;
  o.listen = "nowhere";
  EXPECT_NE(reason(o).find("HOST:PORT"), std::string::npos);
  o = base;
  o.store_url = "postgres://localhost/actlog";
  EXPECT_TRUE(CheckServerOptions(o).ok()) << "the PostgreSQL store is supported";
  o.store_url = "postgresql://localhost/actlog";
  EXPECT_TRUE(CheckServerOptions(o).ok());
  o = base;
  o.store_url = "mysql://x";
  EXPECT_NE(reason(o).find("unsupported store"), std::string::npos);
  o = base;
  o.data_dir = dir.File("plain-file", "x") + "/sub";
  EXPECT_NE(reason(o).find("not a directory"), std::string::npos);
  o = base;
  o.tls_cert_file = dir.File("cert.pem", "not a certificate");
  EXPECT_NE(reason(o).find("both"), std::string::npos);
  o.tls_key_file = dir.File("key.pem", "not a key");
  EXPECT_NE(reason(o).find("PEM"), std::string::npos);
  o = base;
  o.catalog_file = dir.File("catalog.json", "{");
  EXPECT_NE(reason(o).find("catalog"), std::string::npos);
  o = base;
  o.log_level = "loud";
  EXPECT_NE(reason(o).find("log_level"), std::string::npos);
  o = base;
  o.max_connections = 0;
  EXPECT_NE(reason(o).find("max_connections"), std::string::npos);
  o = base;
  o.admin_key_file = dir.path() + "/no-such-key";
  EXPECT_NE(reason(o).find("admin key file"), std::string::npos);
}

TEST(Config, CheckpointSettingsAreValidatedBeforeStart) {
  TempDir dir;
  ServerOptions o;
  o.data_dir = dir.path();
  ASSERT_TRUE(ApplyConfig({{"log_name", "audit.example"},
                           {"checkpoint_key", dir.path() + "/shared.key"},
                           {"checkpoint_interval_ms", "2000"}},
                          &o)
                  .ok());
  EXPECT_EQ(CheckpointKeyFile(o), dir.path() + "/shared.key");
  EXPECT_TRUE(CheckServerOptions(o).ok()) << CheckServerOptions(o).ToString();
  ServerOptions defaults;
  defaults.data_dir = "/srv/actlog";
  EXPECT_EQ(CheckpointKeyFile(defaults), "/srv/actlog/checkpoint.key");

  auto reason = [](const ServerOptions& bad) { return CheckServerOptions(bad).message(); };
  ServerOptions bad = o;
  bad.log_name = "two words";
  EXPECT_NE(reason(bad).find("log_name"), std::string::npos);
  bad = o;
  bad.checkpoint_interval_ms = 10;
  EXPECT_NE(reason(bad).find("checkpoint_interval_ms"), std::string::npos);
  bad = o;
  bad.checkpoint_key_file = dir.File("bad.key", "PRIVATE+KEY+nope\n");
  EXPECT_NE(reason(bad).find("not a signed-note signer key"), std::string::npos);
}

}  // namespace
}  // namespace actlog::server
