// The verifiable log at scale, measured on a data directory `actlog ingest` filled
// (bench/integrity.sh): inclusion and consistency proof latency as the server computes
// them (Store::InclusionProof / ConsistencyProof, reading tiles) with p50/p99, the cost
// of checking a proof on the client side, the full verification rate of
// `actlog verify --data` (RocksTree::Verify, leaves/s), and the tree's bytes per event:
// logical (tile and tree-state records, keys included) and on disk (RocksDB's approximate
// size of the org's tile key range, after a full compaction).
//
//   actlog_integrity_bench --data DIR --org ORG [--samples N] [--seed S]
#include <rocksdb/db.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "actlog/merkle.h"
#include "actlog/store.h"
#include "store/rocksdb/rocks_store.h"
#include "store/rocksdb/rocks_tree.h"

namespace actlog {
namespace {

using Clock = std::chrono::steady_clock;

double Micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

struct Summary {
  double p50 = 0, p99 = 0, mean = 0;
};

Summary Summarize(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  Summary s;
  s.p50 = samples[samples.size() / 2];
  s.p99 = samples[std::min(samples.size() - 1, samples.size() * 99 / 100)];
  for (double v : samples) s.mean += v;
  s.mean /= static_cast<double>(samples.size());
  return s;
}

void Print(const char* what, const Summary& s) {
  std::printf("%-34s p50 %8.1f us   p99 %8.1f us   mean %8.1f us\n", what, s.p50, s.p99, s.mean);
}

[[noreturn]] void Die(const std::string& what, const Status& st) {
  std::fprintf(stderr, "%s: %s\n", what.c_str(), st.ToString().c_str());
  std::exit(1);
}

integrity::Hash AsHash(const std::string& s) {
  integrity::Hash h{};
  std::copy_n(s.begin(), h.size(), h.begin());
  return h;
}

std::vector<integrity::Hash> AsHashes(const std::vector<std::string>& v) {
  std::vector<integrity::Hash> out;
  for (const std::string& s : v) out.push_back(AsHash(s));
  return out;
}

void Proofs(store::RocksStore& db, const std::string& org, uint64_t n, int samples,
            std::mt19937_64& rng) {
  integrity::Hash root = AsHash(db.GetTreeHead(org)->root);
  std::uniform_int_distribution<uint64_t> any(0, n - 1);
  std::vector<double> gen, check;
  for (int i = 0; i < samples; ++i) {
    uint64_t index = any(rng);
    auto t0 = Clock::now();
    StatusOr<std::vector<std::string>> proof = db.InclusionProof(org, index, n);
    auto t1 = Clock::now();
    if (!proof.ok()) Die("inclusion proof", proof.status());
    StatusOr<StoredEvent> leaf = db.GetBySeq(org, index);
    if (!leaf.ok()) Die("event", leaf.status());
    auto t2 = Clock::now();
    Status ok = integrity::VerifyInclusion(integrity::LeafHash(leaf->canonical), index, n,
                                           AsHashes(*proof), root);
    auto t3 = Clock::now();
    if (!ok.ok()) Die("inclusion proof does not verify", ok);
    gen.push_back(Micros(t1 - t0));
    check.push_back(Micros(t3 - t2));
  }
  Print("inclusion proof (server, tiles)", Summarize(gen));
  Print("inclusion proof check (client)", Summarize(check));

  std::vector<double> cgen;
  for (int i = 0; i < samples; ++i) {
    uint64_t a = any(rng) + 1, b = any(rng) + 1;
    if (a > b) std::swap(a, b);
    auto t0 = Clock::now();
    StatusOr<std::vector<std::string>> proof = db.ConsistencyProof(org, a, b);
    auto t1 = Clock::now();
    if (!proof.ok()) Die("consistency proof", proof.status());
    cgen.push_back(Micros(t1 - t0));
  }
  Print("consistency proof (server, tiles)", Summarize(cgen));
}

void FullVerify(store::RocksStore& db, const std::string& org) {
  uint64_t problems = 0;
  auto t0 = Clock::now();
  StatusOr<store::TreeVerifyResult> r =
      db.tree()->Verify(org, [&problems](const store::TreeFinding&) { ++problems; });
  double secs = Micros(Clock::now() - t0) / 1e6;
  if (!r.ok()) Die("verify", r.status());
  std::printf("full verification (verify --data)  %.2f s for %llu leaves = %.0f leaves/s%s\n", secs,
              static_cast<unsigned long long>(r->tree_size), r->tree_size / secs,
              problems == 0 ? "" : " (PROBLEMS FOUND)");
}

// Bytes of the org's tree records (tile/ and tree/ keys of the meta CF).
void TreeBytes(const std::string& dir, const std::string& org, uint64_t n) {
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names);
  if (!s.ok()) Die("list column families", Internal(s.ToString()));
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir, families, &handles, &raw);
  if (!s.ok()) Die("open read-only", Internal(s.ToString()));
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "meta") meta = handles[i];
  }
  std::string begin = store::TileKey(org, 0, 0).substr(0, 5 + org.size() + 1);
  std::string end = begin;
  end.back() = '\x01';
  uint64_t logical = 0;
  std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator({}, meta));
  for (it->Seek(begin); it->Valid() && it->key().compare(end) < 0; it->Next()) {
    logical += it->key().size() + it->value().size();
  }
  std::string state;
  if (raw->Get({}, meta, store::TreeStateKey(org), &state).ok()) {
    logical += store::TreeStateKey(org).size() + state.size();
  }
  rocksdb::Range range(begin, end);
  uint64_t disk = 0;
  rocksdb::SizeApproximationOptions options;
  options.include_files = true;
  options.include_memtables = true;
  raw->GetApproximateSizes(options, meta, &range, 1, &disk);
  std::printf(
      "tree bytes per event               %.1f logical (tiles + state, keys included), "
      "%.1f on disk (compacted, compressed)\n",
      static_cast<double>(logical) / n, static_cast<double>(disk) / n);
  it.reset();
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
}

}  // namespace
}  // namespace actlog

int main(int argc, char** argv) {
  CLI::App app{"Integrity benchmark: proofs, verification rate, tree size"};
  std::string data, org;
  int samples = 10000;
  uint64_t seed = 42;
  app.add_option("--data", data, "Data directory")->required();
  app.add_option("--org", org, "Organisation")->required();
  app.add_option("--samples", samples, "Proofs of each kind")->capture_default_str();
  app.add_option("--seed", seed, "Random seed")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  using namespace actlog;
  uint64_t n = 0;
  {
    StoreOptions options;
    options.data_dir = data;
    auto opened = store::RocksStore::Open(options);
    if (!opened.ok()) Die("open", opened.status());
    store::RocksStore& db = **opened;
    StatusOr<TreeHead> head = db.GetTreeHead(org);
    if (!head.ok() || head->size < 2)
      Die("tree head", head.ok() ? NotFound("no tree") : head.status());
    n = head->size;
    std::printf("tree size                          %llu leaves (org %s)\n",
                static_cast<unsigned long long>(n), org.c_str());
    std::mt19937_64 rng(seed);
    Proofs(db, org, n, samples, rng);
    FullVerify(db, org);
    Status compacted = db.Compact();
    if (!compacted.ok()) Die("compact", compacted);
  }
  TreeBytes(data, org, n);
  return 0;
}
