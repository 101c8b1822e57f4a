// GenerateDemo: a scripted set-up of the organisation that uses every built-in code,
// then a weighted mix of everyday activity, each event stamped a few seconds to minutes
// after the previous one.
#include "actlog/demo.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "actlog/event.h"
#include "core/demo_events.h"
#include "core/demo_rng.h"
#include "core/demo_world.h"

namespace actlog {
namespace {

using demo::CodeSpec;
using demo::Draft;
using demo::Rng;
using demo::World;

constexpr int64_t kMicrosPerMilli = 1000;

// The first weeks of the organisation, in a natural order: created, team invited,
// keys and accounts set up, routing and commerce configured, first manual operations.
// Uses every built-in non-actlog code (about 55 events), so a demo of 100 events shows
// the whole catalog.
std::vector<std::string_view> SetUpScript(Rng& rng) {
  std::vector<std::string_view> s = {"org:created", "org.member:signed_in", "org.profile:updated"};
  const int invites = static_cast<int>(rng.Between(5, 7));
  s.insert(s.end(), invites, "org.member:invited");
  s.insert(s.end(), invites - 2, "org.member:joined");
  s.push_back("org.member:declined");
  s.insert(s.end(), {"org.member:signed_in",
                     "org.member:signed_in",
                     "org.member:updated",
                     "org.api_key:created",
                     "org.api_key:created",
                     "org.api_key:updated",
                     "deposit_account:created",
                     "deposit_account:created",
                     "provider_account:created",
                     "provider_account:created",
                     "provider_account:created",
                     "merchant_account:created",
                     "merchant_account:created",
                     "deposit_account:updated",
                     "provider_account:updated",
                     "merchant_account:updated",
                     "payment_routing_scheme:created",
                     "payment_route:updated",
                     "payment_routing_scheme:updated",
                     "payout_routing_scheme:created",
                     "payout_route:updated",
                     "payout_routing_scheme:updated",
                     "fx_rate_scheme:created",
                     "fx_rate_scheme:updated",
                     "com.scheme:created",
                     "com.scheme_payment_service:updated",
                     "com.scheme_payout_service:updated",
                     "com.scheme:updated",
                     "com.account:created",
                     "com.account:created",
                     "com.account:updated",
                     "payment:processed_manually",
                     "payout:processed_manually",
                     "org.member:deactivated",
                     "org.member:activated"});
  return s;
}

// Everyday activity: a code drawn by the weights of what is possible now.
const CodeSpec& PickSpec(const World& world, Rng& rng) {
  std::size_t count = 0;
  const CodeSpec* specs = demo::AllSpecs(&count);
  int weights[64];
  int64_t total = 0;
  for (std::size_t i = 0; i < count; ++i) {
    weights[i] = specs[i].weight(world);
    total += weights[i];
  }
  int64_t roll = static_cast<int64_t>(rng.Below(static_cast<uint64_t>(total)));
  for (std::size_t i = 0; i < count; ++i) {
    if (roll < weights[i]) return specs[i];
    roll -= weights[i];
  }
  return specs[count - 1];
}

// Mostly seconds apart, sometimes minutes: about 25 s on average, so a million events
// cover most of a year.
int64_t NextGapMillis(Rng& rng) {
  const uint64_t r = rng.Below(100);
  if (r < 80) return rng.Between(1'000, 15'000);
  if (r < 97) return rng.Between(15'000, 90'000);
  return rng.Between(90'000, 600'000);
}

Json Assemble(const DemoOptions& options, uint64_t n, int64_t occurred_at_us, Draft&& d) {
  Json::Object e;
  e.reserve(12);
  e.emplace_back("org", Json::String(options.org));
  e.emplace_back("code", Json::String(std::string(d.code)));
  if (options.client_ids) {
    e.emplace_back("id", Json::String("demo-" + options.org + "-" + std::to_string(n)));
  }
  e.emplace_back("occurred_at", Json::String(FormatTimestamp(occurred_at_us)));
  e.emplace_back("actor", std::move(d.actor));
  if (!d.target.is_null()) e.emplace_back("target", std::move(d.target));
  if (!d.context.is_null()) e.emplace_back("context", std::move(d.context));
  if (!d.changes.is_null()) e.emplace_back("changes", std::move(d.changes));
  if (!d.before.is_null()) {
    e.emplace_back("before", std::move(d.before));
    e.emplace_back("after", std::move(d.after));
  }
  e.emplace_back("outcome", Json::String(d.failed ? "failure" : "success"));
  if (d.failed) e.emplace_back("reason", Json::String(std::move(d.reason)));
  if (!d.metadata.is_null()) e.emplace_back("metadata", std::move(d.metadata));
  return Json::MakeObject(std::move(e));
}

}  // namespace

void GenerateDemo(const DemoOptions& options, const std::function<bool(const Json&)>& emit) {
  Rng rng(options.seed);
  World world = demo::NewWorld(options.org, rng);
  const std::vector<std::string_view> script = SetUpScript(rng);
  int64_t t = options.start_us;
  for (uint64_t n = 0; n < options.events; ++n) {
    const CodeSpec& spec = n < script.size() ? *demo::FindSpec(script[n]) : PickSpec(world, rng);
    Draft draft;
    spec.build(world, rng, &draft);
    if (!emit(Assemble(options, n, t, std::move(draft)))) return;
    t += NextGapMillis(rng) * kMicrosPerMilli;
  }
}

}  // namespace actlog
