// The events API writes a page's events field by field (AppendCanonicalEvent) instead of
// through EventToJson; these hold the two byte-identical, and the erased form on the
// Json path.
#include "server/event_output.h"

#include <gtest/gtest.h>

#include <string>

#include "actlog/json.h"

namespace actlog::server {
namespace {

// A stored event as DecodeEvent reads it back: every optional field, nested changes and
// metadata with escapes, numbers and a key that sorts after an uppercase one.
const char* const kStored =
    R"({"actor":{"email":"alice@example.com","id":"u_7","name":"Alice \"A\" Doe","type":"user"},)"
    R"("changes":{"limits.daily":{"from":null,"to":1e+21},"role":{"from":"viewer","to":"admin"}},)"
    R"("code":"org.member:updated","context":{"ip":"2001:db8::1","request_id":"req_1",)"
    R"("user_agent":"Mozilla/5.0"},"id":"evt_01","metadata":{"Z":1,"a":[0.1,0,3],)"
    R"("note":"café\n"},"occurred_at":"2026-11-29T10:15:03.120Z","org":"org_42",)"
    R"("outcome":"failure","reason":"approval pending","received_at":)"
    R"("2026-11-29T10:15:03.120001Z","seq":42,"target":{"id":"m_12","name":"Bob","type":"t"}})";

Event Decoded(const std::string& canonical) {
  StatusOr<Event> e = DecodeEvent(canonical);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? *e : Event();
}

TEST(EventOutput, EventJsonIsTheCanonicalFormOfEventToJson) {
  for (const std::string& stored :
       {std::string(kStored),
        std::string(R"({"actor":{"id":"system","type":"system"},"code":"org:created",)"
                    R"("id":"evt_02","occurred_at":"2026-11-29T10:15:03.120Z","org":"o",)"
                    R"("outcome":"success","received_at":"2026-11-29T10:15:03.120Z","seq":0})")}) {
    Event e = Decoded(stored);
    std::string out = "[";
    AppendEventJson(e, &out);
    EXPECT_EQ(out, "[" + CanonicalJson(EventToJson(e)));
    EXPECT_EQ(out, "[" + stored);  // canonical bytes read back are written back unchanged
  }
}

TEST(EventOutput, ErasedValuesAreNullAndListed) {
  Event e = Decoded(kStored);
  e.actor.email.reset();
  e.erased = {"actor.email"};
  std::string out;
  AppendEventJson(e, &out);
  EXPECT_EQ(out, CanonicalJson(EventToJson(e)));
  EXPECT_NE(out.find(R"("email":null)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("erased":["actor.email"])"), std::string::npos) << out;
}

TEST(EventOutput, ListBodyHoldsTheEventsAndTheCursor) {
  QueryPage page;
  page.events.push_back(StoredEvent{kStored, Decoded(kStored)});
  page.events.push_back(StoredEvent{kStored, Decoded(kStored)});
  page.next_cursor = "c\"1";
  EXPECT_EQ(EventListBody(page), std::string("{\"data\":[") + kStored + "," + kStored +
                                     R"(],"next_cursor":"c\"1"})");
  page.events.clear();
  page.next_cursor.reset();
  EXPECT_EQ(EventListBody(page), R"({"data":[],"next_cursor":null})");
}

}  // namespace
}  // namespace actlog::server
