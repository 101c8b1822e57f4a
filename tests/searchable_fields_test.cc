// Black-box tests of searchable personal fields (catalog searchable_fields, DESIGN §7,
// docs/PRIVACY.md) on the real binary: the built-in catalog marks metadata.email of
// org.member:invited; it is found by exact, case-insensitive match over the API, the
// search string and the live stream's filter; no file holds it in plain; after the
// invitee's erasure the search finds nothing while other invitees are still found.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "actlog/event.h"
#include "http_fixture.h"
#include "store/rocksdb/file_scan.h"

namespace actlog::testing {
namespace {

const std::string kInviteeEmail = "ingrid.quasimodo-vell@example.org";
const std::string kOtherEmail = "otto.plumtree@example.org";

std::string Invite(const std::string& id, const std::string& member, const std::string& email) {
  return R"({"org":"acme","code":"org.member:invited","id":")" + id +
         R"(","actor":{"type":"user","id":"u_admin"},"target":{"type":"org.member","id":")" +
         member + R"("},"metadata":{"email":")" + email + R"(","role":"viewer"}})";
}

class SearchableFieldsTest : public HttpServerTest {
 protected:
  std::vector<std::string> Ids(const std::string& query) {
    HttpResponse r = admin().Send("GET", "/v1/events?org=acme&" + query, kTestAdminKey);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    std::vector<std::string> ids;
    if (r.status != 200) return ids;
    for (const Json& e : r.JsonBody().Find("data")->as_array()) {
      ids.push_back(e.Find("id")->as_string());
    }
    return ids;
  }
  bool AnyFileHolds(const std::string& value) {
    bool found = false;
    StatusOr<size_t> files = store::ScanDataDir(
        data_.path(), [&](const std::string&, std::string_view bytes) {
          found = found || bytes.find(value) != std::string_view::npos;
        });
    EXPECT_TRUE(files.ok());
    return found;
  }
};

TEST_F(SearchableFieldsTest, InviteeEmailIsFoundByBlindIndexAndForgottenAfterErasure) {
  std::string body = "{\"events\":[" + Invite("i-1", "m_1", kInviteeEmail) + "," +
                     Invite("i-2", "m_2", kOtherEmail) + "," +
                     Invite("i-3", "m_3", "INGRID.QUASIMODO-VELL@example.org.uk") + "]}";
  HttpResponse r = admin().Send("POST", "/v1/events", kTestAdminKey, body);
  ASSERT_EQ(r.status, 201) << r.body;

  EXPECT_EQ(Ids("metadata.email=Ingrid.Quasimodo-Vell%40example.org"),
            std::vector<std::string>{"i-1"});
  EXPECT_EQ(Ids("search=metadata.email:" + kOtherEmail), std::vector<std::string>{"i-2"});
  EXPECT_EQ(Ids("search=code:org.member:invited%20-metadata.email:" + kOtherEmail),
            (std::vector<std::string>{"i-3", "i-1"}));
  HttpResponse unmarked =
      admin().Send("GET", "/v1/events?org=acme&metadata.role=viewer", kTestAdminKey);
  EXPECT_EQ(unmarked.status, 400) << unmarked.body;
  EXPECT_NE(unmarked.body.find("not a searchable field"), std::string::npos) << unmarked.body;
  HttpResponse stream = admin().Send(
      "GET", "/v1/events/stream?org=acme&metadata.role=viewer", kTestAdminKey);
  EXPECT_EQ(stream.status, 400) << "the live stream refuses the same filter";

  ASSERT_EQ(server_->Stop(), 0) << server_->Stderr();
  EXPECT_FALSE(AnyFileHolds(kInviteeEmail)) << "sealed, and indexed only as an HMAC";
  StartWith({}, "");

  HttpResponse erased =
      admin().Send("POST", "/v1/orgs/acme/subjects/m_1:erase", kTestAdminKey, "");
  ASSERT_EQ(erased.status, 200) << erased.body;
  EXPECT_GE(erased.JsonBody().Find("index_entries_removed")->as_number(), 1);
  EXPECT_TRUE(Ids("metadata.email=" + kInviteeEmail).empty());
  EXPECT_EQ(Ids("metadata.email=" + kOtherEmail), std::vector<std::string>{"i-2"});
  HttpResponse event = admin().Send("GET", "/v1/events/i-1?org=acme", kTestAdminKey);
  ASSERT_EQ(event.status, 200);
  EXPECT_TRUE(event.JsonBody().Find("metadata")->Find("email")->is_null());
}

}  // namespace
}  // namespace actlog::testing
