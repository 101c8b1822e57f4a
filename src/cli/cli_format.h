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
#include "core/export_format.h"

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

// CSV cells and records, and the event CSV of exports, live in core/export_format.h
// (shared with the server's GET /v1/export).
using ::actlog::AppendCsvRecord;
using ::actlog::CsvCell;
using ::actlog::EventCsvFields;
using ::actlog::EventCsvHeader;

// The event table of `actlog query`: time (UTC), code, description, actor, target, ip,
// outcome.
std::vector<TableColumn> EventTableColumns();
std::vector<std::string> EventTableRow(const Event& event, const Catalog& catalog);

}  // namespace actlog::cli
