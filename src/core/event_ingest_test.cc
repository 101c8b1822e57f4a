#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/clock.h"
#include "actlog/event.h"

namespace actlog {
namespace {

// (index or -1, field, code)
using Problem = std::tuple<long, std::string, std::string>;

std::set<Problem> ProblemsOf(const Status& st) {
  std::set<Problem> out;
  for (const ErrorDetail& d : st.details()) {
    out.emplace(d.index ? static_cast<long>(*d.index) : -1, d.field, d.code);
  }
  return out;
}

std::string FromHex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

const char kGood[] = R"({"org":"o","code":"org:created","actor":{"type":"user","id":"u"}})";

// tests/data/events/malformed.jsonl: one case a line, {"name", "input" | "raw" |
// "raw_hex", "error_code", "details": [{"index"?, "field", "code"}]}. The body is the
// input's JSON text, or the raw text, or the bytes the hex spells (for invalid UTF-8).
TEST(IngestBody, RejectsEveryMalformedCaseOfTheTableExactly) {
  std::ifstream in(std::string(ACTLOG_TESTDATA_DIR) + "/events/malformed.jsonl");
  ASSERT_TRUE(in.good());
  const Catalog catalog = Catalog::BuiltIn();
  std::set<std::string> names;
  std::string line;
  int cases = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    StatusOr<Json> row = ParseJson(line);
    ASSERT_TRUE(row.ok()) << row.status().ToString() << "\n" << line.substr(0, 200);
    const std::string name = row->Find("name")->as_string();
    SCOPED_TRACE(name);
    EXPECT_TRUE(names.insert(name).second) << "duplicate case name";
    std::string body;
    if (const Json* raw = row->Find("raw")) {
      body = raw->as_string();
    } else if (const Json* hex = row->Find("raw_hex")) {
      body = FromHex(hex->as_string());
    } else {
      body = CanonicalJson(*row->Find("input"));
    }
    std::set<Problem> expected;
    for (const Json& d : row->Find("details")->as_array()) {
      const Json* index = d.Find("index");
      expected.emplace(index ? static_cast<long>(index->as_number()) : -1,
                       d.Find("field")->as_string(), d.Find("code")->as_string());
    }
    StatusOr<std::vector<Event>> events = ParseIngestBody(body, catalog, EventLimits());
    ASSERT_FALSE(events.ok()) << "accepted: " << body.substr(0, 200);
    EXPECT_EQ(events.status().error_code(), row->Find("error_code")->as_string())
        << events.status().ToString();
    EXPECT_EQ(ProblemsOf(events.status()), expected) << events.status().ToString();
    ++cases;
  }
  EXPECT_GE(cases, 40);
}

TEST(IngestBody, AcceptsOneEventObject) {
  StatusOr<std::vector<Event>> events = ParseIngestBody(kGood, Catalog::BuiltIn(), EventLimits());
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].org, "o");
}

TEST(IngestBody, AcceptsABatchOfUpTo1000InOrder) {
  std::string body = "{\"events\":[";
  for (int i = 0; i < 1000; ++i) {
    if (i > 0) body += ",";
    body += R"({"org":"o","code":"org:created","actor":{"type":"user","id":"u"},"id":"c)" +
            std::to_string(i) + "\"}";
  }
  body += "]}";
  StatusOr<std::vector<Event>> events = ParseIngestBody(body, Catalog::BuiltIn(), EventLimits());
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ((*events)[i].id, "c" + std::to_string(i));
}

TEST(IngestBody, BodyUpToTheLimitIsParsedAndOneByteMoreIsRefusedUnread) {
  EventLimits limits;
  limits.max_body_bytes = sizeof(kGood) - 1;
  EXPECT_TRUE(ParseIngestBody(kGood, Catalog::BuiltIn(), limits).ok());
  limits.max_body_bytes = sizeof(kGood) - 2;
  StatusOr<std::vector<Event>> events = ParseIngestBody(kGood, Catalog::BuiltIn(), limits);
  ASSERT_FALSE(events.ok());
  EXPECT_EQ(events.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(events.status().error_code(), "body_too_large");
  // The default is 1 MiB: a 1 MiB + 1 byte body is refused before JSON parsing.
  std::string big(EventLimits().max_body_bytes + 1, ' ');
  EXPECT_EQ(ParseIngestBody(big, Catalog::BuiltIn(), EventLimits()).status().error_code(),
            "body_too_large");
}

TEST(IngestBody, BatchLimitIsConfigurable) {
  EventLimits limits;
  limits.max_batch_events = 2;
  std::string two = std::string("{\"events\":[") + kGood + "," + kGood + "]}";
  std::string three = std::string("{\"events\":[") + kGood + "," + kGood + "," + kGood + "]}";
  EXPECT_TRUE(ParseIngestBody(two, Catalog::BuiltIn(), limits).ok());
  StatusOr<std::vector<Event>> events = ParseIngestBody(three, Catalog::BuiltIn(), limits);
  ASSERT_FALSE(events.ok());
  EXPECT_EQ(ProblemsOf(events.status()), (std::set<Problem>{{-1, "events", "batch_too_large"}}));
}

TEST(IngestBody, ABatchWithOneBadEventStoresNothingAndSaysWhich) {
  std::string body = std::string("{\"events\":[") + kGood + R"(,{"org":"o"},)" + kGood + "]}";
  StatusOr<std::vector<Event>> events = ParseIngestBody(body, Catalog::BuiltIn(), EventLimits());
  ASSERT_FALSE(events.ok());
  EXPECT_EQ(events.status().error_code(), "invalid_event");
  EXPECT_EQ(ProblemsOf(events.status()),
            (std::set<Problem>{{1, "code", "required"}, {1, "actor", "required"}}));
  EXPECT_NE(events.status().message().find("1 of 3"), std::string::npos)
      << events.status().message();
}

// Random byte edits of a full event: whatever comes out is either a clean error with a
// stable code or events that store and decode back to the same canonical bytes.
TEST(IngestBody, SurvivesRandomEditsOfAValidBody) {
  const std::string good = R"({"org":"org_42","code":"org.member:updated","id":"c-9",
    "occurred_at":"2026-11-29T10:15:03.120+01:00",
    "actor":{"type":"user","id":"u_7","name":"Al","email":"al@example.com"},
    "target":{"type":"org.member","id":"m_1"},"context":{"ip":"::1","request_id":"r"},
    "before":{"role":"viewer","x":[1,{"y":null}]},"after":{"role":"admin","x":[1]},
    "outcome":"failure","reason":"no","metadata":{"k":"v\u00e9","n":-1.5e-7}})";
  const Catalog catalog = Catalog::BuiltIn();
  std::mt19937 rng(20261129);
  const std::string alphabet = "{}[]:,\"\\ 0123456789.eE+-nulltruefalsexyz\x80\xff\x01";
  int accepted = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string body = good;
    for (int edits = 1 + rng() % 3; edits > 0; --edits) {
      std::size_t at = rng() % body.size();
      char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          body[at] = c;
          break;
        case 1:
          body.erase(at, 1 + rng() % 4);
          break;
        default:
          body.insert(at, 1, c);
      }
    }
    StatusOr<std::vector<Event>> events = ParseIngestBody(body, catalog, EventLimits());
    if (!events.ok()) {
      EXPECT_FALSE(events.status().error_code().empty()) << body;
      continue;
    }
    ++accepted;
    for (Event& e : *events) {
      e.id = e.client_id ? e.id : NewEventId(FakeClock(1));
      e.received_at_us = 1'795'947'303'000'000;
      if (e.occurred_at_us < 0) e.occurred_at_us = e.received_at_us;
      const std::string canonical = CanonicalEvent(e);
      EXPECT_EQ(canonical, CanonicalJson(EventToJson(e)));
      StatusOr<Event> back = DecodeEvent(canonical);
      ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << body;
      EXPECT_EQ(CanonicalEvent(*back), canonical) << body;
    }
  }
  EXPECT_GT(accepted, 0);  // some edits (inside string values) keep the event valid
}

}  // namespace
}  // namespace actlog
