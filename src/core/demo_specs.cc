// The demo generator's code table (which builder, how often) and the small helpers the
// builders share.
#include <string>
#include <utility>

#include "core/demo_events.h"

namespace actlog::demo {
namespace {

// Caps keep the organisation a plausible size however many events are generated.
constexpr std::size_t kMaxMembersListed = 60;  // including declined and deactivated
constexpr int kMaxActiveKeys = 8;
constexpr std::size_t kMaxKeysListed = 32;  // including revoked ones
constexpr std::size_t kMaxAccounts = 12;
constexpr std::size_t kMaxSchemes = 6;
constexpr std::size_t kMaxComAccounts = 40;

int Always(int w) { return w; }
int IfBelow(std::size_t have, std::size_t cap, int w) { return have < cap ? w : 0; }

// Weights are relative (per ten thousand of the steady mix when everything is possible).
const CodeSpec kSpecs[] = {
    {"org:created", OrgCreated, [](const World&) { return 0; }},
    {"org.profile:updated", OrgProfileUpdated, [](const World&) { return Always(10); }},
    {"org.member:invited", MemberInvited,
     [](const World& w) {
       const int team =
           w.CountMembers(MemberState::kActive) + w.CountMembers(MemberState::kInvited);
       return team < w.target_members && w.members.size() < kMaxMembersListed ? 200 : 0;
     }},
    {"org.member:joined", MemberJoined,
     [](const World& w) { return w.CountMembers(MemberState::kInvited) > 0 ? 300 : 0; }},
    {"org.member:declined", MemberDeclined,
     [](const World& w) { return w.CountMembers(MemberState::kInvited) > 0 ? 40 : 0; }},
    {"org.member:updated", MemberUpdated,
     [](const World& w) { return w.CountMembers(MemberState::kActive) > 1 ? 150 : 0; }},
    {"org.member:deactivated", MemberDeactivated,
     [](const World& w) {
       return w.CountMembers(MemberState::kActive) > w.target_members / 2 ? 10 : 0;
     }},
    {"org.member:activated", MemberActivated,
     [](const World& w) { return w.CountMembers(MemberState::kDeactivated) > 0 ? 10 : 0; }},
    {"org.api_key:created", ApiKeyCreated,
     [](const World& w) {
       return w.active_keys < kMaxActiveKeys ? IfBelow(w.keys.size(), kMaxKeysListed, 60) : 0;
     }},
    {"org.api_key:updated", ApiKeyUpdated,
     [](const World& w) { return w.active_keys > 0 ? 150 : 0; }},
    {"deposit_account:created", DepositAccountCreated,
     [](const World& w) { return IfBelow(w.deposit_accounts.size(), kMaxAccounts, 30); }},
    {"deposit_account:updated", DepositAccountUpdated,
     [](const World& w) { return w.deposit_accounts.empty() ? 0 : 250; }},
    {"provider_account:created", ProviderAccountCreated,
     [](const World& w) { return IfBelow(w.provider_accounts.size(), kMaxAccounts, 40); }},
    {"provider_account:updated", ProviderAccountUpdated,
     [](const World& w) { return w.provider_accounts.empty() ? 0 : 350; }},
    {"merchant_account:created", MerchantAccountCreated,
     [](const World& w) { return IfBelow(w.merchant_accounts.size(), kMaxAccounts, 40); }},
    {"merchant_account:updated", MerchantAccountUpdated,
     [](const World& w) { return w.merchant_accounts.empty() ? 0 : 400; }},
    {"payment_route:updated", PaymentRouteUpdated,
     [](const World& w) { return w.payment_routes.empty() ? 0 : 500; }},
    {"payment_routing_scheme:created", PaymentSchemeCreated,
     [](const World& w) { return IfBelow(w.payment_schemes.size(), kMaxSchemes, 20); }},
    {"payment_routing_scheme:updated", PaymentSchemeUpdated,
     [](const World& w) { return w.payment_schemes.empty() ? 0 : 250; }},
    {"payout_route:updated", PayoutRouteUpdated,
     [](const World& w) { return w.payout_routes.empty() ? 0 : 350; }},
    {"payout_routing_scheme:created", PayoutSchemeCreated,
     [](const World& w) { return IfBelow(w.payout_schemes.size(), kMaxSchemes, 20); }},
    {"payout_routing_scheme:updated", PayoutSchemeUpdated,
     [](const World& w) { return w.payout_schemes.empty() ? 0 : 200; }},
    {"fx_rate_scheme:created", FxSchemeCreated,
     [](const World& w) { return IfBelow(w.fx_schemes.size(), kMaxSchemes, 20); }},
    {"fx_rate_scheme:updated", FxSchemeUpdated,
     [](const World& w) { return w.fx_schemes.empty() ? 0 : 400; }},
    {"com.scheme:created", ComSchemeCreated,
     [](const World& w) { return IfBelow(w.com_schemes.size(), kMaxSchemes, 20); }},
    {"com.scheme:updated", ComSchemeUpdated,
     [](const World& w) { return w.com_schemes.empty() ? 0 : 120; }},
    {"com.scheme_payment_service:updated", ComPaymentServiceUpdated,
     [](const World& w) { return w.com_schemes.empty() ? 0 : 200; }},
    {"com.scheme_payout_service:updated", ComPayoutServiceUpdated,
     [](const World& w) { return w.com_schemes.empty() ? 0 : 150; }},
    {"com.account:created", ComAccountCreated,
     [](const World& w) {
       return w.com_schemes.empty() ? 0 : IfBelow(w.com_accounts.size(), kMaxComAccounts, 60);
     }},
    {"com.account:updated", ComAccountUpdated,
     [](const World& w) { return w.com_accounts.empty() ? 0 : 300; }},
    {"payment:processed_manually", PaymentProcessedManually,
     [](const World&) { return Always(1300); }},
    {"payout:processed_manually", PayoutProcessedManually,
     [](const World&) { return Always(800); }},
    {"org.member:signed_in", MemberSignedIn, [](const World&) { return Always(2300); }},
};

}  // namespace

const CodeSpec* AllSpecs(std::size_t* count) {
  *count = std::size(kSpecs);
  return kSpecs;
}

const CodeSpec* FindSpec(std::string_view code) {
  for (const CodeSpec& s : kSpecs) {
    if (s.code == code) return &s;
  }
  return nullptr;
}

Json Str(std::string_view s) { return Json::String(std::string(s)); }
Json Num(int64_t n) { return Json::Number(static_cast<double>(n)); }

Json Change(Json from, Json to) {
  return Json::MakeObject({{"from", std::move(from)}, {"to", std::move(to)}});
}

Json OneChange(std::string_view field, Json from, Json to) {
  return Json::MakeObject({{std::string(field), Change(std::move(from), std::move(to))}});
}

Json MakeTarget(std::string_view type, std::string_view id, std::string_view name) {
  Json t = Json::MakeObject({{"type", Str(type)}, {"id", Str(id)}});
  if (!name.empty()) t.Set("name", Str(name));
  return t;
}

void ByUser(const World& world, std::string_view roles, Rng& rng, Draft* d) {
  const Member& m = PickMember(world, roles, rng);
  d->actor = UserActor(m);
  d->context = UserContext(world, m, rng);
}

void ByMix(const World& world, std::string_view roles, uint32_t key_per_mille,
           uint32_t system_per_mille, Rng& rng, Draft* d) {
  const uint64_t roll = rng.Below(1000);
  if (roll < system_per_mille) {
    d->actor = SystemActor();
    d->context = Json();
    return;
  }
  if (roll < system_per_mille + key_per_mille && !world.keys.empty()) {
    const ApiKey& k = world.keys[rng.Below(world.keys.size())];
    if (k.active) {
      d->actor = KeyActor(k);
      d->context = KeyContext(k, rng);
      return;
    }
  }
  ByUser(world, roles, rng, d);
}

}  // namespace actlog::demo
