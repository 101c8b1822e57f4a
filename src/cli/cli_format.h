// Output formats of the CLI for people and spreadsheets: a fixed-width text table with
// truncated cells, and RFC 4180 CSV with a guard against formula injection.
//
// Pure functions and a single-threaded Table; thread-compatible.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/event.h"

namespace actlog::cli {

// Number of code points in UTF-8 `text` (a good enough display width for a terminal).
std::size_t DisplayWidth(std::string_view text);

// `text` cut to at most `width` code points, ending in "…" when something was cut.
// Control characters (newlines, tabs, ...) become spaces so a cell stays on one line.
std::string TruncateCell(std::string_view text, std::size_t width);

struct TableColumn {
  std::string header;
  std::size_t max_width;  // cells longer than this are truncated
};

// A text table printed in chunks (one per page of results). Column widths are fixed by
// the first chunk (the widest cell, capped by max_width), so later chunks line up.
class Table {
 public:
  explicit Table(std::vector<TableColumn> columns);

  // REQUIRES: cells.size() == number of columns.
  void AddRow(std::vector<std::string> cells);
  // The header (first time only) and the rows added since the last call.
  std::string Flush();

 private:
  void AppendLine(const std::vector<std::string>& cells, std::string* out) const;

  std::vector<TableColumn> columns_;
  std::vector<std::size_t> widths_;  // empty until the first Flush
  std::vector<std::vector<std::string>> pending_;
};

// One CSV cell: a value starting with '=', '+', '-', '@', tab or carriage return gets a
// leading "'" so spreadsheets do not run it as a formula; then RFC 4180 quoting (double
// quotes around cells holding ',', '"', CR or LF; inner quotes doubled).
std::string CsvCell(std::string_view value);
// Appends one CSV record (cells through CsvCell) ending in CRLF.
void AppendCsvRecord(const std::vector<std::string>& cells, std::string* out);

// The event table of `actlog query`: time (UTC), code, description, actor, target, ip,
// outcome.
std::vector<TableColumn> EventTableColumns();
std::vector<std::string> EventTableRow(const Event& event, const Catalog& catalog);

// The CSV export: header names and one event's raw (unescaped) fields in that order.
const std::vector<std::string>& EventCsvHeader();
std::vector<std::string> EventCsvFields(const Event& event, const Catalog& catalog);

}  // namespace actlog::cli
