#include "cli/cli_format.h"

#include <algorithm>
#include <utility>

#include "actlog/json.h"

namespace actlog::cli {

namespace {

bool IsContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

const std::string& OrEmpty(const std::optional<std::string>& value) {
  static const std::string kEmpty;
  return value ? *value : kEmpty;
}

// "2026-01-05T08:00:03.120Z" -> "2026-01-05 08:00:03".
std::string TableTime(int64_t micros) {
  std::string text = FormatTimestamp(micros);
  if (text.size() >= 19 && text[10] == 'T') {
    text.resize(19);
    text[10] = ' ';
  }
  return text;
}

std::string ActorCell(const Actor& actor) {
  if (actor.name) return *actor.name;
  if (actor.email) return *actor.email;
  return actor.id;
}

std::string TargetCell(const std::optional<Target>& target) {
  if (!target) return "";
  if (target->name) return *target->name;
  return target->type + ":" + target->id;
}

}  // namespace

std::size_t DisplayWidth(std::string_view text) {
  std::size_t width = 0;
  for (char c : text) {
    if (!IsContinuationByte(static_cast<unsigned char>(c))) ++width;
  }
  return width;
}

std::string TruncateCell(std::string_view text, std::size_t width) {
  std::string out;
  out.reserve(std::min(text.size(), width * 4));
  bool cut = DisplayWidth(text) > width;
  std::size_t keep = cut ? (width == 0 ? 0 : width - 1) : width;
  std::size_t points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (!IsContinuationByte(c)) {
      if (points == keep) break;
      ++points;
    }
    out.push_back(c < 0x20 || c == 0x7F ? ' ' : static_cast<char>(c));
  }
  if (cut && width > 0) out += "\xE2\x80\xA6";  // U+2026 HORIZONTAL ELLIPSIS
  return out;
}

Table::Table(std::vector<TableColumn> columns) : columns_(std::move(columns)) {}

void Table::AddRow(std::vector<std::string> cells) { pending_.push_back(std::move(cells)); }

void Table::AppendLine(const std::vector<std::string>& cells, std::string* out) const {
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    std::string cell = TruncateCell(cells[i], widths_[i]);
    *out += cell;
    if (i + 1 < columns_.size()) {
      out->append(widths_[i] - DisplayWidth(cell) + 2, ' ');
    }
  }
  while (!out->empty() && out->back() == ' ') out->pop_back();
  out->push_back('\n');
}

std::string Table::Flush() {
  std::string out;
  if (widths_.empty()) {
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      std::size_t width = DisplayWidth(columns_[i].header);
      for (const auto& row : pending_) width = std::max(width, DisplayWidth(row[i]));
      widths_.push_back(
          std::min(width, std::max(columns_[i].max_width, DisplayWidth(columns_[i].header))));
    }
    std::vector<std::string> header;
    for (const TableColumn& column : columns_) header.push_back(column.header);
    AppendLine(header, &out);
  }
  for (const auto& row : pending_) AppendLine(row, &out);
  pending_.clear();
  return out;
}

std::vector<TableColumn> EventTableColumns() {
  return {{"TIME (UTC)", 19}, {"CODE", 34}, {"DESCRIPTION", 32}, {"ACTOR", 24},
          {"TARGET", 24},     {"IP", 39},   {"OUTCOME", 7}};
}

std::vector<std::string> EventTableRow(const Event& event, const Catalog& catalog) {
  return {TableTime(event.occurred_at_us),
          event.code,
          catalog.DescriptionOf(event.code),
          ActorCell(event.actor),
          TargetCell(event.target),
          OrEmpty(event.context.ip),
          std::string(ToString(event.outcome))};
}

}  // namespace actlog::cli
