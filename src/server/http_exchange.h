// The seam between the HTTP machinery (listener, connections: http_server.cc) and the
// handlers (one file per resource: handlers_*.cc). Handlers never see Beast or Asio
// types other than `Awaitable`; they read a parsed Request and answer through the
// Exchange, either with one Response or with a chunked stream (SSE, export).
//
// A request's life: listener accepts -> connection reads headers and body under limits
// and timeouts -> Router matches method and path -> Authenticate (auth.h) -> handler
// coroutine -> response written -> keep-alive loop. Handlers run on the I/O threads and
// must not block: store calls go through Exchange::Blocking(), or Exchange::Async() for
// a store call that completes on the store's own thread (Store::AppendAsync).
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp needs std::exchange

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/status.h"
#include "server/principal.h"

namespace actlog::server {

template <typename T = void>
using Awaitable = boost::asio::awaitable<T>;

enum class Method { kGet, kPost, kPatch, kPut, kDelete, kHead, kOptions, kOther };

struct Request {
  Method method = Method::kGet;
  std::string path;                                // decoded path, no query string
  std::multimap<std::string, std::string> query;   // decoded query parameters
  std::map<std::string, std::string> path_params;  // from the route pattern, e.g. {id}
  std::map<std::string, std::string> headers;      // names lower-cased
  std::string body;
  std::string remote_address;

  // First value of a query parameter, if present.
  std::optional<std::string> Query(std::string_view name) const;
  // All values of a repeated query parameter.
  std::vector<std::string> QueryAll(std::string_view name) const;
  std::optional<std::string> Header(std::string_view lower_name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  std::string body;

  static Response Json(int status, std::string body);
  // The error body of DESIGN §3 from a Status (errors.cc maps code -> HTTP status).
  static Response Error(const Status& status);
};

// One request/response exchange on a connection.
class Exchange {
 public:
  virtual ~Exchange() = default;
  virtual const Request& request() const = 0;
  // Who is calling; set by the router after authentication (kind kNone on public routes).
  virtual const Principal& principal() const = 0;

  // Sends a complete response. Call once, or use the streaming calls instead.
  virtual Awaitable<void> Respond(Response response) = 0;

  // Streaming: BeginStream sends the status line and headers with chunked transfer
  // encoding (content_type and headers from `head`, its body ignored); Write sends one
  // chunk and completes once the socket took it (so a slow reader slows the producer:
  // memory stays flat); returns false when the client has gone. EndStream finishes.
  virtual Awaitable<void> BeginStream(Response head) = 0;
  virtual Awaitable<bool> Write(std::string chunk) = 0;
  virtual Awaitable<void> EndStream() = 0;

  // Runs `fn` on the blocking worker pool (store calls, fsync waits) and resumes the
  // handler on its I/O thread with the result.
  template <typename Fn>
  Awaitable<std::invoke_result_t<Fn>> Blocking(Fn fn);

  // Starts an operation that finishes on another thread, and resumes the handler on its
  // I/O thread with the result, without parking a thread meanwhile (e.g. an append the
  // store's committer completes: Store::AppendAsync). `start` runs at once on the I/O
  // thread and must not block; it gets `resume`, to call exactly once, from any thread.
  template <typename T>
  Awaitable<T> Async(std::function<void(std::function<void(T)> resume)> start);

  // Waits `micros` without blocking a thread (SSE heartbeats, polling).
  virtual Awaitable<void> Sleep(int64_t micros) = 0;

  // True once the server is shutting down: streaming handlers should end.
  virtual bool stopping() const = 0;

 protected:
  virtual Awaitable<void> RunBlocking(std::function<void()> fn) = 0;
  // `start(resume)`, then completes once `resume` was called. The default waits for it
  // on a blocking thread (enough for exchanges in tests); a connection overrides it.
  virtual Awaitable<void> RunAsync(std::function<void(std::function<void()> resume)> start) {
    co_await RunBlocking([&start] {
      std::promise<void> resumed;
      start([&resumed] { resumed.set_value(); });
      resumed.get_future().wait();
    });
  }
};

template <typename Fn>
Awaitable<std::invoke_result_t<Fn>> Exchange::Blocking(Fn fn) {
  using R = std::invoke_result_t<Fn>;
  if constexpr (std::is_void_v<R>) {
    co_await RunBlocking(std::move(fn));
  } else {
    std::optional<R> result;
    co_await RunBlocking([&] { result.emplace(fn()); });
    co_return std::move(*result);
  }
}

template <typename T>
Awaitable<T> Exchange::Async(std::function<void(std::function<void(T)> resume)> start) {
  std::optional<T> result;  // written by `resume` before it resumes this coroutine
  co_await RunAsync([&result, &start](std::function<void()> resume) {
    start([&result, resume = std::move(resume)](T value) {
      result.emplace(std::move(value));
      resume();
    });
  });
  co_return std::move(*result);
}

using Handler = std::function<Awaitable<void>(Exchange&)>;

}  // namespace actlog::server
