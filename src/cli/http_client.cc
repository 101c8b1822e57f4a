#include "cli/http_client.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "actlog/json.h"

namespace actlog::cli {
namespace {

Status ConnectionFailed(const std::string& what) {
  return Status(StatusCode::kUnavailable, "connection_failed", what);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

StatusOr<HttpUrl> ParseHttpUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) {
    return InvalidArgument("invalid_url", "the server URL must start with http:// (https is "
                                          "not supported by the CLI yet): " + std::string(url));
  }
  url.remove_prefix(kScheme.size());
  HttpUrl out;
  size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  if (slash != std::string_view::npos) out.base_path = std::string(url.substr(slash));
  while (!out.base_path.empty() && out.base_path.back() == '/') out.base_path.pop_back();
  // "[v6]:port" or "host:port": the port colon comes after any ']'.
  size_t bracket = authority.find(']');
  size_t colon = authority.rfind(':');
  if (bracket != std::string_view::npos && colon < bracket) colon = std::string_view::npos;
  if (colon != std::string_view::npos) {
    std::string port(authority.substr(colon + 1));
    char* end = nullptr;
    long p = std::strtol(port.c_str(), &end, 10);
    if (port.empty() || *end != '\0' || p < 1 || p > 65535) {
      return InvalidArgument("invalid_url", "bad port in server URL: " + port);
    }
    out.port = static_cast<uint16_t>(p);
    authority = authority.substr(0, colon);
  }
  if (authority.size() > 2 && authority.front() == '[' && authority.back() == ']') {
    authority = authority.substr(1, authority.size() - 2);
  }
  if (authority.empty()) return InvalidArgument("invalid_url", "no host in server URL");
  out.host = std::string(authority);
  return out;
}

std::string HttpReply::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::string DescribeHttpError(const HttpReply& reply) {
  StatusOr<Json> j = ParseJson(reply.body);
  if (j.ok()) {
    const Json* e = j->Find("error");
    const Json* code = e ? e->Find("code") : nullptr;
    const Json* message = e ? e->Find("message") : nullptr;
    if (code && code->is_string()) {
      return "HTTP " + std::to_string(reply.status) + " " + code->as_string() +
             (message && message->is_string() ? ": " + message->as_string() : "");
    }
  }
  return "HTTP " + std::to_string(reply.status);
}

HttpClient::~HttpClient() { Close(); }

void HttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  in_.clear();
}

Status HttpClient::Connect() {
  if (fd_ >= 0) return Status::Ok();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string port = std::to_string(url_.port);
  if (int rc = ::getaddrinfo(url_.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return ConnectionFailed("cannot resolve " + url_.host + ": " + gai_strerror(rc));
  }
  int err = 0;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      fd_ = fd;
      break;
    }
    err = errno;
    ::close(fd);
  }
  ::freeaddrinfo(found);
  if (fd_ < 0) {
    return ConnectionFailed("cannot connect to " + url_.host + ":" + port + ": " +
                            std::strerror(err));
  }
  return Status::Ok();
}

Status HttpClient::Send(const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ConnectionFailed(std::string("send: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status HttpClient::ReadMore() {
  char buf[65536];
  for (;;) {
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ConnectionFailed("the server closed the connection");
    in_.append(buf, static_cast<size_t>(n));
    return Status::Ok();
  }
}

Status HttpClient::ReadHead(HttpReply* reply) {
  size_t end;
  while ((end = in_.find("\r\n\r\n")) == std::string::npos) ACTLOG_RETURN_IF_ERROR(ReadMore());
  std::string head = in_.substr(0, end);
  in_.erase(0, end + 4);
  if (head.size() < 12 || !head.starts_with("HTTP/1.")) {
    return ConnectionFailed("not an HTTP response");
  }
  reply->status = std::atoi(head.c_str() + 9);
  size_t pos = head.find("\r\n");
  while (pos != std::string::npos) {
    size_t next = head.find("\r\n", pos + 2);
    std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos
                                                                       : next - pos - 2);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      size_t v = line.find_first_not_of(' ', colon + 1);
      reply->headers[Lower(line.substr(0, colon))] = v == std::string::npos ? "" : line.substr(v);
    }
    pos = next;
  }
  return Status::Ok();
}

Status HttpClient::ReadBody(HttpReply* reply,
                            const std::function<bool(std::string_view)>* on_body) {
  if (reply->status == 204 || reply->status == 304 || reply->status / 100 == 1) {
    return Status::Ok();
  }
  auto deliver = [&](std::string_view piece) {
    if (on_body) return (*on_body)(piece);
    reply->body.append(piece);
    return true;
  };
  if (Lower(reply->Header("transfer-encoding")).find("chunked") != std::string::npos) {
    for (;;) {
      size_t eol;
      while ((eol = in_.find("\r\n")) == std::string::npos) ACTLOG_RETURN_IF_ERROR(ReadMore());
      size_t size = std::strtoul(in_.c_str(), nullptr, 16);
      in_.erase(0, eol + 2);
      if (size == 0) {
        while ((eol = in_.find("\r\n")) == std::string::npos) ACTLOG_RETURN_IF_ERROR(ReadMore());
        in_.erase(0, eol + 2);  // (trailers are not used)
        return Status::Ok();
      }
      while (size > 0) {
        if (in_.empty()) ACTLOG_RETURN_IF_ERROR(ReadMore());
        size_t take = std::min(size, in_.size());
        bool go_on = deliver(std::string_view(in_).substr(0, take));
        in_.erase(0, take);
        size -= take;
        if (!go_on) {
          Close();
          return Status::Ok();
        }
      }
      while (in_.size() < 2) ACTLOG_RETURN_IF_ERROR(ReadMore());
      in_.erase(0, 2);
    }
  }
  std::string length = reply->Header("content-length");
  bool until_close = length.empty();
  size_t left = until_close ? SIZE_MAX : std::strtoull(length.c_str(), nullptr, 10);
  while (left > 0) {
    if (in_.empty()) {
      Status more = ReadMore();
      if (!more.ok()) {
        if (until_close) break;
        return more;
      }
    }
    size_t take = std::min(left, in_.size());
    bool go_on = deliver(std::string_view(in_).substr(0, take));
    in_.erase(0, take);
    left -= take;
    if (!go_on) {
      Close();
      return Status::Ok();
    }
  }
  if (until_close) Close();
  return Status::Ok();
}

std::string HttpClient::Head(const std::string& method, const std::string& target,
                             size_t body_size, bool has_body, const HttpHeaders& headers) const {
  std::string head = method + " " + url_.base_path + target + " HTTP/1.1\r\nHost: " + url_.host +
                     ":" + std::to_string(url_.port) + "\r\nUser-Agent: actlog-cli\r\n";
  if (!bearer_.empty()) head += "Authorization: Bearer " + bearer_ + "\r\n";
  if (has_body) {
    head += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body_size) +
            "\r\n";
  }
  for (const auto& [name, value] : headers) head += name + ": " + value + "\r\n";
  return head + "\r\n";
}

StatusOr<HttpReply> HttpClient::Request(const std::string& method, const std::string& target,
                                        const std::string& body, const HttpHeaders& headers) {
  bool has_body = !body.empty() || method == "POST" || method == "PATCH";
  std::string bytes = Head(method, target, body.size(), has_body, headers) + body;
  for (int attempt = 0;; ++attempt) {
    bool fresh = fd_ < 0;
    ACTLOG_RETURN_IF_ERROR(Connect());
    HttpReply reply;
    Status st = Send(bytes);
    if (st.ok()) st = ReadHead(&reply);
    if (st.ok()) st = ReadBody(&reply, nullptr);
    if (st.ok()) {
      if (Lower(reply.Header("connection")) == "close") Close();
      return reply;
    }
    Close();
    // A kept connection the server closed meanwhile: retry once on a new one.
    if (fresh || attempt > 0) return st;
  }
}

StatusOr<HttpReply> HttpClient::Stream(const std::string& target, const HttpHeaders& headers,
                                       const std::function<bool(std::string_view)>& on_body) {
  Close();
  ACTLOG_RETURN_IF_ERROR(Connect());
  HttpReply reply;
  ACTLOG_RETURN_IF_ERROR(Send(Head("GET", target, 0, false, headers)));
  ACTLOG_RETURN_IF_ERROR(ReadHead(&reply));
  ACTLOG_RETURN_IF_ERROR(ReadBody(&reply, reply.status / 100 == 2 ? &on_body : nullptr));
  Close();
  return reply;
}

}  // namespace actlog::cli
