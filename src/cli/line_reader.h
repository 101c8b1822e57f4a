// LineReader: the lines of a file descriptor, read in large chunks so that input of any
// size is processed in constant memory. Lines end at '\n'; a trailing '\r' is dropped;
// a last line without a newline still counts. A line longer than the limit is skipped
// whole (reported as too long), never buffered.
//
// Not thread-safe: one reader thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "actlog/status.h"

namespace actlog::cli {

class LineReader {
 public:
  // Does not own `fd`.
  LineReader(int fd, std::size_t max_line_bytes);

  enum class Result { kLine, kTooLong, kEnd };
  // The next line. With kLine, *line points into an internal buffer valid until the next
  // call. With kTooLong, the line was skipped. Errors are read failures (io_error).
  StatusOr<Result> Next(std::string_view* line);

  // 1-based number of the line last returned (0 before the first).
  uint64_t line_number() const { return line_number_; }

 private:
  // Reads more input after the unconsumed bytes; false at end of input.
  StatusOr<bool> Fill();
  // Skips to just past the next newline (or the end); for too-long lines.
  Status SkipLine();

  int fd_;
  std::size_t max_line_bytes_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // first unconsumed byte
  std::size_t end_ = 0;    // one past the last byte read
  bool eof_ = false;
  uint64_t line_number_ = 0;
};

}  // namespace actlog::cli
