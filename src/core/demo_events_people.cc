// Demo builders for the organisation itself, its team members, sign-ins and API keys.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/demo_events.h"

namespace actlog::demo {
namespace {

constexpr std::string_view kMemberManagers = "owner,admin";
constexpr std::string_view kSupportMailboxes[] = {"support", "help", "payments", "ops"};
// A sign-in method and the way it fails.
struct SignIn {
  std::string_view method;
  std::string_view failure;
};
constexpr SignIn kSignIns[] = {{"sso", "SSO assertion rejected by the identity provider"},
                               {"password_totp", "Invalid one-time code"},
                               {"password_totp", "Incorrect password"},
                               {"passkey", "Passkey assertion rejected"}};
// API key names and the client software that uses each.
struct KeyUse {
  std::string_view name;
  std::string_view user_agent;
};
constexpr KeyUse kKeyUses[] = {{"Checkout backend", "checkout-service/3.2.1 okhttp/4.12.0"},
                               {"Payouts worker", "payouts-worker/1.8.0 python-requests/2.32.3"},
                               {"Reconciliation job", "recon/0.9.4 Go-http-client/2.0"},
                               {"Risk engine", "risk-engine/5.1.0 Apache-HttpClient/5.3"},
                               {"Back-office sync", "backoffice-sync/2.0.7 node-fetch/3.3.2"},
                               {"Reporting export", "reporting-export/1.2.0 python-httpx/0.27.2"}};
constexpr std::string_view kScopes[] = {"payments:read", "payments:write", "payouts:read",
                                        "payouts:write", "accounts:read",  "accounts:write",
                                        "reports:read"};
constexpr std::string_view kDeactivationNotes[] = {"Left the company", "Contract ended",
                                                   "Moved to another team"};

Json MemberTarget(const Member& m) { return MakeTarget("org.member", m.member_id, m.name); }

Json StringArray(const std::vector<std::string>& items) {
  Json::Array out;
  out.reserve(items.size());
  for (const std::string& s : items) out.push_back(Str(s));
  return Json::MakeArray(std::move(out));
}

Json Profile(const World& w) {
  return Json::MakeObject({{"name", Str(w.org_name)},
                           {"support_email", Str(w.support_email)},
                           {"country", Str(w.country)},
                           {"timezone", Str(w.timezone)}});
}

// The member's own action (joining, declining, signing in), from their own browser.
void BySelf(const World& w, const Member& m, Rng& rng, Draft* d) {
  d->actor = UserActor(m);
  d->context = UserContext(w, m, rng);
}

std::string_view NewRole(Rng& rng) {
  // Mostly hands-on roles; admins are few.
  static constexpr std::string_view kWeighted[] = {"developer", "developer", "finance", "finance",
                                                   "support",   "support",   "viewer",  "admin"};
  return rng.Pick(kWeighted);
}

ApiKey* PickActiveKey(World& w, Rng& rng) {
  ApiKey* chosen = nullptr;
  int seen = 0;
  // Reservoir sampling: uniform among active keys, never misses one.
  for (ApiKey& k : w.keys) {
    if (!k.active) continue;
    ++seen;
    if (rng.Below(static_cast<uint64_t>(seen)) == 0) chosen = &k;
  }
  return chosen;
}

}  // namespace

void OrgCreated(World& w, Rng& rng, Draft* d) {
  d->code = "org:created";
  BySelf(w, w.members.front(), rng, d);
  d->target = MakeTarget("org", w.org, w.org_name);
  d->metadata = Json::MakeObject({{"country", Str(w.country)}, {"plan", Str("enterprise")}});
}

void OrgProfileUpdated(World& w, Rng& rng, Draft* d) {
  d->code = "org.profile:updated";
  ByUser(w, kMemberManagers, rng, d);
  d->before = Profile(w);
  switch (rng.Below(3)) {
    case 0: {
      std::string next = w.support_email;
      while (next == w.support_email) {
        next = std::string(rng.Pick(kSupportMailboxes)) + "@" + w.domain;
      }
      w.support_email = std::move(next);
      break;
    }
    case 1: {
      const std::string suffix = " Ltd";
      if (w.org_name.size() > suffix.size() &&
          w.org_name.compare(w.org_name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        w.org_name.resize(w.org_name.size() - suffix.size());
      } else {
        w.org_name += suffix;
      }
      break;
    }
    default:
      w.timezone = w.timezone == "UTC" ? "Europe/London" : "UTC";
      break;
  }
  d->after = Profile(w);
  d->target = MakeTarget("org", w.org, w.org_name);
}

void MemberInvited(World& w, Rng& rng, Draft* d) {
  d->code = "org.member:invited";
  ByUser(w, kMemberManagers, rng, d);
  Member m = NewPerson(w, std::string(NewRole(rng)), rng);
  d->target = MemberTarget(m);
  d->metadata = Json::MakeObject({{"email", Str(m.email)}, {"role", Str(m.role)}});
  w.AddMember(std::move(m));
}

void MemberJoined(World& w, Rng& rng, Draft* d) {
  d->code = "org.member:joined";
  const int i = PickMemberIn(w, MemberState::kInvited, rng);
  if (i < 0) return MemberInvited(w, rng, d);
  w.SetState(static_cast<std::size_t>(i), MemberState::kActive);
  Member& m = w.members[static_cast<std::size_t>(i)];
  BySelf(w, m, rng, d);
  d->context.Set("ip", Str(m.home_ip));
  d->target = MemberTarget(m);
  d->metadata = Json::MakeObject({{"role", Str(m.role)}});
}

void MemberDeclined(World& w, Rng& rng, Draft* d) {
  d->code = "org.member:declined";
  const int i = PickMemberIn(w, MemberState::kInvited, rng);
  if (i < 0) return MemberInvited(w, rng, d);
  w.SetState(static_cast<std::size_t>(i), MemberState::kDeclined);
  Member& m = w.members[static_cast<std::size_t>(i)];
  BySelf(w, m, rng, d);
  d->context.Set("ip", Str(m.home_ip));
  d->target = MemberTarget(m);
}

void MemberUpdated(World& w, Rng& rng, Draft* d) {
  d->code = "org.member:updated";
  const int i = PickMemberIn(w, MemberState::kActive, rng);
  if (i < 0) return MemberInvited(w, rng, d);
  Member& m = w.members[static_cast<std::size_t>(i)];
  ByUser(w, kMemberManagers, rng, d);
  std::string role(m.role);
  while (role == m.role) role = std::string(rng.Pick(kRoles));
  d->changes = OneChange("role", Str(m.role), Str(role));
  m.role = std::move(role);
  d->target = MemberTarget(m);
}

void MemberDeactivated(World& w, Rng& rng, Draft* d) {
  d->code = "org.member:deactivated";
  const int i = PickMemberIn(w, MemberState::kActive, rng);
  if (i < 0) return MemberInvited(w, rng, d);
  w.SetState(static_cast<std::size_t>(i), MemberState::kDeactivated);
  Member& m = w.members[static_cast<std::size_t>(i)];
  ByMix(w, kMemberManagers, 0, 300, rng, d);
  d->changes = OneChange("status", Str("active"), Str("deactivated"));
  d->target = MemberTarget(m);
  d->metadata = Json::MakeObject({{"note", Str(d->actor.Find("type")->as_string() == "system"
                                                   ? "Inactive for 90 days"
                                                   : rng.Pick(kDeactivationNotes))}});
}

void MemberActivated(World& w, Rng& rng, Draft* d) {
  d->code = "org.member:activated";
  const int i = PickMemberIn(w, MemberState::kDeactivated, rng);
  if (i < 0) return MemberInvited(w, rng, d);
  w.SetState(static_cast<std::size_t>(i), MemberState::kActive);
  Member& m = w.members[static_cast<std::size_t>(i)];
  ByUser(w, kMemberManagers, rng, d);
  d->changes = OneChange("status", Str("deactivated"), Str("active"));
  d->target = MemberTarget(m);
}

void MemberSignedIn(World& w, Rng& rng, Draft* d) {
  d->code = "org.member:signed_in";
  const Member& m = PickMember(w, "", rng);
  BySelf(w, m, rng, d);
  d->target = MemberTarget(m);
  const SignIn& how = rng.Pick(kSignIns);
  d->metadata = Json::MakeObject({{"method", Str(how.method)}});
  if (rng.Chance(40)) {
    d->failed = true;
    d->reason = std::string(how.failure);
  }
}

void ApiKeyCreated(World& w, Rng& rng, Draft* d) {
  d->code = "org.api_key:created";
  ByUser(w, "owner,admin,developer", rng, d);
  ApiKey k;
  k.id = "key_" + rng.Token(12);
  const KeyUse& use = rng.Pick(kKeyUses);
  k.base_name = std::string(use.name);
  k.name = k.base_name;
  k.user_agent = use.user_agent;
  const uint64_t first = rng.Below(std::size(kScopes));
  const uint64_t count = 1 + rng.Below(3);
  for (uint64_t s = 0; s < count; ++s) {
    k.scopes.emplace_back(kScopes[(first + s) % std::size(kScopes)]);
  }
  k.server_ip = "192.0.2." + std::to_string(rng.Between(10, 250));
  d->target = MakeTarget("org.api_key", k.id, k.name);
  d->metadata = Json::MakeObject(
      {{"scopes", StringArray(k.scopes)}, {"mode", Str(rng.Chance(800) ? "live" : "test")}});
  w.keys.push_back(std::move(k));
  ++w.active_keys;
}

void ApiKeyUpdated(World& w, Rng& rng, Draft* d) {
  d->code = "org.api_key:updated";
  ApiKey* k = PickActiveKey(w, rng);
  if (k == nullptr) return ApiKeyCreated(w, rng, d);
  ByUser(w, "owner,admin,developer", rng, d);
  const uint64_t what = rng.Below(10);
  if (what < 7) {
    std::vector<std::string> scopes = k->scopes;
    const std::string scope(rng.Pick(kScopes));
    auto it = std::find(scopes.begin(), scopes.end(), scope);
    if (it == scopes.end()) {
      scopes.push_back(scope);
    } else if (scopes.size() > 1) {
      scopes.erase(it);
    } else {
      scopes.push_back(scope == kScopes[0] ? std::string(kScopes[1]) : std::string(kScopes[0]));
    }
    d->changes = OneChange("scopes", StringArray(k->scopes), StringArray(scopes));
    k->scopes = std::move(scopes);
  } else if (what < 9 || w.active_keys <= 2) {
    std::string name = k->name;
    while (name == k->name) {
      name = k->base_name + " v" + std::to_string(rng.Between(2, 9));
    }
    d->changes = OneChange("name", Str(k->name), Str(name));
    k->name = std::move(name);
  } else {
    d->changes = OneChange("status", Str("active"), Str("revoked"));
    k->active = false;
    --w.active_keys;
  }
  d->target = MakeTarget("org.api_key", k->id, k->name);
}

}  // namespace actlog::demo
