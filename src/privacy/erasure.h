// The receipt of a subject's erasure (Store::EraseSubject) as JSON, and the
// actlog.subject:erased event that records it (DESIGN §7, docs/PRIVACY.md).
//
// The event's target is {"type":"subject","id":<subject>} and its metadata the counts
// of the receipt. The subject id is already in the leaf of every event of the subject
// and cannot be erased from there, so it must be pseudonymous (docs/PRIVACY.md);
// logging it adds no personal data. No value, sealed or not, is in the event.
//
// Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "actlog/catalog.h"
#include "actlog/event.h"
#include "actlog/json.h"
#include "actlog/store.h"

namespace actlog::privacy {

// {"org","subject","erased_at","keys_destroyed","values_destroyed",
//  "index_entries_removed","events_affected"}
Json ErasureReceiptJson(const ErasureReceipt& receipt);

// The counts alone, as the logged event's metadata.
Json ErasureCounts(const ErasureReceipt& receipt);

// The actlog.subject:erased event as producer JSON, by an actor of the given type and id.
Json ErasureEventJson(const ErasureReceipt& receipt, std::string_view actor_type,
                      std::string_view actor_id);

}  // namespace actlog::privacy
