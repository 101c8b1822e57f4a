// Vocabulary and people of the demo organisation. All addresses are documentation
// ranges (RFC 5737, RFC 3849) and all e-mail domains are under .example (RFC 2606), so
// demo data never names a real host or mailbox.
#include "core/demo_world.h"

#include <string>
#include <utility>

namespace actlog::demo {
namespace {

constexpr std::string_view kFirstNames[] = {
    "Alice", "Bob",   "Carmen", "Daniel", "Elif",  "Farid", "Grace", "Hugo",  "Ines",  "Jonas",
    "Keiko", "Liam",  "Maja",   "Nikhil", "Olga",  "Pablo", "Qi",    "Rosa",  "Sven",  "Tariq",
    "Ugo",   "Vera",  "Wei",    "Ximena", "Yusuf", "Zofia", "Amara", "Bruno", "Chloe", "Dmitri",
    "Emma",  "Felix", "Hana",   "Ivan",   "Julia", "Kofi",  "Lena",  "Mateo", "Nora",  "Oscar",
};
constexpr std::string_view kLastNames[] = {
    "Andersen", "Bauer",     "Costa",    "Dubois", "Eriksson", "Fischer",  "Garcia", "Hoffmann",
    "Ivanova",  "Jansen",    "Kowalski", "Larsen", "Moreau",   "Nakamura", "Okafor", "Petrov",
    "Quinn",    "Rossi",     "Schmidt",  "Tanaka", "Usman",    "Varga",    "Weber",  "Xu",
    "Yilmaz",   "Zielinski", "Novak",    "Silva",  "Murphy",   "Haddad",
};
// User agents are long, so each is split over two literals on purpose.
// NOLINTBEGIN(bugprone-suspicious-missing-comma)
constexpr std::string_view kUserAgents[] = {
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
};
// NOLINTEND(bugprone-suspicious-missing-comma)
constexpr std::string_view kCompanyWords[] = {"Northwind", "Bluefin",  "Lumen",   "Harbor",
                                              "Kestrel",   "Meridian", "Juniper", "Solstice"};
constexpr std::string_view kCompanyKinds[] = {"Payments", "Commerce", "Retail", "Travel", "Gaming"};
constexpr std::string_view kCountries[] = {"GB", "DE", "NL", "SE", "FR", "ES", "IE", "PL"};
constexpr std::string_view kTimezones[] = {"Europe/London",    "Europe/Berlin", "Europe/Amsterdam",
                                           "Europe/Stockholm", "Europe/Paris",  "Europe/Madrid",
                                           "Europe/Dublin",    "Europe/Warsaw"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string Ipv4(std::string_view net, Rng& rng) {
  return std::string(net) + std::to_string(rng.Between(2, 254));
}

}  // namespace

const std::string_view kCurrencies[10] = {"EUR", "USD", "GBP", "SEK", "PLN",
                                          "CHF", "NOK", "DKK", "CAD", "AUD"};
const std::string_view kProviders[10] = {
    "Northstar Acquiring", "Paygate Europe", "CardRail",        "Atlas Payouts", "SwiftClear",
    "Bankline Direct",     "OpenWire Bank",  "Lyra Processing", "Polaris Pay",   "Tidewater Cards"};
const std::string_view kRoles[5] = {"admin", "developer", "finance", "support", "viewer"};

void World::AddMember(Member m) {
  ++counts_[static_cast<int>(m.state)];
  members.push_back(std::move(m));
}

void World::SetState(std::size_t member, MemberState state) {
  Member& m = members[member];
  --counts_[static_cast<int>(m.state)];
  ++counts_[static_cast<int>(state)];
  m.state = state;
}

World NewWorld(std::string org, Rng& rng) {
  World w;
  w.org = std::move(org);
  const std::string_view word = rng.Pick(kCompanyWords);
  w.org_name = std::string(word) + " " + std::string(rng.Pick(kCompanyKinds));
  w.domain = Lower(word) + ".example";
  w.office_ip = Ipv4("203.0.113.", rng);
  const std::size_t place = rng.Below(std::size(kCountries));
  w.country = std::string(kCountries[place]);
  w.timezone = std::string(kTimezones[place]);
  w.support_email = "support@" + w.domain;
  w.target_members = static_cast<int>(rng.Between(15, 40));
  Member owner = NewPerson(w, "owner", rng);
  owner.state = MemberState::kActive;
  w.AddMember(std::move(owner));
  return w;
}

Member NewPerson(const World& world, std::string role, Rng& rng) {
  Member m;
  for (int attempt = 0;; ++attempt) {
    const std::string_view first = rng.Pick(kFirstNames);
    const std::string_view last = rng.Pick(kLastNames);
    m.name = std::string(first) + " " + std::string(last);
    m.email = Lower(first) + "." + Lower(last);
    if (attempt >= 8) m.email += std::to_string(world.members.size());
    m.email += "@" + world.domain;
    bool taken = false;
    for (const Member& other : world.members) taken = taken || other.email == m.email;
    if (!taken) break;
  }
  m.user_id = "usr_" + rng.Token(10);
  m.member_id = "mem_" + rng.Token(10);
  m.role = std::move(role);
  m.home_ip = rng.Chance(200) ? "2001:db8:" + std::to_string(rng.Between(1, 9999)) +
                                    "::" + std::to_string(rng.Between(1, 99))
                              : Ipv4("198.51.100.", rng);
  m.user_agent = rng.Pick(kUserAgents);
  return m;
}

const Member& PickMember(const World& world, std::string_view roles, Rng& rng) {
  // A few random tries keep this O(1); the owner can do everything.
  for (int attempt = 0; attempt < 6; ++attempt) {
    const Member& m = world.members[rng.Below(world.members.size())];
    if (m.state != MemberState::kActive) continue;
    if (roles.empty() || roles.find(m.role) != std::string_view::npos) return m;
  }
  return world.members.front();
}

int PickMemberIn(const World& world, MemberState state, Rng& rng) {
  int seen = 0, chosen = -1;
  // Reservoir sampling: one pass, uniform among the matches.
  for (std::size_t i = 1; i < world.members.size(); ++i) {
    if (world.members[i].state != state) continue;
    ++seen;
    if (rng.Below(static_cast<uint64_t>(seen)) == 0) chosen = static_cast<int>(i);
  }
  return chosen;
}

Json UserActor(const Member& m) {
  return Json::MakeObject({{"type", Json::String("user")},
                           {"id", Json::String(m.user_id)},
                           {"name", Json::String(m.name)},
                           {"email", Json::String(m.email)}});
}

Json UserContext(const World& world, const Member& m, Rng& rng) {
  // Mostly from the office, sometimes from home.
  const std::string& ip = rng.Chance(650) ? world.office_ip : m.home_ip;
  return Json::MakeObject({{"ip", Json::String(ip)},
                           {"user_agent", Json::String(std::string(m.user_agent))},
                           {"request_id", Json::String(RequestId(rng))}});
}

Json KeyActor(const ApiKey& k) {
  return Json::MakeObject({{"type", Json::String("api_key")},
                           {"id", Json::String(k.id)},
                           {"name", Json::String(k.name)}});
}

Json KeyContext(const ApiKey& k, Rng& rng) {
  return Json::MakeObject({{"ip", Json::String(k.server_ip)},
                           {"user_agent", Json::String(std::string(k.user_agent))},
                           {"request_id", Json::String(RequestId(rng))}});
}

Json SystemActor() {
  return Json::MakeObject({{"type", Json::String("system")},
                           {"id", Json::String("system")},
                           {"name", Json::String("Platform automation")}});
}

std::string RequestId(Rng& rng) { return "req_" + rng.Token(16); }

std::string MoneyString(int64_t cents) {
  std::string frac = std::to_string(cents % 100);
  if (frac.size() < 2) frac.insert(0, "0");
  return std::to_string(cents / 100) + "." + frac;
}

}  // namespace actlog::demo
