#include "privacy/erasure.h"

#include <string>

namespace actlog::privacy {
namespace {

Json Count(uint64_t n) { return Json::Number(static_cast<double>(n)); }

}  // namespace

Json ErasureCounts(const ErasureReceipt& r) {
  return Json::MakeObject({
      {"keys_destroyed", Count(r.keys_destroyed)},
      {"values_destroyed", Count(r.values_destroyed)},
      {"index_entries_removed", Count(r.index_entries_removed)},
      {"events_affected", Count(r.events_affected)},
  });
}

Json ErasureReceiptJson(const ErasureReceipt& r) {
  Json out = Json::MakeObject({
      {"org", Json::String(r.org)},
      {"subject", Json::String(r.subject)},
      {"erased_at", Json::String(FormatTimestamp(r.erased_at_us))},
  });
  Json counts = ErasureCounts(r);
  for (Json::Member& m : counts.as_object()) out.Set(m.first, std::move(m.second));
  return out;
}

Json ErasureEventJson(const ErasureReceipt& r, std::string_view actor_type,
                      std::string_view actor_id) {
  return Json::MakeObject({
      {"org", Json::String(r.org)},
      {"code", Json::String("actlog.subject:erased")},
      {"actor", Json::MakeObject({{"type", Json::String(std::string(actor_type))},
                                  {"id", Json::String(std::string(actor_id))}})},
      {"target", Json::MakeObject({{"type", Json::String("subject")},
                                   {"id", Json::String(r.subject)}})},
      {"metadata", ErasureCounts(r)},
  });
}

}  // namespace actlog::privacy
