// Internals of HttpServer shared by http_server.cc (listener, lifecycle) and
// connection.cc (one connection's request loop and its Exchange). Beast and Asio live
// here; include this only from those two files.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "server/http_server.h"

namespace actlog::server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// What the server knows about one live connection, for shutdown. Touched only on the
// connection's strand, except `id` (immutable).
struct ConnectionState {
  uint64_t id = 0;
  bool alive = true;             // false once the connection's coroutine is done
  bool idle = true;              // waiting for the next request: safe to close at shutdown
  std::function<void()> cancel;  // cancels pending I/O (runs on the strand)
  net::any_io_executor strand;   // the connection's strand
  explicit ConnectionState(net::any_io_executor s) : strand(std::move(s)) {}
};

struct HttpServer::Impl {
  Impl(const ServerOptions& o, const Router& r, Metrics* m);

  const ServerOptions options;
  const Router& router;
  Metrics* metrics;
  net::io_context ioc;
  net::thread_pool blocking;
  std::optional<net::ssl::context> ssl;
  tcp::acceptor acceptor;
  net::signal_set signals;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::atomic<int> connections{0};
  std::atomic<int> async_ops{0};  // Exchange::Async operations not yet resumed
  Gauge* open_connections_gauge;
  Counter* rejected_connections;
  bool access_log;  // log one line per request (log level info or debug)

  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stop_requested = false;  // guarded by stop_mu

  std::mutex registry_mu;
  uint64_t next_id = 1;                                           // guarded by registry_mu
  std::map<uint64_t, std::shared_ptr<ConnectionState>> registry;  // guarded by registry_mu

  std::shared_ptr<ConnectionState> Register(net::any_io_executor strand);
  void Unregister(uint64_t id);
};

// connection.cc: serve one accepted socket until it closes (plain or TLS).
void SpawnConnection(HttpServer::Impl& impl, tcp::socket socket);
// connection.cc: answer 503 unavailable + Retry-After and close (over max_connections).
void SpawnRejection(HttpServer::Impl& impl, tcp::socket socket);

}  // namespace actlog::server
