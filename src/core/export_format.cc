// Export formats (export_format.h).
#include "core/export_format.h"

#include "actlog/json.h"

namespace actlog {
namespace {

const std::string& OrEmpty(const std::optional<std::string>& value) {
  static const std::string kEmpty;
  return value ? *value : kEmpty;
}

}  // namespace

std::optional<ExportFormat> ParseExportFormat(std::string_view name) {
  if (name == "jsonl") return ExportFormat::kJsonl;
  if (name == "csv") return ExportFormat::kCsv;
  return std::nullopt;
}

std::string_view ExportContentType(ExportFormat format) {
  return format == ExportFormat::kCsv ? "text/csv; charset=utf-8" : "application/x-ndjson";
}

void AppendExportHeader(ExportFormat format, std::string* out) {
  if (format == ExportFormat::kCsv) AppendCsvRecord(EventCsvHeader(), out);
}

void AppendExportEvent(const Event& event, const Catalog& catalog, ExportFormat format,
                       std::string* out) {
  if (format == ExportFormat::kCsv) {
    AppendCsvRecord(EventCsvFields(event, catalog), out);
  } else {
    AppendCanonicalJson(EventToJson(event), out);
    out->push_back('\n');
  }
}

std::string CsvCell(std::string_view value) {
  std::string cell;
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
                         value[0] == '\t' || value[0] == '\r')) {
    cell.push_back('\'');
  }
  cell.append(value);
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

void AppendCsvRecord(const std::vector<std::string>& cells, std::string* out) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out->push_back(',');
    *out += CsvCell(cells[i]);
  }
  *out += "\r\n";
}

const std::vector<std::string>& EventCsvHeader() {
  static const std::vector<std::string> kHeader = {
      "seq",         "id",         "occurred_at", "received_at", "code",
      "description", "actor_type", "actor_id",    "actor_name",  "actor_email",
      "target_type", "target_id",  "target_name", "ip",          "user_agent",
      "request_id",  "outcome",    "reason",      "changes",     "metadata"};
  return kHeader;
}

std::vector<std::string> EventCsvFields(const Event& event, const Catalog& catalog) {
  const Target* target = event.target ? &*event.target : nullptr;
  return {std::to_string(event.seq),
          event.id,
          FormatTimestamp(event.occurred_at_us),
          FormatTimestamp(event.received_at_us),
          event.code,
          catalog.DescriptionOf(event.code),
          std::string(ToString(event.actor.type)),
          event.actor.id,
          OrEmpty(event.actor.name),
          OrEmpty(event.actor.email),
          target ? target->type : "",
          target ? target->id : "",
          target ? OrEmpty(target->name) : "",
          OrEmpty(event.context.ip),
          OrEmpty(event.context.user_agent),
          OrEmpty(event.context.request_id),
          std::string(ToString(event.outcome)),
          OrEmpty(event.reason),
          CanonicalJson(event.changes),
          CanonicalJson(event.metadata)};
}

}  // namespace actlog
