// Server wiring end to end on port 0 with a temporary data directory: admin key at first
// start, health and metrics routes, demo seeding, TLS, restart (server.h).
#include "server/server.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <filesystem>

#include "server/raw_http_client.h"

namespace actlog::server {
namespace {

namespace fs = std::filesystem;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("actlog_server_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  ServerOptions Options() const {
    ServerOptions o;
    o.listen = "127.0.0.1:0";
    o.data_dir = (dir_ / "data").string();
    o.log_level = "warn";
    return o;
  }
  static std::string Call(uint16_t port, const std::string& method, const std::string& path,
                          const std::string& key = "", bool tls = false) {
    RawClient c(port, tls);
    if (!c.connected()) return "";
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: t\r\n";
    if (!key.empty()) req += "Authorization: Bearer " + key + "\r\n";
    c.Send(req + "\r\n");
    return c.ReadResponse();
  }
  // A self-signed P-256 certificate and its key, as PEM files.
  void WriteCertificate(const std::string& cert_path, const std::string& key_path) {
    EVP_PKEY* pkey = EVP_EC_gen("P-256");
    ASSERT_NE(pkey, nullptr);
    X509* x = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, pkey);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509_sign(x, pkey, EVP_sha256());
    FILE* f = std::fopen(cert_path.c_str(), "wb");
    PEM_write_X509(f, x);
    std::fclose(f);
    f = std::fopen(key_path.c_str(), "wb");
    PEM_write_PrivateKey(f, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
    X509_free(x);
    EVP_PKEY_free(pkey);
  }

  fs::path dir_;
};

TEST_F(ServerTest, FirstStartCreatesAnAdminKeyThatWorksAndOnlyOnce) {
  std::string key;
  {
    StatusOr<std::unique_ptr<Server>> server = Server::Create(Options());
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    ASSERT_TRUE((*server)->created_admin_key().has_value());
    key = *(*server)->created_admin_key();
    EXPECT_EQ(key.rfind("actlog_admin_", 0), 0u);
    ASSERT_TRUE((*server)->Start().ok());
    uint16_t port = (*server)->port();
    EXPECT_NE(port, 0);
    EXPECT_EQ((*server)->url(), "http://127.0.0.1:" + std::to_string(port));
    EXPECT_EQ(Call(port, "GET", "/v1/keys", key).rfind("HTTP/1.1 200", 0), 0u);
    EXPECT_EQ(Call(port, "GET", "/v1/keys").rfind("HTTP/1.1 401", 0), 0u);
    EXPECT_EQ(Call(port, "GET", "/v1/keys", "actlog_admin_wrong").rfind("HTTP/1.1 401", 0), 0u);
    EXPECT_TRUE((*server)->Shutdown().ok());
  }
  // Restart on the same data: no new key, the old one still works.
  StatusOr<std::unique_ptr<Server>> again = Server::Create(Options());
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE((*again)->created_admin_key().has_value());
  ASSERT_TRUE((*again)->Start().ok());
  EXPECT_EQ(Call((*again)->port(), "GET", "/v1/keys", key).rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(ServerTest, SuppliedAdminKeyIsRegisteredInsteadOfCreatingOne) {
  ServerOptions o = Options();
  o.admin_key = "actlog_admin_" + std::string(43, 'A');
  StatusOr<std::unique_ptr<Server>> server = Server::Create(o);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  EXPECT_FALSE((*server)->created_admin_key().has_value());
  ASSERT_TRUE((*server)->Start().ok());
  EXPECT_EQ(Call((*server)->port(), "GET", "/v1/keys", *o.admin_key).rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(ServerTest, HealthReadinessAndMetricsArePublic) {
  StatusOr<std::unique_ptr<Server>> server = Server::Create(Options());
  ASSERT_TRUE(server.ok());
  ASSERT_TRUE((*server)->Start().ok());
  uint16_t port = (*server)->port();
  std::string health = Call(port, "GET", "/healthz");
  EXPECT_EQ(health.rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_NE(health.find(R"({"status":"ok"})"), std::string::npos);
  EXPECT_EQ(Call(port, "GET", "/readyz").rfind("HTTP/1.1 200", 0), 0u);
  std::string metrics = Call(port, "GET", "/metrics");
  EXPECT_NE(metrics.find("Content-Type: text/plain; version=0.0.4"), std::string::npos);
  for (const char* name :
       {"actlog_events_ingested_total", "actlog_fsync_total", "actlog_requests_per_fsync",
        "actlog_store_size_bytes", "actlog_ingest_queue_depth", "actlog_fsync_average_seconds"}) {
    EXPECT_NE(metrics.find(std::string("\n") + name + " "), std::string::npos) << name;
  }
  EXPECT_EQ(Call(port, "POST", "/healthz").rfind("HTTP/1.1 405", 0), 0u);
}

TEST_F(ServerTest, DemoSeedsOnceAndCountsShowInMetrics) {
  StatusOr<std::unique_ptr<Server>> server = Server::Create(Options());
  ASSERT_TRUE(server.ok());
  StatusOr<uint64_t> seeded = (*server)->SeedDemo("org_demo", 120);
  ASSERT_TRUE(seeded.ok()) << seeded.status().ToString();
  EXPECT_EQ(*seeded, 120u);
  EXPECT_EQ((*server)->SeedDemo("org_demo", 120).value(), 0u);
  StatusOr<OrgInfo> org = (*server)->context().store->GetOrg("org_demo");
  ASSERT_TRUE(org.ok());
  EXPECT_EQ(org->event_count, 120u);
  ASSERT_TRUE((*server)->Start().ok());
  std::string metrics = Call((*server)->port(), "GET", "/metrics");
  EXPECT_NE(metrics.find("\nactlog_events_ingested_total 120\n"), std::string::npos) << metrics;
}

TEST_F(ServerTest, ServesHttpsWithACertificateAndKey) {
  ServerOptions o = Options();
  o.tls_cert_file = (dir_ / "cert.pem").string();
  o.tls_key_file = (dir_ / "key.pem").string();
  WriteCertificate(o.tls_cert_file, o.tls_key_file);
  ASSERT_TRUE(CheckServerOptions(o).ok()) << CheckServerOptions(o).ToString();
  StatusOr<std::unique_ptr<Server>> server = Server::Create(o);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  ASSERT_TRUE((*server)->Start().ok());
  EXPECT_EQ((*server)->url().rfind("https://", 0), 0u);
  std::string r = Call((*server)->port(), "GET", "/healthz", "", /*tls=*/true);
  EXPECT_EQ(r.rfind("HTTP/1.1 200", 0), 0u) << r;
  // Plain HTTP to the TLS port gets no HTTP answer.
  EXPECT_EQ(Call((*server)->port(), "GET", "/healthz").find("HTTP/1.1 200"), std::string::npos);
}

TEST_F(ServerTest, MismatchedTlsPairFailsToCreate) {
  ServerOptions o = Options();
  o.tls_cert_file = (dir_ / "cert.pem").string();
  o.tls_key_file = (dir_ / "key.pem").string();
  WriteCertificate(o.tls_cert_file, (dir_ / "unused.pem").string());
  WriteCertificate((dir_ / "other.pem").string(), o.tls_key_file);
  EXPECT_EQ(CheckServerOptions(o).error_code(), "invalid_config");
  EXPECT_FALSE(Server::Create(o).ok());
}

TEST_F(ServerTest, UnsupportedStoreUrlFailsToCreate) {
  ServerOptions o = Options();
  o.store_url = "mysql://localhost/actlog";
  StatusOr<std::unique_ptr<Server>> server = Server::Create(o);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().error_code(), "invalid_store_url");
}

TEST_F(ServerTest, UnreachablePostgresFailsToCreateAsUnavailable) {
  ServerOptions o = Options();
  o.store_url = "postgresql://actlog@127.0.0.1:1/actlog";  // nothing listens on port 1
  StatusOr<std::unique_ptr<Server>> server = Server::Create(o);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), StatusCode::kUnavailable) << server.status().ToString();
}

}  // namespace
}  // namespace actlog::server
