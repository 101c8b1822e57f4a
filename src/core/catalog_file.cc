// Catalog files: a deployment's own event codes (format in docs/CATALOG.md).
//
// A file is loaded whole or not at all: every problem is reported (one ErrorDetail per
// entry and field, error_code "invalid_catalog") and the catalog is left unchanged.
#include <cstddef>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/event.h"
#include "actlog/json.h"

namespace actlog {
namespace {

constexpr std::size_t kMaxDescriptionBytes = 200;

// Collects the problems of one file.
class Problems {
 public:
  void Add(std::optional<std::size_t> index, std::string field, std::string code,
           std::string message) {
    details_.push_back({index, std::move(field), std::move(code), std::move(message)});
  }
  bool empty() const { return details_.empty(); }

  Status ToStatus() const {
    const ErrorDetail& first = details_.front();
    std::string message = "invalid catalog: ";
    if (first.index) message += "entry " + std::to_string(*first.index) + ": ";
    if (!first.field.empty()) message += "field \"" + first.field + "\": ";
    message += first.message;
    if (details_.size() > 1) {
      message += " (and " + std::to_string(details_.size() - 1) + " more)";
    }
    return InvalidArgument("invalid_catalog", std::move(message), details_);
  }

 private:
  std::vector<ErrorDetail> details_;
};

// A personal field is a dotted path of non-empty segments, e.g. "metadata.phone".
bool IsDottedPath(const std::string& path) {
  if (path.empty() || path.front() == '.' || path.back() == '.') return false;
  return path.find("..") == std::string::npos;
}

void ParsePersonalFields(const Json& value, std::size_t i, CatalogEntry* entry,
                         Problems* problems) {
  if (!value.is_array()) {
    problems->Add(i, "personal_fields", "wrong_type", "must be an array of strings");
    return;
  }
  for (std::size_t k = 0; k < value.as_array().size(); ++k) {
    const Json& f = value.as_array()[k];
    const std::string field = "personal_fields[" + std::to_string(k) + "]";
    if (!f.is_string() || !IsDottedPath(f.as_string())) {
      problems->Add(i, field, "invalid_path", "must be a dotted path such as \"metadata.phone\"");
      continue;
    }
    entry->personal_fields.push_back(f.as_string());
  }
}

// The personal paths of an entry a searchable field may name: the defaults (DESIGN §7),
// target.name when the target is a person, and the entry's personal_fields.
bool IsPersonalPathOf(const CatalogEntry& entry, const std::string& path) {
  for (const char* d : {"actor.name", "actor.email", "context.ip", "context.user_agent"}) {
    if (path == d) return true;
  }
  if (path == "target.name") return entry.target_is_person;
  for (const std::string& p : entry.personal_fields) {
    if (p == path) return true;
  }
  return false;
}

// Checked after the whole entry is read: a searchable field must be personal here.
void ParseSearchableFields(const Json& value, std::size_t i, CatalogEntry* entry,
                           Problems* problems) {
  if (!value.is_array()) {
    problems->Add(i, "searchable_fields", "wrong_type", "must be an array of strings");
    return;
  }
  for (std::size_t k = 0; k < value.as_array().size(); ++k) {
    const Json& f = value.as_array()[k];
    const std::string field = "searchable_fields[" + std::to_string(k) + "]";
    if (!f.is_string() || !IsDottedPath(f.as_string())) {
      problems->Add(i, field, "invalid_path", "must be a dotted path such as \"metadata.email\"");
    } else if (!IsPersonalPathOf(*entry, f.as_string())) {
      problems->Add(i, field, "not_personal",
                    "\"" + f.as_string() +
                        "\" is not a personal field of this code: list it in personal_fields "
                        "(non-personal values are not blind-indexed)");
    } else {
      entry->searchable_fields.push_back(f.as_string());
    }
  }
}

void ParseCode(const Json* code, std::size_t i, CatalogEntry* entry, Problems* problems) {
  if (code == nullptr) {
    problems->Add(i, "code", "required", "is required");
  } else if (!code->is_string()) {
    problems->Add(i, "code", "wrong_type", "must be a string");
  } else if (!IsWellFormedCode(code->as_string())) {
    problems->Add(
        i, "code", "invalid_code",
        "\"" + code->as_string() + "\" is not resource[.sub]*:action in lower snake case");
  } else {
    entry->code = code->as_string();
  }
}

void ParseDescription(const Json* d, std::size_t i, CatalogEntry* entry, Problems* problems) {
  if (d == nullptr) {
    problems->Add(i, "description", "required", "is required");
  } else if (!d->is_string()) {
    problems->Add(i, "description", "wrong_type", "must be a string");
  } else if (d->as_string().empty() || d->as_string().size() > kMaxDescriptionBytes) {
    problems->Add(i, "description", "invalid_length",
                  "must be 1.." + std::to_string(kMaxDescriptionBytes) + " bytes");
  } else {
    entry->description = d->as_string();
  }
}

void ParseEntry(const Json& item, std::size_t i, std::vector<CatalogEntry>* out,
                Problems* problems) {
  if (!item.is_object()) {
    problems->Add(i, "", "wrong_type", "entry must be an object");
    return;
  }
  CatalogEntry entry;
  ParseCode(item.Find("code"), i, &entry, problems);
  ParseDescription(item.Find("description"), i, &entry, problems);
  for (const auto& [key, value] : item.as_object()) {
    if (key == "code" || key == "description") continue;
    if (key == "personal_fields") {
      ParsePersonalFields(value, i, &entry, problems);
    } else if (key == "target_is_person") {
      if (value.is_bool()) {
        entry.target_is_person = value.as_bool();
      } else {
        problems->Add(i, key, "wrong_type", "must be true or false");
      }
    } else if (key != "searchable_fields") {
      problems->Add(i, key, "unknown_field", "unknown field");
    }
  }
  if (const Json* searchable = item.Find("searchable_fields")) {
    ParseSearchableFields(*searchable, i, &entry, problems);
  }
  out->push_back(std::move(entry));
}

}  // namespace

Status Catalog::LoadJson(std::string_view json_text) {
  StatusOr<Json> parsed = ParseJson(json_text);
  if (!parsed.ok()) {
    return InvalidArgument("invalid_catalog",
                           "invalid catalog: not JSON: " + parsed.status().message());
  }
  Problems problems;
  const Json& root = *parsed;
  const Json* codes = root.is_object() ? root.Find("codes") : nullptr;
  if (codes == nullptr || !codes->is_array()) {
    problems.Add(std::nullopt, "codes", "required",
                 "the file must be an object with a \"codes\" array");
    return problems.ToStatus();
  }
  for (const auto& [key, value] : root.as_object()) {
    if (key != "codes") problems.Add(std::nullopt, key, "unknown_field", "unknown field");
  }
  std::vector<CatalogEntry> loaded;
  for (std::size_t i = 0; i < codes->as_array().size(); ++i) {
    ParseEntry(codes->as_array()[i], i, &loaded, &problems);
  }
  if (!problems.empty()) return problems.ToStatus();
  for (CatalogEntry& e : loaded) Add(std::move(e));
  return Status::Ok();
}

Status Catalog::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open catalog file \"" + path + "\"");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Internal("cannot read catalog file \"" + path + "\"");
  Status st = LoadJson(text.str());
  if (st.ok()) return st;
  return Status(st.code(), st.error_code(), path + ": " + st.message(), st.details());
}

}  // namespace actlog
