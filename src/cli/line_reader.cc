#include "cli/line_reader.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace actlog::cli {

namespace {
constexpr std::size_t kReadChunk = 1 << 16;
}  // namespace

LineReader::LineReader(int fd, std::size_t max_line_bytes)
    : fd_(fd), max_line_bytes_(max_line_bytes), buffer_(max_line_bytes + 1 + kReadChunk) {}

StatusOr<bool> LineReader::Fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  std::size_t room = buffer_.size() - end_;
  if (room == 0) return true;  // full: the caller sees a line longer than the limit
  for (;;) {
    ssize_t n = ::read(fd_, buffer_.data() + end_, std::min(room, kReadChunk * 16));
    if (n > 0) {
      end_ += static_cast<std::size_t>(n);
      return true;
    }
    if (n == 0) {
      eof_ = true;
      return false;
    }
    if (errno != EINTR) {
      return InvalidArgument("io_error", std::string("reading input: ") + std::strerror(errno));
    }
  }
}

Status LineReader::SkipLine() {
  for (;;) {
    const void* nl = std::memchr(buffer_.data() + begin_, '\n', end_ - begin_);
    if (nl != nullptr) {
      begin_ = static_cast<const char*>(nl) - buffer_.data() + 1;
      return Status::Ok();
    }
    begin_ = end_ = 0;
    StatusOr<bool> more = Fill();
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
  }
}

StatusOr<LineReader::Result> LineReader::Next(std::string_view* line) {
  std::size_t scanned = begin_;  // bytes before this are known to hold no newline
  for (;;) {
    const char* base = buffer_.data();
    const void* nl = std::memchr(base + scanned, '\n', end_ - scanned);
    std::size_t line_end = nl != nullptr ? static_cast<const char*>(nl) - base : end_;
    if (line_end - begin_ > max_line_bytes_) {
      ++line_number_;
      ACTLOG_RETURN_IF_ERROR(SkipLine());
      return Result::kTooLong;
    }
    if (nl != nullptr || (eof_ && end_ > begin_)) {
      ++line_number_;
      std::size_t stop = line_end;
      if (stop > begin_ && base[stop - 1] == '\r') --stop;
      *line = std::string_view(base + begin_, stop - begin_);
      begin_ = nl != nullptr ? line_end + 1 : end_;
      return Result::kLine;
    }
    if (eof_) return Result::kEnd;
    std::size_t consumed = begin_;
    scanned = end_ - consumed;  // offsets after Fill() moves the tail to the front
    StatusOr<bool> more = Fill();
    if (!more.ok()) return more.status();
    if (!*more && end_ == begin_) return Result::kEnd;
  }
}

}  // namespace actlog::cli
