#include "store/rocksdb/index_entries.h"

#include "privacy/blind_index.h"

namespace actlog::store {

std::string BlindEmail(std::string_view secret, std::string_view email) {
  std::string lower(email);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return privacy::HmacSha256(secret, lower);
}

std::vector<std::string> ResourceLevels(std::string_view code) {
  std::vector<std::string> levels;
  std::string_view resource = code.substr(0, code.find(':'));
  for (size_t i = 0; i <= resource.size(); ++i) {
    if (i == resource.size() || resource[i] == '.') {
      if (i > 0) levels.emplace_back(resource.substr(0, i));
    }
  }
  return levels;
}

std::vector<IndexTerm> IndexTermsFor(const Event& event, std::string_view secret) {
  std::vector<IndexTerm> terms;
  terms.push_back({IndexKind::kTime, ""});
  terms.push_back({IndexKind::kCode, event.code});
  for (std::string& level : ResourceLevels(event.code)) {
    terms.push_back({IndexKind::kResource, std::move(level)});
  }
  terms.push_back({IndexKind::kActor, event.actor.id});
  terms.push_back({IndexKind::kActorType, std::string(ToString(event.actor.type))});
  if (event.actor.email.has_value()) {
    terms.push_back({IndexKind::kActorEmail, BlindEmail(secret, *event.actor.email)});
  }
  if (event.target.has_value()) {
    terms.push_back({IndexKind::kTargetType, event.target->type});
    terms.push_back({IndexKind::kTargetId, event.target->id});
  }
  terms.push_back({IndexKind::kOutcome, std::string(ToString(event.outcome))});
  return terms;
}

std::string PersonalTermValue(std::string_view path, std::string_view mac) {
  std::string value(path);
  value.push_back('\0');
  value.append(mac);
  return value;
}

std::vector<IndexTerm> IndexTermsFor(const Event& event, const Catalog& catalog,
                                     std::string_view secret) {
  std::vector<IndexTerm> terms = IndexTermsFor(event, secret);
  for (const privacy::BlindTerm& t : privacy::SearchableTerms(event, catalog, secret)) {
    terms.push_back({IndexKind::kPersonal, PersonalTermValue(t.path, t.mac)});
  }
  return terms;
}

IndexTerm TermForFilter(const FieldFilter& filter, std::string_view secret) {
  const std::string& v = filter.value;
  switch (filter.field) {
    case QueryField::kCode: {
      size_t colon = v.find(':');
      if (colon == std::string::npos) return {IndexKind::kResource, v};
      if (v.size() == colon + 2 && v[colon + 1] == '*') {
        return {IndexKind::kResource, v.substr(0, colon)};
      }
      return {IndexKind::kCode, v};
    }
    case QueryField::kActor:
      return {IndexKind::kActor, v};
    case QueryField::kActorType:
      return {IndexKind::kActorType, v};
    case QueryField::kActorEmail:
      return {IndexKind::kActorEmail, BlindEmail(secret, v)};
    case QueryField::kTargetType:
      return {IndexKind::kTargetType, v};
    case QueryField::kTargetId:
      return {IndexKind::kTargetId, v};
    case QueryField::kOutcome:
      return {IndexKind::kOutcome, v};
    case QueryField::kPersonal:
      return {IndexKind::kPersonal,
              PersonalTermValue(filter.path, privacy::BlindValue(secret, filter.path, v))};
  }
  return {IndexKind::kTime, ""};
}

}  // namespace actlog::store
