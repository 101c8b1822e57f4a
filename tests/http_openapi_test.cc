// docs/openapi.json and the real server agree: the document parses (with actlog's own
// ParseJson), every documented path+method exists on the server (a request gets one of
// its documented statuses, the success one for a well-formed request), methods not
// documented for a path answer 405, authenticated operations document and answer 401
// without credentials, and operations with path parameters document and answer 404 for
// ones that do not exist. Every documented operation needs a sample request here, so a
// new route documented without one (or one dropped from the doc) fails the test.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>

#include "http_fixture.h"

namespace actlog::testing {
namespace {

struct Sample {
  std::string target;    // with path params filled in, existing
  std::string missing;   // with a path param that does not exist ("" = no path params)
  std::string body;      // request body ("" = none)
  bool stream = false;   // an endless response: only its status is read
};

class OpenApiTest : public HttpServerTest {
 protected:
  void SetUp() override {
    HttpServerTest::SetUp();
    std::string text = ReadFileText(std::string(ACTLOG_TESTDATA_DIR) + "/../../docs/openapi.json");
    StatusOr<Json> doc = ParseJson(text);
    ASSERT_TRUE(doc.ok()) << doc.status().message();
    doc_ = *doc;
    ASSERT_TRUE(CreateOrg(admin(), "acme"));
    ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, EventJson("acme", "ev-1")).status,
              201);
    CreateKey(admin(), "read", "acme", &revocable_);
  }

  std::map<std::string, Sample> Samples() const {
    return {
        {"GET /healthz", {"/healthz", "", ""}},
        {"GET /readyz", {"/readyz", "", ""}},
        {"GET /metrics", {"/metrics", "", ""}},
        {"POST /v1/events", {"/v1/events", "", EventJson("acme", "ev-2")}},
        {"GET /v1/events", {"/v1/events?org=acme", "", ""}},
        {"GET /v1/events/{id}", {"/v1/events/ev-1?org=acme", "/v1/events/no-such?org=acme", ""}},
        {"GET /v1/events/stream", {"/v1/events/stream?org=acme", "", "", true}},
        {"GET /v1/event-types", {"/v1/event-types", "", ""}},
        {"GET /v1/stats", {"/v1/stats?org=acme", "", ""}},
        {"GET /v1/export", {"/v1/export?org=acme", "", ""}},
        {"POST /v1/orgs", {"/v1/orgs", "", R"({"org":"new_org"})"}},
        {"GET /v1/orgs", {"/v1/orgs", "", ""}},
        {"PATCH /v1/orgs/{org}", {"/v1/orgs/acme", "/v1/orgs/no_such", R"({"name":"Acme"})"}},
        {"POST /v1/keys", {"/v1/keys", "", R"({"kind":"read","org":"acme"})"}},
        {"GET /v1/keys", {"/v1/keys", "", ""}},
        {"DELETE /v1/keys/{id}", {"/v1/keys/" + revocable_, "/v1/keys/key_00000000deadbeef", ""}},
        {"POST /v1/orgs/{org}/subjects/{subject}:erase",
         {"/v1/orgs/acme/subjects/u_1:erase", "/v1/orgs/no_such/subjects/u_1:erase", ""}},
        {"POST /v1/orgs/{org}/viewer-tokens",
         {"/v1/orgs/acme/viewer-tokens", "/v1/orgs/no_such/viewer-tokens", R"({"ttl_seconds":60})"}},
        {"GET /v1/events/{id}/proof",
         {"/v1/events/ev-1/proof?org=acme", "/v1/events/no-such/proof?org=acme", ""}},
        {"GET /v1/orgs/{org}/consistency", {"/v1/orgs/acme/consistency?from=1&to=2", "", ""}},
        {"GET /v1/orgs/{org}/checkpoint", {"/v1/orgs/acme/checkpoint", "/v1/orgs/no_such/checkpoint", ""}},
        {"GET /v1/public-key", {"/v1/public-key", "", ""}},
        {"GET /v1/orgs/{org}/checkpoints",
         {"/v1/orgs/acme/checkpoints", "/v1/orgs/no_such/checkpoints", ""}},
        {"GET /v1/orgs/{org}/log/checkpoint",
         {"/v1/orgs/acme/log/checkpoint", "/v1/orgs/no_such/log/checkpoint", ""}},
        // acme's tree has at least 2 leaves (its creation and ev-1): width 1 is a prefix of
        // its partial level-0 tile whatever its exact size.
        {"GET /v1/orgs/{org}/log/tile/{path}",
         {"/v1/orgs/acme/log/tile/0/000.p/1", "/v1/orgs/no_such/log/tile/0/000.p/1", ""}},
    };
  }

  static std::string Upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }

  Json doc_;
  std::string revocable_;
};

TEST_F(OpenApiTest, DocumentIsOpenApi303WithPaths) {
  ASSERT_TRUE(doc_.Find("openapi"));
  EXPECT_EQ(doc_.Find("openapi")->as_string(), "3.0.3");
  ASSERT_TRUE(doc_.Find("paths") && doc_.Find("paths")->is_object());
  EXPECT_TRUE(doc_.Find("info") && doc_.Find("info")->Find("title"));
}

TEST_F(OpenApiTest, EveryDocumentedOperationHasASampleAndEverySampleIsDocumented) {
  std::set<std::string> documented, sampled;
  for (const auto& [path, item] : doc_.Find("paths")->as_object()) {
    for (const auto& [method, op] : item.as_object()) documented.insert(Upper(method) + " " + path);
  }
  for (const auto& [name, sample] : Samples()) sampled.insert(name);
  EXPECT_EQ(documented, sampled);
}

TEST_F(OpenApiTest, ServerAnswersEveryDocumentedOperationWithItsDocumentedStatuses) {
  std::map<std::string, Sample> samples = Samples();
  for (const auto& [path, item] : doc_.Find("paths")->as_object()) {
    std::set<std::string> methods;
    for (const auto& [method_lower, op] : item.as_object()) {
      std::string method = Upper(method_lower);
      methods.insert(method);
      std::string name = method + " " + path;
      SCOPED_TRACE(name);
      auto it = samples.find(name);
      if (it == samples.end()) continue;  // reported by the test above
      const Sample& s = it->second;
      const Json* responses = op.Find("responses");
      ASSERT_TRUE(responses && responses->is_object());
      auto documents = [&](int status) { return responses->Find(std::to_string(status)) != nullptr; };
      const Json* security = op.Find("security");
      bool authenticated = !(security && security->is_array() && security->as_array().empty());

      HttpClient client(port());
      HttpResponse ok = s.stream ? client.OpenStream(s.target, kTestAdminKey)
                                 : client.Send(method, s.target, kTestAdminKey, s.body);
      client.Close();
      EXPECT_EQ(ok.status / 100, 2) << ok.status << " " << ok.body;
      EXPECT_TRUE(documents(ok.status)) << "undocumented status " << ok.status;

      if (authenticated) {
        EXPECT_TRUE(documents(401));
        HttpResponse anon =
            s.stream ? client.OpenStream(s.target, "") : client.Send(method, s.target, "", s.body);
        client.Close();
        EXPECT_EQ(anon.status, 401);
      }
      if (!s.missing.empty()) {
        EXPECT_TRUE(documents(404));
        HttpResponse missing = client.Send(method, s.missing, kTestAdminKey, s.body);
        EXPECT_EQ(missing.status, 404) << missing.body;
      }
    }
    // Methods the doc does not list for this path are not served.
    const Sample* any = nullptr;
    for (const auto& [name, sample] : samples) {
      if (name.substr(name.find(' ') + 1) == path) any = &sample;
    }
    if (!any) continue;
    for (const char* m : {"GET", "POST", "PATCH", "DELETE", "PUT"}) {
      if (methods.count(m)) continue;
      HttpClient client(port());
      HttpResponse r = client.Send(m, any->target, kTestAdminKey, m == std::string("GET") ? "" : "{}");
      EXPECT_EQ(r.status, 405) << m << " " << path << ": " << r.body;
    }
  }
}

}  // namespace
}  // namespace actlog::testing
