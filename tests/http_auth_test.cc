// Black-box tests of authentication and tenancy on the real server: 401 without or with
// a bad/revoked credential, 403 for the wrong key kind or another org, viewer tokens
// (read-only, one org, expire), and the key/org/viewer-token admin flows with the
// actlog.* events they leave in the org's log.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "http_fixture.h"

namespace actlog::testing {
namespace {

class AuthTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    ASSERT_TRUE(CreateOrg(admin(), "org_a"));
    ASSERT_TRUE(CreateOrg(admin(), "org_b"));
    ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, EventJson("org_b", "b-secret"))
                  .status,
              201);
    read_a_ = CreateKey(admin(), "read", "org_a");
    ingest_a_ = CreateKey(admin(), "ingest", "org_a");
    viewer_a_ = MintViewerToken(admin(), "org_a", 600);
    ASSERT_FALSE(read_a_.empty());
    ASSERT_FALSE(ingest_a_.empty());
    ASSERT_FALSE(viewer_a_.empty());
  }
  std::string read_a_, ingest_a_, viewer_a_;
};

TEST_F(AuthTest, MissingOrInvalidCredentialAnswers401OnEveryNonPublicRoute) {
  for (const char* target : {"/v1/events?org=org_a", "/v1/events/x?org=org_a",
                             "/v1/stats?org=org_a", "/v1/export?org=org_a", "/v1/event-types",
                             "/v1/orgs", "/v1/keys"}) {
    HttpResponse none = admin().Send("GET", target);
    EXPECT_EQ(none.status, 401) << target;
    EXPECT_EQ(none.ErrorCode(), "unauthenticated") << target;
    HttpResponse bad = admin().Send("GET", target, "actlog_read_notARealKeyAtAllxxxxxxxxxxxxxxxxxxxxxxx");
    EXPECT_EQ(bad.status, 401) << target;
  }
  EXPECT_EQ(admin().Send("POST", "/v1/events", "", EventJson("org_a")).status, 401);
  EXPECT_EQ(admin().Send("GET", "/healthz").status, 200);
  EXPECT_EQ(admin().Send("GET", "/metrics").status, 200);
}

TEST_F(AuthTest, ReadKeyOfOneOrgSeesNothingOfAnother) {
  EXPECT_EQ(admin().Send("GET", "/v1/events?org=org_a", read_a_).status, 200);
  EXPECT_EQ(admin().Send("GET", "/v1/events?org=org_b", read_a_).status, 403);
  HttpResponse by_id = admin().Send("GET", "/v1/events/b-secret?org=org_b", read_a_);
  EXPECT_TRUE(by_id.status == 403 || by_id.status == 404) << by_id.status;
  HttpResponse by_id_own_org = admin().Send("GET", "/v1/events/b-secret?org=org_a", read_a_);
  EXPECT_EQ(by_id_own_org.status, 404);
  HttpResponse by_id_no_org = admin().Send("GET", "/v1/events/b-secret", read_a_);
  EXPECT_EQ(by_id_no_org.status, 404);  // the read key's own org is assumed: not there
  EXPECT_EQ(admin().Send("GET", "/v1/stats?org=org_b", read_a_).status, 403);
  EXPECT_EQ(admin().Send("GET", "/v1/export?org=org_b", read_a_).status, 403);
  HttpClient stream(port());
  EXPECT_EQ(stream.OpenStream("/v1/events/stream?org=org_b", read_a_).status, 403);
}

TEST_F(AuthTest, ReadKeyCannotIngestNorAdminister) {
  HttpResponse ingest = admin().Send("POST", "/v1/events", read_a_, EventJson("org_a"));
  EXPECT_EQ(ingest.status, 403);
  EXPECT_EQ(ingest.ErrorCode(), "forbidden");
  EXPECT_EQ(admin().Send("GET", "/v1/keys", read_a_).status, 403);
  EXPECT_EQ(admin().Send("POST", "/v1/orgs", read_a_, "{\"org\":\"x\"}").status, 403);
}

TEST_F(AuthTest, IngestKeyWritesOnlyItsOwnOrgAndCannotRead) {
  EXPECT_EQ(admin().Send("POST", "/v1/events", ingest_a_, EventJson("org_a")).status, 201);
  HttpResponse other = admin().Send("POST", "/v1/events", ingest_a_, EventJson("org_b"));
  EXPECT_EQ(other.status, 403) << other.body;
  // A mixed batch is refused whole.
  std::string mixed = "{\"events\":[" + EventJson("org_a", "m-1") + "," +
                      EventJson("org_b", "m-2") + "]}";
  EXPECT_EQ(admin().Send("POST", "/v1/events", ingest_a_, mixed).status, 403);
  EXPECT_EQ(admin().Send("GET", "/v1/events/m-1?org=org_a", kTestAdminKey).status, 404);
  EXPECT_EQ(admin().Send("GET", "/v1/events?org=org_a", ingest_a_).status, 403);
  EXPECT_EQ(admin().Send("GET", "/v1/keys", ingest_a_).status, 403);
}

TEST_F(AuthTest, ViewerTokenReadsItsOrgOnlyAndCannotActAsAKey) {
  EXPECT_EQ(admin().Send("GET", "/v1/events?org=org_a", viewer_a_).status, 200);
  EXPECT_EQ(admin().Send("GET", "/v1/events?org=org_b", viewer_a_).status, 403);
  EXPECT_EQ(admin().Send("GET", "/v1/events/b-secret?org=org_a", viewer_a_).status, 404);
  EXPECT_EQ(admin().Send("GET", "/v1/stats?org=org_b", viewer_a_).status, 403);
  EXPECT_EQ(admin().Send("GET", "/v1/export?org=org_b", viewer_a_).status, 403);
  HttpClient stream(port());
  EXPECT_EQ(stream.OpenStream("/v1/events/stream?org=org_b", viewer_a_).status, 403);
  EXPECT_EQ(admin().Send("POST", "/v1/events", viewer_a_, EventJson("org_a")).status, 403);
  EXPECT_EQ(admin().Send("GET", "/v1/keys", viewer_a_).status, 403);
  EXPECT_EQ(admin().Send("POST", "/v1/orgs/org_a/viewer-tokens", viewer_a_, "{}").status, 403);
}

TEST_F(AuthTest, ViewerTokenLimitedToAnActorSeesOnlyThatActor) {
  ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey,
                         "{\"events\":[" + EventJson("org_a", "", "alice") + "," +
                             EventJson("org_a", "", "bob") + "]}")
                .status,
            201);
  std::string alice = MintViewerToken(admin(), "org_a", 600, "alice");
  HttpResponse r = admin().Send("GET", "/v1/events?org=org_a", alice);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_FALSE(r.JsonBody().Find("data")->as_array().empty());
  for (const Json& e : r.JsonBody().Find("data")->as_array()) {
    EXPECT_EQ(e.Find("actor")->Find("id")->as_string(), "alice");
  }
}

TEST_F(AuthTest, ExpiredViewerTokenAnswers401) {
  std::string short_lived = MintViewerToken(admin(), "org_a", 1);
  ASSERT_FALSE(short_lived.empty());
  EXPECT_EQ(admin().Send("GET", "/v1/events?org=org_a", short_lived).status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  HttpResponse r = admin().Send("GET", "/v1/events?org=org_a", short_lived);
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(r.ErrorCode(), "unauthenticated");
}

TEST_F(AuthTest, RevokedKeyAnswers401AndRevocationIsLogged) {
  std::string id;
  std::string key = CreateKey(admin(), "read", "org_a", &id);
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(admin().Send("GET", "/v1/events?org=org_a", key).status, 200);
  EXPECT_EQ(admin().Send("DELETE", "/v1/keys/" + id, kTestAdminKey).status, 204);
  EXPECT_EQ(admin().Send("GET", "/v1/events?org=org_a", key).status, 401);
  EXPECT_EQ(admin().Send("DELETE", "/v1/keys/" + id, kTestAdminKey).status, 204);  // idempotent
  EXPECT_EQ(admin().Send("DELETE", "/v1/keys/key_0000000000000000", kTestAdminKey).status, 404);
  HttpResponse log =
      admin().Send("GET", "/v1/events?org=org_a&code=actlog.key:revoked", kTestAdminKey);
  ASSERT_EQ(log.status, 200) << log.body;
  EXPECT_EQ(log.JsonBody().Find("data")->as_array().size(), 1u) << log.body;
}

TEST_F(AuthTest, RevokedKeyStaysRevokedAfterRestart) {
  std::string id;
  std::string key = CreateKey(admin(), "read", "org_a", &id);
  ASSERT_EQ(admin().Send("DELETE", "/v1/keys/" + id, kTestAdminKey).status, 204);
  StartWith({}, "");
  EXPECT_EQ(admin().Send("GET", "/v1/events?org=org_a", key).status, 401);
  EXPECT_EQ(admin().Send("GET", "/v1/events?org=org_a", read_a_).status, 200);
}

TEST_F(AuthTest, AdminFlowsAnswerTheirStatusesAndLeaveActlogEvents) {
  HttpResponse dup = admin().Send("POST", "/v1/orgs", kTestAdminKey, "{\"org\":\"org_a\"}");
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.ErrorCode(), "conflict");
  HttpResponse bad = admin().Send("POST", "/v1/orgs", kTestAdminKey, "{\"org\":\"o\",\"x\":1}");
  EXPECT_EQ(bad.status, 422) << bad.body;
  HttpResponse patched = admin().Send("PATCH", "/v1/orgs/org_a", kTestAdminKey,
                                      "{\"retention_days\":30,\"name\":\"Org A\"}");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.JsonBody().Find("retention_days")->as_number(), 30);
  EXPECT_EQ(admin().Send("PATCH", "/v1/orgs/nope", kTestAdminKey, "{\"name\":\"n\"}").status, 404);
  HttpResponse orgs = admin().Send("GET", "/v1/orgs", kTestAdminKey);
  ASSERT_EQ(orgs.status, 200);
  EXPECT_NE(orgs.body.find("org_b"), std::string::npos);
  HttpResponse keys = admin().Send("GET", "/v1/keys?org=org_a", kTestAdminKey);
  ASSERT_EQ(keys.status, 200);
  EXPECT_EQ(keys.JsonBody().Find("data")->as_array().size(), 2u) << keys.body;
  EXPECT_EQ(keys.body.find("actlog_read_"), std::string::npos) << "secrets are shown once";
  EXPECT_EQ(admin().Send("POST", "/v1/orgs/nope/viewer-tokens", kTestAdminKey, "{}").status, 404);

  HttpResponse log = admin().Send("GET", "/v1/events?org=org_a&code=actlog", kTestAdminKey);
  ASSERT_EQ(log.status, 200) << log.body;
  std::string codes;
  for (const Json& e : log.JsonBody().Find("data")->as_array()) {
    codes += e.Find("code")->as_string() + " ";
    EXPECT_EQ(e.Find("actor")->Find("type")->as_string(), "api_key");
  }
  for (const char* code : {"actlog.org:created", "actlog.org:updated", "actlog.key:created",
                           "actlog.viewer_token:created"}) {
    EXPECT_NE(codes.find(code), std::string::npos) << code << " in " << codes;
  }
}

TEST_F(AuthTest, LastAdminKeyCannotBeRevoked) {
  HttpResponse keys = admin().Send("GET", "/v1/keys", kTestAdminKey);
  std::string admin_id;
  for (const Json& k : keys.JsonBody().Find("data")->as_array()) {
    if (k.Find("kind")->as_string() == "admin") admin_id = k.Find("id")->as_string();
  }
  ASSERT_FALSE(admin_id.empty());
  HttpResponse r = admin().Send("DELETE", "/v1/keys/" + admin_id, kTestAdminKey);
  EXPECT_EQ(r.status, 409) << r.body;
}

}  // namespace
}  // namespace actlog::testing
