// Sealing personal values (src/privacy/sealing.h) on the ingest path: one subject's
// values of an event sealed as one blob with XChaCha20-Poly1305 (SealBlob) and its
// SHA-256 reference (BlobHash), and a whole typical event (SealEvent: its personal values
// found, grouped by subject, sealed and replaced). Opening on read is measured too. The subject
// keys come from memory, so this is the CPU cost alone; the store adds a key lookup per new (org,
// subject).
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <map>
#include <string>

#include "actlog/catalog.h"
#include "actlog/event.h"
#include "privacy/sealing.h"

namespace actlog::privacy {
namespace {

constexpr char kTypical[] = R"json({"org":"org_42","code":"org.member:updated","id":"9f1c-77a2",
  "occurred_at":"2026-11-29T10:15:03.120Z",
  "actor":{"type":"user","id":"u_7","name":"Alice Doe","email":"alice@example.com"},
  "target":{"type":"org.member","id":"m_12","name":"Bob Roe"},
  "context":{"ip":"203.0.113.9","user_agent":"Mozilla/5.0 (X11; Linux x86_64)","request_id":"req_8c1"},
  "changes":{"role":{"from":"viewer","to":"admin"}},
  "outcome":"success","metadata":{"source":"dashboard","plan":"pro"}})json";

// The plaintext of one subject's blob: its values of the event, {path: value}.
constexpr char kValues[] =
    R"json({"actor.email":"alice@example.com","actor.name":"Alice Doe"})json";

class MemoryKeys final : public SubjectKeys {
 public:
  StatusOr<std::string> KeyFor(std::string_view org, std::string_view subject) override {
    std::string& key = keys_[std::string(org) + '\0' + std::string(subject)];
    if (key.empty()) key = NewSubjectKey();
    return key;
  }

 private:
  std::map<std::string, std::string> keys_;
};

void BM_SealBlob(benchmark::State& state) {
  if (sodium_init() < 0) state.SkipWithError("sodium_init failed");
  const std::string key = NewSubjectKey();
  for (auto _ : state) {
    std::string blob = SealBlob(key, "org_42", "u_7", kValues);
    benchmark::DoNotOptimize(BlobHash(blob));
  }
}
BENCHMARK(BM_SealBlob);

void BM_OpenBlob(benchmark::State& state) {
  if (sodium_init() < 0) state.SkipWithError("sodium_init failed");
  const std::string key = NewSubjectKey();
  const std::string blob = SealBlob(key, "org_42", "u_7", kValues);
  for (auto _ : state) {
    benchmark::DoNotOptimize(OpenBlob(key, "org_42", "u_7", blob));
  }
}
BENCHMARK(BM_OpenBlob);

// Every personal value of the typical event (actor name and email, IP, user agent, the
// member's name), keys already known: one blob per subject.
void BM_SealEvent(benchmark::State& state) {
  if (sodium_init() < 0) state.SkipWithError("sodium_init failed");
  const Catalog catalog = Catalog::BuiltIn();
  const Event input = *ValidateEvent(*ParseJson(kTypical), catalog, EventLimits());
  MemoryKeys keys;
  size_t values = 0;
  for (auto _ : state) {
    Event event = input;
    StatusOr<std::vector<SealedValue>> sealed = SealEvent(&event, catalog, keys);
    values = sealed.ok() ? sealed->size() : 0;
    benchmark::DoNotOptimize(sealed);
  }
  state.counters["blobs"] = static_cast<double>(values);
}
BENCHMARK(BM_SealEvent);

// The copy of the event that BM_SealEvent makes each time, to subtract.
void BM_SealEventCopyBaseline(benchmark::State& state) {
  const Event input = *ValidateEvent(*ParseJson(kTypical), Catalog::BuiltIn(), EventLimits());
  for (auto _ : state) {
    Event event = input;
    benchmark::DoNotOptimize(event);
  }
}
BENCHMARK(BM_SealEventCopyBaseline);

}  // namespace
}  // namespace actlog::privacy
