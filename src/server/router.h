// Router: maps (method, path) to a route — a pattern, the access it requires and its
// handler — and runs the request through it: match → authenticate → access check →
// handler (DESIGN §3, §9).
//
// Patterns are '/'-separated segments. A segment is literal ("events"), a parameter
// ("{id}": one non-empty segment), a parameter with literal prefix/suffix
// ("{subject}:erase"), or, last only, a rest parameter ("{path...}": one or more
// segments, joined with '/'). A literal segment is preferred to a parameter
// (/v1/events/stream beats /v1/events/{id}), then the earlier registration.
//
// Answers of the router itself: 404 not_found (no pattern matches the path), 405
// method_not_allowed with Allow (the path matches, the method does not), 401
// unauthenticated (no or bad credential on a non-public route, with WWW-Authenticate),
// 403 forbidden (credential of the wrong kind), 500 internal (handler threw before
// answering).
//
// Thread-safety: Add() only before serving; Match/Dispatch are const and thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/authenticator.h"
#include "server/http_exchange.h"
#include "server/principal.h"

namespace actlog::server {

// The HTTP machinery's side of an Exchange: lets the router fill in what it learns.
// (Handlers only see Exchange.)
class ServerExchange : public Exchange {
 public:
  virtual Request& mutable_request() = 0;
  virtual void set_principal(Principal principal) = 0;
  // The matched pattern ("/v1/events/{id}"), or "unmatched", for metrics and logs: a
  // bounded label set that never contains ids or query values.
  virtual void set_route(std::string_view pattern) = 0;
  // True once a response (or a stream head) was sent.
  virtual bool responded() const = 0;
};

struct Route {
  Method method;
  std::string pattern;
  Access access;
  Handler handler;
};

struct RouteMatch {
  const Route* route = nullptr;               // null: see allowed
  std::map<std::string, std::string> params;  // path parameters of the match
  std::vector<Method> allowed;                // path matched, method did not (405)
};

class Router {
 public:
  // `auth` may be null: then every non-public route answers 401. Not owned.
  explicit Router(const Authenticator* auth = nullptr) : auth_(auth) {}
  void set_authenticator(const Authenticator* auth) { auth_ = auth; }

  // REQUIRES: a well-formed pattern starting with '/'; not called while serving.
  void Add(Method method, std::string_view pattern, Access access, Handler handler);

  RouteMatch Match(Method method, std::string_view path) const;

  // Matches the exchange's request, authenticates, checks access, sets path params,
  // principal and route on the exchange, runs the handler. Every outcome is answered.
  Awaitable<void> Dispatch(ServerExchange& exchange) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

  // The credential from "Authorization: Bearer <credential>", or an unauthenticated
  // status saying what is wrong with the header.
  static StatusOr<std::string> BearerCredential(const Request& request);

 private:
  struct Segment {
    enum class Kind { kLiteral, kParam, kRest } kind = Kind::kLiteral;
    std::string literal;  // kLiteral: the text; kParam: prefix before '{'
    std::string suffix;   // kParam: text after '}'
    std::string name;     // kParam, kRest
  };
  struct Compiled {
    const Route* route;
    std::vector<Segment> segments;
    int literal_count;
  };
  StatusOr<Principal> Authorize(const Route& route, const Request& request) const;

  const Authenticator* auth_;
  std::vector<std::unique_ptr<Route>> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace actlog::server
