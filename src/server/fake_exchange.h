// Test helper: an in-memory ServerExchange, and a way to run a request through a Router
// without sockets. Blocking() runs inline, Sleep() returns at once. For unit tests only.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "server/router.h"

namespace actlog::server {

class FakeExchange final : public ServerExchange {
 public:
  explicit FakeExchange(Request request) : request_(std::move(request)) {}

  const Request& request() const override { return request_; }
  const Principal& principal() const override { return principal_; }
  Request& mutable_request() override { return request_; }
  void set_principal(Principal p) override { principal_ = std::move(p); }
  void set_route(std::string_view pattern) override { route_ = std::string(pattern); }
  bool responded() const override { return responded_; }
  bool stopping() const override { return stopping_; }

  Awaitable<void> Respond(Response r) override {
    ++responses_;
    responded_ = true;
    response_ = std::move(r);
    co_return;
  }
  Awaitable<void> BeginStream(Response head) override {
    ++responses_;
    responded_ = true;
    response_ = std::move(head);
    co_return;
  }
  Awaitable<bool> Write(std::string chunk) override {
    chunks_.push_back(std::move(chunk));
    co_return true;
  }
  Awaitable<void> EndStream() override {
    ended_ = true;
    co_return;
  }
  Awaitable<void> Sleep(int64_t) override { co_return; }

  const Response& response() const { return response_; }
  int responses() const { return responses_; }
  const std::string& route() const { return route_; }
  const std::vector<std::string>& chunks() const { return chunks_; }
  void set_stopping(bool s) { stopping_ = s; }

 protected:
  Awaitable<void> RunBlocking(std::function<void()> fn) override {
    fn();
    co_return;
  }

 private:
  Request request_;
  Principal principal_;
  std::string route_;
  Response response_;
  std::vector<std::string> chunks_;
  int responses_ = 0;
  bool responded_ = false;
  bool ended_ = false;
  bool stopping_ = false;
};

// Runs `request` through `router` to completion on a private io_context; `stopping` is
// what Exchange::stopping() answers (server shutting down).
inline FakeExchange RunThrough(const Router& router, Request request, bool stopping = false) {
  FakeExchange exchange(std::move(request));
  exchange.set_stopping(stopping);
  boost::asio::io_context ioc;
  std::exception_ptr error;
  boost::asio::co_spawn(ioc, router.Dispatch(exchange), [&](std::exception_ptr e) { error = e; });
  ioc.run();
  if (error) std::rethrow_exception(error);
  return exchange;
}

}  // namespace actlog::server
