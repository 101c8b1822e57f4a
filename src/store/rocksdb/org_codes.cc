#include "store/rocksdb/org_codes.h"

#include <memory>

#include "actlog/query.h"
#include "store/rocksdb/keys.h"
#include "store/rocksdb/rocks_status.h"

namespace actlog::store {

void OrgCodes::Add(std::string_view org, std::string_view code) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = orgs_.find(org);
  if (it == orgs_.end()) it = orgs_.emplace(std::string(org), Codes{}).first;
  if (!it->second.codes.contains(code)) it->second.codes.emplace(code);
}

StatusOr<std::vector<std::string>> OrgCodes::CodesMatching(std::string_view org,
                                                           std::string_view filter) {
  bool loaded = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = orgs_.find(org);
    loaded = it != orgs_.end() && it->second.loaded;
  }
  if (!loaded) {
    // Scanned without the lock: a concurrent Add lands in the entry (created if need
    // be), and the scan is merged into it, so neither is lost.
    StatusOr<std::set<std::string, std::less<>>> scanned = ScanIndex(org);
    if (!scanned.ok()) return scanned.status();
    std::lock_guard<std::mutex> lock(mu_);
    auto it = orgs_.find(org);
    if (it == orgs_.end()) it = orgs_.emplace(std::string(org), Codes{}).first;
    it->second.codes.merge(*scanned);
    it->second.loaded = true;
  }
  std::vector<std::string> matching;
  std::lock_guard<std::mutex> lock(mu_);
  for (const std::string& code : orgs_.find(org)->second.codes) {
    if (CodeMatchesFilter(code, filter)) matching.push_back(code);
  }
  return matching;
}

// Reads one key per stream: after a code's first key, seeks past its whole stream
// prefix. The index CF has a prefix extractor (the stream prefix), so a seek across
// streams needs total_order_seek.
StatusOr<std::set<std::string, std::less<>>> OrgCodes::ScanIndex(std::string_view org) const {
  std::string kind_prefix = OrgPrefix(org);
  kind_prefix.push_back(static_cast<char>(IndexKind::kCode));
  std::string upper = PrefixSuccessor(kind_prefix);
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read;
  read.total_order_seek = true;
  read.iterate_upper_bound = &upper_slice;
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, index_cf_));
  std::set<std::string, std::less<>> codes;
  for (it->Seek(kind_prefix); it->Valid();) {
    std::string_view key(it->key().data(), it->key().size());
    std::string_view rest = key.substr(kind_prefix.size());
    uint64_t length = 0;
    if (!GetVarint64(&rest, &length) || rest.size() < length + kPositionBytes) {
      return DataLoss("damaged index key in the code streams of org " + std::string(org));
    }
    std::string code(rest.substr(0, length));
    it->Seek(PrefixSuccessor(IndexPrefix(org, IndexKind::kCode, code)));
    codes.insert(std::move(code));
  }
  ACTLOG_RETURN_IF_ERROR(FromRocks(it->status(), "reading the org's codes"));
  return codes;
}

}  // namespace actlog::store
