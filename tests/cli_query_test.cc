// Black-box tests of `actlog query`, `export` and `orgs` against a store filled by
// `actlog ingest` with the demo log: every filter flag, the search string, paging, the
// table, the API's JSON shape, JSON Lines and CSV exports.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "actlog/event.h"
#include "actlog/json.h"
#include "cli_process.h"

namespace actlog {
namespace {

using testing::ProcessResult;
using testing::RunActlog;
using testing::SplitLines;
using testing::TempDir;

constexpr int kDemoEvents = 300;

std::string Field(const Json& event, const char* key, const char* sub = nullptr) {
  const Json* value = event.Find(key);
  if (value != nullptr && sub != nullptr) value = value->Find(sub);
  return value != nullptr && value->is_string() ? value->as_string() : "";
}

std::string Outcome(const Json& event) {
  std::string outcome = Field(event, "outcome");
  return outcome.empty() ? "success" : outcome;
}

int64_t OccurredAt(const Json& event) { return *ParseTimestamp(Field(event, "occurred_at")); }

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// RFC 4180 records (CRLF between records, quoted fields with doubled quotes).
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(cell));
      cell.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      record.push_back(std::move(cell));
      cell.clear();
      records.push_back(std::move(record));
      record.clear();
      ++i;
    } else {
      cell.push_back(c);
    }
  }
  EXPECT_TRUE(cell.empty() && record.empty()) << "CSV must end with CRLF";
  return records;
}

class CliQuery : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    ProcessResult demo = RunActlog(
        {"demo", "--org", "org_q", "--events", std::to_string(kDemoEvents), "--seed", "3"});
    ASSERT_EQ(demo.exit_code, 0);
    demo_ = new std::vector<Json>();
    for (const std::string& line : SplitLines(demo.out)) demo_->push_back(*ParseJson(line));
    ASSERT_EQ(RunActlog({"ingest", "--data", Data()}, demo.out).exit_code, 0);
    ProcessResult other = RunActlog({"demo", "--org", "org_r", "--events", "50"});
    ASSERT_EQ(RunActlog({"ingest", "--data", Data()}, other.out).exit_code, 0);
    ASSERT_EQ(RunActlog({"ingest", "--data", Data(), ACTLOG_TESTDATA_DIR "/cli/tricky_cells.jsonl"})
                  .exit_code,
              0);
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete demo_;
  }

  static std::string Data() { return dir_->Sub("data"); }

  // Every event `query --format json --all` returns for org_q with `flags`.
  static std::vector<Json> Query(std::vector<std::string> flags, const char* org = "org_q") {
    std::vector<std::string> args = {"query",    "--data", Data(),  "--org",   org,
                                     "--format", "json",   "--all", "--limit", "200"};
    args.insert(args.end(), flags.begin(), flags.end());
    ProcessResult result = RunActlog(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    StatusOr<Json> body = ParseJson(result.out);
    EXPECT_TRUE(body.ok()) << result.out.substr(0, 200);
    if (!body.ok()) return {};
    EXPECT_TRUE(body->Find("next_cursor") != nullptr && body->Find("next_cursor")->is_null());
    return body->Find("data")->as_array();
  }

  static std::size_t CountDemo(const std::function<bool(const Json&)>& pred) {
    return std::count_if(demo_->begin(), demo_->end(), pred);
  }

  // Checks that the query with `flags` returns exactly the demo events matching `pred`.
  static void ExpectMatches(std::vector<std::string> flags,
                            const std::function<bool(const Json&)>& pred) {
    std::vector<Json> events = Query(flags);
    std::size_t expected = CountDemo(pred);
    EXPECT_GT(expected, 0u) << "pick a value that occurs: " << flags.back();
    EXPECT_EQ(events.size(), expected) << flags.front() << " " << flags.back();
    for (const Json& event : events) EXPECT_TRUE(pred(event)) << CanonicalJson(event);
  }

  static TempDir* dir_;
  static std::vector<Json>* demo_;
};

TempDir* CliQuery::dir_ = nullptr;
std::vector<Json>* CliQuery::demo_ = nullptr;

TEST_F(CliQuery, AllReturnsEveryEventNewestFirstAndAscWhenAsked) {
  std::vector<Json> desc = Query({});
  ASSERT_EQ(desc.size(), static_cast<std::size_t>(kDemoEvents));
  std::set<std::string> ids;
  for (std::size_t i = 0; i < desc.size(); ++i) {
    ids.insert(Field(desc[i], "id"));
    EXPECT_EQ(Field(desc[i], "org"), "org_q");
    if (i > 0) EXPECT_GE(OccurredAt(desc[i - 1]), OccurredAt(desc[i]));
  }
  EXPECT_EQ(ids.size(), desc.size());
  std::vector<Json> asc = Query({"--order", "asc"});
  std::reverse(asc.begin(), asc.end());
  EXPECT_EQ(asc, desc);
}

TEST_F(CliQuery, EachFilterFlagSelectsExactlyTheMatchingEvents) {
  const Json& sample = (*demo_)[17];
  std::string code = Field(sample, "code");
  ExpectMatches({"--code", code}, [&](const Json& e) { return Field(e, "code") == code; });
  ExpectMatches({"--code", "org.member:*"},
                [](const Json& e) { return Field(e, "code").starts_with("org.member:"); });
  ExpectMatches({"--code", "org.member:invited", "--code", "org:created"}, [](const Json& e) {
    return Field(e, "code") == "org.member:invited" || Field(e, "code") == "org:created";
  });
  std::string actor = Field(sample, "actor", "id");
  ExpectMatches({"--actor", actor},
                [&](const Json& e) { return Field(e, "actor", "id") == actor; });
  ExpectMatches({"--actor-type", "api_key"},
                [](const Json& e) { return Field(e, "actor", "type") == "api_key"; });
  const Json* with_email = nullptr;
  for (const Json& e : *demo_) {
    if (!Field(e, "actor", "email").empty()) with_email = &e;
  }
  ASSERT_NE(with_email, nullptr);
  std::string email = Field(*with_email, "actor", "email");
  ExpectMatches({"--actor-email", email},
                [&](const Json& e) { return Field(e, "actor", "email") == email; });
  ExpectMatches({"--target-type", "org.member"},
                [](const Json& e) { return Field(e, "target", "type") == "org.member"; });
  std::string target = Field(*with_email, "target", "id");
  ExpectMatches({"--target-id", target},
                [&](const Json& e) { return Field(e, "target", "id") == target; });
  ExpectMatches({"--outcome", "failure"}, [](const Json& e) { return Outcome(e) == "failure"; });
  std::string from = Field((*demo_)[100], "occurred_at");
  std::string to = Field((*demo_)[200], "occurred_at");
  int64_t from_us = *ParseTimestamp(from), to_us = *ParseTimestamp(to);
  ExpectMatches({"--from", from, "--to", to},
                [&](const Json& e) { return OccurredAt(e) >= from_us && OccurredAt(e) < to_us; });
}

TEST_F(CliQuery, TextAndSearchStringFilter) {
  std::string name = Field((*demo_)[5], "actor", "name");
  ASSERT_FALSE(name.empty());
  std::string word = Lower(name.substr(0, name.find(' ')));
  std::vector<Json> hits = Query({"--text", word});
  EXPECT_FALSE(hits.empty());
  for (const Json& e : hits) EXPECT_NE(Lower(CanonicalJson(e)).find(word), std::string::npos);

  ExpectMatches({"--search", "code:org.member:* -outcome:success"}, [](const Json& e) {
    return Field(e, "code").starts_with("org.member:") && Outcome(e) != "success";
  });
}

TEST_F(CliQuery, CursorPagingVisitsEveryEventOnceLikeAll) {
  std::vector<std::string> paged;
  std::string cursor;
  for (int page = 0; page < 100; ++page) {
    std::vector<std::string> args = {"query",    "--data", Data(),    "--org", "org_q",
                                     "--format", "json",   "--limit", "7"};
    if (!cursor.empty()) args.insert(args.end(), {"--cursor", cursor});
    ProcessResult result = RunActlog(args);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    Json body = *ParseJson(result.out);
    for (const Json& e : body.Find("data")->as_array()) paged.push_back(Field(e, "id"));
    const Json* next = body.Find("next_cursor");
    if (next->is_null()) break;
    cursor = next->as_string();
  }
  std::vector<std::string> all;
  for (const Json& e : Query({})) all.push_back(Field(e, "id"));
  EXPECT_EQ(paged, all);
}

TEST_F(CliQuery, TableShowsReadableRowsAndTheNextCursor) {
  ProcessResult result = RunActlog({"query", "--data", Data(), "--org", "org_q", "--limit", "5"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> lines = SplitLines(result.out);
  ASSERT_EQ(lines.size(), 7u) << result.out;
  for (const char* column :
       {"TIME (UTC)", "CODE", "DESCRIPTION", "ACTOR", "TARGET", "IP", "OUTCOME"}) {
    EXPECT_NE(lines[0].find(column), std::string::npos) << lines[0];
  }
  Json newest = Query({}).front();
  EXPECT_TRUE(lines[1].starts_with(Field(newest, "occurred_at").substr(0, 10))) << lines[1];
  EXPECT_NE(lines[1].find(Field(newest, "code")), std::string::npos) << lines[1];
  ASSERT_TRUE(lines[6].starts_with("more: --cursor ")) << lines[6];
  std::string cursor = lines[6].substr(15);
  ProcessResult next =
      RunActlog({"query", "--data", Data(), "--org", "org_q", "--limit", "5", "--cursor", cursor});
  EXPECT_EQ(next.exit_code, 0) << next.err;
  EXPECT_NE(SplitLines(next.out)[1], lines[1]);

  ProcessResult described =
      RunActlog({"query", "--data", Data(), "--org", "org_bad_none", "--limit", "5"});
  EXPECT_EQ(described.exit_code, 0);
  EXPECT_NE(described.out.find("no events"), std::string::npos);
}

TEST_F(CliQuery, TableWithAllPrintsOneHeaderAndEveryRow) {
  ProcessResult result =
      RunActlog({"query", "--data", Data(), "--org", "org_q", "--limit", "40", "--all"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> lines = SplitLines(result.out);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kDemoEvents) + 1);
  EXPECT_TRUE(lines[0].starts_with("TIME (UTC)"));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    EXPECT_FALSE(lines[i].starts_with("TIME (UTC)")) << i;
    EXPECT_FALSE(lines[i].starts_with("more:")) << i;
  }
}

TEST_F(CliQuery, ExportJsonLinesStreamsEveryEventOldestFirst) {
  TempDir out;
  ProcessResult result = RunActlog({"export", "--data", Data(), "--org", "org_q", "--format",
                                    "jsonl", "--output", out.Sub("x.jsonl")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> lines = SplitLines(testing::ReadFileText(out.Sub("x.jsonl")));
  std::vector<Json> newest_first = Query({});
  ASSERT_EQ(lines.size(), newest_first.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(*ParseJson(lines[i]), newest_first[lines.size() - 1 - i]);
  }
  ProcessResult filtered = RunActlog(
      {"export", "--data", Data(), "--org", "org_q", "--format", "jsonl", "--outcome", "failure"});
  EXPECT_EQ(SplitLines(filtered.out).size(), Query({"--outcome", "failure"}).size());
}

TEST_F(CliQuery, ExportCsvHasAHeaderOneRecordPerEventAndParsesBack) {
  ProcessResult result =
      RunActlog({"export", "--data", Data(), "--org", "org_q", "--format", "csv"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::vector<std::string>> records = ParseCsv(result.out);
  ASSERT_EQ(records.size(), static_cast<std::size_t>(kDemoEvents) + 1);
  EXPECT_EQ(records[0],
            (std::vector<std::string>{"seq",         "id",          "occurred_at", "received_at",
                                      "code",        "description", "actor_type",  "actor_id",
                                      "actor_name",  "actor_email", "target_type", "target_id",
                                      "target_name", "ip",          "user_agent",  "request_id",
                                      "outcome",     "reason",      "changes",     "metadata"}));
  std::set<std::string> csv_ids, query_ids;
  for (std::size_t i = 1; i < records.size(); ++i) {
    ASSERT_EQ(records[i].size(), 20u);
    csv_ids.insert(records[i][1]);
    EXPECT_TRUE(ParseJson(records[i][18]).ok()) << records[i][18];
    EXPECT_TRUE(ParseJson(records[i][19]).ok()) << records[i][19];
  }
  for (const Json& e : Query({})) query_ids.insert(Field(e, "id"));
  EXPECT_EQ(csv_ids, query_ids);
}

TEST_F(CliQuery, ExportCsvQuotesAndGuardsAgainstFormulaInjection) {
  ProcessResult result =
      RunActlog({"export", "--data", Data(), "--org", "org_csv", "--format", "csv"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::vector<std::string>> records = ParseCsv(result.out);
  ASSERT_EQ(records.size(), 4u);
  const std::vector<std::string>& first = records[1];
  EXPECT_EQ(first[1], "csv-1");
  EXPECT_EQ(first[5], "Team member invited");
  EXPECT_EQ(first[8], "'=HYPERLINK(\"http://evil\")");
  EXPECT_EQ(first[12], "Roe, \"Bobby\"");
  const std::vector<std::string>& second = records[2];
  EXPECT_EQ(second[7], "'-u_10");
  EXPECT_EQ(second[8], "'@admin");
  EXPECT_EQ(second[12], "line\nbreak");
  EXPECT_EQ(*ParseJson(second[18]), *ParseJson(R"({"role":{"from":"viewer","to":"+admin"}})"));
}

TEST_F(CliQuery, OrgsListsEveryOrganisationWithItsCount) {
  ProcessResult json = RunActlog({"orgs", "--data", Data(), "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  Json body = *ParseJson(json.out);
  std::map<std::string, double> counts;
  for (const Json& org : body.Find("data")->as_array()) {
    counts[org.Find("org")->as_string()] = org.Find("event_count")->as_number();
  }
  EXPECT_EQ(counts,
            (std::map<std::string, double>{{"org_csv", 3}, {"org_q", kDemoEvents}, {"org_r", 50}}));
  ProcessResult table = RunActlog({"orgs", "--data", Data()});
  ASSERT_EQ(table.exit_code, 0);
  std::vector<std::string> lines = SplitLines(table.out);
  ASSERT_EQ(lines.size(), 4u) << table.out;
  EXPECT_TRUE(lines[0].starts_with("ORG")) << lines[0];
  EXPECT_NE(table.out.find("org_q"), std::string::npos);
  EXPECT_NE(table.out.find("300"), std::string::npos);
}

}  // namespace
}  // namespace actlog
