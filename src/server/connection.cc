// One connection's request loop and its Exchange (http_internal.h). A template over the
// stream type, so plain TCP and TLS share every line of the HTTP logic.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdio>
#include <exception>
#include <vector>

#include "server/errors.h"
#include "server/http_internal.h"
#include "server/request_target.h"

namespace actlog::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

template <typename Stream>
beast::tcp_stream& Lowest(Stream& s) {
  return beast::get_lowest_layer(s);
}

// Exchange over one connection; lives for one request.
template <typename Stream>
class ConnectionExchange final : public ServerExchange {
 public:
  // `version` is the request's (10 or 11): HTTP/1.0 gets no chunked encoding; its
  // streams are delimited by closing the connection.
  ConnectionExchange(HttpServer::Impl& impl, Stream& stream, Request request, bool keep_alive,
                     unsigned version)
      : impl_(impl),
        stream_(stream),
        request_(std::move(request)),
        keep_alive_(keep_alive),
        version_(version == 10 ? 10 : 11) {}

  const Request& request() const override { return request_; }
  const Principal& principal() const override { return principal_; }
  Request& mutable_request() override { return request_; }
  void set_principal(Principal p) override { principal_ = std::move(p); }
  void set_route(std::string_view pattern) override { route_ = std::string(pattern); }
  bool responded() const override { return responded_; }
  bool stopping() const override { return impl_.stopping.load(); }

  Awaitable<void> Respond(Response r) override {
    if (responded_) co_return;  // a second answer would corrupt the connection
    responded_ = true;
    status_ = r.status;
    http::response<http::string_body> res{static_cast<http::status>(r.status), version_};
    SetHead(res, r);
    res.body() = std::move(r.body);
    res.prepare_payload();
    Lowest(stream_).expires_after(milliseconds(impl_.options.write_timeout_ms));
    boost::system::error_code ec;
    co_await http::async_write(stream_, res, net::redirect_error(net::use_awaitable, ec));
    if (ec) broken_ = true;
  }

  Awaitable<void> BeginStream(Response head) override {
    if (responded_) co_return;
    responded_ = true;
    streaming_ = true;
    status_ = head.status;
    http::response<http::empty_body> res{static_cast<http::status>(head.status), version_};
    if (version_ == 10) keep_alive_ = false;  // the body ends when the connection does
    SetHead(res, head);
    res.chunked(version_ == 11);
    http::response_serializer<http::empty_body> sr{res};
    Lowest(stream_).expires_after(milliseconds(impl_.options.write_timeout_ms));
    boost::system::error_code ec;
    co_await http::async_write_header(stream_, sr, net::redirect_error(net::use_awaitable, ec));
    if (ec) broken_ = true;
  }

  Awaitable<bool> Write(std::string chunk) override {
    if (!streaming_ || broken_) co_return false;
    if (chunk.empty()) co_return true;  // an empty chunk would end the body
    Lowest(stream_).expires_after(milliseconds(impl_.options.write_timeout_ms));
    boost::system::error_code ec;
    if (version_ == 10) {
      co_await net::async_write(stream_, net::buffer(chunk),
                                net::redirect_error(net::use_awaitable, ec));
    } else {
      co_await net::async_write(stream_, http::make_chunk(net::buffer(chunk)),
                                net::redirect_error(net::use_awaitable, ec));
    }
    if (ec) broken_ = true;
    co_return !broken_;
  }

  Awaitable<void> EndStream() override {
    if (!streaming_ || broken_ || ended_) co_return;
    ended_ = true;
    if (version_ == 10) co_return;  // the connection closes after this exchange
    Lowest(stream_).expires_after(milliseconds(impl_.options.write_timeout_ms));
    boost::system::error_code ec;
    co_await net::async_write(stream_, http::make_chunk_last(),
                              net::redirect_error(net::use_awaitable, ec));
    if (ec) broken_ = true;
  }

  Awaitable<void> Sleep(int64_t micros) override {
    // In slices, so a sleeping stream notices shutdown within 200 ms.
    auto until = Clock::now() + std::chrono::microseconds(micros);
    net::steady_timer timer(co_await net::this_coro::executor);
    while (!stopping() && Clock::now() < until) {
      timer.expires_at(std::min(until, Clock::now() + milliseconds(200)));
      boost::system::error_code ec;
      co_await timer.async_wait(net::redirect_error(net::use_awaitable, ec));
    }
  }

  // Whether the connection can carry another request.
  bool reusable() const {
    return keep_alive_ && !broken_ && (!streaming_ || ended_) && !stopping();
  }
  int status() const { return status_; }
  const std::string& route() const { return route_; }

 protected:
  Awaitable<void> RunBlocking(std::function<void()> fn) override {
    std::exception_ptr error;
    co_await net::async_initiate<decltype(net::use_awaitable), void()>(
        [this, &fn, &error](auto handler) {
          net::post(impl_.blocking, [&fn, &error, handler = std::move(handler)]() mutable {
            try {
              fn();
            } catch (...) {
              error = std::current_exception();
            }
            auto ex = net::get_associated_executor(handler);
            net::post(ex, std::move(handler));
          });
        },
        net::use_awaitable);
    if (error) std::rethrow_exception(error);
  }

  // No thread waits: `resume` posts the coroutine back to this connection's strand.
  // impl_.async_ops counts the operations whose `resume` has not run, so shutdown does
  // not destroy the io_context under one.
  Awaitable<void> RunAsync(std::function<void(std::function<void()> resume)> start) override {
    co_await net::async_initiate<decltype(net::use_awaitable), void()>(
        [this, &start](auto handler) {
          impl_.async_ops.fetch_add(1);
          // std::function needs a copyable callable; the coroutine's handler is move-only.
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          start([shared, &impl = impl_] {
            auto ex = net::get_associated_executor(*shared);
            net::post(ex, std::move(*shared));
            impl.async_ops.fetch_sub(1);
          });
        },
        net::use_awaitable);
  }

 private:
  template <typename Res>
  void SetHead(Res& res, const Response& r) {
    if (!r.content_type.empty()) res.set(http::field::content_type, r.content_type);
    for (const auto& [name, value] : r.headers) res.insert(name, value);
    res.keep_alive(keep_alive_ && !stopping());
  }

  HttpServer::Impl& impl_;
  Stream& stream_;
  Request request_;
  Principal principal_;
  std::string route_ = "unmatched";
  bool keep_alive_;
  unsigned version_;
  bool responded_ = false;
  bool streaming_ = false;
  bool ended_ = false;
  bool broken_ = false;
  int status_ = 0;
};

template <typename Stream>
Awaitable<void> WriteSimple(HttpServer::Impl& impl, Stream& stream, const Status& status) {
  Response r = Response::Error(status);
  http::response<http::string_body> res{static_cast<http::status>(r.status), 11};
  res.set(http::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) res.insert(name, value);
  res.keep_alive(false);
  res.body() = std::move(r.body);
  res.prepare_payload();
  Lowest(stream).expires_after(milliseconds(impl.options.write_timeout_ms));
  boost::system::error_code ec;
  co_await http::async_write(stream, res, net::redirect_error(net::use_awaitable, ec));
}

void RecordRequest(HttpServer::Impl& impl, std::string_view method, const std::string& route,
                   int status, double seconds, const std::string& key_id) {
  Labels labels{
      {"route", route}, {"method", std::string(method)}, {"status", std::to_string(status)}};
  impl.metrics->GetCounter("actlog_http_requests_total", "HTTP requests answered.", labels)
      ->Increment();
  impl.metrics
      ->GetHistogram("actlog_http_request_duration_seconds",
                     "Time from the request's headers to its answer (streams: to their end).",
                     {{"route", route}})
      ->Observe(seconds);
  if (!impl.access_log) return;
  // No personal data: the route pattern, never the path, query or body.
  char line[512];
  int n = std::snprintf(line, sizeof line,
                        "http method=%.*s route=%s status=%d duration_ms=%.3f key=%s\n",
                        static_cast<int>(method.size()), method.data(), route.c_str(), status,
                        seconds * 1000, key_id.empty() ? "-" : key_id.c_str());
  if (n > 0) std::fwrite(line, 1, std::min<size_t>(n, sizeof line - 1), stderr);
}

// After refusing a request whose body was not read (413), the client may still be
// sending that body. Closing at once would make the kernel answer the unread bytes with a
// reset, which can destroy the 413 before the client reads it; so half-close, then read
// and discard for a bounded time and amount (a "lingering close", as nginx does).
template <typename Stream>
Awaitable<void> DrainBeforeClose(Stream& stream) {
  boost::system::error_code ec;
  if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }
  constexpr size_t kMaxDrainBytes = 64u << 20;
  Lowest(stream).expires_after(std::chrono::seconds(2));
  std::vector<char> sink(64 * 1024);
  size_t drained = 0;
  while (drained < kMaxDrainBytes) {
    size_t n = co_await stream.async_read_some(net::buffer(sink),
                                               net::redirect_error(net::use_awaitable, ec));
    if (ec) break;
    drained += n;
  }
}

// Reads requests and answers them until the connection should close.
template <typename Stream>
Awaitable<void> ServeRequests(HttpServer::Impl& impl, Stream& stream, ConnectionState& state,
                              const std::string& remote) {
  const ServerOptions& o = impl.options;
  beast::flat_buffer buffer;
  for (;;) {
    state.idle = true;
    if (impl.stopping.load()) co_return;
    boost::system::error_code ec;
    if (buffer.size() == 0) {
      // Idle keep-alive: wait for the first byte of the next request.
      Lowest(stream).expires_after(milliseconds(o.idle_timeout_ms));
      size_t n = co_await stream.async_read_some(buffer.prepare(4096),
                                                 net::redirect_error(net::use_awaitable, ec));
      if (ec) co_return;
      buffer.commit(n);
    }
    state.idle = false;
    http::request_parser<http::string_body> parser;
    parser.header_limit(o.max_header_bytes);
    parser.body_limit(o.max_body_bytes);
    Lowest(stream).expires_after(milliseconds(o.header_timeout_ms));
    co_await http::async_read_header(stream, buffer, parser,
                                     net::redirect_error(net::use_awaitable, ec));
    if (ec == beast::error::timeout) co_return;  // slow-loris or dead peer: just close
    if (ec == http::error::header_limit) {
      co_await WriteSimple(impl, stream,
                           InvalidArgument("header_too_large", "request headers are too large"));
      co_return;
    }
    if (ec == http::error::body_limit) {  // Content-Length over the limit
      co_await WriteSimple(
          impl, stream,
          BodyTooLarge("request body exceeds " + std::to_string(o.max_body_bytes) + " bytes"));
      co_await DrainBeforeClose(stream);
      co_return;
    }
    if (ec) {
      if (ec != http::error::end_of_stream && ec != net::error::eof) {
        co_await WriteSimple(impl, stream,
                             InvalidArgument("bad_request", "malformed HTTP request"));
      }
      co_return;
    }
    auto start = Clock::now();
    if (parser.content_length() && *parser.content_length() > o.max_body_bytes) {
      co_await WriteSimple(
          impl, stream,
          BodyTooLarge("request body exceeds " + std::to_string(o.max_body_bytes) + " bytes"));
      co_await DrainBeforeClose(stream);
      co_return;
    }
    auto& head = parser.get();
    if (beast::iequals(head[http::field::expect], "100-continue")) {
      http::response<http::empty_body> cont{http::status::continue_, 11};
      Lowest(stream).expires_after(milliseconds(o.write_timeout_ms));
      co_await http::async_write(stream, cont, net::redirect_error(net::use_awaitable, ec));
      if (ec) co_return;
    }
    if (!parser.is_done()) {
      Lowest(stream).expires_after(milliseconds(o.body_timeout_ms));
      co_await http::async_read(stream, buffer, parser,
                                net::redirect_error(net::use_awaitable, ec));
      if (ec == http::error::body_limit) {
        co_await WriteSimple(
            impl, stream,
            BodyTooLarge("request body exceeds " + std::to_string(o.max_body_bytes) + " bytes"));
        co_await DrainBeforeClose(stream);
        co_return;
      }
      if (ec) co_return;
    }
    Request request;
    Status parsed = ParseRequestTarget(head.target(), &request);
    request.method = ParseMethod(head.method_string());
    for (const auto& field : head) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto [it, inserted] = request.headers.emplace(name, std::string(field.value()));
      if (!inserted) it->second += ", " + std::string(field.value());
    }
    request.body = std::move(head.body());
    request.remote_address = remote;
    ConnectionExchange<Stream> exchange(impl, stream, std::move(request), head.keep_alive(),
                                        head.version());
    if (!parsed.ok()) {
      co_await exchange.Respond(Response::Error(parsed));
    } else {
      co_await impl.router.Dispatch(exchange);
    }
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    RecordRequest(impl, MethodName(exchange.request().method), exchange.route(), exchange.status(),
                  seconds, exchange.principal().key_id);
    if (!exchange.reusable()) co_return;
  }
}

Awaitable<void> Close(beast::tcp_stream& stream) {
  boost::system::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  co_return;
}

Awaitable<void> Close(beast::ssl_stream<beast::tcp_stream>& stream) {
  boost::system::error_code ec;
  Lowest(stream).expires_after(std::chrono::seconds(2));
  co_await stream.async_shutdown(net::redirect_error(net::use_awaitable, ec));
}

template <typename Stream>
Awaitable<void> RunConnection(HttpServer::Impl& impl, Stream& stream,
                              std::shared_ptr<ConnectionState> state, std::string remote) {
  state->cancel = [&stream] { Lowest(stream).cancel(); };
  try {
    if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
      Lowest(stream).expires_after(milliseconds(impl.options.header_timeout_ms));
      boost::system::error_code ec;
      co_await stream.async_handshake(net::ssl::stream_base::server,
                                      net::redirect_error(net::use_awaitable, ec));
      if (ec) throw boost::system::system_error(ec);
    }
    co_await ServeRequests(impl, stream, *state, remote);
    co_await Close(stream);
  } catch (...) {
    // A failed handshake or write: the connection simply ends.
  }
  state->alive = false;
  state->cancel = nullptr;
}

std::string RemoteOf(const tcp::socket& socket) {
  boost::system::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  return ec ? std::string() : endpoint.address().to_string();
}

Awaitable<void> Connection(HttpServer::Impl& impl, tcp::socket socket) {
  impl.connections.fetch_add(1);
  impl.open_connections_gauge->Add(1);
  std::shared_ptr<ConnectionState> state = impl.Register(socket.get_executor());
  std::string remote = RemoteOf(socket);
  if (impl.ssl) {
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *impl.ssl);
    co_await RunConnection(impl, stream, state, remote);
  } else {
    beast::tcp_stream stream(std::move(socket));
    co_await RunConnection(impl, stream, state, remote);
  }
  impl.Unregister(state->id);
  impl.open_connections_gauge->Add(-1);
  impl.connections.fetch_sub(1);
}

Awaitable<void> Rejection(HttpServer::Impl& impl, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  try {
    if (impl.ssl) co_return;  // no handshake for a refused TLS client: just close
    co_await WriteSimple(impl, stream, Unavailable("too many connections; retry later"));
    co_await Close(stream);
  } catch (...) {
  }
}

}  // namespace

void SpawnConnection(HttpServer::Impl& impl, tcp::socket socket) {
  auto ex = socket.get_executor();
  net::co_spawn(ex, Connection(impl, std::move(socket)), net::detached);
}

void SpawnRejection(HttpServer::Impl& impl, tcp::socket socket) {
  auto ex = socket.get_executor();
  net::co_spawn(ex, Rejection(impl, std::move(socket)), net::detached);
}

}  // namespace actlog::server
