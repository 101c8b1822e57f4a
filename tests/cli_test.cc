// Black-box tests of `actlog ingest`, `demo`, help and usage errors: the real binary,
// temp directories, exit codes and output as a user sees them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "actlog/json.h"
#include "cli_process.h"

namespace actlog {
namespace {

using testing::ProcessResult;
using testing::ReadFileText;
using testing::RunActlog;
using testing::SplitLines;
using testing::TempDir;

const std::string kData = ACTLOG_TESTDATA_DIR "/cli/";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string DemoLog(const std::string& org, int events, int seed = 7) {
  ProcessResult demo = RunActlog(
      {"demo", "--org", org, "--events", std::to_string(events), "--seed", std::to_string(seed)});
  EXPECT_EQ(demo.exit_code, 0) << demo.err;
  return demo.out;
}

TEST(CliDemo, PrintsOneProducerEventPerLineDeterministically) {
  std::string log = DemoLog("org_d", 120);
  std::vector<std::string> lines = SplitLines(log);
  ASSERT_EQ(lines.size(), 120u);
  for (const std::string& line : lines) {
    StatusOr<Json> event = ParseJson(line);
    ASSERT_TRUE(event.ok()) << line;
    ASSERT_NE(event->Find("org"), nullptr);
    EXPECT_EQ(event->Find("org")->as_string(), "org_d");
    EXPECT_NE(event->Find("code"), nullptr);
  }
  EXPECT_EQ(DemoLog("org_d", 120), log);
  EXPECT_NE(DemoLog("org_d", 120, 8), log);
}

TEST(CliIngest, StoresADemoLogFromStdinAndFromAFile) {
  TempDir dir;
  std::string log = DemoLog("org_a", 250);
  ProcessResult from_stdin = RunActlog({"ingest", "--data", dir.Sub("data")}, log);
  EXPECT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_TRUE(Contains(from_stdin.err, "stored 250, duplicates 0, rejected 0")) << from_stdin.err;
  EXPECT_TRUE(from_stdin.out.empty());

  testing::WriteFileText(dir.Sub("b.jsonl"), DemoLog("org_b", 40));
  ProcessResult from_file =
      RunActlog({"ingest", "--data", dir.Sub("data"), "--batch", "7", dir.Sub("b.jsonl")});
  EXPECT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_TRUE(Contains(from_file.err, "stored 40, duplicates 0, rejected 0")) << from_file.err;
}

TEST(CliIngest, ReingestingTheSameLogIsAllDuplicates) {
  TempDir dir;
  std::string log = DemoLog("org_a", 100);
  ASSERT_EQ(RunActlog({"ingest", "--data", dir.Sub("data")}, log).exit_code, 0);
  ProcessResult again = RunActlog({"ingest", "--data", dir.Sub("data"), "--batch", "33"}, log);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(Contains(again.err, "stored 0, duplicates 100, rejected 0")) << again.err;
}

TEST(CliIngest, RejectsBadLinesByNumberAndStoresTheRest) {
  TempDir dir;
  ProcessResult result =
      RunActlog({"ingest", "--data", dir.Sub("data"), kData + "bad_lines.jsonl"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(Contains(result.err, "stored 3, duplicates 0, rejected 4")) << result.err;
  std::vector<std::string> lines = SplitLines(result.err);
  ASSERT_GE(lines.size(), 5u) << result.err;
  // Reported in input order, each with its line number, field and reason; the blank
  // line 3 is skipped, not rejected.
  EXPECT_TRUE(lines[0].starts_with("line 2: ") && Contains(lines[0], "malformed_json")) << lines[0];
  EXPECT_TRUE(lines[1].starts_with("line 4: code: unknown_code")) << lines[1];
  EXPECT_TRUE(Contains(lines[1], "org.member:invited")) << "suggests the nearest code";
  EXPECT_TRUE(lines[2].starts_with("line 5: actor.email: invalid_format")) << lines[2];
  EXPECT_TRUE(lines[3].starts_with("line 7: ") && Contains(lines[3], "unknown_field")) << lines[3];
  EXPECT_FALSE(Contains(result.err, "line 3:"));
}

TEST(CliIngest, AckPrintsLineOrgSeqAndIdOfEveryStoredEvent) {
  TempDir dir;
  ProcessResult result =
      RunActlog({"ingest", "--ack", "--data", dir.Sub("data"), kData + "bad_lines.jsonl"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(SplitLines(result.out),
            (std::vector<std::string>{"1 org_bad 0 ok-1", "6 org_bad 1 ok-6", "8 org_bad 2 ok-8"}));
  // A duplicate is acknowledged with the seq it was stored under.
  ProcessResult again =
      RunActlog({"ingest", "--ack", "--data", dir.Sub("data"), kData + "bad_lines.jsonl"});
  EXPECT_EQ(SplitLines(again.out), SplitLines(result.out));
  EXPECT_TRUE(Contains(again.err, "stored 0, duplicates 3, rejected 4")) << again.err;
}

TEST(CliIngest, AConflictingIdIsRejectedAloneAndItsBatchStillStored) {
  TempDir dir;
  std::string first =
      R"({"org":"o","code":"org:created","id":"same","actor":{"type":"system","id":"s"}})"
      "\n";
  ASSERT_EQ(RunActlog({"ingest", "--data", dir.Sub("data")}, first).exit_code, 0);
  std::string batch;
  for (int i = 1; i <= 5; ++i) {
    std::string id = i == 3 ? "same" : "new-" + std::to_string(i);
    batch += R"({"org":"o","code":"org.profile:updated","id":")" + id +
             R"(","actor":{"type":"user","id":"u"}})"
             "\n";
  }
  ProcessResult result = RunActlog({"ingest", "--ack", "--data", dir.Sub("data")}, batch);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(Contains(result.err, "stored 4, duplicates 0, rejected 1")) << result.err;
  EXPECT_TRUE(Contains(result.err, "line 3: ")) << result.err;
  EXPECT_TRUE(Contains(result.err, "id_conflict")) << result.err;
  EXPECT_EQ(SplitLines(result.out),
            (std::vector<std::string>{"1 o 1 new-1", "2 o 2 new-2", "4 o 3 new-4", "5 o 4 new-5"}));
}

TEST(CliIngest, CatalogFileAndOpenModeDecideWhichCodesAreAccepted) {
  TempDir dir;
  std::string line = R"({"org":"o","code":"widget:spun","actor":{"type":"system","id":"s"}})"
                     "\n";
  ProcessResult strict = RunActlog({"ingest", "--data", dir.Sub("data")}, line);
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_TRUE(Contains(strict.err, "unknown_code")) << strict.err;
  ProcessResult with_catalog = RunActlog(
      {"ingest", "--data", dir.Sub("data"), "--catalog", kData + "custom_catalog.json"}, line);
  EXPECT_EQ(with_catalog.exit_code, 0) << with_catalog.err;
  ProcessResult open =
      RunActlog({"ingest", "--data", dir.Sub("data"), "--catalog-mode", "open"},
                R"({"org":"o","code":"gadget:built","actor":{"type":"system","id":"s"}})");
  EXPECT_EQ(open.exit_code, 0) << open.err;
}

TEST(CliIngest, AnOverlongLineIsRejectedWithoutStoppingTheRest) {
  TempDir dir;
  std::string ok = R"({"org":"o","code":"org:created","actor":{"type":"system","id":"s"}})";
  std::string huge = "{\"org\":\"" + std::string(2 << 20, 'x') + "\"}";
  ProcessResult result =
      RunActlog({"ingest", "--data", dir.Sub("data")}, ok + "\n" + huge + "\n" + ok + "\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(Contains(result.err, "line 2: too_large")) << result.err.substr(0, 300);
  EXPECT_TRUE(Contains(result.err, "stored 2, duplicates 0, rejected 1")) << result.err;
}

TEST(CliUsage, EveryCommandHasHelp) {
  for (const char* command : {"ingest", "query", "export", "orgs", "demo"}) {
    ProcessResult help = RunActlog({command, "--help"});
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_TRUE(Contains(help.out, "Usage")) << command << ": " << help.out;
    EXPECT_TRUE(Contains(help.out, command)) << help.out;
  }
  ProcessResult top = RunActlog({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  for (const char* command : {"ingest", "query", "export", "orgs", "demo"}) {
    EXPECT_TRUE(Contains(top.out, command)) << top.out;
  }
}

TEST(CliUsage, VersionPrintsTheVersion) {
  ProcessResult version = RunActlog({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(Contains(version.out, "actlog 0.")) << version.out;
}

TEST(CliUsage, BadUsageExitsTwo) {
  TempDir dir;
  std::string data = dir.Sub("data");
  ASSERT_EQ(RunActlog({"ingest", "--data", data}, DemoLog("o", 5)).exit_code, 0);
  const std::vector<std::vector<std::string>> bad = {
      {},
      {"frobnicate"},
      {"query", "--data", data},                                       // --org missing
      {"query", "--data", data, "--org", "o", "--limit", "201"},       // limit range
      {"query", "--data", data, "--org", "o", "--order", "sideways"},  // bad choice
      {"query", "--data", data, "--org", "o", "--from", "yesterday"},  // bad time
      {"query", "--data", dir.Sub("missing"), "--org", "o"},           // no data dir
      {"export", "--data", data, "--org", "o", "--format", "xml"},
      {"ingest", "--data", data, "--batch", "0"},
      {"ingest", "--data", data, dir.Sub("no-such-file.jsonl")},
      {"ingest", "--data", data, "--catalog", dir.Sub("no-such-catalog.json")},
      {"orgs", "--data", dir.Sub("missing")},
      {"export", "--data", data, "--org", "o", "--output", dir.Sub("no-dir/out.jsonl")},
  };
  for (const auto& args : bad) {
    ProcessResult result = RunActlog(args);
    std::string joined;
    for (const std::string& arg : args) joined += arg + " ";
    EXPECT_EQ(result.exit_code, 2) << joined << "\n" << result.out << result.err;
    EXPECT_FALSE(result.err.empty()) << joined;
  }
}

}  // namespace
}  // namespace actlog
