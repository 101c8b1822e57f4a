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

std::vector<IndexTerm> IndexTermsFor(const Event& event, std::string_view secret) {
  std::vector<IndexTerm> terms;
  terms.push_back({IndexKind::kTime, ""});
  terms.push_back({IndexKind::kCode, event.code});
  terms.push_back({IndexKind::kActor, event.actor.id});
  if (event.actor.type != ActorType::kUser) {
    terms.push_back({IndexKind::kActorType, std::string(ToString(event.actor.type))});
  }
  if (event.actor.email.has_value()) {
    terms.push_back({IndexKind::kActorEmail, BlindEmail(secret, *event.actor.email)});
  }
  if (event.target.has_value()) {
    terms.push_back({IndexKind::kTargetType, event.target->type});
    terms.push_back({IndexKind::kTargetId, event.target->id});
  }
  if (event.outcome == Outcome::kFailure) {
    terms.push_back({IndexKind::kOutcome, std::string(ToString(event.outcome))});
  }
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

FilterSource SourceForFilter(const FieldFilter& filter, std::string_view secret) {
  const std::string& v = filter.value;
  switch (filter.field) {
    case QueryField::kCode:
      if (IsWellFormedCode(v)) return {IndexTerm{IndexKind::kCode, v}, std::nullopt};
      return {std::nullopt, v};
    case QueryField::kActor:
      return {IndexTerm{IndexKind::kActor, v}, std::nullopt};
    case QueryField::kActorType:
      if (v == ToString(ActorType::kUser)) return {};
      return {IndexTerm{IndexKind::kActorType, v}, std::nullopt};
    case QueryField::kActorEmail:
      return {IndexTerm{IndexKind::kActorEmail, BlindEmail(secret, v)}, std::nullopt};
    case QueryField::kTargetType:
      return {IndexTerm{IndexKind::kTargetType, v}, std::nullopt};
    case QueryField::kTargetId:
      return {IndexTerm{IndexKind::kTargetId, v}, std::nullopt};
    case QueryField::kOutcome:
      if (v == ToString(Outcome::kFailure)) return {IndexTerm{IndexKind::kOutcome, v}, {}};
      return {};
    case QueryField::kPersonal:
      return {
          IndexTerm{IndexKind::kPersonal,
                    PersonalTermValue(filter.path, privacy::BlindValue(secret, filter.path, v))},
          std::nullopt};
  }
  return {IndexTerm{IndexKind::kTime, ""}, std::nullopt};
}

bool MatchesOnEvent(const Event& event, const FieldFilter& filter) {
  switch (filter.field) {
    case QueryField::kCode:
      return CodeMatchesFilter(event.code, filter.value);
    case QueryField::kOutcome:
      return ToString(event.outcome) == filter.value;
    case QueryField::kActorType:
      return ToString(event.actor.type) == filter.value;
    default:
      return false;
  }
}

}  // namespace actlog::store
