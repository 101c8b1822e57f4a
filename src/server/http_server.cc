// HttpServer: listener and lifecycle (http_server.h). The request loop is connection.cc.
#include "server/http_server.h"

#include <sys/resource.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <fstream>

#include "server/errors.h"
#include "server/http_internal.h"

namespace actlog::server {
namespace {

unsigned IoThreads(const ServerOptions& o) {
  if (o.io_threads > 0) return o.io_threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

Status ConfigError(std::string message) {
  return InvalidArgument("invalid_config", std::move(message));
}

Awaitable<void> AcceptLoop(HttpServer::Impl& impl) {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket socket = co_await impl.acceptor.async_accept(
        net::make_strand(impl.ioc), net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      if (impl.stopping.load() || !impl.acceptor.is_open()) co_return;
      // E.g. EMFILE: the connection stays in the backlog, so retrying at once would spin.
      // Keep serving the connections we have and try again shortly.
      net::steady_timer pause(impl.ioc, std::chrono::milliseconds(50));
      co_await pause.async_wait(net::redirect_error(net::use_awaitable, ec));
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (impl.connections.load() >= static_cast<int>(impl.options.max_connections)) {
      impl.rejected_connections->Increment();
      SpawnRejection(impl, std::move(socket));
      continue;
    }
    SpawnConnection(impl, std::move(socket));
  }
}

}  // namespace

HttpServer::Impl::Impl(const ServerOptions& o, const Router& r, Metrics* m)
    : options(o),
      router(r),
      metrics(m),
      ioc(static_cast<int>(IoThreads(o))),
      blocking(std::max<uint32_t>(1, o.blocking_threads)),
      acceptor(ioc),
      signals(ioc, SIGINT, SIGTERM),
      open_connections_gauge(
          m->GetGauge("actlog_http_open_connections", "HTTP connections open now.")),
      rejected_connections(
          m->GetCounter("actlog_http_rejected_connections_total",
                        "Connections refused with 503 because max_connections were open.")),
      access_log(o.log_level == "info" || o.log_level == "debug") {}

std::shared_ptr<ConnectionState> HttpServer::Impl::Register(net::any_io_executor strand) {
  auto state = std::make_shared<ConnectionState>(std::move(strand));
  std::lock_guard lock(registry_mu);
  state->id = next_id++;
  registry.emplace(state->id, state);
  return state;
}

void HttpServer::Impl::Unregister(uint64_t id) {
  std::lock_guard lock(registry_mu);
  registry.erase(id);
}

HttpServer::HttpServer(const ServerOptions& options, const Router& router, Metrics* metrics)
    : impl_(std::make_unique<Impl>(options, router, metrics)) {}

HttpServer::~HttpServer() {
  if (!impl_->threads.empty()) Shutdown(std::chrono::milliseconds(0));
}

Status HttpServer::EnableTls(const std::string& cert_file, const std::string& key_file) {
  try {
    net::ssl::context ctx(net::ssl::context::tls_server);
    ctx.set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                    net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                    net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
    ctx.use_certificate_chain_file(cert_file);
    ctx.use_private_key_file(key_file, net::ssl::context::pem);
    if (SSL_CTX_check_private_key(ctx.native_handle()) != 1) {
      return ConfigError("TLS key " + key_file + " does not match certificate " + cert_file);
    }
    impl_->ssl.emplace(std::move(ctx));
  } catch (const boost::system::system_error& e) {
    return ConfigError("cannot use TLS certificate " + cert_file + " and key " + key_file + ": " +
                       e.code().message());
  }
  return Status::Ok();
}

// Lets the process hold max_connections sockets (plus files for the store), as far as
// the hard limit allows; the soft limit is often 1024.
static void RaiseFileLimit(uint32_t max_connections) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  rlim_t want = static_cast<rlim_t>(max_connections) + 1024;
  if (limit.rlim_max != RLIM_INFINITY) want = std::min(want, limit.rlim_max);
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < want) {
    limit.rlim_cur = want;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

Status HttpServer::Listen(const ListenAddress& address) {
  RaiseFileLimit(impl_->options.max_connections);
  boost::system::error_code ec;
  net::ip::address ip = net::ip::make_address(address.host, ec);
  if (ec) {
    // A host name (e.g. "localhost"): resolve it.
    tcp::resolver resolver(impl_->ioc);
    auto results = resolver.resolve(address.host, std::to_string(address.port), ec);
    if (ec || results.empty()) {
      return ConfigError("cannot resolve listen host " + address.host + ": " + ec.message());
    }
    ip = results.begin()->endpoint().address();
  }
  tcp::endpoint endpoint(ip, address.port);
  tcp::acceptor& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Unavailable("cannot listen on " + address.host + ":" + std::to_string(address.port) +
                       ": " + ec.message());
  }
  return Status::Ok();
}

uint16_t HttpServer::port() const {
  boost::system::error_code ec;
  auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

bool HttpServer::tls() const { return impl_->ssl.has_value(); }

void HttpServer::Start() {
  Impl& impl = *impl_;
  net::co_spawn(impl.ioc, AcceptLoop(impl), net::detached);
  impl.signals.async_wait([this](const boost::system::error_code& ec, int) {
    if (!ec) RequestStop();
  });
  unsigned n = IoThreads(impl.options);
  for (unsigned i = 0; i < n; ++i) {
    impl.threads.emplace_back([&impl] { impl.ioc.run(); });
  }
}

void HttpServer::WaitForStopRequest() {
  std::unique_lock lock(impl_->stop_mu);
  impl_->stop_cv.wait(lock, [&] { return impl_->stop_requested; });
}

void HttpServer::RequestStop() {
  std::lock_guard lock(impl_->stop_mu);
  impl_->stop_requested = true;
  impl_->stop_cv.notify_all();
}

int HttpServer::Shutdown(std::chrono::milliseconds grace,
                         const std::function<void()>& on_stopping) {
  Impl& impl = *impl_;
  if (impl.threads.empty()) return 0;
  impl.stopping.store(true);
  if (on_stopping) on_stopping();
  net::post(impl.ioc, [&impl] {
    boost::system::error_code ignored;
    impl.acceptor.close(ignored);
    impl.signals.cancel(ignored);
  });
  auto deadline = std::chrono::steady_clock::now() + grace;
  for (int round = 0;; ++round) {
    if (round % 5 == 0) {
      // Idle connections (between requests) close now; busy ones close after answering
      // (a connection that was reading a request header when we began is idle later).
      std::lock_guard lock(impl.registry_mu);
      for (auto& [id, state] : impl.registry) {
        net::post(state->strand, [state] {
          if (state->alive && state->idle && state->cancel) state->cancel();
        });
      }
    }
    if (impl.connections.load() == 0 || std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  int left = impl.connections.load();
  impl.ioc.stop();
  for (std::thread& t : impl.threads) t.join();
  impl.threads.clear();
  impl.blocking.join();
  // Asynchronous store calls complete on the store's thread and post into ioc: wait for
  // them, so none posts into a destroyed io_context. The store completes every one.
  while (impl.async_ops.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return left;
}

int HttpServer::open_connections() const { return impl_->connections.load(); }

}  // namespace actlog::server
