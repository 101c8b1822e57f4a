// Remote `actlog ingest` (cli_remote.h): JSON Lines posted to POST /v1/events in batches
// of at most 1,000 lines, with the local command's per-line rejection reports and exit
// codes. A line that is not JSON is rejected here; a 422 answer's details name the
// batch index of each bad event, mapped back to its line, and the rest of the batch is
// sent again; a 409 id_conflict batch is retried event by event so only the conflicting
// line is rejected; 429/503 are retried after Retry-After.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "actlog/json.h"
#include "cli/cli_common.h"
#include "cli/cli_remote.h"
#include "cli/http_client.h"

namespace actlog::cli {
namespace {

constexpr size_t kMaxRemoteBatch = 1000;
constexpr int kMaxRetries = 20;

struct Line {
  uint64_t number = 0;
  std::string text;
  std::string org;
};

struct Totals {
  uint64_t stored = 0, duplicates = 0, rejected = 0;
};

class RemoteIngester {
 public:
  RemoteIngester(HttpClient* client, bool ack) : client_(client), ack_(ack) {}

  // Sends `batch`; rejected lines are reported on stderr. Error = give up (exit 2).
  Status Send(std::vector<Line> batch) {
    while (!batch.empty()) {
      std::string body = "{\"events\":[";
      for (size_t i = 0; i < batch.size(); ++i) body += (i ? "," : "") + batch[i].text;
      body += "]}";
      StatusOr<HttpReply> reply = client_->Request("POST", "/v1/events", body);
      if (!reply.ok()) return reply.status();
      int s = reply->status;
      if (s == 201 || s == 200) {
        Acknowledge(batch, *reply);
        (s == 201 ? totals_.stored : totals_.duplicates) += batch.size();
        return Status::Ok();
      }
      if (s == 429 || s == 503) {
        if (++retries_ > kMaxRetries) return Unavailable(DescribeHttpError(*reply));
        int wait = std::atoi(reply->Header("retry-after").c_str());
        std::this_thread::sleep_for(std::chrono::seconds(wait > 0 ? wait : 1));
        continue;
      }
      if (s == 409 && batch.size() > 1) {
        for (Line& one : batch) ACTLOG_RETURN_IF_ERROR(Send({std::move(one)}));
        return Status::Ok();
      }
      if (s == 409 || s == 400 || s == 413) {
        for (const Line& l : batch) Reject(l.number, DescribeHttpError(*reply));
        return Status::Ok();
      }
      if (s == 422) {
        batch = RejectDetails(std::move(batch), *reply);
        continue;
      }
      return Status(StatusCode::kFailedPrecondition, "remote_error", DescribeHttpError(*reply));
    }
    return Status::Ok();
  }

  void Reject(uint64_t line, const std::string& why) {
    std::fprintf(stderr, "line %llu: %s\n", static_cast<unsigned long long>(line), why.c_str());
    ++totals_.rejected;
  }
  const Totals& totals() const { return totals_; }

 private:
  void Acknowledge(const std::vector<Line>& batch, const HttpReply& reply) {
    if (!ack_) return;
    StatusOr<Json> j = ParseJson(reply.body);
    const Json* data = j.ok() ? j->Find("data") : nullptr;
    if (!data || !data->is_array() || data->as_array().size() != batch.size()) return;
    std::string out;
    for (size_t i = 0; i < batch.size(); ++i) {
      const Json& r = data->as_array()[i];
      const Json* seq = r.Find("seq");
      const Json* id = r.Find("id");
      out += std::to_string(batch[i].number) + " " + batch[i].org + " " +
             (seq && seq->is_number() ? FormatJsonNumber(seq->as_number()) : "?") + " " +
             (id && id->is_string() ? id->as_string() : "?") + "\n";
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  }

  // Reports every event a 422 names (by batch index) and returns the others.
  std::vector<Line> RejectDetails(std::vector<Line> batch, const HttpReply& reply) {
    StatusOr<Json> j = ParseJson(reply.body);
    const Json* error = j.ok() ? j->Find("error") : nullptr;
    const Json* details = error ? error->Find("details") : nullptr;
    std::map<size_t, std::string> why;
    if (details && details->is_array()) {
      for (const Json& d : details->as_array()) {
        const Json* index = d.Find("index");
        if (!index || !index->is_number() || index->as_number() < 0 ||
            index->as_number() >= static_cast<double>(batch.size())) {
          continue;
        }
        std::string& text = why[static_cast<size_t>(index->as_number())];
        if (!text.empty()) text += "; ";
        const Json* field = d.Find("field");
        const Json* code = d.Find("code");
        const Json* message = d.Find("message");
        if (field && field->is_string() && !field->as_string().empty()) {
          text += field->as_string() + ": ";
        }
        text += code && code->is_string() ? code->as_string() : "invalid_event";
        if (message && message->is_string() && !message->as_string().empty()) {
          text += " (" + message->as_string() + ")";
        }
      }
    }
    if (why.empty()) {  // nothing to map: the whole batch is refused
      for (const Line& l : batch) Reject(l.number, DescribeHttpError(reply));
      return {};
    }
    std::vector<Line> rest;
    for (size_t i = 0; i < batch.size(); ++i) {
      auto it = why.find(i);
      if (it != why.end()) {
        Reject(batch[i].number, it->second);
      } else {
        rest.push_back(std::move(batch[i]));
      }
    }
    return rest;
  }

  HttpClient* client_;
  bool ack_;
  Totals totals_;
  int retries_ = 0;
};

bool IsBlank(const std::string& s) {
  return s.find_first_not_of(" \t\r") == std::string::npos;
}

}  // namespace

int RunRemoteIngest(CLI::App* cmd, const RemoteOptions& remote) {
  StatusOr<HttpUrl> url = ParseHttpUrl(remote.server);
  if (!url.ok()) return FailWith(url.status());
  std::string input = "-";
  size_t batch_size = kMaxRemoteBatch;
  bool ack = false;
  if (CLI::Option* o = cmd->get_option_no_throw("file"); o && o->count() > 0) {
    input = o->results().back();
  }
  if (CLI::Option* o = cmd->get_option_no_throw("--batch"); o && o->count() > 0) {
    batch_size = std::min<size_t>(kMaxRemoteBatch, std::strtoull(o->results().back().c_str(), nullptr, 10));
  }
  if (CLI::Option* o = cmd->get_option_no_throw("--ack"); o && o->count() > 0) ack = true;
  std::ifstream file;
  if (input != "-") {
    file.open(input, std::ios::binary);
    if (!file) {
      PrintError("cannot open " + input);
      return kExitUsage;
    }
  }
  std::istream& in = input == "-" ? std::cin : file;

  HttpClient client(*url, remote.key);
  RemoteIngester ingester(&client, ack);
  std::vector<Line> batch;
  size_t batch_bytes = 0;
  constexpr size_t kMaxBatchBytes = 900 * 1024;  // under the server's 1 MiB body limit
  auto start = std::chrono::steady_clock::now();
  std::string text;
  uint64_t number = 0;
  Status status;
  while (status.ok() && std::getline(in, text)) {
    ++number;
    if (IsBlank(text)) continue;
    StatusOr<Json> parsed = ParseJson(text);
    if (!parsed.ok()) {
      ingester.Reject(number, parsed.status().error_code() + " (" + parsed.status().message() + ")");
      continue;
    }
    const Json* org = parsed->Find("org");
    if (!batch.empty() && batch_bytes + text.size() > kMaxBatchBytes) {
      status = ingester.Send(std::move(batch));
      batch.clear();
      batch_bytes = 0;
    }
    batch.push_back({number, text, org && org->is_string() ? org->as_string() : ""});
    batch_bytes += text.size() + 1;
    if (batch.size() >= batch_size) {
      status = ingester.Send(std::move(batch));
      batch.clear();
      batch_bytes = 0;
    }
  }
  if (status.ok() && !batch.empty()) status = ingester.Send(std::move(batch));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const Totals& t = ingester.totals();
  std::fprintf(stderr, "stored %llu, duplicates %llu, rejected %llu (%.0f events/s)\n",
               static_cast<unsigned long long>(t.stored),
               static_cast<unsigned long long>(t.duplicates),
               static_cast<unsigned long long>(t.rejected),
               seconds > 0 ? (t.stored + t.duplicates) / seconds : 0.0);
  if (!status.ok()) return FailWith(status);
  return t.rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace actlog::cli
