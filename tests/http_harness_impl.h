// Inline definitions for http_harness.h. Include http_harness.h, not this file.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "http_harness.h"

extern char** environ;

namespace actlog::testing {
namespace harness_internal {

inline std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

inline std::string JsonQuote(const std::string& s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

}  // namespace harness_internal

inline std::string HttpResponse::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

inline const Json& HttpResponse::JsonBody() const {
  if (!json_) {
    StatusOr<Json> j = ParseJson(body);
    json_ = j.ok() ? *j : Json();
  }
  return *json_;
}

inline std::string HttpResponse::ErrorCode() const {
  const Json& j = JsonBody();
  const Json* e = j.Find("error");
  const Json* c = e ? e->Find("code") : nullptr;
  return c && c->is_string() ? c->as_string() : std::string();
}

inline HttpClient::~HttpClient() { Close(); }

inline void HttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  in_.clear();
  stream_buf_.clear();
  stream_done_ = false;
  stream_chunked_ = false;
}

inline bool HttpClient::Connect() {
  if (fd_ >= 0) return true;
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    Close();
    return false;
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return true;
}

inline bool HttpClient::WriteRaw(const std::string& bytes) {
  if (!Connect()) return false;
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Reads some bytes into in_; false on close, error or timeout.
inline bool HttpClient::ReadMore(std::chrono::milliseconds timeout) {
  if (fd_ < 0) return false;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char buf[65536];
  ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) return false;
  in_.append(buf, static_cast<size_t>(n));
  return true;
}

inline bool HttpClient::ReadUntilClose(std::chrono::milliseconds timeout, std::string* out) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  out->append(in_);
  in_.clear();
  while (fd_ >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return true;
    out->append(buf, static_cast<size_t>(n));
  }
  return true;
}

inline bool HttpClient::ReadHead(HttpResponse* r, std::chrono::milliseconds timeout) {
  size_t end;
  while ((end = in_.find("\r\n\r\n")) == std::string::npos) {
    if (!ReadMore(timeout)) return false;
  }
  std::string head = in_.substr(0, end);
  in_.erase(0, end + 4);
  std::istringstream lines(head);
  std::string line;
  std::getline(lines, line);
  if (line.size() < 12 || line.compare(0, 5, "HTTP/") != 0) return false;
  r->status = std::atoi(line.c_str() + 9);
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r->headers[harness_internal::Lower(line.substr(0, colon))] = value;
  }
  return true;
}

inline bool HttpClient::ReadBody(HttpResponse* r, bool head_only,
                                 std::chrono::milliseconds timeout) {
  if (head_only || r->status == 204 || r->status == 304 || r->status / 100 == 1) return true;
  if (harness_internal::Lower(r->Header("transfer-encoding")).find("chunked") !=
      std::string::npos) {
    for (;;) {
      size_t eol;
      while ((eol = in_.find("\r\n")) == std::string::npos) {
        if (!ReadMore(timeout)) return false;
      }
      size_t size = std::strtoul(in_.substr(0, eol).c_str(), nullptr, 16);
      while (in_.size() < eol + 2 + size + 2) {
        if (!ReadMore(timeout)) return false;
      }
      r->body.append(in_, eol + 2, size);
      in_.erase(0, eol + 2 + size + 2);
      if (size == 0) return true;  // (no trailers expected)
    }
  }
  std::string length = r->Header("content-length");
  if (length.empty()) {  // until close
    std::string rest;
    ReadUntilClose(timeout, &rest);
    r->body += rest;
    Close();
    return true;
  }
  size_t n = std::strtoul(length.c_str(), nullptr, 10);
  while (in_.size() < n) {
    if (!ReadMore(timeout)) return false;
  }
  r->body = in_.substr(0, n);
  in_.erase(0, n);
  return true;
}

inline HttpResponse HttpClient::Send(
    const std::string& method, const std::string& target, const std::string& bearer,
    const std::string& body, const std::string& content_type,
    const std::vector<std::pair<std::string, std::string>>& extra) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!bearer.empty()) req += "Authorization: Bearer " + bearer + "\r\n";
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
    if (!content_type.empty()) req += "Content-Type: " + content_type + "\r\n";
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  for (const auto& [k, v] : extra) req += k + ": " + v + "\r\n";
  req += "\r\n";
  req += body;
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool fresh = fd_ < 0;
    if (!WriteRaw(req)) {
      Close();
      continue;
    }
    HttpResponse r;
    if (ReadHead(&r, std::chrono::seconds(60)) &&
        ReadBody(&r, method == "HEAD", std::chrono::seconds(60))) {
      if (harness_internal::Lower(r.Header("connection")) == "close") Close();
      return r;
    }
    Close();
    if (fresh) break;  // a fresh connection failed: do not resend
  }
  return HttpResponse{};
}

inline HttpResponse HttpClient::OpenStream(
    const std::string& target, const std::string& bearer,
    const std::vector<std::pair<std::string, std::string>>& extra) {
  Close();
  std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
  if (!bearer.empty()) req += "Authorization: Bearer " + bearer + "\r\n";
  for (const auto& [k, v] : extra) req += k + ": " + v + "\r\n";
  req += "\r\n";
  HttpResponse r;
  if (!WriteRaw(req) || !ReadHead(&r, std::chrono::seconds(30))) return HttpResponse{};
  stream_chunked_ = harness_internal::Lower(r.Header("transfer-encoding")).find("chunked") !=
                    std::string::npos;
  if (r.status != 200) ReadBody(&r, false, std::chrono::seconds(10));
  return r;
}

inline bool HttpClient::FillStream(std::chrono::milliseconds timeout) {
  if (stream_done_) return false;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto left = [&] {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now()));
  };
  if (!stream_chunked_) {
    if (in_.empty() && !ReadMore(left())) return false;
    stream_buf_ += in_;
    in_.clear();
    return true;
  }
  for (;;) {
    size_t eol = in_.find("\r\n");
    if (eol != std::string::npos) {
      size_t size = std::strtoul(in_.substr(0, eol).c_str(), nullptr, 16);
      if (in_.size() >= eol + 2 + size + 2) {
        stream_buf_.append(in_, eol + 2, size);
        in_.erase(0, eol + 2 + size + 2);
        if (size == 0) stream_done_ = true;
        return size != 0;
      }
    }
    if (!ReadMore(left())) return false;
  }
}

inline std::optional<HttpClient::SseFrame> HttpClient::NextSseFrame(
    std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    size_t end;
    while ((end = stream_buf_.find("\n\n")) != std::string::npos) {
      std::string block = stream_buf_.substr(0, end);
      stream_buf_.erase(0, end + 2);
      SseFrame f;
      bool any = false;
      std::istringstream lines(block);
      std::string line;
      while (std::getline(lines, line)) {
        if (line.empty() || line[0] == ':') continue;
        size_t colon = line.find(':');
        std::string field = line.substr(0, colon);
        std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
        if (!value.empty() && value[0] == ' ') value.erase(0, 1);
        if (field == "id") f.id = value, any = true;
        if (field == "event") f.event = value, any = true;
        if (field == "data") f.data += (f.data.empty() ? "" : "\n") + value, any = true;
      }
      if (any) return f;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !FillStream(left)) return std::nullopt;
  }
}

// --- ServerProcess ---

inline ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill();
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

inline std::string ServerProcess::Stdout() const {
  return harness_internal::Slurp(dir_ + "/stdout");
}
inline std::string ServerProcess::Stderr() const {
  return harness_internal::Slurp(dir_ + "/stderr");
}

inline long ServerProcess::RssKib() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

inline bool ServerProcess::Start(const std::string& data_dir,
                                 const std::vector<std::string>& extra_args,
                                 const std::string& config_json) {
  if (dir_.empty()) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "actlog-srv-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) return error_ = "mkdtemp", false;
    dir_ = pattern;
  }
  std::vector<std::string> args = {ACTLOG_BINARY, "serve", "--listen", "127.0.0.1:0",
                                   "--data", data_dir};
  if (!config_json.empty()) {
    std::ofstream(dir_ + "/config.json") << config_json;
    args.push_back("--config");
    args.push_back(dir_ + "/config.json");
  }
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text;
  for (char** e = environ; *e; ++e) {
    if (std::string_view(*e).rfind("ACTLOG_", 0) != 0) env_text.emplace_back(*e);
  }
  env_text.push_back(std::string("ACTLOG_ADMIN_KEY=") + kTestAdminKey);
  std::vector<char*> envp;
  for (std::string& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, (dir_ + "/stdout").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, (dir_ + "/stderr").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int rc = posix_spawn(&pid_, ACTLOG_BINARY, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    return error_ = "spawn failed", false;
  }
  port_ = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string out = Stdout();
    size_t at = out.find("listening on http://");
    if (at != std::string::npos && out.find('\n', at) != std::string::npos) {
      size_t colon = out.find(':', at + 20);
      port_ = std::atoi(out.c_str() + colon + 1);
      break;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return error_ = "server exited: " + Stderr(), false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (port_ == 0) return error_ = "no listening line: " + Stdout() + Stderr(), false;
  HttpClient probe(port_);
  while (std::chrono::steady_clock::now() < deadline) {
    if (probe.Send("GET", "/readyz").status == 200) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return error_ = "never ready", false;
}

inline int ServerProcess::Stop(std::chrono::seconds timeout) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Kill();
  return -1;
}

inline void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

// --- helpers ---

inline bool CreateOrg(HttpClient& admin, const std::string& org) {
  HttpResponse r = admin.Send("POST", "/v1/orgs", kTestAdminKey,
                              "{\"org\":" + harness_internal::JsonQuote(org) + "}");
  return r.status == 201;
}

inline std::string CreateKey(HttpClient& admin, const std::string& kind, const std::string& org,
                             std::string* key_id) {
  std::string body = "{\"kind\":" + harness_internal::JsonQuote(kind);
  if (!org.empty()) body += ",\"org\":" + harness_internal::JsonQuote(org);
  body += "}";
  HttpResponse r = admin.Send("POST", "/v1/keys", kTestAdminKey, body);
  if (r.status != 201) return "";
  Json j = r.JsonBody();
  const Json* key = j.Find("key");
  const Json* id = j.Find("id");
  if (key_id && id && id->is_string()) *key_id = id->as_string();
  return key && key->is_string() ? key->as_string() : std::string();
}

inline std::string MintViewerToken(HttpClient& admin, const std::string& org, int ttl_seconds,
                                   const std::string& actor) {
  std::string body = "{\"ttl_seconds\":" + std::to_string(ttl_seconds);
  if (!actor.empty()) body += ",\"actor\":" + harness_internal::JsonQuote(actor);
  body += "}";
  HttpResponse r = admin.Send("POST", "/v1/orgs/" + org + "/viewer-tokens", kTestAdminKey, body);
  const Json* token = r.status == 201 ? r.JsonBody().Find("token") : nullptr;
  return token && token->is_string() ? token->as_string() : std::string();
}

inline std::string EventJson(const std::string& org, const std::string& id,
                             const std::string& actor) {
  std::string out = "{\"org\":" + harness_internal::JsonQuote(org) +
                    ",\"code\":\"org:created\",\"actor\":{\"type\":\"user\",\"id\":" +
                    harness_internal::JsonQuote(actor) + "}";
  if (!id.empty()) out += ",\"id\":" + harness_internal::JsonQuote(id);
  return out + "}";
}

}  // namespace actlog::testing
