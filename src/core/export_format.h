// The export formats shared by `actlog export` and GET /v1/export: JSON Lines (one
// canonical EventToJson object per line) and RFC 4180 CSV with a guard against
// spreadsheet formula injection.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/event.h"

namespace actlog {

enum class ExportFormat { kJsonl, kCsv };

std::optional<ExportFormat> ParseExportFormat(std::string_view name);  // "jsonl", "csv"
// "application/x-ndjson" or "text/csv; charset=utf-8".
std::string_view ExportContentType(ExportFormat format);

// What comes before the first event: the CSV header record; nothing for JSON Lines.
void AppendExportHeader(ExportFormat format, std::string* out);
// One event: a JSON line, or a CSV record (descriptions from the catalog).
void AppendExportEvent(const Event& event, const Catalog& catalog, ExportFormat format,
                       std::string* out);

// One CSV cell: a value starting with '=', '+', '-', '@', tab or carriage return gets a
// leading "'" so spreadsheets do not run it as a formula; then RFC 4180 quoting (double
// quotes around cells holding ',', '"', CR or LF; inner quotes doubled).
std::string CsvCell(std::string_view value);
// Appends one CSV record (cells through CsvCell) ending in CRLF.
void AppendCsvRecord(const std::vector<std::string>& cells, std::string* out);

// The CSV export: header names and one event's raw (unescaped) fields in that order.
const std::vector<std::string>& EventCsvHeader();
std::vector<std::string> EventCsvFields(const Event& event, const Catalog& catalog);

}  // namespace actlog
