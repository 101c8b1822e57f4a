#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "actlog/event.h"
#include "actlog/query.h"

namespace actlog {
namespace {

struct SearchCase {
  int line = 0;
  std::string input;
  bool expect_ok = true;
  std::string expected;  // normal form, or the start of the error message
};

// Reads tests/data/search/cases.txt (format described at its top).
std::vector<SearchCase> ReadCases() {
  std::ifstream in(std::string(ACTLOG_TESTDATA_DIR) + "/search/cases.txt");
  std::vector<SearchCase> cases;
  std::string line;
  int n = 0;
  auto rest = [](const std::string& l) { return l.size() > 2 ? l.substr(2) : std::string(); };
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '>') {
      cases.push_back({n, rest(line)});
    } else if ((line[0] == '=' || line[0] == '!') && !cases.empty()) {
      cases.back().expect_ok = line[0] == '=';
      cases.back().expected = rest(line);
    } else {
      ADD_FAILURE() << "cases.txt:" << n << ": cannot read \"" << line << "\"";
    }
  }
  return cases;
}

TEST(SearchString, DataFileCases) {
  std::vector<SearchCase> cases = ReadCases();
  ASSERT_GE(cases.size(), 50u);
  for (const SearchCase& c : cases) {
    SCOPED_TRACE("cases.txt:" + std::to_string(c.line) + ": " + c.input);
    EventQuery q;
    Status s = ParseSearchString(c.input, &q);
    if (!c.expect_ok) {
      ASSERT_FALSE(s.ok());
      EXPECT_EQ(s.error_code(), "invalid_search");
      EXPECT_EQ(s.message().substr(0, c.expected.size()), c.expected) << s.message();
      EXPECT_EQ(q, EventQuery()) << "a failed parse must leave the query unchanged";
      continue;
    }
    ASSERT_TRUE(s.ok()) << s.ToString();
    const std::string formatted = FormatSearchString(q);
    EXPECT_EQ(formatted, c.expected);
    // The normal form parses back to the same query.
    EventQuery again;
    ASSERT_TRUE(ParseSearchString(formatted, &again).ok()) << formatted;
    EXPECT_EQ(again, q) << formatted;
  }
}

TEST(SearchString, DesignExampleFillsEveryPart) {
  EventQuery q;
  ASSERT_TRUE(
      ParseSearchString(
          R"(code:org.member:* actor:u_7 after:2026-11-01 -outcome:success "some text")", &q)
          .ok());
  EXPECT_EQ(q.include, (std::vector<FieldFilter>{{QueryField::kCode, "org.member:*"},
                                                 {QueryField::kActor, "u_7"}}));
  EXPECT_EQ(q.exclude, (std::vector<FieldFilter>{{QueryField::kOutcome, "success"}}));
  EXPECT_EQ(q.from_us, 1793491200000000);  // 2026-11-01T00:00:00Z
  EXPECT_EQ(q.to_us, std::nullopt);
  EXPECT_EQ(q.text, "some text");
}

TEST(SearchString, DateMeansMidnightUtcAndTimesKeepMicroseconds) {
  EventQuery q;
  ASSERT_TRUE(
      ParseSearchString("after:2026-11-01 before:2026-11-02T01:00:00.000001+01:00", &q).ok());
  EXPECT_EQ(q.from_us, ParseTimestamp("2026-11-01T00:00:00Z").value());
  EXPECT_EQ(q.to_us, ParseTimestamp("2026-11-02T00:00:00.000001Z").value());
}

TEST(SearchString, AddsToAnExistingQuery) {
  EventQuery q;
  q.org = "org_42";
  q.include.push_back({QueryField::kActor, "u_1"});
  q.text = "refund";
  q.from_us = ParseTimestamp("2026-11-15T00:00:00Z").value();
  q.limit = 10;
  ASSERT_TRUE(ParseSearchString("actor:u_2 after:2026-11-01 failed", &q).ok());
  EXPECT_EQ(q.org, "org_42");
  EXPECT_EQ(q.limit, 10);
  EXPECT_EQ(q.include.size(), 2u);
  EXPECT_EQ(q.text, "refund failed");
  // The tighter bound stays.
  EXPECT_EQ(q.from_us, ParseTimestamp("2026-11-15T00:00:00Z").value());
}

TEST(SearchString, RejectsOverlongInput) {
  EventQuery q;
  Status s = ParseSearchString(std::string(8193, 'a'), &q);
  EXPECT_EQ(s.error_code(), "invalid_search");
  EXPECT_TRUE(ParseSearchString(std::string(8192, 'a'), &q).ok());
}

TEST(SearchString, ErrorMessageTruncatesLongTerms) {
  EventQuery q;
  Status s = ParseSearchString("outcome:" + std::string(500, 'x'), &q);
  ASSERT_EQ(s.error_code(), "invalid_search");
  EXPECT_LT(s.message().size(), 200u);
}

TEST(SearchString, RejectsInvalidUtf8) {
  EventQuery q;
  EXPECT_EQ(ParseSearchString("actor:\xff", &q).message(), "search string is not valid UTF-8");
  EXPECT_TRUE(ParseSearchString("caf\xc3\xa9 actor:\xc3\xa9", &q).ok());
  EXPECT_EQ(q.text, "caf\xc3\xa9");
}

TEST(SearchString, ErrorMessageNeverSplitsACharacter) {
  EventQuery q;
  // 79 ASCII bytes, then a two-byte character across the 80-byte cut.
  Status s = ParseSearchString("outcome:" + std::string(71, 'x') + "\xc3\xa9yyyy", &q);
  ASSERT_EQ(s.error_code(), "invalid_search");
  EXPECT_NE(s.message().find(std::string(71, 'x') + "...\""), std::string::npos) << s.message();
}

TEST(SearchString, FormatQuotesValuesThatNeedIt) {
  EventQuery q;
  q.include.push_back({QueryField::kActor, "u 7"});
  q.include.push_back({QueryField::kTargetId, "\"x"});
  q.exclude.push_back({QueryField::kActorEmail, "a@b.c"});
  q.text = "a:b c";
  EXPECT_EQ(FormatSearchString(q), R"(actor:"u 7" target:"\"x" -actor_email:a@b.c "a:b" c)");
}

TEST(SearchString, FormatWritesSubDayBoundsAsFullTimes) {
  EventQuery q;
  q.from_us = ParseTimestamp("2026-11-01T00:00:00.500Z").value();
  q.to_us = ParseTimestamp("2026-11-03T00:00:00Z").value();
  EXPECT_EQ(FormatSearchString(q), "after:2026-11-01T00:00:00.500Z before:2026-11-03");
}

// A tiny deterministic generator for the round-trip property below.
class Lcg {
 public:
  explicit Lcg(uint64_t seed) : x_(seed) {}
  uint64_t Below(uint64_t n) {
    x_ = x_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return (x_ >> 33) % n;
  }

 private:
  uint64_t x_;
};

std::string RandomString(Lcg& rng, bool allow_empty) {
  static const char* const kPieces[] = {"a", "Z", "7",  " ",        "  ",    "\"",  "\\", ":",
                                        "-", "_", "\t", "\xc3\xa9", "code:", "x:y", "\n"};
  std::string out;
  const uint64_t n = (allow_empty ? 0 : 1) + rng.Below(6);
  for (uint64_t i = 0; i < n; ++i) out += kPieces[rng.Below(std::size(kPieces))];
  return out;
}

FieldFilter RandomFilter(Lcg& rng) {
  static const char* const kCodes[] = {"org:created", "org.member:*", "org.member", "com"};
  static const char* const kOutcomes[] = {"success", "failure"};
  static const char* const kActorTypes[] = {"user", "api_key", "system"};
  switch (rng.Below(5)) {
    case 0:
      return {QueryField::kCode, kCodes[rng.Below(4)]};
    case 1:
      return {QueryField::kOutcome, kOutcomes[rng.Below(2)]};
    case 2:
      return {QueryField::kActorType, kActorTypes[rng.Below(3)]};
    case 3:
      return {QueryField::kActor, RandomString(rng, false)};
    default:
      return {rng.Below(2) ? QueryField::kTargetId : QueryField::kActorEmail,
              RandomString(rng, false)};
  }
}

TEST(SearchString, FormatThenParseGivesTheSameQuery) {
  Lcg rng(20261129);
  for (int round = 0; round < 5000; ++round) {
    EventQuery q;
    for (uint64_t i = rng.Below(4); i > 0; --i) q.include.push_back(RandomFilter(rng));
    for (uint64_t i = rng.Below(3); i > 0; --i) q.exclude.push_back(RandomFilter(rng));
    // Times from 1970 to about 2100, whole days or down to the microsecond.
    if (rng.Below(2)) q.from_us = static_cast<int64_t>(rng.Below(4'102'444'800'000'000));
    if (rng.Below(2)) q.to_us = static_cast<int64_t>(rng.Below(47'000) * 86'400'000'000);
    q.text = RandomString(rng, true);
    const std::string formatted = FormatSearchString(q);
    EventQuery back;
    Status s = ParseSearchString(formatted, &back);
    ASSERT_TRUE(s.ok()) << s.ToString() << "\n" << formatted;
    ASSERT_EQ(back, q) << formatted;
  }
}

}  // namespace
}  // namespace actlog

namespace actlog {
namespace {

TEST(SearchString, PersonalFieldPathIsAFilterKeyThatKeepsItsCase) {
  EventQuery q;
  ASSERT_TRUE(ParseSearchString("metadata.Email:Ann@x.com -context.ip:\"10.0.0.1\" "
                                "actor.email:b@x.com foo.bar:baz e.g.:x",
                                &q)
                  .ok());
  ASSERT_EQ(q.include.size(), 2u);
  EXPECT_EQ(q.include[0], (FieldFilter{QueryField::kPersonal, "Ann@x.com", "metadata.Email"}));
  EXPECT_EQ(q.include[1], (FieldFilter{QueryField::kActorEmail, "b@x.com", ""}))
      << "actor.email is the actor_email filter";
  ASSERT_EQ(q.exclude.size(), 1u);
  EXPECT_EQ(q.exclude[0], (FieldFilter{QueryField::kPersonal, "10.0.0.1", "context.ip"}));
  EXPECT_EQ(q.text, "foo.bar:baz e.g.:x") << "other dotted words stay text";
  EXPECT_EQ(FormatSearchString(q),
            "metadata.Email:Ann@x.com actor_email:b@x.com -context.ip:10.0.0.1 "
            "foo.bar:baz e.g.:x");
  EventQuery back;
  ASSERT_TRUE(ParseSearchString(FormatSearchString(q), &back).ok());
  EXPECT_EQ(back, q);
  EXPECT_EQ(ParseSearchString("metadata.email:", &q).error_code(), "invalid_search");
  EXPECT_FALSE(IsPersonalFilterKey("metadata."));
  EXPECT_FALSE(IsPersonalFilterKey("metadata..x"));
  EXPECT_FALSE(IsPersonalFilterKey("meta.x"));
  EXPECT_TRUE(IsPersonalFilterKey("changes.after.owner-email"));
}

}  // namespace
}  // namespace actlog
