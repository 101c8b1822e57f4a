// GET /healthz, /readyz, /metrics (handlers_health.cc) through the router.
#include <gtest/gtest.h>

#include <filesystem>

#include "server/fake_exchange.h"
#include "server/routes.h"

namespace actlog::server {
namespace {

namespace fs = std::filesystem;

class HealthRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("actlog_health_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    StoreOptions options;
    options.data_dir = dir_.string();
    StatusOr<std::unique_ptr<Store>> store = OpenRocksStore(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    ctx_.store = store_.get();
    ctx_.metrics = &metrics_;
    RegisterHealthRoutes(router_, ctx_);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  static Request Get(std::string path) {
    Request r;
    r.path = std::move(path);
    return r;
  }

  fs::path dir_;
  std::unique_ptr<Store> store_;
  Metrics metrics_;
  ServerContext ctx_;
  Router router_;
};

TEST_F(HealthRoutesTest, HealthzIsOkWithoutCredentials) {
  FakeExchange ex = RunThrough(router_, Get("/healthz"));
  EXPECT_EQ(ex.response().status, 200);
  EXPECT_EQ(ex.response().body, R"({"status":"ok"})");
}

TEST_F(HealthRoutesTest, ReadyzIsOkWhileTheStoreAnswers) {
  FakeExchange ex = RunThrough(router_, Get("/readyz"));
  EXPECT_EQ(ex.response().status, 200);
}

TEST_F(HealthRoutesTest, ReadyzIs503WhileShuttingDown) {
  FakeExchange ex = RunThrough(router_, Get("/readyz"), /*stopping=*/true);
  EXPECT_EQ(ex.response().status, 503);
  EXPECT_NE(ex.response().body.find("\"code\":\"unavailable\""), std::string::npos);
  bool retry_after = false;
  for (const auto& [name, value] : ex.response().headers) retry_after |= name == "Retry-After";
  EXPECT_TRUE(retry_after);
}

TEST_F(HealthRoutesTest, MetricsIsPrometheusText) {
  metrics_.GetCounter("actlog_test_total", "A test counter.")->Increment(2);
  FakeExchange ex = RunThrough(router_, Get("/metrics"));
  EXPECT_EQ(ex.response().status, 200);
  EXPECT_EQ(ex.response().content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(ex.response().body.find("\nactlog_test_total 2\n"), std::string::npos)
      << ex.response().body;
}

}  // namespace
}  // namespace actlog::server
