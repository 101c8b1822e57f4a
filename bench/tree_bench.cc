// The integrity hot path, per event: the leaf hash of an event's canonical bytes, one
// append to an org's Merkle tree (with its tiles recorded, as the store does), and an
// inclusion proof served from tiles. Baseline: SHA-256 of the same bytes through OpenSSL
// directly, measured in the same run, so LeafHash/baseline says what the tree's framing
// costs on top of the hash itself (docs/BENCHMARKS.md, physical limits).
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <string>

#include "actlog/catalog.h"
#include "actlog/event.h"
#include "actlog/merkle.h"
#include "actlog/tiles.h"

namespace actlog::integrity {
namespace {

// The canonical bytes of a typical stored event (DESIGN §2's example).
std::string TypicalLeaf() {
  constexpr char kTypical[] = R"json({"org":"org_42","code":"org.member:updated",
    "id":"9f1c-77a2","occurred_at":"2026-11-29T10:15:03.120Z",
    "actor":{"type":"user","id":"u_7","name":"Alice Doe","email":"alice@example.com"},
    "target":{"type":"org.member","id":"m_12","name":"Bob Roe"},
    "context":{"ip":"203.0.113.9","user_agent":"Mozilla/5.0 (X11; Linux x86_64)","request_id":"req_8c1"},
    "changes":{"role":{"from":"viewer","to":"admin"}},
    "outcome":"success","metadata":{"source":"dashboard","plan":"pro"}})json";
  Event e = *ValidateEvent(*ParseJson(kTypical), Catalog::BuiltIn(), EventLimits());
  e.seq = 12345;
  e.received_at_us = 1'795'947'303'120'000;
  return CanonicalEvent(e);
}

void BM_Sha256Baseline(benchmark::State& state) {
  const std::string leaf = "\0" + TypicalLeaf();
  unsigned char out[32];
  unsigned int len = 0;
  for (auto _ : state) {
    EVP_Digest(leaf.data(), leaf.size(), out, &len, EVP_sha256(), nullptr);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * leaf.size()));
}
BENCHMARK(BM_Sha256Baseline);

void BM_LeafHash(benchmark::State& state) {
  const std::string leaf = TypicalLeaf();
  for (auto _ : state) benchmark::DoNotOptimize(LeafHash(leaf));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * leaf.size()));
}
BENCHMARK(BM_LeafHash);

// One leaf appended, its completed nodes recorded into tiles (amortised: about one node
// hash per leaf).
void BM_TreeAppend(benchmark::State& state) {
  const Hash leaf = LeafHash(TypicalLeaf());
  MemoryTileStore tiles;
  IncrementalTree tree;
  const IncrementalTree::NodeSink sink = tiles.Sink();
  for (auto _ : state) benchmark::DoNotOptimize(tree.AppendLeafHash(leaf, sink));
}
BENCHMARK(BM_TreeAppend);

// An inclusion proof in a tree of range(0) leaves, read from tiles in memory.
void BM_InclusionProof(benchmark::State& state) {
  const uint64_t size = static_cast<uint64_t>(state.range(0));
  MemoryTileStore tiles;
  IncrementalTree tree;
  const IncrementalTree::NodeSink sink = tiles.Sink();
  Hash leaf = LeafHash(TypicalLeaf());
  for (uint64_t i = 0; i < size; ++i) {
    leaf[0] = static_cast<uint8_t>(i);
    (void)tree.AppendLeafHash(leaf, sink);
  }
  uint64_t index = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(InclusionProof(tiles, index, size));
    index = (index + 7919) % size;
  }
}
BENCHMARK(BM_InclusionProof)->Arg(1 << 16)->Arg(1 << 20);

// Checking a proof, as a client or `actlog verify` of a bundle does.
void BM_VerifyInclusion(benchmark::State& state) {
  const uint64_t size = 1 << 20;
  MemoryTileStore tiles;
  IncrementalTree tree;
  const IncrementalTree::NodeSink sink = tiles.Sink();
  Hash leaf = LeafHash(TypicalLeaf());
  for (uint64_t i = 0; i < size; ++i) (void)tree.AppendLeafHash(leaf, sink);
  const std::vector<Hash> proof = *InclusionProof(tiles, 4242, size);
  const Hash root = tree.Root();
  for (auto _ : state) benchmark::DoNotOptimize(VerifyInclusion(leaf, 4242, size, proof, root));
}
BENCHMARK(BM_VerifyInclusion);

}  // namespace
}  // namespace actlog::integrity
