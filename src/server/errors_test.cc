// Status -> HTTP mapping and the JSON error body (errors.h).
#include "server/errors.h"

#include <gtest/gtest.h>

#include "actlog/json.h"

namespace actlog::server {
namespace {

std::string HeaderOf(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

struct CodeCase {
  const char* code;
  StatusCode status_code;
  int http;
};

TEST(Errors, EveryAgreedCodeMapsToItsHttpStatus) {
  const CodeCase cases[] = {
      {"invalid_json", StatusCode::kInvalidArgument, 400},
      {"invalid_event", StatusCode::kInvalidArgument, 422},
      {"invalid_query", StatusCode::kInvalidArgument, 400},
      {"invalid_search", StatusCode::kInvalidArgument, 400},
      {"invalid_cursor", StatusCode::kInvalidArgument, 400},
      {"unsupported_media_type", StatusCode::kInvalidArgument, 415},
      {"body_too_large", StatusCode::kResourceExhausted, 413},
      {"unauthenticated", StatusCode::kUnauthenticated, 401},
      {"forbidden", StatusCode::kPermissionDenied, 403},
      {"not_found", StatusCode::kNotFound, 404},
      {"method_not_allowed", StatusCode::kFailedPrecondition, 405},
      {"id_conflict", StatusCode::kAlreadyExists, 409},
      {"conflict", StatusCode::kAlreadyExists, 409},
      {"rate_limited", StatusCode::kResourceExhausted, 429},
      {"queue_full", StatusCode::kUnavailable, 503},
      {"unavailable", StatusCode::kUnavailable, 503},
      {"internal", StatusCode::kInternal, 500},
  };
  for (const CodeCase& c : cases) {
    // The stable code decides, whatever StatusCode a producer chose.
    EXPECT_EQ(HttpStatusFor(Status(c.status_code, c.code, "m")), c.http) << c.code;
    EXPECT_EQ(HttpStatusFor(Status(StatusCode::kInternal, c.code, "m")), c.http) << c.code;
  }
}

TEST(Errors, OtherCodesMapByStatusCode) {
  EXPECT_EQ(HttpStatusFor(InvalidArgument("invalid_config", "m")), 400);
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kNotFound, "no_such_key", "m")), 404);
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kAlreadyExists, "org_exists", "m")), 409);
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kFailedPrecondition, "x", "m")), 409);
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kResourceExhausted, "x", "m")), 429);
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kPermissionDenied, "x", "m")), 403);
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kUnauthenticated, "x", "m")), 401);
  EXPECT_EQ(HttpStatusFor(Status(StatusCode::kUnavailable, "x", "m")), 503);
  EXPECT_EQ(HttpStatusFor(DataLoss("m")), 500);
  EXPECT_EQ(HttpStatusFor(Status::Ok()), 200);
}

TEST(Errors, BodyCarriesCodeMessageAndDetails) {
  Status st = InvalidArgument("invalid_event", "2 problems \"quoted\"",
                              {{3, "actor.email", "too_long", "at most 320 bytes"},
                               {std::nullopt, "", "required", "events is required"}});
  Response r = Response::Error(st);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.content_type, "application/json");
  StatusOr<Json> json = ParseJson(r.body);
  ASSERT_TRUE(json.ok()) << r.body;
  const Json* error = json->Find("error");
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->Find("code")->as_string(), "invalid_event");
  EXPECT_EQ(error->Find("message")->as_string(), "2 problems \"quoted\"");
  const Json::Array& details = error->Find("details")->as_array();
  ASSERT_EQ(details.size(), 2u);
  EXPECT_EQ(details[0].Find("index")->as_number(), 3);
  EXPECT_EQ(details[0].Find("field")->as_string(), "actor.email");
  EXPECT_EQ(details[0].Find("code")->as_string(), "too_long");
  EXPECT_EQ(details[1].Find("index"), nullptr);
  EXPECT_EQ(details[1].Find("code")->as_string(), "required");
}

TEST(Errors, BodyWithoutDetailsHasEmptyArray) {
  StatusOr<Json> json = ParseJson(ErrorBody(NotFound("no such event")));
  ASSERT_TRUE(json.ok());
  EXPECT_TRUE(json->Find("error")->Find("details")->as_array().empty());
}

TEST(Errors, RetryAfterOn429And503Only) {
  EXPECT_EQ(HeaderOf(Response::Error(RateLimited("slow down")), "Retry-After"), "1");
  EXPECT_EQ(HeaderOf(Response::Error(QueueFull("full")), "Retry-After"), "1");
  EXPECT_EQ(HeaderOf(Response::Error(Unavailable("down")), "Retry-After"), "1");
  EXPECT_EQ(HeaderOf(ErrorResponse(RateLimited("slow down"), 7), "Retry-After"), "7");
  EXPECT_EQ(HeaderOf(Response::Error(NotFound("x")), "Retry-After"), "");
  EXPECT_EQ(HeaderOf(Response::Error(Internal("x")), "Retry-After"), "");
}

TEST(Errors, UnauthenticatedCarriesWwwAuthenticateBearer) {
  Response r = Response::Error(Unauthenticated("no key"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(HeaderOf(r, "WWW-Authenticate"), "Bearer");
}

TEST(Errors, OkStatusIsNeverSentAsSuccessByError) {
  EXPECT_EQ(Response::Error(Status::Ok()).status, 500);
}

TEST(Errors, JsonContentTypeCheck) {
  Request r;
  r.method = Method::kPost;
  r.body = "{}";
  EXPECT_EQ(CheckJsonContentType(r).error_code(), "unsupported_media_type");
  r.headers["content-type"] = "text/plain";
  EXPECT_EQ(HttpStatusFor(CheckJsonContentType(r)), 415);
  r.headers["content-type"] = "Application/JSON; charset=utf-8";
  EXPECT_TRUE(CheckJsonContentType(r).ok());
  r.headers["content-type"] = "application/jsonx";
  EXPECT_FALSE(CheckJsonContentType(r).ok());
  r.headers["content-type"] = "text/\xff\x01";  // echoed only as printable ASCII
  Status st = CheckJsonContentType(r);
  EXPECT_TRUE(ParseJson(ErrorBody(st)).ok());
  Request get;
  get.method = Method::kGet;
  get.body = "ignored";
  EXPECT_TRUE(CheckJsonContentType(get).ok());
  Request empty_post;
  empty_post.method = Method::kPost;
  EXPECT_TRUE(CheckJsonContentType(empty_post).ok());
}

TEST(Errors, MethodNamesRoundTrip) {
  for (Method m : {Method::kGet, Method::kPost, Method::kPatch, Method::kPut, Method::kDelete,
                   Method::kHead, Method::kOptions}) {
    EXPECT_EQ(ParseMethod(MethodName(m)), m);
  }
  EXPECT_EQ(ParseMethod("BREW"), Method::kOther);
  EXPECT_EQ(ParseMethod("get"), Method::kOther);
}

}  // namespace
}  // namespace actlog::server
