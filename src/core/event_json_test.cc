#include <gtest/gtest.h>

#include <string>

#include "actlog/catalog.h"
#include "actlog/clock.h"
#include "actlog/event.h"

namespace actlog {
namespace {

Json Parse(std::string_view text) {
  StatusOr<Json> j = ParseJson(text);
  EXPECT_TRUE(j.ok()) << j.status().ToString() << "\n" << text;
  return j.ok() ? *j : Json();
}

// A validated event with the store's fields assigned, as the store would.
Event Stored(std::string_view producer_json, uint64_t seq) {
  StatusOr<Event> e = ValidateEvent(Parse(producer_json), Catalog::BuiltIn(), EventLimits());
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  Event out = e.ok() ? *e : Event();
  FakeClock clock(1'795'947'303'120'001);  // 2026-11-29T10:15:03.120001Z
  out.seq = seq;
  out.received_at_us = clock.NowMicros();
  if (!out.client_id) out.id = NewEventId(clock);
  if (out.occurred_at_us < 0) out.occurred_at_us = out.received_at_us;
  return out;
}

void ExpectSameStoredFields(const Event& a, const Event& b) {
  EXPECT_EQ(a.org, b.org);
  EXPECT_EQ(a.code, b.code);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.occurred_at_us, b.occurred_at_us);
  EXPECT_EQ(a.received_at_us, b.received_at_us);
  EXPECT_EQ(a.actor.type, b.actor.type);
  EXPECT_EQ(a.actor.id, b.actor.id);
  EXPECT_EQ(a.actor.name, b.actor.name);
  EXPECT_EQ(a.actor.email, b.actor.email);
  ASSERT_EQ(a.target.has_value(), b.target.has_value());
  if (a.target) {
    EXPECT_EQ(a.target->type, b.target->type);
    EXPECT_EQ(a.target->id, b.target->id);
    EXPECT_EQ(a.target->name, b.target->name);
  }
  EXPECT_EQ(a.context.ip, b.context.ip);
  EXPECT_EQ(a.context.user_agent, b.context.user_agent);
  EXPECT_EQ(a.context.request_id, b.context.request_id);
  EXPECT_EQ(a.changes, b.changes);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.metadata, b.metadata);
}

const char* const kGoodEvents[] = {
    R"({"org":"org_42","code":"org.member:updated","id":"9f1c-1",
        "occurred_at":"2026-11-29T12:15:03.120+02:00",
        "actor":{"type":"user","id":"u_7","name":"Alice Doe","email":"alice@example.com"},
        "target":{"type":"org.member","id":"m_12","name":"Bob Roe"},
        "context":{"ip":"2001:db8::1","user_agent":"Mozilla/5.0","request_id":"req_1"},
        "changes":{"role":{"from":"viewer","to":"admin"},"limits.daily":{"from":null,"to":1e21}},
        "outcome":"failure","reason":"approval pending",
        "metadata":{"note":"caf\u00e9 \ud83d\ude00 \"quoted\"\n","n":[0.1,-0,3],"deep":{"a":{"b":true}}}})",
    R"({"org":"o","code":"org:created","actor":{"type":"system"}})",
    R"({"org":"o","code":"payment:processed_manually","actor":{"type":"api_key","id":"key_1"},
        "context":{"request_id":"r"},"before":{"a":1},"after":{"a":2,"b":[1]}})",
};

TEST(EventJson, GoodEventsRoundTripThroughCanonicalBytes) {
  uint64_t seq = 0;
  for (const char* producer : kGoodEvents) {
    Event e = Stored(producer, seq++);
    std::string canonical = CanonicalEvent(e);
    StatusOr<Event> back = DecodeEvent(canonical);
    ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << canonical;
    ExpectSameStoredFields(e, *back);
    EXPECT_EQ(CanonicalEvent(*back), canonical);
    EXPECT_EQ(CanonicalJson(EventToJson(e)), canonical);
    EXPECT_FALSE(back->client_id);  // kept beside the event by the store, not in it
    EXPECT_TRUE(back->content_digest.empty());
  }
}

TEST(EventJson, CanonicalBytesAreExactlyTheSortedStoredFields) {
  Event e = Stored(R"({"org":"o","code":"org:created","id":"c1",
                       "occurred_at":"2026-11-29T10:15:03.120Z","actor":{"type":"user","id":"u_7"}})",
                   3);
  EXPECT_EQ(CanonicalEvent(e),
            R"({"actor":{"id":"u_7","type":"user"},"code":"org:created","id":"c1",)"
            R"("occurred_at":"2026-11-29T10:15:03.120Z","org":"o","outcome":"success",)"
            R"("received_at":"2026-11-29T10:15:03.120001Z","seq":3})");
}

TEST(EventJson, OmitsAbsentOptionalsAndEmptyGroups) {
  Event e = Stored(R"({"org":"o","code":"org:created","actor":{"type":"system"}})", 0);
  Json j = EventToJson(e);
  for (const char* absent : {"target", "context", "changes", "reason", "metadata"}) {
    EXPECT_EQ(j.Find(absent), nullptr) << absent;
  }
  EXPECT_EQ(j.Find("actor")->Find("name"), nullptr);
  EXPECT_EQ(j.Find("actor")->Find("email"), nullptr);
  EXPECT_EQ(*j.Find("seq"), Json::Number(0));
}

TEST(EventJson, DecodeRejectsJunkAsDataLoss) {
  const std::string good = CanonicalEvent(Stored(kGoodEvents[1], 5));
  ASSERT_TRUE(DecodeEvent(good).ok());
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    std::size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return s;
  };
  for (const std::string& junk :
       {std::string(""), std::string("not json"), std::string("[]"), std::string("null"),
        good.substr(0, good.size() - 1), std::string("{\"org\":\"o\xff\"}"),
        replace("\"seq\":5", "\"seq\":-1"), replace("\"seq\":5", "\"seq\":1.5"),
        replace("\"seq\":5", "\"seq\":\"5\""), replace("\"org\":\"o\",", ""),
        replace("\"org\":\"o\",", "\"org\":\"o\",\"extra\":1,"),
        replace("\"type\":\"system\"", "\"type\":\"robot\""),
        replace("\"type\":\"system\"", "\"type\":\"system\",\"x\":1"),
        replace("\"outcome\":\"success\"", "\"outcome\":\"ok\""),
        replace("\"seq\":5", "\"seq\":5,\"changes\":[]"),
        replace("\"seq\":5", "\"seq\":5,\"target\":{\"type\":\"t\"}"),
        replace("\"received_at\":\"2026", "\"received_at\":\"1926")}) {
    StatusOr<Event> e = DecodeEvent(junk);
    EXPECT_FALSE(e.ok()) << junk;
    if (!e.ok()) {
      EXPECT_EQ(e.status().code(), StatusCode::kDataLoss) << junk;
    }
  }
}

TEST(EventEnums, NamesRoundTrip) {
  for (ActorType t : {ActorType::kUser, ActorType::kApiKey, ActorType::kSystem}) {
    EXPECT_EQ(ParseActorType(ToString(t)), t);
  }
  for (Outcome o : {Outcome::kSuccess, Outcome::kFailure}) EXPECT_EQ(ParseOutcome(ToString(o)), o);
  EXPECT_EQ(ToString(ActorType::kApiKey), "api_key");
  EXPECT_FALSE(ParseActorType("User").has_value());
  EXPECT_FALSE(ParseOutcome("").has_value());
}

}  // namespace
}  // namespace actlog
