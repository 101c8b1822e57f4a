// Every byte a data directory holds, for checking that erased data is gone from it:
// the raw bytes of every file (WAL, MANIFEST, OPTIONS, LOG, SST, anything), and, since
// SST blocks are compressed, the decoded keys and values of every SST file as well.
//
// Used by the erasure tests (docs/PRIVACY.md "How it is tested"). Reads files while a
// store may have them open; a file that vanishes meanwhile is skipped.
//
// Thread-safety: pure function.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "actlog/status.h"

namespace actlog::store {

// Calls `fn(file_name, bytes)` for each regular file under `dir` with its raw bytes,
// and again for each SST file with its decoded entries (each key followed by its value,
// concatenated). Returns the number of files seen.
StatusOr<size_t> ScanDataDir(const std::string& dir,
                             const std::function<void(const std::string& file,
                                                      std::string_view bytes)>& fn);

}  // namespace actlog::store
