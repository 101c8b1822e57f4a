// Ingest hot path of one event: validation alone, validation after parsing, and the
// canonical bytes the store writes. Baseline: ParseJson of the same text, measured in
// the same run, so the ratio says what validation adds on top of parsing.
#include <benchmark/benchmark.h>

#include <string>

#include "actlog/catalog.h"
#include "actlog/clock.h"
#include "actlog/event.h"

namespace actlog {
namespace {

// A typical producer event (DESIGN §2's example, with metadata).
constexpr char kTypical[] = R"json({"org":"org_42","code":"org.member:updated","id":"9f1c-77a2",
  "occurred_at":"2026-11-29T10:15:03.120Z",
  "actor":{"type":"user","id":"u_7","name":"Alice Doe","email":"alice@example.com"},
  "target":{"type":"org.member","id":"m_12","name":"Bob Roe"},
  "context":{"ip":"203.0.113.9","user_agent":"Mozilla/5.0 (X11; Linux x86_64)","request_id":"req_8c1"},
  "changes":{"role":{"from":"viewer","to":"admin"}},
  "outcome":"success","metadata":{"source":"dashboard","plan":"pro"}})json";

void BM_ParseJsonBaseline(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ParseJson(kTypical));
}
BENCHMARK(BM_ParseJsonBaseline);

void BM_ValidateEvent(benchmark::State& state) {
  const Json input = *ParseJson(kTypical);
  const Catalog catalog = Catalog::BuiltIn();
  const EventLimits limits;
  for (auto _ : state) benchmark::DoNotOptimize(ValidateEvent(input, catalog, limits));
}
BENCHMARK(BM_ValidateEvent);

void BM_ParseIngestBodyOneEvent(benchmark::State& state) {
  const Catalog catalog = Catalog::BuiltIn();
  const EventLimits limits;
  for (auto _ : state) benchmark::DoNotOptimize(ParseIngestBody(kTypical, catalog, limits));
}
BENCHMARK(BM_ParseIngestBodyOneEvent);

void BM_CanonicalEvent(benchmark::State& state) {
  Event e = *ValidateEvent(*ParseJson(kTypical), Catalog::BuiltIn(), EventLimits());
  FakeClock clock(1'795'947'303'120'000);
  e.seq = 12345;
  e.received_at_us = clock.NowMicros();
  for (auto _ : state) benchmark::DoNotOptimize(CanonicalEvent(e));
}
BENCHMARK(BM_CanonicalEvent);

void BM_DecodeEvent(benchmark::State& state) {
  Event e = *ValidateEvent(*ParseJson(kTypical), Catalog::BuiltIn(), EventLimits());
  e.received_at_us = 1'795'947'303'120'000;
  const std::string canonical = CanonicalEvent(e);
  for (auto _ : state) benchmark::DoNotOptimize(DecodeEvent(canonical));
}
BENCHMARK(BM_DecodeEvent);

}  // namespace
}  // namespace actlog
