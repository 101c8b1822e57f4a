// The access handlers (orgs, keys, viewer tokens) run through the router's routes on a
// fake Exchange: statuses, bodies, validation codes and the actlog.* events they log.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>

#include "actlog/json.h"
#include "server/admin_log.h"
#include "server/auth.h"
#include "server/rate_limit.h"
#include "server/routes.h"
#include "testing/temp_dir.h"

namespace actlog::server {
namespace {

constexpr int64_t kNow = 1'790'000'000'000'000;

class FakeExchange final : public Exchange {
 public:
  Request req;
  Principal who;
  std::optional<Response> response;

  const Request& request() const override { return req; }
  const Principal& principal() const override { return who; }
  Awaitable<void> Respond(Response r) override {
    response = std::move(r);
    co_return;
  }
  Awaitable<void> BeginStream(Response) override { co_return; }
  Awaitable<bool> Write(std::string) override { co_return false; }
  Awaitable<void> EndStream() override { co_return; }
  Awaitable<void> Sleep(int64_t) override { co_return; }
  bool stopping() const override { return false; }

 protected:
  Awaitable<void> RunBlocking(std::function<void()> fn) override {
    fn();
    co_return;
  }
};

void RunHandler(const Handler& handler, Exchange& ex) {
  boost::asio::io_context io;
  boost::asio::co_spawn(io, handler(ex), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  io.run();
}

struct Answer {
  int status = 0;
  Json body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string error_code() const {
    const Json* e = body.Find("error");
    return e && e->Find("code") ? e->Find("code")->as_string() : "";
  }
  std::string detail(std::string_view member) const {
    const Json* d = body.Find("error") ? body.Find("error")->Find("details") : nullptr;
    if (!d || d->as_array().empty()) return "";
    return d->as_array()[0].Find(member)->as_string();
  }
};

class AccessHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions options;
    options.data_dir = dir_;
    options.clock = &clock_;
    options.sync = false;
    store_ = std::move(OpenRocksStore(options)).value();
    ring_ = std::move(KeyRing::Open(store_.get(), &clock_)).value();
    admin_log_ = std::make_unique<AdminLog>(store_.get(), &catalog_);
    ctx_.store = store_.get();
    ctx_.catalog = &catalog_;
    ctx_.clock = &clock_;
    ctx_.auth = ring_.get();
    ctx_.key_ring = ring_.get();
    ctx_.admin_log = admin_log_.get();
    RegisterOrgRoutes(router_, ctx_);
    RegisterKeyRoutes(router_, ctx_);
    RegisterViewerTokenRoutes(router_, ctx_);
    auto admin = ring_->CreateKey("admin", std::nullopt);
    admin_ = std::move(ring_->Authenticate(admin->key)).value();
  }
  void TearDown() override {
    ring_.reset();
    store_.reset();
  }

  Answer Call(Method method, const std::string& path, std::string body = "",
              std::string content_type = "application/json") {
    RouteMatch match = router_.Match(method, path);
    EXPECT_NE(match.route, nullptr) << path;
    if (match.route == nullptr) return {};
    EXPECT_EQ(match.route->access, Access::kAdmin) << "every access route is admin-only";
    FakeExchange ex;
    ex.req.method = method;
    ex.req.path = path;
    ex.req.path_params = match.params;
    ex.req.body = std::move(body);
    if (!ex.req.body.empty()) ex.req.headers["content-type"] = content_type;
    ex.who = admin_;
    RunHandler(match.route->handler, ex);
    EXPECT_TRUE(ex.response.has_value());
    Answer a;
    a.status = ex.response->status;
    a.headers = ex.response->headers;
    if (!ex.response->body.empty()) {
      auto parsed = ParseJson(ex.response->body);
      EXPECT_TRUE(parsed.ok()) << ex.response->body;
      if (parsed.ok()) a.body = *parsed;
    }
    return a;
  }
  // The codes of an org's events, in seq order.
  std::vector<std::string> Codes(const std::string& org) {
    std::vector<std::string> codes;
    EXPECT_TRUE(store_
                    ->Scan(org, 0, UINT64_MAX,
                           [&](const StoredEvent& s) {
                             codes.push_back(s.event.code);
                             EXPECT_EQ(s.event.actor.type, ActorType::kApiKey);
                             EXPECT_EQ(s.event.actor.id, admin_.key_id)
                                 << "the admin key that acted";
                             return true;
                           })
                    .ok());
    return codes;
  }

  testing::TempDir tmp_{"actlog-hacc"};  // removed after TearDown closed the store
  const std::string& dir_ = tmp_.path();
  FakeClock clock_{kNow};
  Catalog catalog_ = Catalog::BuiltIn();
  std::unique_ptr<Store> store_;
  std::unique_ptr<KeyRing> ring_;
  std::unique_ptr<AdminLog> admin_log_;
  ServerContext ctx_;
  Router router_;
  Principal admin_;
};

TEST_F(AccessHandlersTest, OrgIsCreatedOnceListedAndPatchedWithEveryChangeLogged) {
  Answer created =
      Call(Method::kPost, "/v1/orgs", R"({"org":"org_42","name":"Acme","retention_days":30})");
  ASSERT_EQ(created.status, 201) << CanonicalJson(created.body);
  EXPECT_EQ(created.body.Find("org")->as_string(), "org_42");
  EXPECT_EQ(created.body.Find("name")->as_string(), "Acme");
  EXPECT_EQ(created.body.Find("retention_days")->as_number(), 30);
  EXPECT_EQ(created.body.Find("event_count")->as_number(), 1) << "its creation is its first event";

  Answer again = Call(Method::kPost, "/v1/orgs", R"({"org":"org_42"})");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "conflict");
  EXPECT_EQ(Call(Method::kPost, "/v1/orgs", R"({"org":"actlog"})").status, 409)
      << "the platform org is reserved";

  Answer patched = Call(Method::kPatch, "/v1/orgs/org_42", R"({"retention_days":90})");
  ASSERT_EQ(patched.status, 200) << CanonicalJson(patched.body);
  EXPECT_EQ(patched.body.Find("retention_days")->as_number(), 90);
  EXPECT_EQ(patched.body.Find("name")->as_string(), "Acme") << "absent members are kept";
  Answer cleared = Call(Method::kPatch, "/v1/orgs/org_42", R"({"name":null})");
  ASSERT_EQ(cleared.status, 200);
  EXPECT_EQ(cleared.body.Find("name"), nullptr) << "null clears";
  EXPECT_EQ(Call(Method::kPatch, "/v1/orgs/org_42", R"({"retention_days":90})").status, 200);

  EXPECT_EQ(Codes("org_42"),
            (std::vector<std::string>{"actlog.org:created", "actlog.org:updated",
                                      "actlog.retention:updated", "actlog.org:updated"}))
      << "a patch that changes nothing logs nothing";
  auto retention = store_->GetBySeq("org_42", 2);
  ASSERT_TRUE(retention.ok());
  EXPECT_EQ(CanonicalJson(retention->event.changes), R"({"retention_days":{"from":30,"to":90}})");

  Answer list = Call(Method::kGet, "/v1/orgs");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body.Find("data")->as_array().size(), 1u);
  EXPECT_EQ(list.body.Find("data")->as_array()[0].Find("event_count")->as_number(), 4);
  EXPECT_TRUE(list.body.Find("next_cursor")->is_null());

  Answer unknown = Call(Method::kPatch, "/v1/orgs/org_nope", R"({"name":"x"})");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.error_code(), "not_found");
}

TEST_F(AccessHandlersTest, BadOrgSettingsAre422WithTheFieldNamed) {
  ASSERT_EQ(Call(Method::kPost, "/v1/orgs", R"({"org":"org_a"})").status, 201);
  struct Case {
    const char* body;
    const char* field;
    const char* code;
  } cases[] = {
      {R"({"retention_days":0})", "retention_days", "invalid_value"},
      {R"({"retention_days":36501})", "retention_days", "invalid_value"},
      {R"({"retention_days":1.5})", "retention_days", "invalid_value"},
      {R"({"retention_days":"30"})", "retention_days", "invalid_value"},
      {R"({"name":""})", "name", "invalid_value"},
      {R"({"name":7})", "name", "invalid_value"},
      {R"({"colour":"red"})", "colour", "unknown_field"},
  };
  for (const Case& c : cases) {
    Answer a = Call(Method::kPatch, "/v1/orgs/org_a", c.body);
    EXPECT_EQ(a.status, 422) << c.body;
    EXPECT_EQ(a.error_code(), "invalid_settings") << c.body;
    EXPECT_EQ(a.detail("field"), c.field) << c.body;
    EXPECT_EQ(a.detail("code"), c.code) << c.body;
  }
  EXPECT_EQ(store_->GetOrg("org_a")->settings, OrgSettings{}) << "nothing was applied";
  EXPECT_EQ(Call(Method::kPost, "/v1/orgs", R"({"name":"no id"})").detail("field"), "org");
  EXPECT_EQ(Call(Method::kPost, "/v1/orgs", R"({"org":"bad org"})").status, 422);
  EXPECT_EQ(Call(Method::kPatch, "/v1/orgs/org_a", "{").error_code(), "invalid_json");
  EXPECT_EQ(Call(Method::kPatch, "/v1/orgs/org_a", "[]").status, 400);
  EXPECT_EQ(Call(Method::kPatch, "/v1/orgs/org_a", R"({"name":"x"})", "text/plain").status, 415);
  EXPECT_EQ(Codes("org_a"), (std::vector<std::string>{"actlog.org:created"}));
}

TEST_F(AccessHandlersTest, KeyIsShownOnceListedWithoutSecretsAndRevokedOnce) {
  Answer created = Call(Method::kPost, "/v1/keys", R"({"kind":"read","org":"org_a"})");
  ASSERT_EQ(created.status, 201) << CanonicalJson(created.body);
  std::string key = created.body.Find("key")->as_string();
  std::string id = created.body.Find("id")->as_string();
  EXPECT_EQ(created.body.Find("kind")->as_string(), "read");
  EXPECT_EQ(created.body.Find("org")->as_string(), "org_a");
  auto p = ring_->Authenticate(key);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->key_id, id);

  Answer list = Call(Method::kGet, "/v1/keys");
  ASSERT_EQ(list.status, 200);
  std::string listed = CanonicalJson(list.body);
  EXPECT_EQ(listed.find(key.substr(12)), std::string::npos) << "no secret in the list";
  EXPECT_EQ(listed.find("hash"), std::string::npos);
  EXPECT_EQ(list.body.Find("data")->as_array().size(), 2u) << "the test's admin key too";

  EXPECT_EQ(Call(Method::kDelete, "/v1/keys/" + id).status, 204);
  EXPECT_EQ(ring_->Authenticate(key).status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(Call(Method::kDelete, "/v1/keys/" + id).status, 204) << "idempotent";
  EXPECT_EQ(Call(Method::kDelete, "/v1/keys/key_0000000000000000").status, 404);
  EXPECT_EQ(Codes("org_a"), (std::vector<std::string>{"actlog.key:created", "actlog.key:revoked"}));
}

TEST_F(AccessHandlersTest, PlatformWideKeysAreLoggedInThePlatformOrg) {
  ASSERT_EQ(Call(Method::kPost, "/v1/keys", R"({"kind":"ingest"})").status, 201);
  ASSERT_EQ(Call(Method::kPost, "/v1/keys", R"({"kind":"admin","name":"ops"})").status, 201);
  EXPECT_EQ(Codes(std::string(kPlatformOrg)),
            (std::vector<std::string>{"actlog.key:created", "actlog.key:created"}));
}

TEST_F(AccessHandlersTest, BadKeyRequestsAre422AndTheLastAdminKeyStays) {
  Answer no_org = Call(Method::kPost, "/v1/keys", R"({"kind":"read"})");
  EXPECT_EQ(no_org.status, 422);
  EXPECT_EQ(no_org.error_code(), "invalid_key");
  EXPECT_EQ(no_org.detail("code"), "org_required");
  EXPECT_EQ(Call(Method::kPost, "/v1/keys", R"({"kind":"root"})").detail("code"), "invalid_kind");
  EXPECT_EQ(Call(Method::kPost, "/v1/keys", R"({"kind":"read","org":"a","x":1})").detail("code"),
            "unknown_field");

  Answer last = Call(Method::kDelete, "/v1/keys/" + admin_.key_id);
  EXPECT_EQ(last.status, 409) << "the only admin key";
  EXPECT_EQ(ring_->Authenticate(admin_.key_id).status().code(), StatusCode::kUnauthenticated)
      << "a key id is not a credential";
  ASSERT_EQ(Call(Method::kPost, "/v1/keys", R"({"kind":"admin"})").status, 201);
  EXPECT_EQ(Call(Method::kDelete, "/v1/keys/" + admin_.key_id).status, 204)
      << "with another admin key it may go";
}

TEST_F(AccessHandlersTest, ViewerTokenIsMintedForAnExistingOrgAndLoggedWithoutTheToken) {
  ASSERT_EQ(Call(Method::kPost, "/v1/orgs", R"({"org":"org_a"})").status, 201);
  Answer minted =
      Call(Method::kPost, "/v1/orgs/org_a/viewer-tokens", R"({"ttl_seconds":60,"actor":"u_7"})");
  ASSERT_EQ(minted.status, 201) << CanonicalJson(minted.body);
  std::string token = minted.body.Find("token")->as_string();
  EXPECT_EQ(minted.body.Find("expires_at")->as_string(), FormatTimestamp(kNow + 60'000'000));
  auto p = ring_->Authenticate(token);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->org, "org_a");
  EXPECT_EQ(p->actor, "u_7");

  Answer defaults = Call(Method::kPost, "/v1/orgs/org_a/viewer-tokens");
  ASSERT_EQ(defaults.status, 201) << "an empty body takes the defaults";
  EXPECT_EQ(defaults.body.Find("expires_at")->as_string(), FormatTimestamp(kNow + 900'000'000));

  EXPECT_EQ(Call(Method::kPost, "/v1/orgs/org_none/viewer-tokens").status, 404);
  Answer bad = Call(Method::kPost, "/v1/orgs/org_a/viewer-tokens", R"({"ttl_seconds":86401})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.error_code(), "invalid_token_request");

  EXPECT_EQ(Codes("org_a"),
            (std::vector<std::string>{"actlog.org:created", "actlog.viewer_token:created",
                                      "actlog.viewer_token:created"}));
  auto logged = store_->GetBySeq("org_a", 1);
  ASSERT_TRUE(logged.ok());
  EXPECT_EQ(logged->canonical.find(token.substr(10, 20)), std::string::npos);
  EXPECT_EQ(logged->event.metadata.Find("actor")->as_string(), "u_7");
}

TEST_F(AccessHandlersTest, RateLimitedRouteAnswers429WithRetryAfter) {
  RateLimiter limiter({.rate_per_second = 0.5, .burst = 2}, &clock_);
  ApplyRateLimit(router_, &limiter);
  EXPECT_EQ(Call(Method::kGet, "/v1/keys").status, 200);
  EXPECT_EQ(Call(Method::kGet, "/v1/orgs").status, 200);
  Answer limited = Call(Method::kGet, "/v1/keys");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.error_code(), "rate_limited");
  EXPECT_EQ(limited.headers,
            (std::vector<std::pair<std::string, std::string>>{{"Retry-After", "2"}}));
  clock_.Advance(2'000'000);
  EXPECT_EQ(Call(Method::kGet, "/v1/keys").status, 200);
}

}  // namespace
}  // namespace actlog::server
