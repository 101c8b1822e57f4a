#include "cli/cli_format.h"

#include <gtest/gtest.h>

namespace actlog::cli {
namespace {

TEST(CliFormat, CsvCellLeavesPlainValuesAlone) {
  EXPECT_EQ(CsvCell("org.member:invited"), "org.member:invited");
  EXPECT_EQ(CsvCell(""), "");
}

TEST(CliFormat, CsvCellQuotesSeparatorsQuotesAndNewlines) {
  EXPECT_EQ(CsvCell("Doe, Alice"), "\"Doe, Alice\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvCell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvCell("cr\rhere"), "\"cr\rhere\"");
}

TEST(CliFormat, CsvCellGuardsAgainstFormulaInjection) {
  EXPECT_EQ(CsvCell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(CsvCell("+1"), "'+1");
  EXPECT_EQ(CsvCell("-2"), "'-2");
  EXPECT_EQ(CsvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvCell("\tx"), "'\tx");
  EXPECT_EQ(CsvCell("a=b"), "a=b");  // only a leading trigger counts
}

TEST(CliFormat, CsvRecordEndsInCrLf) {
  std::string out;
  AppendCsvRecord({"a", "b,c", ""}, &out);
  EXPECT_EQ(out, "a,\"b,c\",\r\n");
}

TEST(CliFormat, TruncateCellCountsCodePointsAndMarksTheCut) {
  EXPECT_EQ(TruncateCell("abcdef", 10), "abcdef");
  EXPECT_EQ(TruncateCell("abcdef", 6), "abcdef");
  EXPECT_EQ(TruncateCell("abcdef", 4), "abc\xE2\x80\xA6");
  EXPECT_EQ(DisplayWidth(TruncateCell("abcdef", 4)), 4u);
  // "Zoë Ådne": multi-byte letters are one column each and never split.
  std::string name =
      "Zo\xC3\xAB \xC3\x85"
      "dne";
  EXPECT_EQ(DisplayWidth(name), 8u);
  EXPECT_EQ(TruncateCell(name, 4), "Zo\xC3\xAB\xE2\x80\xA6");
}

TEST(CliFormat, TruncateCellFlattensControlCharacters) {
  EXPECT_EQ(TruncateCell("a\nb\tc", 10), "a b c");
}

TEST(CliFormat, TableAlignsColumnsAndKeepsWidthsAcrossChunks) {
  Table table({{"A", 5}, {"B", 3}});
  table.AddRow({"x", "yy"});
  table.AddRow({"longer than five", "z"});
  EXPECT_EQ(table.Flush(),
            "A      B\n"
            "x      yy\n"
            "long\xE2\x80\xA6  z\n");
  table.AddRow({"q", "wwww"});
  EXPECT_EQ(table.Flush(), "q      w\xE2\x80\xA6\n");  // B is 2 wide from chunk one
}

}  // namespace
}  // namespace actlog::cli
