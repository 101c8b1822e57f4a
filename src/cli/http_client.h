// A small blocking HTTP/1.1 client for the remote CLI (`actlog --server URL …`): plain
// http:// only, one keep-alive connection, Content-Length and chunked bodies, and a
// streaming mode that hands body bytes to a callback as they arrive (export, tail).
//
// Errors are values: Unavailable "connection_failed" when the server cannot be reached
// or the connection breaks, InvalidArgument "invalid_url" for a URL it cannot use.
// Thread-compatible: one HttpClient per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "actlog/status.h"

namespace actlog::cli {

struct HttpUrl {
  std::string host;
  uint16_t port = 80;
  std::string base_path;  // without a trailing '/', "" for the root
};

// "http://host[:port][/base]". https:// is refused ("invalid_url", not supported).
StatusOr<HttpUrl> ParseHttpUrl(std::string_view url);

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;                            // empty in streaming mode
  std::string Header(const std::string& lower_name) const;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  HttpClient(HttpUrl url, std::string bearer) : url_(std::move(url)), bearer_(std::move(bearer)) {}
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One request on the kept connection (reconnecting once if the server had closed
  // it). `target` is appended to the URL's base path. Adds Host, Authorization,
  // Content-Length and (if body) Content-Type: application/json.
  StatusOr<HttpReply> Request(const std::string& method, const std::string& target,
                              const std::string& body = "", const HttpHeaders& headers = {});

  // Like Request, but a 2xx body is handed to `on_body` piece by piece as it arrives;
  // `on_body` returning false stops reading (the connection is then closed). Non-2xx
  // bodies are read whole into the reply.
  StatusOr<HttpReply> Stream(const std::string& target, const HttpHeaders& headers,
                             const std::function<bool(std::string_view)>& on_body);

 private:
  Status Connect();
  void Close();
  Status Send(const std::string& bytes);
  Status ReadMore();  // appends to in_; Unavailable at EOF
  Status ReadHead(HttpReply* reply);
  Status ReadBody(HttpReply* reply, const std::function<bool(std::string_view)>* on_body);
  std::string Head(const std::string& method, const std::string& target, size_t body_size,
                   bool has_body, const HttpHeaders& headers) const;

  HttpUrl url_;
  std::string bearer_;
  int fd_ = -1;
  std::string in_;
};

// The message of a JSON error body ({"error":{"code","message"}}), or the status line.
std::string DescribeHttpError(const HttpReply& reply);

}  // namespace actlog::cli
