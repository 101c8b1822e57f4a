// Turns a rocksdb::Status into an actlog Status: IO errors and busy/timeouts become
// Unavailable (retry later), corruption becomes DataLoss, the rest Internal.
// Thread-safety: pure function.
#pragma once

#include <string_view>

#include <rocksdb/status.h>

#include "actlog/status.h"

namespace actlog::store {

Status FromRocks(const rocksdb::Status& s, std::string_view what);

}  // namespace actlog::store
