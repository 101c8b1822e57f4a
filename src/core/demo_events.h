// Builders of the demo generator: one function per catalog code, each turning the
// World's state into one plausible event and updating the state to match.
// Thread-compatible.
#pragma once

#include <string>
#include <string_view>

#include "actlog/json.h"
#include "core/demo_rng.h"
#include "core/demo_world.h"

namespace actlog::demo {

// One event before its envelope (org, code, id, occurred_at). Null members are omitted.
struct Draft {
  // Set by the builder that ran: a builder whose precondition fails (nothing to update)
  // falls back to another one, and the code follows.
  std::string_view code;
  Json actor;
  Json context;
  Json target;
  Json changes;
  Json before;
  Json after;
  Json metadata;
  bool failed = false;
  std::string reason;  // only when failed
};

using Builder = void (*)(World& world, Rng& rng, Draft* draft);
// How often a code is chosen once the organisation is set up, given the world's state;
// 0 when the event is impossible now (nothing to update, nobody invited, ...).
using Weight = int (*)(const World& world);

struct CodeSpec {
  std::string_view code;
  Builder build;
  Weight weight;
};

// Every built-in non-actlog code, in catalog (seed table) order.
const CodeSpec* FindSpec(std::string_view code);
const CodeSpec* AllSpecs(std::size_t* count);

// --- helpers shared by the builder files ---
Json Str(std::string_view s);
Json Num(int64_t n);
Json Change(Json from, Json to);  // {"from": from, "to": to}
Json OneChange(std::string_view field, Json from, Json to);
Json MakeTarget(std::string_view type, std::string_view id, std::string_view name);
// Sets actor and context: an active member with one of `roles`, or with the given odds
// (per mille) an active API key or the platform's automation.
void ByUser(const World& world, std::string_view roles, Rng& rng, Draft* d);
void ByMix(const World& world, std::string_view roles, uint32_t key_per_mille,
           uint32_t system_per_mille, Rng& rng, Draft* d);

// --- builders (demo_events_people.cc) ---
void OrgCreated(World& w, Rng& rng, Draft* d);
void OrgProfileUpdated(World& w, Rng& rng, Draft* d);
void MemberInvited(World& w, Rng& rng, Draft* d);
void MemberJoined(World& w, Rng& rng, Draft* d);
void MemberDeclined(World& w, Rng& rng, Draft* d);
void MemberUpdated(World& w, Rng& rng, Draft* d);
void MemberDeactivated(World& w, Rng& rng, Draft* d);
void MemberActivated(World& w, Rng& rng, Draft* d);
void MemberSignedIn(World& w, Rng& rng, Draft* d);
void ApiKeyCreated(World& w, Rng& rng, Draft* d);
void ApiKeyUpdated(World& w, Rng& rng, Draft* d);

// --- builders (demo_events_accounts.cc) ---
void DepositAccountCreated(World& w, Rng& rng, Draft* d);
void DepositAccountUpdated(World& w, Rng& rng, Draft* d);
void ProviderAccountCreated(World& w, Rng& rng, Draft* d);
void ProviderAccountUpdated(World& w, Rng& rng, Draft* d);
void MerchantAccountCreated(World& w, Rng& rng, Draft* d);
void MerchantAccountUpdated(World& w, Rng& rng, Draft* d);
void PaymentProcessedManually(World& w, Rng& rng, Draft* d);
void PayoutProcessedManually(World& w, Rng& rng, Draft* d);

// --- builders (demo_events_schemes.cc) ---
void PaymentRouteUpdated(World& w, Rng& rng, Draft* d);
void PaymentSchemeCreated(World& w, Rng& rng, Draft* d);
void PaymentSchemeUpdated(World& w, Rng& rng, Draft* d);
void PayoutRouteUpdated(World& w, Rng& rng, Draft* d);
void PayoutSchemeCreated(World& w, Rng& rng, Draft* d);
void PayoutSchemeUpdated(World& w, Rng& rng, Draft* d);
void FxSchemeCreated(World& w, Rng& rng, Draft* d);
void FxSchemeUpdated(World& w, Rng& rng, Draft* d);
void ComSchemeCreated(World& w, Rng& rng, Draft* d);
void ComSchemeUpdated(World& w, Rng& rng, Draft* d);
void ComPaymentServiceUpdated(World& w, Rng& rng, Draft* d);
void ComPayoutServiceUpdated(World& w, Rng& rng, Draft* d);
void ComAccountCreated(World& w, Rng& rng, Draft* d);
void ComAccountUpdated(World& w, Rng& rng, Draft* d);

}  // namespace actlog::demo
