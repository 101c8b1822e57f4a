// Router: patterns, parameters, 404/405, authentication and access (router.h).
#include "server/router.h"

#include <gtest/gtest.h>

#include <map>

#include "server/errors.h"
#include "server/fake_exchange.h"

namespace actlog::server {
namespace {

// Answers 200 with a body naming the route and its parameters.
Handler Echo(std::string name) {
  return [name](Exchange& ex) -> Awaitable<void> {
    std::string body = name;
    for (const auto& [k, v] : ex.request().path_params) body += " " + k + "=" + v;
    co_await ex.Respond(Response::Json(200, body));
  };
}

Request Get(std::string path, Method method = Method::kGet) {
  Request r;
  r.method = method;
  r.path = std::move(path);
  return r;
}

class MapAuthenticator final : public Authenticator {
 public:
  std::map<std::string, Principal, std::less<>> keys;
  StatusOr<Principal> Authenticate(std::string_view credential) const override {
    auto it = keys.find(credential);
    if (it == keys.end()) return Unauthenticated("unknown key");
    return it->second;
  }
};

Router TestRouter(const Authenticator* auth = nullptr) {
  Router router(auth);
  router.Add(Method::kGet, "/healthz", Access::kPublic, Echo("healthz"));
  router.Add(Method::kGet, "/v1/events", Access::kPublic, Echo("list"));
  router.Add(Method::kPost, "/v1/events", Access::kIngest, Echo("ingest"));
  router.Add(Method::kGet, "/v1/events/{id}", Access::kPublic, Echo("one"));
  router.Add(Method::kGet, "/v1/events/stream", Access::kPublic, Echo("stream"));
  router.Add(Method::kPost, "/v1/orgs/{org}/subjects/{subject}:erase", Access::kAdmin,
             Echo("erase"));
  router.Add(Method::kGet, "/v1/orgs/{org}/log/tile/{path...}", Access::kPublic, Echo("tile"));
  router.Add(Method::kGet, "/v1/keys", Access::kAdmin, Echo("keys"));
  router.Add(Method::kGet, "/v1/read", Access::kRead, Echo("read"));
  return router;
}

TEST(Router, MatchesLiteralPaths) {
  Router router = TestRouter();
  FakeExchange ex = RunThrough(router, Get("/healthz"));
  EXPECT_EQ(ex.response().status, 200);
  EXPECT_EQ(ex.response().body, "healthz");
  EXPECT_EQ(ex.route(), "/healthz");
}

TEST(Router, ExtractsPathParameters) {
  Router router = TestRouter();
  FakeExchange ex = RunThrough(router, Get("/v1/events/evt_123"));
  EXPECT_EQ(ex.response().body, "one id=evt_123");
  EXPECT_EQ(ex.route(), "/v1/events/{id}");
}

TEST(Router, PrefersLiteralSegmentOverParameter) {
  Router router = TestRouter();
  EXPECT_EQ(RunThrough(router, Get("/v1/events/stream")).response().body, "stream");
}

TEST(Router, ParameterWithLiteralSuffixInSegment) {
  MapAuthenticator auth;
  auth.keys["adm"] = Principal{PrincipalKind::kAdmin, std::nullopt, std::nullopt, "key_a"};
  Router router = TestRouter(&auth);
  Request r = Get("/v1/orgs/o_1/subjects/u_7:erase", Method::kPost);
  r.headers["authorization"] = "Bearer adm";
  EXPECT_EQ(RunThrough(router, r).response().body, "erase org=o_1 subject=u_7");
  // Without the suffix the segment does not match that route.
  Request bad = Get("/v1/orgs/o_1/subjects/u_7", Method::kPost);
  EXPECT_EQ(RunThrough(router, bad).response().status, 404);
}

TEST(Router, RestParameterTakesRemainingSegments) {
  Router router = TestRouter();
  EXPECT_EQ(RunThrough(router, Get("/v1/orgs/o_1/log/tile/0/x001/234.p/5")).response().body,
            "tile org=o_1 path=0/x001/234.p/5");
  EXPECT_EQ(RunThrough(router, Get("/v1/orgs/o_1/log/tile/")).response().status, 404);
}

TEST(Router, UnknownPathIs404NotFound) {
  Router router = TestRouter();
  for (const char* path : {"/", "/v2/events", "/v1/events/a/b", "/healthz/", "/v1/eventsx"}) {
    FakeExchange ex = RunThrough(router, Get(path));
    EXPECT_EQ(ex.response().status, 404) << path;
    EXPECT_NE(ex.response().body.find("\"code\":\"not_found\""), std::string::npos) << path;
    EXPECT_EQ(ex.route(), "unmatched");
  }
}

TEST(Router, EmptyParameterSegmentDoesNotMatch) {
  Router router = TestRouter();
  EXPECT_EQ(RunThrough(router, Get("/v1/events/")).response().status, 404);
}

TEST(Router, WrongMethodIs405WithAllow) {
  Router router = TestRouter();
  FakeExchange ex = RunThrough(router, Get("/v1/events", Method::kDelete));
  EXPECT_EQ(ex.response().status, 405);
  EXPECT_NE(ex.response().body.find("\"code\":\"method_not_allowed\""), std::string::npos);
  std::string allow;
  for (const auto& [k, v] : ex.response().headers) {
    if (k == "Allow") allow = v;
  }
  EXPECT_EQ(allow, "GET, POST");
}

TEST(Router, MissingCredentialIs401WithWwwAuthenticate) {
  MapAuthenticator auth;
  Router router = TestRouter(&auth);
  FakeExchange ex = RunThrough(router, Get("/v1/keys"));
  EXPECT_EQ(ex.response().status, 401);
  EXPECT_NE(ex.response().body.find("\"code\":\"unauthenticated\""), std::string::npos);
  bool www = false;
  for (const auto& [k, v] : ex.response().headers) www = www || (k == "WWW-Authenticate");
  EXPECT_TRUE(www);
}

TEST(Router, NonBearerSchemeAndUnknownKeyAre401) {
  MapAuthenticator auth;
  Router router = TestRouter(&auth);
  for (const char* header : {"Basic YWxhZGRpbjpvcGVu", "Bearer", "Bearer   ", "Bearer nope"}) {
    Request r = Get("/v1/keys");
    r.headers["authorization"] = header;
    EXPECT_EQ(RunThrough(router, r).response().status, 401) << header;
  }
}

TEST(Router, BearerSchemeIsCaseInsensitive) {
  MapAuthenticator auth;
  auth.keys["adm"] = Principal{PrincipalKind::kAdmin, std::nullopt, std::nullopt, "key_a"};
  Router router = TestRouter(&auth);
  Request r = Get("/v1/keys");
  r.headers["authorization"] = "bearer adm";
  FakeExchange ex = RunThrough(router, r);
  EXPECT_EQ(ex.response().status, 200);
  EXPECT_EQ(ex.principal().key_id, "key_a");
}

TEST(Router, WrongKindOfKeyIs403Forbidden) {
  MapAuthenticator auth;
  auth.keys["rd"] = Principal{PrincipalKind::kRead, "o_1", std::nullopt, "key_r"};
  auth.keys["ing"] = Principal{PrincipalKind::kIngest, std::nullopt, std::nullopt, "key_i"};
  auth.keys["vt"] = Principal{PrincipalKind::kViewer, "o_1", std::nullopt, ""};
  Router router = TestRouter(&auth);
  auto call = [&](const char* key, const char* path, Method m = Method::kGet) {
    Request r = Get(path, m);
    r.headers["authorization"] = std::string("Bearer ") + key;
    return RunThrough(router, r).response().status;
  };
  EXPECT_EQ(call("rd", "/v1/keys"), 403);
  EXPECT_EQ(call("ing", "/v1/keys"), 403);
  EXPECT_EQ(call("vt", "/v1/events", Method::kPost), 403);
  EXPECT_EQ(call("rd", "/v1/events", Method::kPost), 403);
  EXPECT_EQ(call("ing", "/v1/events", Method::kPost), 200);
  EXPECT_EQ(call("rd", "/v1/read"), 200);
  EXPECT_EQ(call("vt", "/v1/read"), 200);
  EXPECT_EQ(call("ing", "/v1/read"), 403);
}

TEST(Router, NoAuthenticatorMeansEveryProtectedRouteIs401) {
  Router router = TestRouter(nullptr);
  Request r = Get("/v1/keys");
  r.headers["authorization"] = "Bearer anything";
  EXPECT_EQ(RunThrough(router, r).response().status, 401);
  EXPECT_EQ(RunThrough(router, Get("/healthz")).response().status, 200);
}

TEST(Router, HandlerThatThrowsGets500Internal) {
  Router router;
  router.Add(Method::kGet, "/boom", Access::kPublic, [](Exchange&) -> Awaitable<void> {
    throw std::runtime_error("bug");
    co_return;
  });
  FakeExchange ex = RunThrough(router, Get("/boom"));
  EXPECT_EQ(ex.response().status, 500);
  EXPECT_NE(ex.response().body.find("\"code\":\"internal\""), std::string::npos);
}

TEST(Router, HandlerThatNeverAnswersGets500) {
  Router router;
  router.Add(Method::kGet, "/silent", Access::kPublic,
             [](Exchange&) -> Awaitable<void> { co_return; });
  FakeExchange ex = RunThrough(router, Get("/silent"));
  EXPECT_EQ(ex.response().status, 500);
  EXPECT_EQ(ex.responses(), 1);
}

TEST(Router, MatchReportsAllowedMethodsOnlyWhenNoRouteMatches) {
  Router router = TestRouter();
  RouteMatch m = router.Match(Method::kPost, "/v1/events");
  ASSERT_NE(m.route, nullptr);
  EXPECT_TRUE(m.allowed.empty());
  RouteMatch none = router.Match(Method::kPut, "/v1/events/x");
  EXPECT_EQ(none.route, nullptr);
  ASSERT_EQ(none.allowed.size(), 1u);
  EXPECT_EQ(none.allowed[0], Method::kGet);
}

}  // namespace
}  // namespace actlog::server
