// ServerOptions: parsing and validation (config.h).
#include "server/config.h"

#include <charconv>

namespace actlog::server {
namespace {

Status ConfigError(std::string message) {
  return InvalidArgument("invalid_config", std::move(message));
}

}  // namespace

StatusOr<ListenAddress> ParseListenAddress(std::string_view listen) {
  ListenAddress out;
  std::string_view port_text;
  if (!listen.empty() && listen.front() == '[') {
    size_t close = listen.find(']');
    if (close == std::string_view::npos || close + 1 >= listen.size() ||
        listen[close + 1] != ':') {
      return ConfigError("listen address must be [IPV6]:PORT, got " + std::string(listen));
    }
    out.host = std::string(listen.substr(1, close - 1));
    port_text = listen.substr(close + 2);
  } else {
    size_t colon = listen.rfind(':');
    if (colon == std::string_view::npos || listen.find(':') != colon) {
      return ConfigError("listen address must be HOST:PORT, got " + std::string(listen));
    }
    out.host = std::string(listen.substr(0, colon));
    port_text = listen.substr(colon + 1);
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (out.host.empty() || port_text.empty() || ec != std::errc() ||
      end != port_text.data() + port_text.size() || port > 65535) {
    return ConfigError("listen address must be HOST:PORT with a port 0-65535, got " +
                       std::string(listen));
  }
  out.port = static_cast<uint16_t>(port);
  return out;
}

}  // namespace actlog::server
