// ValidateEvent: one producer object -> one Event, or every problem it has.
//
// The walk is single-pass over the fixed schema of DESIGN §2 (org, code, id,
// occurred_at, actor, target, context, changes | before+after, outcome, reason,
// metadata); free-form values (metadata, changes' from/to, before, after) are walked for
// the string and depth limits. Field paths are built only when a problem is reported,
// because this runs for every ingested event. Conventions:
// - JSON null in a fixed-schema field means "absent" (producers in many languages emit
//   it for unset optionals); inside free-form values null is data.
// - Every fixed-schema string must be non-empty (detail code "empty").
// - Array elements appear in paths as `metadata.tags[3]`.
// - The content digest is SHA-256 over the RFC 8785 form of the normalised producer
//   object (nulls in fixed fields dropped, before/after replaced by the computed
//   changes, no defaults filled in), so a retry that omitted occurred_at still matches.
#include <openssl/evp.h>

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/event.h"
#include "core/event_validate_internal.h"

namespace actlog {
namespace {

using internal::EventFields;
using internal::FieldChecker;
using internal::PathNode;

// The slot of a top-level member, or nullptr for an unknown key. Dispatches on length
// first: this runs for every member of every ingested event.
const Json** SlotFor(std::string_view key, EventFields* f) {
  switch (key.size()) {
    case 2:
      return key == "id" ? &f->id : nullptr;
    case 3:
      return key == "org" ? &f->org : nullptr;
    case 4:
      return key == "code" ? &f->code : nullptr;
    case 5:
      return key == "actor" ? &f->actor : key == "after" ? &f->after : nullptr;
    case 6:
      return key == "target"   ? &f->target
             : key == "before" ? &f->before
             : key == "reason" ? &f->reason
                               : nullptr;
    case 7:
      return key == "context"   ? &f->context
             : key == "changes" ? &f->changes
             : key == "outcome" ? &f->outcome
                                : nullptr;
    case 8:
      return key == "metadata" ? &f->metadata : nullptr;
    case 11:
      return key == "occurred_at" ? &f->occurred_at : nullptr;
    default:
      return nullptr;
  }
}

// Top-level member lookup: fills `f` and reports unknown keys. Null counts as absent.
void CollectFields(const Json& input, FieldChecker* check, EventFields* f) {
  for (const auto& [key, value] : input.as_object()) {
    const Json** slot = SlotFor(key, f);
    if (slot == nullptr) {
      check->Add(internal::TruncatedKey(key), "unknown_field", "not an event field");
    } else if (!value.is_null()) {
      *slot = &value;
    }
  }
}

void CheckOrg(const EventFields& f, FieldChecker* check, Event* e) {
  const std::string* org = check->RequiredString(f.org, "org");
  if (org == nullptr) return;
  if (!IsValidOrgId(*org) || org->size() > check->limits().max_org_bytes) {
    check->Add("org", "invalid_format", "org ids are 1..64 of [A-Za-z0-9_.-]");
    return;
  }
  e->org = *org;
}

void CheckCode(const EventFields& f, const Catalog& catalog, FieldChecker* check, Event* e) {
  const std::string* code = check->RequiredString(f.code, "code");
  if (code == nullptr) return;
  Status st = catalog.Check(*code);
  if (!IsWellFormedCode(*code)) {
    check->Add("code", "invalid_format", st.ok() ? "malformed event code" : st.message());
    return;
  }
  if (!st.ok()) {
    check->Add("code", "unknown_code", st.message());
    return;
  }
  e->code = *code;
}

void CheckIdAndTime(const EventFields& f, FieldChecker* check, Event* e) {
  if (const std::string* id = check->OptionalString(f.id, "id")) {
    if (!IsValidClientId(*id) || id->size() > check->limits().max_id_bytes) {
      check->Add("id", "invalid_format", "client ids are 1..128 printable ASCII, no spaces");
    } else {
      e->id = *id;
      e->client_id = true;
    }
  }
  if (const std::string* at = check->OptionalString(f.occurred_at, "occurred_at")) {
    StatusOr<int64_t> t = ParseTimestamp(*at);
    if (!t.ok()) {
      check->Add("occurred_at", "invalid_format", t.status().message());
    } else {
      e->occurred_at_us = *t;
    }
  }
}

void CheckOutcome(const EventFields& f, FieldChecker* check, Event* e) {
  if (const std::string* o = check->OptionalString(f.outcome, "outcome")) {
    std::optional<Outcome> parsed = ParseOutcome(*o);
    if (!parsed) {
      check->Add("outcome", "invalid_value", "outcome is \"success\" or \"failure\"");
    } else {
      e->outcome = *parsed;
    }
  }
  if (const std::string* r = check->OptionalString(f.reason, "reason")) {
    if (e->outcome != Outcome::kFailure) {
      check->Add("reason", "invalid_value", "a reason is given only with outcome \"failure\"");
    } else {
      e->reason = *r;
    }
  }
}

void CheckMetadata(const EventFields& f, FieldChecker* check, Event* e,
                   std::string* canonical_metadata) {
  if (f.metadata == nullptr) return;
  if (!f.metadata->is_object()) {
    check->Add("metadata", "invalid_type", "metadata must be an object");
    return;
  }
  const std::size_t before = check->problems();
  PathNode root{nullptr, "metadata"};
  check->WalkFree(*f.metadata, root, 2);
  if (check->problems() != before || f.metadata->as_object().empty()) return;
  AppendCanonicalJson(*f.metadata, canonical_metadata);
  if (canonical_metadata->size() > check->limits().max_metadata_bytes) {
    check->Add("metadata", "too_large",
               "metadata is " + std::to_string(canonical_metadata->size()) +
                   " canonical bytes; the limit is " +
                   std::to_string(check->limits().max_metadata_bytes));
    return;
  }
  e->metadata = *f.metadata;
}

// OpenSSL's one-shot SHA256() looks the algorithm up (under a lock) on every call; on
// the ingest path that costs more than hashing the few hundred bytes, so the algorithm
// is fetched once and each thread keeps its own context.
std::string Sha256(const std::string& bytes) {
  static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                           &EVP_MD_CTX_free);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (kSha256 == nullptr || ctx == nullptr ||
      EVP_DigestInit_ex2(ctx.get(), kSha256, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), md, &len) != 1 || len != 32) {
    std::abort();  // no SHA-256 means no integrity at all: a broken installation
  }
  return std::string(reinterpret_cast<const char*>(md), len);
}

}  // namespace

StatusOr<Event> ValidateEvent(const Json& input, const Catalog& catalog, const EventLimits& limits,
                              std::optional<std::size_t> index) {
  FieldChecker check(limits, index);
  if (!input.is_object()) {
    check.Add("", "invalid_type", "an event must be a JSON object");
    return check.ToStatus();
  }
  EventFields f;
  CollectFields(input, &check, &f);
  Event e;
  CheckOrg(f, &check, &e);
  CheckCode(f, catalog, &check, &e);
  CheckIdAndTime(f, &check, &e);
  internal::CheckActor(f, &check, &e);
  internal::CheckTarget(f, &check, &e);
  internal::CheckContext(f, &check, &e);
  internal::CheckChanges(f, &check, &e);
  CheckOutcome(f, &check, &e);
  std::string canonical_metadata;
  CheckMetadata(f, &check, &e, &canonical_metadata);
  if (check.problems() > 0) return check.ToStatus();
  e.content_digest = Sha256(internal::NormalisedCanonical(f, e.changes, canonical_metadata));
  return e;
}

}  // namespace actlog
