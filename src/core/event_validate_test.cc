#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <set>
#include <string>
#include <tuple>

#include "actlog/catalog.h"
#include "actlog/event.h"

namespace actlog {
namespace {

using Problem = std::tuple<std::string, std::string>;  // (field, code)

Json Parse(std::string_view text) {
  StatusOr<Json> j = ParseJson(text);
  EXPECT_TRUE(j.ok()) << j.status().ToString() << "\n" << text;
  return j.ok() ? *j : Json();
}

// A valid event touching every field; tests change one thing at a time.
Json Good() {
  return Parse(R"({
    "org": "org_42", "code": "org.member:updated", "id": "req-1",
    "occurred_at": "2026-11-29T10:15:03.120Z",
    "actor": {"type": "user", "id": "u_7", "name": "Alice Doe", "email": "alice@example.com"},
    "target": {"type": "org.member", "id": "m_12", "name": "Bob Roe"},
    "context": {"ip": "203.0.113.9", "user_agent": "curl/8", "request_id": "req_1"},
    "changes": {"role": {"from": "viewer", "to": "admin"}},
    "outcome": "success",
    "metadata": {"plan": "pro", "seats": 3}})");
}

class ValidateEventTest : public ::testing::Test {
 protected:
  StatusOr<Event> Validate(const Json& input) { return ValidateEvent(input, catalog_, limits_); }
  // The (field, code) problems of an invalid input; fails the test if it is valid.
  std::set<Problem> Problems(const Json& input) {
    StatusOr<Event> e = Validate(input);
    EXPECT_FALSE(e.ok()) << "expected problems";
    std::set<Problem> out;
    if (e.ok()) return out;
    EXPECT_EQ(e.status().error_code(), "invalid_event");
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
    for (const ErrorDetail& d : e.status().details()) out.emplace(d.field, d.code);
    return out;
  }
  Json With(const char* key, Json value) {
    Json j = Good();
    j.Set(key, std::move(value));
    return j;
  }
  Json WithMember(const char* object, const char* key, Json value) {
    Json j = Good();
    Json inner = *j.Find(object);
    inner.Set(key, std::move(value));
    j.Set(object, std::move(inner));
    return j;
  }

  Catalog catalog_ = Catalog::BuiltIn();
  EventLimits limits_;
};

TEST_F(ValidateEventTest, AcceptsAFullEventAndFillsEveryField) {
  StatusOr<Event> e = Validate(Good());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->org, "org_42");
  EXPECT_EQ(e->code, "org.member:updated");
  EXPECT_EQ(e->id, "req-1");
  EXPECT_TRUE(e->client_id);
  EXPECT_EQ(e->occurred_at_us, *ParseTimestamp("2026-11-29T10:15:03.120Z"));
  EXPECT_EQ(e->actor.type, ActorType::kUser);
  EXPECT_EQ(e->actor.id, "u_7");
  EXPECT_EQ(e->actor.name, "Alice Doe");
  EXPECT_EQ(e->actor.email, "alice@example.com");
  ASSERT_TRUE(e->target.has_value());
  EXPECT_EQ(e->target->type, "org.member");
  EXPECT_EQ(e->target->name, "Bob Roe");
  EXPECT_EQ(e->context.ip, "203.0.113.9");
  EXPECT_EQ(e->context.user_agent, "curl/8");
  EXPECT_EQ(e->context.request_id, "req_1");
  EXPECT_EQ(e->changes, Parse(R"({"role": {"from": "viewer", "to": "admin"}})"));
  EXPECT_EQ(e->outcome, Outcome::kSuccess);
  EXPECT_EQ(e->metadata, Parse(R"({"plan": "pro", "seats": 3})"));
  EXPECT_EQ(e->content_digest.size(), 32u);
  EXPECT_EQ(e->seq, 0u);
  EXPECT_EQ(e->received_at_us, -1);
}

TEST_F(ValidateEventTest, MinimalEventGetsDefaults) {
  StatusOr<Event> e =
      Validate(Parse(R"({"org":"o","code":"org:created","actor":{"type":"system"}})"));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->actor.type, ActorType::kSystem);
  EXPECT_EQ(e->actor.id, "system");
  EXPECT_FALSE(e->client_id);
  EXPECT_EQ(e->id, "");
  EXPECT_EQ(e->occurred_at_us, -1);
  EXPECT_EQ(e->outcome, Outcome::kSuccess);
  EXPECT_FALSE(e->target.has_value());
  EXPECT_TRUE(e->changes.as_object().empty());
  EXPECT_TRUE(e->metadata.as_object().empty());
}

TEST_F(ValidateEventTest, CollectsEveryProblemNotJustTheFirst) {
  Json j = Parse(R"({"code":"org.member:updatd","actor":{"type":"robot","email":"nope"},
      "outcome":"success","reason":"why","extra":1,"context":{"ip":"300.1.1.1","x":"y"}})");
  EXPECT_EQ(Problems(j), (std::set<Problem>{{"org", "required"},
                                            {"code", "unknown_code"},
                                            {"actor.type", "invalid_value"},
                                            {"actor.id", "required"},
                                            {"actor.email", "invalid_format"},
                                            {"reason", "invalid_value"},
                                            {"extra", "unknown_field"},
                                            {"context.ip", "invalid_format"},
                                            {"context.x", "unknown_field"}}));
}

TEST_F(ValidateEventTest, UnknownCodeSuggestsTheNearestKnownCode) {
  StatusOr<Event> e = Validate(With("code", Json::String("org.member:updatd")));
  ASSERT_FALSE(e.ok());
  ASSERT_EQ(e.status().details().size(), 1u);
  EXPECT_EQ(e.status().details()[0].code, "unknown_code");
  EXPECT_THAT(e.status().details()[0].message,
              ::testing::HasSubstr("did you mean \"org.member:updated\"?"));
  Catalog open = Catalog::BuiltIn(CatalogMode::kOpen);
  EXPECT_TRUE(ValidateEvent(With("code", Json::String("my.thing:done")), open, limits_).ok());
  EXPECT_FALSE(ValidateEvent(With("code", Json::String("My.Thing")), open, limits_).ok());
}

TEST_F(ValidateEventTest, StampsTheGivenIndexOnEveryDetail) {
  StatusOr<Event> e = ValidateEvent(Parse(R"({"actor":{}})"), catalog_, limits_, 7);
  ASSERT_FALSE(e.ok());
  EXPECT_GE(e.status().details().size(), 3u);
  for (const ErrorDetail& d : e.status().details()) EXPECT_EQ(d.index, 7u) << d.field;
}

TEST_F(ValidateEventTest, NullInAFixedFieldMeansAbsent) {
  Json j = Good();
  j.Set("target", Json::Null());
  j.Set("id", Json::Null());
  StatusOr<Event> e = Validate(j);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_FALSE(e->target.has_value());
  EXPECT_FALSE(e->client_id);
  EXPECT_EQ(Problems(With("org", Json::Null())), (std::set<Problem>{{"org", "required"}}));
}

TEST_F(ValidateEventTest, RejectsWrongTypesAndEmptyStrings) {
  EXPECT_EQ(Problems(With("org", Json::Number(1))), (std::set<Problem>{{"org", "invalid_type"}}));
  EXPECT_EQ(Problems(With("actor", Json::String("u_7"))),
            (std::set<Problem>{{"actor", "invalid_type"}}));
  EXPECT_EQ(Problems(WithMember("actor", "id", Json::String(""))),
            (std::set<Problem>{{"actor.id", "empty"}}));
  EXPECT_EQ(Problems(WithMember("target", "id", Json::String(""))),
            (std::set<Problem>{{"target.id", "empty"}}));
  EXPECT_EQ(Problems(With("metadata", Json::MakeArray())),
            (std::set<Problem>{{"metadata", "invalid_type"}}));
}

TEST_F(ValidateEventTest, ChecksShapesOfIdsTimesAddressesAndEnums) {
  EXPECT_EQ(Problems(With("org", Json::String("org 42"))),
            (std::set<Problem>{{"org", "invalid_format"}}));
  EXPECT_EQ(Problems(With("id", Json::String("has space"))),
            (std::set<Problem>{{"id", "invalid_format"}}));
  EXPECT_EQ(Problems(With("occurred_at", Json::String("2026-11-29 10:15:03"))),
            (std::set<Problem>{{"occurred_at", "invalid_format"}}));
  EXPECT_EQ(Problems(With("code", Json::String("Org.Member:Updated"))),
            (std::set<Problem>{{"code", "invalid_format"}}));
  EXPECT_EQ(Problems(With("outcome", Json::String("ok"))),
            (std::set<Problem>{{"outcome", "invalid_value"}}));
  for (const char* ip : {"::1", "2001:db8::8a2e:370:7334", "10.0.0.1", "::ffff:192.0.2.1"}) {
    EXPECT_TRUE(Validate(WithMember("context", "ip", Json::String(ip))).ok()) << ip;
  }
  for (const char* ip : {"10.0.0", "10.0.0.256", "fe80::1%eth0", "localhost", " 10.0.0.1"}) {
    EXPECT_EQ(Problems(WithMember("context", "ip", Json::String(ip))),
              (std::set<Problem>{{"context.ip", "invalid_format"}}))
        << ip;
  }
  for (const char* email : {"a@b.co", "first.last+tag@sub.example.org", "ü@exämple.de"}) {
    EXPECT_TRUE(Validate(WithMember("actor", "email", Json::String(email))).ok()) << email;
  }
  for (const char* email :
       {"alice", "@example.com", "alice@", "alice@example", "a@b@c.com", "alice @example.com",
        "alice@.example.com", "alice@example..com", "<alice@example.com>"}) {
    EXPECT_EQ(Problems(WithMember("actor", "email", Json::String(email))),
              (std::set<Problem>{{"actor.email", "invalid_format"}}))
        << email;
  }
}

TEST_F(ValidateEventTest, ReasonOnlyWithFailure) {
  Json j = Good();
  j.Set("outcome", Json::String("failure"));
  j.Set("reason", Json::String("insufficient permissions"));
  StatusOr<Event> e = Validate(j);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->outcome, Outcome::kFailure);
  EXPECT_EQ(e->reason, "insufficient permissions");
  EXPECT_EQ(Problems(With("reason", Json::String("x"))),
            (std::set<Problem>{{"reason", "invalid_value"}}));
}

TEST_F(ValidateEventTest, RejectsUnknownKeysInFixedObjects) {
  EXPECT_EQ(Problems(WithMember("actor", "role", Json::String("admin"))),
            (std::set<Problem>{{"actor.role", "unknown_field"}}));
  EXPECT_EQ(Problems(WithMember("target", "owner", Json::String("x"))),
            (std::set<Problem>{{"target.owner", "unknown_field"}}));
  EXPECT_EQ(Problems(WithMember("context", "country", Json::String("FR"))),
            (std::set<Problem>{{"context.country", "unknown_field"}}));
}

}  // namespace
}  // namespace actlog
