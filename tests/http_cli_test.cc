// Black-box tests of the remote CLI against the real server: `actlog --server URL --key
// KEY ingest|query|export|tail` (and ACTLOG_SERVER/ACTLOG_KEY) with the local commands'
// line-numbered rejections and exit codes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "http_fixture.h"

namespace actlog::testing {
namespace {

class RemoteCliTest : public HttpServerTest {
 protected:
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  ProcessResult Remote(const std::string& key, std::vector<std::string> args,
                       const std::string& stdin_text = "") {
    args.insert(args.begin(), {"--server", Url(), "--key", key});
    return RunActlog(args, stdin_text);
  }
};

TEST_F(RemoteCliTest, IngestReportsRejectedLinesByNumberAndStoresTheRest) {
  std::string input = EventJson("acme", "r-1") + "\n" +
                      R"({"org":"acme","actor":{"type":"user","id":"u"}})" + "\n" +
                      "not json\n\n" + EventJson("acme", "r-5") + "\n";
  ProcessResult r = Remote(kTestAdminKey, {"ingest"}, input);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("line 2: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 3: "), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("line 1: "), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("line 5: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("stored 2"), std::string::npos) << r.err;
  EXPECT_EQ(admin().Send("GET", "/v1/events/r-5?org=acme", kTestAdminKey).status, 200);

  ProcessResult again = Remote(kTestAdminKey, {"ingest", "--ack"}, EventJson("acme", "r-1") + "\n");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("duplicates 1"), std::string::npos) << again.err;
  EXPECT_NE(again.out.find("1 acme "), std::string::npos) << again.out;
}

TEST_F(RemoteCliTest, IngestOfMoreThanOneBatchStoresEveryLine) {
  std::string input;
  for (int i = 0; i < 2500; ++i) input += EventJson("acme", "m-" + std::to_string(i)) + "\n";
  ProcessResult r = Remote(kTestAdminKey, {"ingest"}, input);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  HttpResponse orgs = admin().Send("GET", "/v1/orgs", kTestAdminKey);
  EXPECT_NE(orgs.body.find("\"event_count\":2500"), std::string::npos) << orgs.body;
}

TEST_F(RemoteCliTest, QueryExportAndTailReadWhatWasIngested) {
  ASSERT_TRUE(CreateOrg(admin(), "acme"));
  std::string read = CreateKey(admin(), "read", "acme");
  std::string batch = "{\"events\":[" + EventJson("acme", "q-1", "alice") + "," +
                      EventJson("acme", "q-2", "bob") + "]}";
  ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, batch).status, 201);

  ProcessResult json = Remote(read, {"query", "--org", "acme", "--actor", "bob", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  StatusOr<Json> page = ParseJson(json.out);
  ASSERT_TRUE(page.ok()) << json.out;
  ASSERT_EQ(page->Find("data")->as_array().size(), 1u);
  EXPECT_EQ(page->Find("data")->as_array()[0].Find("id")->as_string(), "q-2");

  ProcessResult table = Remote(read, {"query", "--org", "acme"});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("org:created"), std::string::npos) << table.out;

  TempDir out;
  ProcessResult exported =
      Remote(read, {"export", "--org", "acme", "--format", "jsonl", "--output", out.Sub("x.jsonl")});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::string text = ReadFileText(out.Sub("x.jsonl"));
  EXPECT_NE(text.find("\"q-1\""), std::string::npos);
  EXPECT_LT(text.find("\"q-1\""), text.find("\"q-2\""));

  ProcessResult tail =
      Remote(read, {"tail", "--org", "acme", "--actor", "alice", "--from-seq", "0", "--max-events", "1"});
  ASSERT_EQ(tail.exit_code, 0) << tail.err;
  EXPECT_NE(tail.out.find("\"q-1\""), std::string::npos) << tail.out;
  EXPECT_EQ(tail.out.find("\"q-2\""), std::string::npos) << tail.out;
}

TEST_F(RemoteCliTest, ServerErrorsAndUnreachableServersExit2) {
  ProcessResult bad_key = Remote("actlog_read_nope", {"query", "--org", "acme"});
  EXPECT_EQ(bad_key.exit_code, 2);
  EXPECT_NE(bad_key.err.find("unauthenticated"), std::string::npos) << bad_key.err;
  ProcessResult down = RunActlog({"--server", "http://127.0.0.1:1", "--key", "k", "query", "--org", "a"});
  EXPECT_EQ(down.exit_code, 2);
  ProcessResult https = RunActlog({"--server", "https://x", "--key", "k", "query", "--org", "a"});
  EXPECT_EQ(https.exit_code, 2);
  ProcessResult local_tail = RunActlog({"tail", "--org", "a"});
  EXPECT_EQ(local_tail.exit_code, 2);
}

}  // namespace
}  // namespace actlog::testing
