// The demo organisation's state: who its members are, which keys, accounts, schemes and
// routes exist, so that every generated event is consistent with the ones before it
// (a member joins only after an invite, an update names something that was created).
// Thread-compatible; one World per GenerateDemo call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/json.h"
#include "core/demo_rng.h"

namespace actlog::demo {

enum class MemberState { kInvited, kActive, kDeclined, kDeactivated };

struct Member {
  std::string user_id;    // actor id, e.g. "usr_k2f9..."
  std::string member_id;  // target id of org.member events
  std::string name;
  std::string email;
  std::string role;  // owner | admin | developer | finance | support | viewer
  MemberState state = MemberState::kInvited;
  std::string home_ip;
  std::string_view user_agent;
};

struct ApiKey {
  std::string id;
  std::string base_name;  // e.g. "Checkout backend"
  std::string name;       // base_name, or base_name plus a version after a rename
  std::vector<std::string> scopes;
  std::string server_ip;
  std::string_view user_agent;
  bool active = true;
};

// Anything configurable: accounts, schemes, routes, commerce services. Builders give
// the generic fields their meaning per kind.
struct Resource {
  std::string id;
  std::string name;
  std::string currency;
  std::string status = "active";
  std::string provider;  // provider name, routing strategy or parent scheme
  int64_t amount = 0;    // daily limit, route weight, markup in basis points, fee
  int64_t amount2 = 0;   // a second figure: payout fee, settlement delay
  bool flag = true;      // 3-D Secure, fallback enabled, payment service enabled
  bool flag2 = true;     // payout service enabled
};

struct World {
  std::string org;
  std::string org_name;
  std::string domain;  // e-mail domain, under the reserved .example TLD
  std::string office_ip;
  std::string country;
  std::string timezone;
  std::string support_email;
  int target_members = 20;  // the team grows towards this size

  std::vector<Member> members;  // members[0] is the owner, always active
  std::vector<ApiKey> keys;
  std::vector<Resource> deposit_accounts, provider_accounts, merchant_accounts;
  std::vector<Resource> payment_routes, payout_routes;
  std::vector<Resource> payment_schemes, payout_schemes, fx_schemes;
  std::vector<Resource> com_schemes, com_accounts;

  int active_keys = 0;  // keys not revoked

  // Member bookkeeping: counts by state are kept in step, so the code weights that
  // depend on them cost O(1) per event.
  void AddMember(Member m);
  void SetState(std::size_t member, MemberState state);
  int CountMembers(MemberState state) const { return counts_[static_cast<int>(state)]; }

 private:
  int counts_[4] = {0, 0, 0, 0};
};

// A fresh organisation with its owner (not yet announced by any event).
World NewWorld(std::string org, Rng& rng);

// A new person (unique e-mail within the world), state kInvited, not yet added.
Member NewPerson(const World& world, std::string role, Rng& rng);

// An active member with one of `roles` (comma-separated), else the owner.
const Member& PickMember(const World& world, std::string_view roles, Rng& rng);
// Index of a member in `state` other than the owner, or -1.
int PickMemberIn(const World& world, MemberState state, Rng& rng);

// Picks any element, or nullptr when empty.
template <typename T>
T* PickOne(std::vector<T>& items, Rng& rng) {
  return items.empty() ? nullptr : &items[rng.Below(items.size())];
}

// Actor and context objects as a producer would send them.
Json UserActor(const Member& m);
Json UserContext(const World& world, const Member& m, Rng& rng);
Json KeyActor(const ApiKey& k);
Json KeyContext(const ApiKey& k, Rng& rng);
Json SystemActor();

// Vocabulary shared by the builders.
extern const std::string_view kCurrencies[10];
extern const std::string_view kProviders[10];
extern const std::string_view kRoles[5];  // non-owner roles
std::string RequestId(Rng& rng);
std::string MoneyString(int64_t cents);  // 123456 -> "1234.56"

}  // namespace actlog::demo
