#include "cli/ingest_pipeline.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "actlog/json.h"

namespace actlog::cli {

namespace {

using SteadyClock = std::chrono::steady_clock;

struct Rejection {
  uint64_t line;
  std::string text;
};

// What the reader thread hands to the appender: the valid events of up to batch_size
// lines, and the lines it rejected along the way.
struct Batch {
  std::vector<Event> events;
  std::vector<uint64_t> lines;     // input line of each event
  std::vector<std::string> texts;  // raw line of each event, for an id_conflict retry
  std::vector<Rejection> rejections;
  Status read_error;
  bool last = false;
};

// A bounded hand-off between the two threads. Thread-safe.
class BatchQueue {
 public:
  explicit BatchQueue(std::size_t capacity) : capacity_(capacity) {}

  // Blocks while full; false once closed (the consumer gave up).
  bool Push(Batch batch) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return closed_ || queue_.size() < capacity_; });
    if (closed_) return false;
    queue_.push_back(std::move(batch));
    not_empty_.notify_one();
    return true;
  }

  Batch Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return !queue_.empty(); });
    Batch batch = std::move(queue_.front());
    queue_.pop_front();
    not_full_.notify_one();
    return batch;
  }

  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    not_full_.notify_all();
  }

 private:
  const std::size_t capacity_;
  std::mutex mu_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<Batch> queue_;  // guarded by mu_
  bool closed_ = false;      // guarded by mu_
};

bool IsBlank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

StatusOr<Event> ParseLine(std::string_view line, const Catalog& catalog,
                          const EventLimits& limits) {
  StatusOr<Json> json = ParseJson(line);
  if (!json.ok()) return json.status();
  return ValidateEvent(*json, catalog, limits);
}

// Reads lines until the batch holds batch_size events (or twice that many lines were
// seen, to bound the rejections kept), or the input ends.
void FillBatch(LineReader* reader, const Catalog& catalog, const IngestOptions& options,
               Batch* batch) {
  std::size_t lines = 0;
  while (batch->events.size() < options.batch_size && lines < 2 * options.batch_size) {
    std::string_view line;
    StatusOr<LineReader::Result> next = reader->Next(&line);
    if (!next.ok()) {
      batch->read_error = next.status();
      batch->last = true;
      return;
    }
    if (*next == LineReader::Result::kEnd) {
      batch->last = true;
      return;
    }
    uint64_t number = reader->line_number();
    if (*next == LineReader::Result::kTooLong) {
      ++lines;
      Status too_long(
          StatusCode::kResourceExhausted, "too_large",
          "line longer than " + std::to_string(options.limits.max_body_bytes) + " bytes");
      batch->rejections.push_back({number, FormatRejection(number, too_long)});
      continue;
    }
    if (IsBlank(line)) continue;
    ++lines;
    StatusOr<Event> event = ParseLine(line, catalog, options.limits);
    if (!event.ok()) {
      batch->rejections.push_back({number, FormatRejection(number, event.status())});
      continue;
    }
    batch->events.push_back(std::move(*event));
    batch->lines.push_back(number);
    batch->texts.emplace_back(line);
  }
}

void ReadBatches(LineReader* reader, const Catalog& catalog, const IngestOptions& options,
                 BatchQueue* queue) {
  for (;;) {
    Batch batch;
    FillBatch(reader, catalog, options, &batch);
    bool last = batch.last;
    if (!queue->Push(std::move(batch)) || last) return;
  }
}

// The appending side: one durable Append per batch, acks, reports, progress.
class Appender {
 public:
  Appender(Store* store, const Catalog& catalog, const IngestOptions& options, std::FILE* ack_out,
           std::FILE* report_out, IngestSummary* summary)
      : store_(store),
        catalog_(catalog),
        options_(options),
        ack_out_(ack_out),
        report_out_(report_out),
        summary_(summary),
        start_(SteadyClock::now()) {}

  Status Process(Batch batch) {
    if (!batch.events.empty()) {
      Status status = AppendBatch(&batch);
      if (!status.ok()) return status;
    }
    Report(&batch.rejections);
    UpdateProgress(false);
    return batch.read_error;
  }

  void Finish() {
    summary_->seconds = Elapsed();
    UpdateProgress(true);
  }

 private:
  double Elapsed() const {
    return std::chrono::duration<double>(SteadyClock::now() - start_).count();
  }

  Status AppendBatch(Batch* batch) {
    StatusOr<std::vector<AppendResult>> results = store_->Append(std::move(batch->events));
    if (results.ok()) {
      for (std::size_t i = 0; i < results->size(); ++i) Count(batch->lines[i], (*results)[i]);
      FlushAcks();
      return Status::Ok();
    }
    if (results.status().code() != StatusCode::kAlreadyExists) return results.status();
    // Some client id is taken with other content: only that line may fail.
    for (std::size_t i = 0; i < batch->texts.size(); ++i) {
      ACTLOG_RETURN_IF_ERROR(AppendOne(batch->lines[i], batch->texts[i], batch));
    }
    FlushAcks();
    return Status::Ok();
  }

  Status AppendOne(uint64_t line, const std::string& text, Batch* batch) {
    StatusOr<Event> event = ParseLine(text, catalog_, options_.limits);
    if (!event.ok()) return Internal("line " + std::to_string(line) + " no longer validates");
    std::vector<Event> one;
    one.push_back(std::move(*event));
    StatusOr<std::vector<AppendResult>> results = store_->Append(std::move(one));
    if (results.ok()) {
      Count(line, results->front());
      return Status::Ok();
    }
    if (results.status().code() != StatusCode::kAlreadyExists) return results.status();
    Status conflict = results.status();
    for (ErrorDetail& detail : conflict.mutable_details()) {
      if (detail.field.empty()) detail.field = "id";
    }
    batch->rejections.push_back({line, FormatRejection(line, conflict)});
    return Status::Ok();
  }

  void Count(uint64_t line, const AppendResult& result) {
    ++(result.duplicate ? summary_->duplicates : summary_->stored);
    if (!options_.ack) return;
    acks_ += std::to_string(line);
    acks_ += ' ';
    acks_ += result.org;
    acks_ += ' ';
    acks_ += std::to_string(result.seq);
    acks_ += ' ';
    acks_ += result.id;
    acks_ += '\n';
  }

  // One write per batch, straight to the descriptor, so a reader sees whole lines unless
  // the process dies inside this very write (a last line without '\n' is not an ack).
  void FlushAcks() {
    if (acks_.empty()) return;
    std::fflush(ack_out_);
    int fd = ::fileno(ack_out_);
    std::size_t done = 0;
    while (done < acks_.size()) {
      ssize_t n = ::write(fd, acks_.data() + done, acks_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // nobody reads the acks any more; the events are stored anyway
      done += static_cast<std::size_t>(n);
    }
    acks_.clear();
  }

  void Report(std::vector<Rejection>* rejections) {
    if (rejections->empty()) return;
    std::stable_sort(rejections->begin(), rejections->end(),
                     [](const Rejection& a, const Rejection& b) { return a.line < b.line; });
    ClearProgress();
    for (const Rejection& rejection : *rejections) {
      std::fprintf(report_out_, "%s\n", rejection.text.c_str());
    }
    summary_->rejected += rejections->size();
  }

  void ClearProgress() {
    if (progress_shown_) std::fputs("\r\033[K", report_out_);
    progress_shown_ = false;
  }

  void UpdateProgress(bool final) {
    if (!options_.progress) return;
    SteadyClock::time_point now = SteadyClock::now();
    if (final) {
      ClearProgress();
      std::fflush(report_out_);
      return;
    }
    if (now - last_progress_ < std::chrono::milliseconds(250)) return;
    last_progress_ = now;
    double seconds = Elapsed();
    uint64_t accepted = summary_->stored + summary_->duplicates;
    std::fprintf(report_out_,
                 "\r\033[Kingesting: stored %llu, duplicates %llu, rejected %llu "
                 "(%.0f events/s)",
                 static_cast<unsigned long long>(summary_->stored),
                 static_cast<unsigned long long>(summary_->duplicates),
                 static_cast<unsigned long long>(summary_->rejected),
                 seconds > 0 ? accepted / seconds : 0.0);
    std::fflush(report_out_);
    progress_shown_ = true;
  }

  Store* store_;
  const Catalog& catalog_;
  const IngestOptions& options_;
  std::FILE* ack_out_;
  std::FILE* report_out_;
  IngestSummary* summary_;
  SteadyClock::time_point start_;
  SteadyClock::time_point last_progress_{};
  bool progress_shown_ = false;
  std::string acks_;  // acknowledgements of the batch being appended
};

}  // namespace

std::string FormatRejection(uint64_t line, const Status& status) {
  std::string out = "line " + std::to_string(line) + ": ";
  if (status.details().empty()) {
    return out + status.error_code() + " (" + status.message() + ")";
  }
  bool first = true;
  for (const ErrorDetail& detail : status.details()) {
    if (!first) out += "; ";
    first = false;
    if (!detail.field.empty()) out += detail.field + ": ";
    out += detail.code.empty() ? status.error_code() : detail.code;
    if (!detail.message.empty()) out += " (" + detail.message + ")";
  }
  return out;
}

Status RunIngest(LineReader* reader, Store* store, const Catalog& catalog,
                 const IngestOptions& options, std::FILE* ack_out, std::FILE* report_out,
                 IngestSummary* summary) {
  *summary = IngestSummary();
  BatchQueue queue(2);
  std::thread reader_thread(ReadBatches, reader, std::cref(catalog), std::cref(options), &queue);
  Appender appender(store, catalog, options, ack_out, report_out, summary);
  Status status;
  for (;;) {
    Batch batch = queue.Pop();
    bool last = batch.last;
    status = appender.Process(std::move(batch));
    if (!status.ok() || last) break;
  }
  queue.Close();
  reader_thread.join();
  appender.Finish();
  return status;
}

}  // namespace actlog::cli
