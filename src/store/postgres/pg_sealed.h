// Sealing inside the PostgreSQL store's append transaction (see pg_sealed.cc).
//
// Thread-compatible: one GroupSubjectKeys serves one group transaction.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "actlog/event.h"
#include "privacy/seal_reuse.h"
#include "privacy/sealing.h"
#include "store/postgres/pg_conn.h"

namespace actlog::store::pg {

// Subject keys for one group: read from subject_keys, or made now (inserted by
// InsertNew, in the same transaction). Callers hold the org's head lock, so no other
// transaction makes a key for the same (org, subject) meanwhile.
class GroupSubjectKeys final : public privacy::SubjectKeys {
 public:
  explicit GroupSubjectKeys(PgConn* conn) : conn_(conn) {}
  // Reads the keys of the likely subjects of `events` (actors and targets) in one query,
  // so KeyFor needs no query of its own for them.
  Status Prefetch(const std::vector<Event>& events);
  StatusOr<std::string> KeyFor(std::string_view org, std::string_view subject) override;
  Status InsertNew();

 private:
  PgConn* conn_;
  std::map<std::pair<std::string, std::string>, std::string> keys_;
  std::set<std::pair<std::string, std::string>> absent_;  // prefetched, have no key
  std::vector<std::pair<std::string, std::string>> fresh_;
};

// One new blob, to insert in the group's transaction (reused ones are stored already).
struct SealedRow {
  std::string org;
  int64_t window = 0;  // privacy::ReuseWindow of the events' received_at
  privacy::SealedValue value;
};
Status InsertSealed(PgConn& conn, const std::vector<SealedRow>& rows);

// Checks, with one query, that every blob the group took from the reuse cache is still
// stored (an erasure or retention run, on any node, may have deleted it since). If one
// is gone it leaves the cache and the transaction is retried ("pg_retry"), sealing anew.
// REQUIRES: the group holds the head locks of the orgs (erasure and retention take them).
Status CheckReused(PgConn& conn, const privacy::GroupReuse& reuse,
                   privacy::SealReuseCache* cache);

}  // namespace actlog::store::pg
