// Demo builders for deposit, provider and merchant accounts, and manual payments and
// payouts.
#include <string>
#include <utility>

#include "core/demo_events.h"

namespace actlog::demo {
namespace {

constexpr std::string_view kTreasury = "owner,admin,finance";
constexpr std::string_view kShops[] = {"Web shop", "Marketplace", "Subscriptions",
                                       "In-app",   "Travel desk", "B2B portal"};
constexpr std::string_view kMccs[] = {"5734", "5999", "4722", "5816", "5045", "7372"};
// Why a person processed it by hand (metadata.reason); the top-level reason is only
// for failures.
constexpr std::string_view kPaymentReasons[] = {
    "Customer paid by bank transfer", "Capture retried after provider timeout",
    "Chargeback reversal", "Approved after manual risk review"};
constexpr std::string_view kPaymentFailures[] = {
    "Provider rejected the capture: authorisation expired",
    "Amount exceeds the account's daily limit", "Provider timed out"};
constexpr std::string_view kPayoutReasons[] = {"Merchant settlement released early",
                                               "Refund to customer by bank transfer",
                                               "Re-sent after beneficiary details were fixed"};
constexpr std::string_view kPayoutFailures[] = {"Beneficiary account closed",
                                                "Insufficient balance in deposit account",
                                                "IBAN failed validation"};

std::string Digits(int n, Rng& rng) {
  std::string out;
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>('0' + rng.Below(10)));
  return out;
}

// A daily limit in whole currency units, in round steps.
int64_t NewLimit(Rng& rng) { return rng.Between(5, 100) * 5000; }

int64_t OtherLimit(int64_t limit, Rng& rng) {
  int64_t next = limit;
  while (next == limit) next = NewLimit(rng);
  return next;
}

const char* Toggle(const std::string& status) {
  return status == "active" ? "suspended" : "active";
}

Json AccountSnapshot(const Resource& r) {
  return Json::MakeObject({{"name", Str(r.name)},
                           {"currency", Str(r.currency)},
                           {"status", Str(r.status)},
                           {"daily_limit", Num(r.amount)}});
}

// Changes the daily limit (mostly), the status or the currency of `r`.
void MutateAccount(Resource& r, Rng& rng) {
  const uint64_t what = rng.Below(20);
  if (what < 13) {
    r.amount = OtherLimit(r.amount, rng);
  } else if (what < 18) {
    r.status = Toggle(r.status);
  } else {
    std::string_view currency = r.currency;
    while (currency == r.currency) currency = rng.Pick(kCurrencies);
    r.currency = std::string(currency);
  }
}

}  // namespace

void DepositAccountCreated(World& w, Rng& rng, Draft* d) {
  d->code = "deposit_account:created";
  ByUser(w, kTreasury, rng, d);
  Resource r;
  r.id = "dep_" + rng.Token(10);
  r.currency = std::string(rng.Pick(kCurrencies));
  r.provider = std::string(rng.Pick(kProviders));
  r.name = r.provider + " collections";
  r.amount = NewLimit(rng);
  d->target = MakeTarget("deposit_account", r.id, r.name);
  d->metadata = Json::MakeObject({{"currency", Str(r.currency)},
                                  {"bank", Str(r.provider)},
                                  {"iban_last4", Str(Digits(4, rng))},
                                  {"daily_limit", Num(r.amount)}});
  w.deposit_accounts.push_back(std::move(r));
}

void DepositAccountUpdated(World& w, Rng& rng, Draft* d) {
  d->code = "deposit_account:updated";
  Resource* r = PickOne(w.deposit_accounts, rng);
  if (r == nullptr) return DepositAccountCreated(w, rng, d);
  ByUser(w, kTreasury, rng, d);
  d->before = AccountSnapshot(*r);
  MutateAccount(*r, rng);
  d->after = AccountSnapshot(*r);
  d->target = MakeTarget("deposit_account", r->id, r->name);
}

void ProviderAccountCreated(World& w, Rng& rng, Draft* d) {
  d->code = "provider_account:created";
  ByUser(w, "owner,admin,developer", rng, d);
  Resource r;
  r.id = "pra_" + rng.Token(10);
  r.provider = std::string(rng.Pick(kProviders));
  r.currency = std::string(rng.Pick(kCurrencies));
  r.name = r.provider + " " + r.currency;
  r.amount = NewLimit(rng);
  r.flag = rng.Chance(700);
  d->target = MakeTarget("provider_account", r.id, r.name);
  d->metadata = Json::MakeObject({{"provider", Str(r.provider)},
                                  {"currency", Str(r.currency)},
                                  {"merchant_id", Str("MID" + Digits(8, rng))},
                                  {"three_ds_required", Json::Bool(r.flag)}});
  w.provider_accounts.push_back(std::move(r));
}

void ProviderAccountUpdated(World& w, Rng& rng, Draft* d) {
  d->code = "provider_account:updated";
  Resource* r = PickOne(w.provider_accounts, rng);
  if (r == nullptr) return ProviderAccountCreated(w, rng, d);
  ByMix(w, "owner,admin,developer", 100, 0, rng, d);
  const uint64_t what = rng.Below(4);
  if (what < 2) {
    const int64_t limit = OtherLimit(r->amount, rng);
    d->changes = OneChange("daily_limit", Num(r->amount), Num(limit));
    r->amount = limit;
  } else if (what == 2) {
    const std::string status = Toggle(r->status);
    d->changes = OneChange("status", Str(r->status), Str(status));
    r->status = status;
  } else {
    d->changes = OneChange("three_ds_required", Json::Bool(r->flag), Json::Bool(!r->flag));
    r->flag = !r->flag;
  }
  d->target = MakeTarget("provider_account", r->id, r->name);
}

void MerchantAccountCreated(World& w, Rng& rng, Draft* d) {
  d->code = "merchant_account:created";
  ByUser(w, "owner,admin,developer", rng, d);
  Resource r;
  r.id = "mac_" + rng.Token(10);
  r.currency = std::string(rng.Pick(kCurrencies));
  r.name = std::string(rng.Pick(kShops)) + " " + w.country;
  r.amount = NewLimit(rng);
  d->target = MakeTarget("merchant_account", r.id, r.name);
  d->metadata = Json::MakeObject({{"currency", Str(r.currency)}, {"mcc", Str(rng.Pick(kMccs))}});
  w.merchant_accounts.push_back(std::move(r));
}

void MerchantAccountUpdated(World& w, Rng& rng, Draft* d) {
  d->code = "merchant_account:updated";
  Resource* r = PickOne(w.merchant_accounts, rng);
  if (r == nullptr) return MerchantAccountCreated(w, rng, d);
  ByMix(w, "owner,admin,developer,finance", 100, 0, rng, d);
  d->before = AccountSnapshot(*r);
  MutateAccount(*r, rng);
  d->after = AccountSnapshot(*r);
  d->target = MakeTarget("merchant_account", r->id, r->name);
}

void PaymentProcessedManually(World& w, Rng& rng, Draft* d) {
  d->code = "payment:processed_manually";
  ByMix(w, kTreasury, 80, 0, rng, d);
  const Resource* account = PickOne(w.merchant_accounts, rng);
  const std::string currency = account ? account->currency : std::string(kCurrencies[0]);
  d->target = MakeTarget("payment", "pay_" + rng.Token(14), "");
  d->metadata = Json::MakeObject({{"amount", Str(MoneyString(rng.Between(500, 2'500'000)))},
                                  {"currency", Str(currency)},
                                  {"reason", Str(rng.Pick(kPaymentReasons))}});
  if (account) d->metadata.Set("merchant_account", Str(account->id));
  if (rng.Chance(50)) {
    d->failed = true;
    d->reason = std::string(rng.Pick(kPaymentFailures));
  }
}

void PayoutProcessedManually(World& w, Rng& rng, Draft* d) {
  d->code = "payout:processed_manually";
  ByMix(w, kTreasury, 80, 0, rng, d);
  const Resource* account = PickOne(w.deposit_accounts, rng);
  const std::string currency = account ? account->currency : std::string(kCurrencies[0]);
  d->target = MakeTarget("payout", "po_" + rng.Token(14), "");
  d->metadata = Json::MakeObject({{"amount", Str(MoneyString(rng.Between(1000, 5'000'000)))},
                                  {"currency", Str(currency)},
                                  {"reason", Str(rng.Pick(kPayoutReasons))}});
  if (account) d->metadata.Set("deposit_account", Str(account->id));
  if (rng.Chance(50)) {
    d->failed = true;
    d->reason = std::string(rng.Pick(kPayoutFailures));
  }
}

}  // namespace actlog::demo
