// Demo builders for payment and payout routing (schemes and their routes), FX rate
// schemes, and commerce schemes, their services and accounts.
#include <string>
#include <utility>
#include <vector>

#include "core/demo_events.h"

namespace actlog::demo {
namespace {

constexpr std::string_view kRouting = "owner,admin,developer";
constexpr std::string_view kStrategies[] = {"cascade", "weighted", "lowest_cost"};
constexpr std::string_view kBrands[] = {"Aurora", "Borealis", "Cobalt",  "Driftwood",
                                        "Ember",  "Fjord",    "Granite", "Halcyon"};
constexpr std::string_view kShopNames[] = {
    "Caf\xC3\xA9 Aurora",   "Nordic Outdoor Supply", "Pixel Forge Games",     "Harbor Hotels",
    "Green Basket Grocers", "Velo City Bikes",       "Atlas Language School", "Kite & Co"};
constexpr std::string_view kPayoutSchedules[] = {"daily", "weekly", "monthly"};

std::string_view OtherOf(std::string_view current, const std::string_view (&items)[3], Rng& rng) {
  std::string_view next = current;
  while (next == current) next = rng.Pick(items);
  return next;
}

// The provider an automatic failover or a person moves a route to.
std::string ProviderFor(const World& w, Rng& rng) {
  if (w.provider_accounts.empty()) return std::string(rng.Pick(kProviders));
  return w.provider_accounts[rng.Below(w.provider_accounts.size())].name;
}

Json SchemeSnapshot(const Resource& s) {
  return Json::MakeObject({{"name", Str(s.name)},
                           {"strategy", Str(s.provider)},
                           {"fallback_enabled", Json::Bool(s.flag)},
                           {"status", Str(s.status)}});
}

// A routing scheme with two or three routes to the organisation's providers.
void SchemeCreated(World& w, Rng& rng, Draft* d, bool payout) {
  d->code = payout ? "payout_routing_scheme:created" : "payment_routing_scheme:created";
  ByUser(w, kRouting, rng, d);
  Resource s;
  s.id = (payout ? "pos_" : "prs_") + rng.Token(10);
  s.currency = std::string(rng.Pick(kCurrencies));
  s.name = s.currency + (payout ? " bank payouts" : " card payments");
  s.provider = std::string(rng.Pick(kStrategies));
  s.flag = rng.Chance(700);
  const int64_t routes = rng.Between(2, 3);
  std::vector<Resource>& all = payout ? w.payout_routes : w.payment_routes;
  for (int64_t i = 0; i < routes; ++i) {
    Resource r;
    r.id = (payout ? "pot_" : "prt_") + rng.Token(10);
    r.provider = ProviderFor(w, rng);
    r.name = s.name + " #" + std::to_string(i + 1);
    r.amount = i == 0 ? 70 : 30 / (routes - 1);
    all.push_back(std::move(r));
  }
  d->target = MakeTarget(payout ? "payout_routing_scheme" : "payment_routing_scheme", s.id, s.name);
  d->metadata = Json::MakeObject(
      {{"currency", Str(s.currency)}, {"strategy", Str(s.provider)}, {"routes", Num(routes)}});
  (payout ? w.payout_schemes : w.payment_schemes).push_back(std::move(s));
}

void SchemeUpdated(World& w, Rng& rng, Draft* d, bool payout) {
  d->code = payout ? "payout_routing_scheme:updated" : "payment_routing_scheme:updated";
  Resource* s = PickOne(payout ? w.payout_schemes : w.payment_schemes, rng);
  if (s == nullptr) return SchemeCreated(w, rng, d, payout);
  ByUser(w, kRouting, rng, d);
  d->before = SchemeSnapshot(*s);
  const uint64_t what = rng.Below(3);
  if (what == 0) {
    s->provider = std::string(OtherOf(s->provider, kStrategies, rng));
  } else if (what == 1) {
    s->flag = !s->flag;
  } else {
    s->status = s->status == "active" ? "paused" : "active";
  }
  d->after = SchemeSnapshot(*s);
  d->target =
      MakeTarget(payout ? "payout_routing_scheme" : "payment_routing_scheme", s->id, s->name);
}

void RouteUpdated(World& w, Rng& rng, Draft* d, bool payout) {
  d->code = payout ? "payout_route:updated" : "payment_route:updated";
  Resource* r = PickOne(payout ? w.payout_routes : w.payment_routes, rng);
  if (r == nullptr) return SchemeCreated(w, rng, d, payout);
  ByMix(w, kRouting, 150, 150, rng, d);
  const bool by_system = d->actor.Find("type")->as_string() == "system";
  if (by_system || rng.Chance(400)) {
    // Failover (automatic) or a person moving the route to another provider.
    std::string provider = r->provider;
    for (int i = 0; i < 4 && provider == r->provider; ++i) provider = ProviderFor(w, rng);
    if (provider == r->provider) provider = std::string(kProviders[rng.Below(10)]);
    d->changes = OneChange("provider_account", Str(r->provider), Str(provider));
    r->provider = std::move(provider);
    if (by_system) {
      d->metadata = Json::MakeObject({{"trigger", Str("provider_error_rate")},
                                      {"error_rate_percent", Num(rng.Between(12, 45))}});
    }
  } else {
    int64_t weight = r->amount;
    while (weight == r->amount) weight = rng.Between(1, 20) * 5;
    d->changes = OneChange("weight", Num(r->amount), Num(weight));
    r->amount = weight;
  }
  d->target = MakeTarget(payout ? "payout_route" : "payment_route", r->id, r->name);
}

Json ComAccountSnapshot(const Resource& a) {
  return Json::MakeObject({{"name", Str(a.name)},
                           {"status", Str(a.status)},
                           {"scheme", Str(a.provider)},
                           {"payout_schedule", Str(a.currency)}});
}

}  // namespace

void PaymentSchemeCreated(World& w, Rng& rng, Draft* d) { SchemeCreated(w, rng, d, false); }
void PaymentSchemeUpdated(World& w, Rng& rng, Draft* d) { SchemeUpdated(w, rng, d, false); }
void PaymentRouteUpdated(World& w, Rng& rng, Draft* d) { RouteUpdated(w, rng, d, false); }
void PayoutSchemeCreated(World& w, Rng& rng, Draft* d) { SchemeCreated(w, rng, d, true); }
void PayoutSchemeUpdated(World& w, Rng& rng, Draft* d) { SchemeUpdated(w, rng, d, true); }
void PayoutRouteUpdated(World& w, Rng& rng, Draft* d) { RouteUpdated(w, rng, d, true); }

void FxSchemeCreated(World& w, Rng& rng, Draft* d) {
  d->code = "fx_rate_scheme:created";
  ByUser(w, "owner,admin,finance", rng, d);
  Resource s;
  s.id = "fxs_" + rng.Token(10);
  s.currency = std::string(rng.Pick(kCurrencies));
  s.provider = std::string(rng.Pick(kCurrencies));
  while (s.provider == s.currency) s.provider = std::string(rng.Pick(kCurrencies));
  s.name = s.currency + "/" + s.provider + " retail";
  s.amount = rng.Between(10, 50) * 5;
  d->target = MakeTarget("fx_rate_scheme", s.id, s.name);
  d->metadata = Json::MakeObject({{"base_currency", Str(s.currency)},
                                  {"quote_currency", Str(s.provider)},
                                  {"markup_bps", Num(s.amount)}});
  w.fx_schemes.push_back(std::move(s));
}

void FxSchemeUpdated(World& w, Rng& rng, Draft* d) {
  d->code = "fx_rate_scheme:updated";
  Resource* s = PickOne(w.fx_schemes, rng);
  if (s == nullptr) return FxSchemeCreated(w, rng, d);
  ByMix(w, "owner,admin,finance", 300, 0, rng, d);
  if (rng.Chance(900)) {
    int64_t markup = s->amount;
    while (markup == s->amount) markup = rng.Between(10, 50) * 5;
    d->changes = OneChange("markup_bps", Num(s->amount), Num(markup));
    s->amount = markup;
  } else {
    const std::string status = s->status == "active" ? "paused" : "active";
    d->changes = OneChange("status", Str(s->status), Str(status));
    s->status = status;
  }
  d->target = MakeTarget("fx_rate_scheme", s->id, s->name);
}

void ComSchemeCreated(World& w, Rng& rng, Draft* d) {
  d->code = "com.scheme:created";
  ByUser(w, "owner,admin", rng, d);
  Resource s;
  s.id = "csc_" + rng.Token(10);
  s.name = std::string(rng.Pick(kBrands)) + " commerce";
  s.currency = std::string(rng.Pick(kCurrencies));
  s.amount = rng.Between(8, 30) * 10;   // payment fee, bps
  s.amount2 = rng.Between(2, 10) * 10;  // payout fee, bps
  d->target = MakeTarget("com.scheme", s.id, s.name);
  d->metadata = Json::MakeObject({{"settlement_currency", Str(s.currency)}});
  w.com_schemes.push_back(std::move(s));
}

void ComSchemeUpdated(World& w, Rng& rng, Draft* d) {
  d->code = "com.scheme:updated";
  Resource* s = PickOne(w.com_schemes, rng);
  if (s == nullptr) return ComSchemeCreated(w, rng, d);
  ByUser(w, "owner,admin", rng, d);
  if (rng.Chance(600)) {
    std::string currency = s->currency;
    while (currency == s->currency) currency = std::string(rng.Pick(kCurrencies));
    d->changes = OneChange("settlement_currency", Str(s->currency), Str(currency));
    s->currency = std::move(currency);
  } else {
    std::string name = s->name;
    while (name == s->name) name = std::string(rng.Pick(kBrands)) + " commerce";
    d->changes = OneChange("name", Str(s->name), Str(name));
    s->name = std::move(name);
  }
  d->target = MakeTarget("com.scheme", s->id, s->name);
}

void ComPaymentServiceUpdated(World& w, Rng& rng, Draft* d) {
  d->code = "com.scheme_payment_service:updated";
  Resource* s = PickOne(w.com_schemes, rng);
  if (s == nullptr) return ComSchemeCreated(w, rng, d);
  ByUser(w, "owner,admin,finance", rng, d);
  if (rng.Chance(750)) {
    int64_t fee = s->amount;
    while (fee == s->amount) fee = rng.Between(8, 30) * 10;
    d->changes = OneChange("fee_bps", Num(s->amount), Num(fee));
    s->amount = fee;
  } else {
    d->changes = OneChange("enabled", Json::Bool(s->flag), Json::Bool(!s->flag));
    s->flag = !s->flag;
  }
  d->target = MakeTarget("com.scheme_payment_service", s->id + "/payments", s->name + " payments");
}

void ComPayoutServiceUpdated(World& w, Rng& rng, Draft* d) {
  d->code = "com.scheme_payout_service:updated";
  Resource* s = PickOne(w.com_schemes, rng);
  if (s == nullptr) return ComSchemeCreated(w, rng, d);
  ByUser(w, "owner,admin,finance", rng, d);
  if (rng.Chance(750)) {
    int64_t fee = s->amount2;
    while (fee == s->amount2) fee = rng.Between(2, 10) * 10;
    d->changes = OneChange("fee_bps", Num(s->amount2), Num(fee));
    s->amount2 = fee;
  } else {
    d->changes = OneChange("enabled", Json::Bool(s->flag2), Json::Bool(!s->flag2));
    s->flag2 = !s->flag2;
  }
  d->target = MakeTarget("com.scheme_payout_service", s->id + "/payouts", s->name + " payouts");
}

void ComAccountCreated(World& w, Rng& rng, Draft* d) {
  d->code = "com.account:created";
  const Resource* scheme = PickOne(w.com_schemes, rng);
  if (scheme == nullptr) return ComSchemeCreated(w, rng, d);
  ByMix(w, "owner,admin,support", 400, 0, rng, d);
  Resource a;
  a.id = "cac_" + rng.Token(10);
  a.name = std::string(rng.Pick(kShopNames));
  a.provider = scheme->id;
  a.currency = std::string(rng.Pick(kPayoutSchedules));
  d->target = MakeTarget("com.account", a.id, a.name);
  d->metadata = Json::MakeObject({{"scheme", Str(a.provider)}, {"country", Str(w.country)}});
  w.com_accounts.push_back(std::move(a));
}

void ComAccountUpdated(World& w, Rng& rng, Draft* d) {
  d->code = "com.account:updated";
  Resource* a = PickOne(w.com_accounts, rng);
  if (a == nullptr) return ComAccountCreated(w, rng, d);
  ByMix(w, "owner,admin,support", 300, 0, rng, d);
  d->before = ComAccountSnapshot(*a);
  const uint64_t what = rng.Below(3);
  if (what == 0 || w.com_schemes.size() < 2) {
    a->currency = std::string(OtherOf(a->currency, kPayoutSchedules, rng));
  } else if (what == 1) {
    a->status = a->status == "active" ? "suspended" : "active";
  } else {
    std::string scheme = a->provider;
    while (scheme == a->provider) scheme = w.com_schemes[rng.Below(w.com_schemes.size())].id;
    a->provider = std::move(scheme);
  }
  d->after = ComAccountSnapshot(*a);
  d->target = MakeTarget("com.account", a->id, a->name);
}

}  // namespace actlog::demo
