// Which event codes each organisation has used: how a code-prefix filter ("org.member",
// "org.member:*") finds its index streams, now that events no longer write one entry
// per resource level (docs/STORAGE.md, "index").
//
// An org's set is read from the index the first time a query needs it (a skip-scan of
// the org's kCode stream prefixes: one seek per distinct code) and kept current by
// Add, which the append path calls for every event *before* its batch is written. So
// every event a snapshot taken after the write can see has its code in the set. A code
// may be in the set without events (the write failed, or retention pruned them all):
// its stream is then empty, which costs a seek and changes no result.
//
// Thread-safe: Add and CodesMatching may be called from many threads at once.
#pragma once

#include <rocksdb/db.h>

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/status.h"

namespace actlog::store {

class OrgCodes {
 public:
  // `db` and `index_cf` must outlive this object.
  OrgCodes(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* index_cf) : db_(db), index_cf_(index_cf) {}

  // Records that `org` has (or is about to have) an event with `code`.
  void Add(std::string_view org, std::string_view code);

  // The org's codes that CodeMatchesFilter(code, filter) accepts, sorted. The first call
  // for an org scans its kCode streams in the index.
  StatusOr<std::vector<std::string>> CodesMatching(std::string_view org, std::string_view filter);

 private:
  struct Codes {
    bool loaded = false;  // the index has been scanned into `codes`
    std::set<std::string, std::less<>> codes;
  };
  // Every code with a kCode stream of `org` in the index (at the latest state).
  StatusOr<std::set<std::string, std::less<>>> ScanIndex(std::string_view org) const;

  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* index_cf_;
  std::mutex mu_;
  std::map<std::string, Codes, std::less<>> orgs_;  // guarded by mu_
};

}  // namespace actlog::store
