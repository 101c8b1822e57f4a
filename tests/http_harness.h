// Black-box HTTP harness: runs the real `actlog serve` (ACTLOG_BINARY) on port 0 with a
// temporary data directory and a known admin key, and talks to it over plain TCP with a
// small blocking HTTP/1.1 client (keep-alive, chunked decoding, SSE frames, raw bytes for
// malformed or trickled requests).
//
// Header-only (the black-box target globs only tests/*_test.cc), like cli_process.h.
//
// Thread-safety: a ServerProcess may be read (port(), pid()) from many threads; Start/
// Stop/Kill from one. An HttpClient is one connection: one thread at a time.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "actlog/json.h"

namespace actlog::testing {

// The admin key every harness server is started with (ACTLOG_ADMIN_KEY).
inline constexpr const char* kTestAdminKey =
    "actlog_admin_s4BlackBoxTestAdminKey0123456789abcdefghijkA";

struct HttpResponse {
  int status = 0;  // 0: no response (connection failed or closed)
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  std::string Header(const std::string& lower_name) const;
  // The body parsed as JSON (null Json if it does not parse), parsed once and kept, so
  // references into it live as long as the response.
  const Json& JsonBody() const;
  // error.code of a JSON error body, "" if none.
  std::string ErrorCode() const;

 private:
  mutable std::optional<Json> json_;
};

// One keep-alive connection to 127.0.0.1:port. Reconnects once if the server closed it.
class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request; adds Host, Content-Length (when body or a body method) and,
  // if `bearer` is non-empty, Authorization: Bearer. `content_type` empty = no header.
  HttpResponse Send(const std::string& method, const std::string& target,
                    const std::string& bearer = "", const std::string& body = "",
                    const std::string& content_type = "application/json",
                    const std::vector<std::pair<std::string, std::string>>& extra = {});

  // Opens a streaming GET (SSE). Returns the status and headers; the body is then read
  // with NextSseFrame. Stream state lives in this client until Close().
  HttpResponse OpenStream(const std::string& target, const std::string& bearer,
                          const std::vector<std::pair<std::string, std::string>>& extra = {});
  // One SSE frame ("id: ..\nevent: ..\ndata: ..") without comments, or nullopt on
  // timeout / end of stream.
  struct SseFrame {
    std::string id, event, data;
  };
  std::optional<SseFrame> NextSseFrame(std::chrono::milliseconds timeout);

  // Raw access: connect (if needed), write bytes, read until close or timeout.
  bool Connect();
  bool WriteRaw(const std::string& bytes);
  // Reads whatever arrives until the peer closes (returns true) or `timeout` passes
  // (returns false). Appends to *out.
  bool ReadUntilClose(std::chrono::milliseconds timeout, std::string* out);
  void Close();

 private:
  bool ReadMore(std::chrono::milliseconds timeout);
  bool ReadHead(HttpResponse* response, std::chrono::milliseconds timeout);
  bool ReadBody(HttpResponse* response, bool head_only, std::chrono::milliseconds timeout);
  // For streams: decoded body bytes available in stream_buf_.
  bool FillStream(std::chrono::milliseconds timeout);

  int port_;
  int fd_ = -1;
  std::string in_;          // bytes read, not yet consumed
  bool stream_chunked_ = false;
  bool stream_done_ = false;
  std::string stream_buf_;  // decoded stream body
};

// The real server in a child process.
class ServerProcess {
 public:
  ServerProcess() = default;
  ~ServerProcess();  // SIGKILL if still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts `actlog serve --listen 127.0.0.1:0 --data data_dir` + extra_args, with
  // ACTLOG_ADMIN_KEY=kTestAdminKey, and `config` (JSON object text, "" = none) as
  // --config. Waits for the "listening on" line and /readyz 200. False on failure
  // (the reason in error()).
  bool Start(const std::string& data_dir, const std::vector<std::string>& extra_args = {},
             const std::string& config_json = "");
  // SIGTERM and wait; returns the exit code (-1 if killed by a signal or timeout).
  int Stop(std::chrono::seconds timeout = std::chrono::seconds(30));
  // SIGKILL and reap.
  void Kill();

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& error() const { return error_; }
  std::string Stdout() const;
  std::string Stderr() const;
  // VmRSS of the server in KiB, -1 if unreadable.
  long RssKib() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string error_;
  std::string dir_;  // our own temp dir for stdout/stderr/config
};

// Admin helpers over a client with kTestAdminKey; each EXPECTs the success status.
bool CreateOrg(HttpClient& admin, const std::string& org);
// Returns the secret key text ("" on failure). org "" = platform-wide.
std::string CreateKey(HttpClient& admin, const std::string& kind, const std::string& org,
                      std::string* key_id = nullptr);
std::string MintViewerToken(HttpClient& admin, const std::string& org, int ttl_seconds,
                            const std::string& actor = "");

// A valid event line for `org` (catalog code org.member:invited is not assumed: uses
// org:created), with an optional client id and text.
std::string EventJson(const std::string& org, const std::string& id = "",
                      const std::string& actor = "u_1");

}  // namespace actlog::testing

// The definitions (inline), kept apart so this file stays the interface.
#include "http_harness_impl.h"  // IWYU pragma: keep
