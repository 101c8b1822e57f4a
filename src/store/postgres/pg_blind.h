// The blind index of searchable personal fields on the PostgreSQL store (DESIGN §7,
// docs/PRIVACY.md): rows of personal_index (org, path, mac, seq, subject), written in the
// append transaction; the actor_email column of events is the other blind index.
//
// Thread-compatible: functions use the connection they are given.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "privacy/blind_index.h"
#include "store/postgres/pg_conn.h"

namespace actlog::store::pg {

struct PersonalIndexRow {
  std::string org;
  uint64_t seq = 0;
  privacy::BlindTerm term;
};
Status InsertPersonalIndex(PgConn& conn, const std::vector<PersonalIndexRow>& rows);

}  // namespace actlog::store::pg
