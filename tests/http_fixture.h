// A gtest fixture for the black-box HTTP tests: one real server per test, on port 0 with
// a fresh data directory and kTestAdminKey, stopped (SIGTERM, exit 0 expected) at the
// end. Tests that need other options call Restart/StartWith.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "cli_process.h"
#include "http_harness.h"

namespace actlog::testing {

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (StartsInSetUp()) StartWith({}, "");
  }
  void TearDown() override {
    if (server_ && server_->pid() > 0) {
      EXPECT_EQ(server_->Stop(), 0) << server_->Stderr();
    }
  }
  virtual bool StartsInSetUp() const { return true; }

  // (Re)starts the server on the same data directory with these options.
  void StartWith(const std::vector<std::string>& args, const std::string& config_json) {
    if (server_ && server_->pid() > 0) server_->Stop();
    server_ = std::make_unique<ServerProcess>();
    ASSERT_TRUE(server_->Start(data_.path(), args, config_json)) << server_->error();
    admin_ = std::make_unique<HttpClient>(server_->port());
  }
  HttpClient& admin() { return *admin_; }
  int port() const { return server_->port(); }
  std::unique_ptr<HttpClient> NewClient() const {
    return std::make_unique<HttpClient>(server_->port());
  }

  TempDir data_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpClient> admin_;
};

}  // namespace actlog::testing
