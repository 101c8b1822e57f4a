// Test helper: a raw HTTP/1.1 client over a blocking TCP socket (optionally TLS through
// OpenSSL), sending exactly the bytes a test chooses so limits and timeouts can be
// probed. For tests only.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

namespace actlog::server {

// A raw TCP client: exactly the bytes we choose, so limits and timeouts can be probed.
class RawClient {
 public:
  explicit RawClient(uint16_t port, bool tls = false) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connected_ && tls) {
      ctx_ = SSL_CTX_new(TLS_client_method());  // no verification: a self-signed test cert
      ssl_ = SSL_new(ctx_);
      SSL_set_fd(ssl_, fd_);
      connected_ = SSL_connect(ssl_) == 1;
    }
  }
  ~RawClient() {
    if (ssl_) SSL_free(ssl_);
    if (ctx_) SSL_CTX_free(ctx_);
    ::close(fd_);
  }
  bool connected() const { return connected_; }
  bool Send(std::string_view bytes) {
    if (ssl_)
      return SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())) ==
             static_cast<int>(bytes.size());
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  // Reads one response: headers, then a Content-Length or chunked body. "" when the
  // connection closed (or timed out) first.
  std::string ReadResponse() {
    while (buf_.find("\r\n\r\n") == std::string::npos) {
      if (!Fill()) return "";
    }
    size_t head_end = buf_.find("\r\n\r\n") + 4;
    std::string head = buf_.substr(0, head_end);
    std::string lower = head;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t body_end = head_end;
    if (lower.find("transfer-encoding: chunked") != std::string::npos) {
      while (buf_.find("\r\n0\r\n\r\n", head_end - 2) == std::string::npos) {
        if (!Fill()) return "";
      }
      body_end = buf_.find("\r\n0\r\n\r\n", head_end - 2) + 7;
    } else if (size_t cl = lower.find("content-length: "); cl != std::string::npos) {
      body_end = head_end + std::stoul(lower.substr(cl + 16));
      while (buf_.size() < body_end) {
        if (!Fill()) return "";
      }
    }
    std::string response = buf_.substr(0, body_end);
    buf_.erase(0, body_end);
    return response;
  }
  // Everything the server sends until it closes the connection (after any responses
  // already read).
  std::string Rest() {
    while (Fill()) {
    }
    std::string rest = std::move(buf_);
    buf_.clear();
    return rest;
  }
  // True if the server closed the connection (read returns 0) within the receive timeout.
  bool ClosedByPeer() {
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

 private:
  bool Fill() {
    char chunk[4096];
    ssize_t n = ssl_ ? SSL_read(ssl_, chunk, sizeof chunk) : ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf_.append(chunk, n);
    return true;
  }
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

}  // namespace actlog::server
