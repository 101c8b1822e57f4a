#include "cli/line_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

namespace actlog::cli {
namespace {

// Feeds `input` through a pipe in small writes and collects what the reader returns:
// each line's number and text, or "<too long>".
std::vector<std::string> ReadAll(const std::string& input, std::size_t max_line) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    for (std::size_t i = 0; i < input.size(); i += 7) {
      std::size_t n = std::min<std::size_t>(7, input.size() - i);
      EXPECT_EQ(::write(fds[1], input.data() + i, n), static_cast<ssize_t>(n));
    }
    ::close(fds[1]);
  });
  LineReader reader(fds[0], max_line);
  std::vector<std::string> lines;
  for (;;) {
    std::string_view line;
    StatusOr<LineReader::Result> result = reader.Next(&line);
    EXPECT_TRUE(result.ok());
    if (!result.ok() || *result == LineReader::Result::kEnd) break;
    std::string number = std::to_string(reader.line_number()) + ":";
    lines.push_back(number +
                    (*result == LineReader::Result::kLine ? std::string(line) : "<too long>"));
  }
  writer.join();
  ::close(fds[0]);
  return lines;
}

TEST(LineReader, SplitsLinesAndDropsCarriageReturns) {
  EXPECT_EQ(ReadAll("a\r\nbb\n\nccc", 100),
            (std::vector<std::string>{"1:a", "2:bb", "3:", "4:ccc"}));
}

TEST(LineReader, EmptyInputHasNoLines) { EXPECT_TRUE(ReadAll("", 100).empty()); }

TEST(LineReader, SkipsTooLongLinesWholeAndKeepsCounting) {
  std::string input = "ok\n" + std::string(1000, 'x') + "\nafter\n" + std::string(50, 'y');
  EXPECT_EQ(ReadAll(input, 40),
            (std::vector<std::string>{"1:ok", "2:<too long>", "3:after", "4:<too long>"}));
}

TEST(LineReader, LineOfExactlyTheLimitIsKept) {
  std::string line(40, 'z');
  EXPECT_EQ(ReadAll(line + "\n" + line, 40), (std::vector<std::string>{"1:" + line, "2:" + line}));
}

TEST(LineReader, ReadsManyLinesAcrossBufferRefills) {
  std::string input;
  for (int i = 0; i < 20000; ++i) input += "line" + std::to_string(i) + "\n";
  std::vector<std::string> lines = ReadAll(input, 64);
  ASSERT_EQ(lines.size(), 20000u);
  EXPECT_EQ(lines[12345], "12346:line12345");
}

}  // namespace
}  // namespace actlog::cli
