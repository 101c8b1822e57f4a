// Router (router.h).
#include "server/router.h"

#include <cassert>
#include <exception>
#include <utility>

#include "server/errors.h"

namespace actlog::server {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

bool IEqualsPrefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char a = s[i], b = prefix[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

}  // namespace

void Router::Add(Method method, std::string_view pattern, Access access, Handler handler) {
  assert(!pattern.empty() && pattern.front() == '/');
  routes_.push_back(
      std::make_unique<Route>(Route{method, std::string(pattern), access, std::move(handler)}));
  Compiled compiled{routes_.back().get(), {}, 0};
  std::vector<std::string_view> parts = SplitPath(pattern);
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    Segment seg;
    size_t open = part.find('{');
    size_t close = part.find('}');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
      seg.kind = Segment::Kind::kLiteral;
      seg.literal = std::string(part);
      ++compiled.literal_count;
    } else {
      std::string_view name = part.substr(open + 1, close - open - 1);
      if (name.size() > 3 && name.substr(name.size() - 3) == "...") {
        assert(i + 1 == parts.size() && open == 0 && close + 1 == part.size());
        seg.kind = Segment::Kind::kRest;
        seg.name = std::string(name.substr(0, name.size() - 3));
      } else {
        seg.kind = Segment::Kind::kParam;
        seg.name = std::string(name);
        seg.literal = std::string(part.substr(0, open));
        seg.suffix = std::string(part.substr(close + 1));
      }
    }
    compiled.segments.push_back(std::move(seg));
  }
  compiled_.push_back(std::move(compiled));
}

RouteMatch Router::Match(Method method, std::string_view path) const {
  std::vector<std::string_view> parts = SplitPath(path);
  RouteMatch best;
  int best_literals = -1;
  for (const Compiled& c : compiled_) {
    std::map<std::string, std::string> params;
    bool ok = true;
    size_t i = 0;
    for (; ok && i < c.segments.size(); ++i) {
      const Segment& seg = c.segments[i];
      if (seg.kind == Segment::Kind::kRest) {
        if (i >= parts.size()) {
          ok = false;
          break;
        }
        std::string rest;
        for (size_t j = i; j < parts.size(); ++j) {
          if (parts[j].empty()) {
            ok = false;
            break;
          }
          if (j > i) rest += '/';
          rest += parts[j];
        }
        params[seg.name] = std::move(rest);
        i = parts.size();
        break;
      }
      if (i >= parts.size()) {
        ok = false;
        break;
      }
      std::string_view part = parts[i];
      if (seg.kind == Segment::Kind::kLiteral) {
        ok = part == seg.literal;
        continue;
      }
      size_t fixed = seg.literal.size() + seg.suffix.size();
      if (part.size() <= fixed || part.substr(0, seg.literal.size()) != seg.literal ||
          part.substr(part.size() - seg.suffix.size()) != seg.suffix) {
        ok = false;
        continue;
      }
      params[seg.name] = std::string(part.substr(seg.literal.size(), part.size() - fixed));
    }
    if (!ok || i != parts.size()) continue;
    if (c.route->method != method) {
      bool seen = false;
      for (Method m : best.allowed) seen = seen || m == c.route->method;
      if (!seen) best.allowed.push_back(c.route->method);
      continue;
    }
    if (c.literal_count > best_literals) {
      best_literals = c.literal_count;
      best.route = c.route;
      best.params = std::move(params);
    }
  }
  if (best.route) best.allowed.clear();
  return best;
}

StatusOr<std::string> Router::BearerCredential(const Request& request) {
  std::optional<std::string> header = request.Header("authorization");
  if (!header || header->empty()) {
    return Unauthenticated("this route needs Authorization: Bearer <key or viewer token>");
  }
  std::string_view value = *header;
  if (!IEqualsPrefix(value, "bearer ")) {
    return Unauthenticated("the Authorization header must use the Bearer scheme");
  }
  value.remove_prefix(7);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return Unauthenticated("the Bearer credential is empty");
  return std::string(value);
}

StatusOr<Principal> Router::Authorize(const Route& route, const Request& request) const {
  if (route.access == Access::kPublic) return Principal{};
  StatusOr<std::string> credential = BearerCredential(request);
  if (!credential.ok()) return credential.status();
  if (auth_ == nullptr) return Unauthenticated("this server has no key ring configured");
  StatusOr<Principal> principal = auth_->Authenticate(*credential);
  if (!principal.ok()) {
    // Whatever the authenticator said, the client sees 401 unauthenticated.
    if (principal.status().error_code() == "unauthenticated") return principal.status();
    return Unauthenticated(principal.status().message());
  }
  if (!Satisfies(*principal, route.access)) {
    return Forbidden("this credential may not use " + std::string(MethodName(route.method)) + " " +
                     route.pattern);
  }
  return principal;
}

Awaitable<void> Router::Dispatch(ServerExchange& exchange) const {
  Request& request = exchange.mutable_request();
  RouteMatch match = Match(request.method, request.path);
  if (match.route == nullptr) {
    exchange.set_route("unmatched");
    if (match.allowed.empty()) {
      co_await exchange.Respond(Response::Error(NotFound("no such path")));
      co_return;
    }
    std::string allow;
    for (Method m : match.allowed) {
      if (!allow.empty()) allow += ", ";
      allow += MethodName(m);
    }
    Response response = Response::Error(MethodNotAllowed(
        std::string(MethodName(request.method)) + " is not allowed here; allowed: " + allow));
    response.headers.emplace_back("Allow", allow);
    co_await exchange.Respond(std::move(response));
    co_return;
  }
  const Route& route = *match.route;
  exchange.set_route(route.pattern);
  request.path_params = std::move(match.params);
  StatusOr<Principal> principal = Authorize(route, request);
  if (!principal.ok()) {
    co_await exchange.Respond(Response::Error(principal.status()));
    co_return;
  }
  exchange.set_principal(std::move(*principal));
  bool failed = false;
  try {
    co_await route.handler(exchange);
  } catch (...) {  // a handler bug or a failed write: answer if still possible
    failed = true;
  }
  if (failed && !exchange.responded()) {
    co_await exchange.Respond(Response::Error(Internal("the handler failed")));
  } else if (!exchange.responded()) {
    co_await exchange.Respond(Response::Error(Internal("the handler gave no answer")));
  }
}

}  // namespace actlog::server
