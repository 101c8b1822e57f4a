// Small helpers shared by the benchmark load generators (bench/http_*.cc,
// bench/baseline_*.cc): a blocking HTTP/1.1 client over loopback keep-alive sockets, a
// thread-safe reader that hands out batches of lines of a JSON Lines file, and latency
// percentiles. Benchmark code only: no TLS, no chunked responses (actlog answers the
// routes used here with Content-Length).
//
// Every tool prints its figures as `RESULT key value` lines besides its human-readable
// report; scripts/bench.sh collects those into the one table.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

namespace actlog::bench {

inline int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

inline bool WriteAll(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::send(fd, s.data() + done, s.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Reads one Content-Length response; returns its status, 0 on a broken connection.
// `buf` keeps bytes read past the response.
inline int ReadResponse(int fd, std::string* buf, std::string* body) {
  size_t end;
  char tmp[65536];
  while ((end = buf->find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) return 0;
    buf->append(tmp, static_cast<size_t>(n));
  }
  int status = std::atoi(buf->c_str() + 9);
  size_t length = 0;
  std::string head = buf->substr(0, end);
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (size_t at = head.find("content-length:"); at != std::string::npos) {
    length = std::strtoul(head.c_str() + at + 15, nullptr, 10);
  }
  while (buf->size() < end + 4 + length) {
    ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
    if (n <= 0) return 0;
    buf->append(tmp, static_cast<size_t>(n));
  }
  if (body) *body = buf->substr(end + 4, length);
  buf->erase(0, end + 4 + length);
  return status;
}

// One keep-alive connection; reconnects once when the server closed it.
class HttpConnection {
 public:
  HttpConnection(int port, std::string key) : port_(port), key_(std::move(key)) {}
  ~HttpConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Returns the status (0: no answer) and fills `body`.
  int Send(const std::string& method, const std::string& target, const std::string& payload,
           std::string* body) {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!key_.empty()) req += "Authorization: Bearer " + key_ + "\r\n";
    if (!payload.empty() || method == "POST") {
      req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(payload.size()) +
             "\r\n";
    }
    req += "\r\n";
    req += payload;
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (fd_ < 0 && (fd_ = Connect(port_)) < 0) return 0;
      int status = WriteAll(fd_, req) ? ReadResponse(fd_, &buf_, body) : 0;
      if (status != 0) return status;
      ::close(fd_);
      fd_ = -1;
      buf_.clear();
    }
    return 0;
  }

 private:
  int port_;
  std::string key_;
  int fd_ = -1;
  std::string buf_;
};

// Hands out the lines of a file in batches, to any number of threads.
class LineBatches {
 public:
  explicit LineBatches(const std::string& path, long limit = 0) : in_(path), limit_(limit) {}
  bool ok() const { return in_.good(); }

  // Fills `lines` with up to `n` lines (fewer at the end); false when none are left.
  bool Next(size_t n, std::vector<std::string>* lines) {
    lines->clear();
    std::lock_guard<std::mutex> lock(mu_);
    std::string line;
    while (lines->size() < n && (limit_ == 0 || taken_ < limit_) && std::getline(in_, line)) {
      if (line.empty()) continue;
      lines->push_back(std::move(line));
      ++taken_;
    }
    return !lines->empty();
  }

 private:
  std::mutex mu_;
  std::ifstream in_;  // guarded by mu_
  long limit_;
  long taken_ = 0;  // guarded by mu_
};

// The p-quantile (0..1) of sorted samples; 0 if there are none.
inline double Quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

inline void Result(const std::string& key, double value) {
  std::printf("RESULT %s %.6g\n", key.c_str(), value);
}

inline std::string UrlEncode(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Replaces the value of the first `"key":"…"` string member found in `json`, or returns
// `json` unchanged. Enough for the canonical demo lines, where the top-level "org" and a
// top-level `"id":"demo-…"` are unambiguous.
inline std::string ReplaceString(std::string json, const std::string& needle,
                                 const std::string& value) {
  size_t at = json.find(needle);
  if (at == std::string::npos) return json;
  size_t start = at + needle.size();
  size_t end = json.find('"', start);
  if (end == std::string::npos) return json;
  return json.replace(start, end - start, value);
}

}  // namespace actlog::bench
