// HttpServer: the HTTP/1.1 machinery on Boost.Beast and Asio C++20 coroutines (DESIGN
// §9–10). Accepts connections, reads requests under limits and timeouts, hands each to
// the Router as an Exchange, writes answers (whole or chunked), and shuts down
// gracefully. Beast and Asio stay behind this header (pimpl); handlers never see them.
//
// Per connection: idle timeout until the first byte of a request, then the whole header
// must arrive within header_timeout (a slow-loris client is cut off), the body within
// body_timeout and under max_body_bytes (413 body_too_large before the body is read;
// the connection then closes), writes within write_timeout. Keep-alive unless the client
// or shutdown says otherwise. Over max_connections a new connection gets 503 unavailable
// with Retry-After and is closed. TLS when a certificate and key are given.
//
// Threads: one io_context run by io_threads threads (each connection on its own strand),
// a separate pool of blocking_threads for Exchange::Blocking(); Exchange::Async() parks
// no thread (the operation's own thread posts the handler back). Methods are called from
// the owning thread (Server); Shutdown/RequestStop may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "actlog/status.h"
#include "server/config.h"
#include "server/metrics.h"
#include "server/router.h"

namespace actlog::server {

class HttpServer {
 public:
  // `router` and `metrics` must outlive the server. Not copyable.
  HttpServer(const ServerOptions& options, const Router& router, Metrics* metrics);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Loads the certificate chain and private key (PEM) and checks that they match.
  // Call before Listen to serve HTTPS. InvalidArgument "invalid_config" when unusable.
  Status EnableTls(const std::string& cert_file, const std::string& key_file);

  // Binds and listens (SO_REUSEADDR). After OK, port() is the real port (for port 0).
  Status Listen(const ListenAddress& address);
  uint16_t port() const;
  bool tls() const;

  // Starts the I/O threads and the accept loop; returns at once.
  void Start();

  // Blocks until SIGTERM or SIGINT arrives or RequestStop() is called.
  void WaitForStopRequest();
  void RequestStop();

  // Graceful shutdown: stop accepting, close idle connections, tell streams to end
  // (Exchange::stopping()), wait for in-flight requests up to `grace`, then stop the
  // threads. `on_stopping` runs once stopping() is true, before the wait (to wake
  // services that park streams, e.g. the live feed). Returns the number of connections
  // still open when grace ran out.
  int Shutdown(std::chrono::milliseconds grace, const std::function<void()>& on_stopping = {});

  // Connections open right now (for tests and metrics).
  int open_connections() const;

  struct Impl;  // http_internal.h; public only so connection.cc can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace actlog::server
