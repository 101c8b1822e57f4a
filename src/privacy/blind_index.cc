#include "privacy/blind_index.h"

#include <algorithm>

#include <sodium.h>

#include "privacy/personal_fields.h"

namespace actlog::privacy {

std::string HmacSha256(std::string_view secret, std::string_view message) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof(mac));
}

std::string BlindValue(std::string_view secret, std::string_view path, std::string_view value) {
  std::string message = "actlog/blind/v1";
  message.push_back('\0');
  message.append(path);
  message.push_back('\0');
  for (char c : value) message.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  return HmacSha256(secret, message);
}

std::vector<BlindTerm> SearchableTerms(const Event& event, const Catalog& catalog,
                                       std::string_view secret) {
  std::vector<BlindTerm> terms;
  const CatalogEntry* entry = catalog.Find(event.code);
  if (entry == nullptr || entry->searchable_fields.empty()) return terms;
  for (const ConstPersonalSlot& slot : PersonalSlots(event, catalog)) {
    if (slot.path == kActorEmailPath) continue;
    const std::vector<std::string>& marked = entry->searchable_fields;
    if (std::find(marked.begin(), marked.end(), slot.path) == marked.end()) continue;
    const std::string* value = nullptr;
    if (slot.field != nullptr) {
      value = &**slot.field;
    } else if (slot.json->is_string()) {
      value = &slot.json->as_string();
    }
    if (value == nullptr) continue;
    terms.push_back({slot.path, BlindValue(secret, slot.path, *value), slot.subject});
  }
  return terms;
}

Status CheckSearchable(const EventQuery& query, const Catalog& catalog) {
  for (const auto* filters : {&query.include, &query.exclude}) {
    for (const FieldFilter& f : *filters) {
      if (f.field != QueryField::kPersonal || catalog.IsSearchable(f.path)) continue;
      std::string message = f.path +
                            " is not a searchable field: a catalog entry must list it in "
                            "searchable_fields (docs/CATALOG.md)";
      return InvalidArgument("invalid_query", message,
                             {ErrorDetail{std::nullopt, f.path, "not_searchable", message}});
    }
  }
  return Status::Ok();
}

std::optional<std::string> SearchableValue(const Event& event, const Catalog& catalog,
                                           std::string_view path) {
  const CatalogEntry* entry = catalog.Find(event.code);
  if (entry == nullptr) return std::nullopt;
  const std::vector<std::string>& marked = entry->searchable_fields;
  if (std::find(marked.begin(), marked.end(), path) == marked.end()) return std::nullopt;
  for (const ConstPersonalSlot& slot : PersonalSlots(event, catalog)) {
    if (slot.path != path) continue;
    if (slot.field != nullptr) return **slot.field;
    if (slot.json->is_string()) return slot.json->as_string();
    return std::nullopt;
  }
  return std::nullopt;
}

bool PathBelongsTo(const Event& event, const Catalog& catalog, std::string_view path,
                   std::string_view subject) {
  for (const ConstPersonalSlot& slot : PersonalSlots(event, catalog)) {
    if (slot.path == path) return slot.subject == subject;
  }
  return false;
}

}  // namespace actlog::privacy
