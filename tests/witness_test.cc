// Black-box: `actlog witness` against real servers. It trusts the first checkpoint it
// sees, accepts a grown tree only with a consistency proof, and reports a data directory
// restored from an older copy as a rollback, and two histories under one key (two data
// directories sharing the key file) as a fork, with exit code 1 and the state untouched.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "actlog/signed_note.h"
#include "http_fixture.h"

namespace actlog::testing {
namespace {

namespace fs = std::filesystem;

class WitnessTest : public HttpServerTest {
 protected:
  bool StartsInSetUp() const override { return false; }
  void SetUp() override { StartWith({"--checkpoint-key", key_file_}, ""); }

  void Ingest(const std::string& prefix, int first, int n) {
    std::string body = "{\"events\":[";
    for (int i = first; i < first + n; ++i) {
      if (i > first) body += ",";
      body += EventJson("acme", prefix + std::to_string(i));
    }
    body += "]}";
    ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, body).status, 201);
  }
  // Waits until the server's checkpoint of acme has `size` leaves.
  void AwaitCheckpoint(uint64_t size) {
    std::string want = "\n" + std::to_string(size) + "\n";
    for (int i = 0; i < 100; ++i) {  // 10 s at most, for loaded machines
      HttpResponse r = admin().Send("GET", "/v1/orgs/acme/checkpoint", kTestAdminKey);
      if (r.body.find(want) != std::string::npos) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "no checkpoint of size " << size;
  }
  ProcessResult Witness() {
    if (vkey_.empty()) {
      std::string body = admin().Send("GET", "/v1/public-key").body;
      vkey_ = body.substr(0, body.find('\n'));
    }
    return RunActlog({"witness", "--server", "http://127.0.0.1:" + std::to_string(port()), "--key",
                      vkey_, "--state", state_, "--org", "acme", "--api-key", kTestAdminKey});
  }

  TempDir keys_;
  std::string key_file_ = keys_.Sub("checkpoint.key");
  std::string state_ = keys_.Sub("witness.json");
  std::string vkey_;
};

TEST_F(WitnessTest, ADataDirectoryRestoredFromAnOlderCopyIsARollback) {
  Ingest("a-", 0, 20);
  AwaitCheckpoint(20);
  ProcessResult first = Witness();
  EXPECT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_EQ(first.out, "acme: first seen, size 20\n");
  server_->Stop();
  TempDir backup;
  fs::copy(data_.path(), backup.path(),
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);

  StartWith({"--checkpoint-key", key_file_}, "");
  Ingest("a-", 20, 30);
  AwaitCheckpoint(50);
  ProcessResult grown = Witness();
  EXPECT_EQ(grown.exit_code, 0) << grown.out << grown.err;
  EXPECT_EQ(grown.out, "acme: ok, size 50 (was 20)\n");
  std::string state = ReadFileText(state_);

  server_->Stop();  // restore the older copy, as an operator (or an attacker) could
  for (const auto& entry : fs::directory_iterator(data_.path())) fs::remove_all(entry.path());
  fs::copy(backup.path(), data_.path(), fs::copy_options::recursive);
  StartWith({"--checkpoint-key", key_file_}, "");
  ProcessResult rolled = Witness();
  EXPECT_EQ(rolled.exit_code, 1) << rolled.out << rolled.err;
  EXPECT_EQ(rolled.out.rfind("acme: ROLLBACK: the server's checkpoint has size 20, smaller than "
                             "the size 50 witnessed before",
                             0),
            0u)
      << rolled.out;
  EXPECT_EQ(ReadFileText(state_), state);  // the larger checkpoint stays the reference
}

TEST_F(WitnessTest, TwoHistoriesUnderOneKeyAreAFork) {
  Ingest("a-", 0, 10);
  AwaitCheckpoint(10);
  ASSERT_EQ(Witness().exit_code, 0);
  std::string state = ReadFileText(state_);
  server_->Stop();

  // Another data directory signed with the same key: a different history of acme.
  TempDir other;
  server_ = std::make_unique<ServerProcess>();
  ASSERT_TRUE(server_->Start(other.path(), {"--checkpoint-key", key_file_})) << server_->error();
  admin_ = std::make_unique<HttpClient>(server_->port());
  Ingest("b-", 0, 10);
  AwaitCheckpoint(10);
  ProcessResult same_size = Witness();
  EXPECT_EQ(same_size.exit_code, 1) << same_size.out << same_size.err;
  EXPECT_EQ(same_size.out.rfind("acme: FORK: a checkpoint of size 10 with root ", 0), 0u)
      << same_size.out;

  Ingest("b-", 10, 5);
  AwaitCheckpoint(15);
  ProcessResult grown = Witness();
  EXPECT_EQ(grown.exit_code, 1) << grown.out;
  EXPECT_NE(grown.out.find("acme: FORK: the checkpoint of size 15 (was 10) does not extend"),
            std::string::npos)
      << grown.out;
  EXPECT_EQ(ReadFileText(state_), state);
}

TEST_F(WitnessTest, ACheckpointSignedByAnotherKeyIsRefused) {
  Ingest("a-", 0, 3);
  AwaitCheckpoint(3);
  // Another log's key of the same name: the checkpoint does not open with it.
  vkey_ = integrity::NoteSigner::Generate("actlog")->Verifier().KeyString();
  ProcessResult bad = Witness();
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  EXPECT_EQ(bad.out.rfind("acme: BAD CHECKPOINT: the server's checkpoint does not verify", 0), 0u)
      << bad.out;
  EXPECT_FALSE(fs::exists(state_));  // nothing trusted
}

}  // namespace
}  // namespace actlog::testing
