// Helpers of the store conformance suite (store_conformance.h): random events and
// queries, and the brute-force evaluation the store's answers are compared with.
#include <map>

#include "actlog/catalog.h"
#include "store/store_conformance.h"

namespace actlog::store_test {
namespace {

const char* const kCodes[] = {
    "org:updated",         "org.member:invited",   "org.member:removed",
    "org.member.role:changed", "org.member_x:created", "api_key:created",
    "com:created",         "com.scheme_payment_service:updated",
    "com.scheme_payment_service:deleted", "payment:processed_manually",
};
const char* const kEmails[] = {"alice@example.com", "Alice@Example.COM", "bob@example.com",
                               "carol@example.org"};
const char* const kTargetTypes[] = {"org.member", "api_key", "deposit_account"};
const char* const kWords[] = {"Alpha", "beta", "GAMMA", "delta", "Ünïcode"};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

template <typename T, size_t N>
const T& Pick(std::mt19937* rng, const T (&items)[N]) {
  return items[std::uniform_int_distribution<size_t>(0, N - 1)(*rng)];
}

int Roll(std::mt19937* rng, int n) { return std::uniform_int_distribution<int>(0, n - 1)(*rng); }

bool CodeMatches(const std::string& code, const std::string& filter) {
  size_t colon = filter.find(':');
  bool prefix = colon == std::string::npos || filter.substr(colon) == ":*";
  if (!prefix) return code == filter;
  std::string want = filter.substr(0, colon);
  std::string have = code.substr(0, code.find(':'));
  return have == want || have.rfind(want + ".", 0) == 0;
}

bool FieldMatches(const Event& e, const FieldFilter& f) {
  switch (f.field) {
    case QueryField::kCode:
      return CodeMatches(e.code, f.value);
    case QueryField::kActor:
      return e.actor.id == f.value;
    case QueryField::kActorType:
      return ToString(e.actor.type) == f.value;
    case QueryField::kActorEmail:
      return e.actor.email && Lower(*e.actor.email) == Lower(f.value);
    case QueryField::kTargetType:
      return e.target && e.target->type == f.value;
    case QueryField::kTargetId:
      return e.target && e.target->id == f.value;
    case QueryField::kOutcome:
      return ToString(e.outcome) == f.value;
    case QueryField::kPersonal: {
      // The stores' catalog is the built-in one: a path counts where the code marks it.
      static const Catalog catalog = Catalog::BuiltIn(CatalogMode::kOpen);
      const CatalogEntry* entry = catalog.Find(e.code);
      if (entry == nullptr) return false;
      if (std::find(entry->searchable_fields.begin(), entry->searchable_fields.end(), f.path) ==
          entry->searchable_fields.end()) {
        return false;
      }
      const Json* value = e.metadata.Find(f.path.substr(std::string("metadata.").size()));
      return f.path.starts_with("metadata.") && value != nullptr && value->is_string() &&
             Lower(value->as_string()) == Lower(f.value);
    }
  }
  return false;
}

FieldFilter RandomFilter(std::mt19937* rng) {
  switch (Roll(rng, 7)) {
    case 0: {
      std::string code = Pick(rng, kCodes);
      std::string resource = code.substr(0, code.find(':'));
      int shape = Roll(rng, 4);
      if (shape == 1) return {QueryField::kCode, resource + ":*"};
      if (shape == 2) return {QueryField::kCode, resource.substr(0, resource.find('.'))};
      return {QueryField::kCode, code};
    }
    case 1:
      return {QueryField::kActor, "u_" + std::to_string(Roll(rng, 6))};
    case 2:
      return {QueryField::kActorType, Roll(rng, 2) ? "user" : "api_key"};
    case 3:
      return {QueryField::kActorEmail, Pick(rng, kEmails)};
    case 4:
      return {QueryField::kTargetType, Pick(rng, kTargetTypes)};
    case 5:
      return {QueryField::kTargetId, "t_" + std::to_string(Roll(rng, 8))};
    default:
      return {QueryField::kOutcome, Roll(rng, 3) ? "success" : "failure"};
  }
}

}  // namespace

std::vector<AppendResult> StoreConformance::AppendRecorded(std::vector<Event> events) {
  std::vector<Event> sent = events;
  auto results = store_->Append(std::move(events));
  EXPECT_TRUE(results.ok()) << results.status().ToString();
  if (!results.ok()) return {};
  for (size_t i = 0; i < sent.size(); ++i) {
    const AppendResult& r = (*results)[i];
    if (r.duplicate) continue;
    Event e = sent[i];
    e.seq = r.seq;
    e.id = r.id;
    e.received_at_us = clock_.NowMicros();
    if (e.occurred_at_us < 0) e.occurred_at_us = e.received_at_us;
    std::vector<Expected>& log = expected_[e.org];
    EXPECT_EQ(r.seq, log.size()) << "seq must continue the org's log without a gap";
    std::string canonical = CanonicalEvent(e);
    log.push_back({std::move(e), std::move(canonical)});
  }
  return std::move(results).value();
}

void StoreConformance::AppendRandom(std::mt19937* rng, const std::vector<std::string>& orgs,
                                    int count) {
  while (count > 0) {
    int n = std::min(count, 1 + Roll(rng, 60));
    std::vector<Event> batch;
    for (int i = 0; i < n; ++i) {
      Event e = MakeEvent(orgs[Roll(rng, static_cast<int>(orgs.size()))], Pick(rng, kCodes),
                          "u_" + std::to_string(Roll(rng, 6)));
      e.content_digest = Digest(next_digest_++);
      e.actor.type = static_cast<ActorType>(Roll(rng, 3));
      if (Roll(rng, 3) != 0) e.actor.email = Pick(rng, kEmails);
      if (Roll(rng, 4) != 0) {
        e.target = Target{Pick(rng, kTargetTypes), "t_" + std::to_string(Roll(rng, 8)),
                          std::nullopt};
      }
      e.outcome = Roll(rng, 4) == 0 ? Outcome::kFailure : Outcome::kSuccess;
      // Coarse times make many ties, so the seq tie-break is exercised.
      if (Roll(rng, 5) != 0) e.occurred_at_us = kStart - int64_t{Roll(rng, 500)} * 60'000'000;
      e.metadata = Json::MakeObject({{"note", Json::String(Pick(rng, kWords))}});
      if (Roll(rng, 2)) e.id = "c_" + std::to_string(next_digest_);
      batch.push_back(std::move(e));
    }
    AppendRecorded(std::move(batch));
    clock_.Advance(1000);
    count -= n;
  }
}

EventQuery StoreConformance::RandomQuery(std::mt19937* rng, const std::string& org) {
  EventQuery q;
  q.org = org;
  int includes = Roll(rng, 4);
  for (int i = 0; i < includes; ++i) {
    FieldFilter f = RandomFilter(rng);
    q.include.push_back(f);
    if (Roll(rng, 3) == 0) {  // a second value of the same field: OR
      FieldFilter g = RandomFilter(rng);
      while (g.field != f.field) g = RandomFilter(rng);
      q.include.push_back(g);
    }
  }
  for (int i = Roll(rng, 5) == 0 ? 1 + Roll(rng, 2) : 0; i > 0; --i) {
    q.exclude.push_back(RandomFilter(rng));
  }
  if (Roll(rng, 4) == 0) q.from_us = kStart - int64_t{Roll(rng, 500)} * 60'000'000;
  if (Roll(rng, 4) == 0) q.to_us = kStart - int64_t{Roll(rng, 500)} * 60'000'000 + 1;
  if (q.from_us && q.to_us && *q.from_us >= *q.to_us) q.to_us.reset();
  if (Roll(rng, 6) == 0) q.text = Roll(rng, 2) ? "ALPHA" : "gamma";
  q.order = Roll(rng, 2) ? Order::kAsc : Order::kDesc;
  const int kLimits[] = {1, 7, 50, 200};
  q.limit = Pick(rng, kLimits);
  return q;
}

std::vector<uint64_t> StoreConformance::BruteForce(const EventQuery& q) const {
  std::vector<const Expected*> hits;
  auto it = expected_.find(q.org);
  if (it == expected_.end()) return {};
  for (const Expected& x : it->second) {
    const Event& e = x.event;
    std::map<QueryField, bool> fields;
    for (const FieldFilter& f : q.include) fields[f.field] |= FieldMatches(e, f);
    bool ok = std::all_of(fields.begin(), fields.end(), [](const auto& kv) { return kv.second; });
    for (const FieldFilter& f : q.exclude) ok = ok && !FieldMatches(e, f);
    if (q.from_us) ok = ok && e.occurred_at_us >= *q.from_us;
    if (q.to_us) ok = ok && e.occurred_at_us < *q.to_us;
    if (!q.text.empty()) ok = ok && Lower(x.canonical).find(Lower(q.text)) != std::string::npos;
    if (ok) hits.push_back(&x);
  }
  std::sort(hits.begin(), hits.end(), [&](const Expected* a, const Expected* b) {
    auto ka = std::make_pair(a->event.occurred_at_us, a->event.seq);
    auto kb = std::make_pair(b->event.occurred_at_us, b->event.seq);
    return q.order == Order::kAsc ? ka < kb : ka > kb;
  });
  std::vector<uint64_t> seqs;
  for (const Expected* x : hits) seqs.push_back(x->event.seq);
  return seqs;
}

std::vector<uint64_t> StoreConformance::PageThrough(EventQuery query) {
  std::vector<uint64_t> seqs;
  for (int pages = 0; pages < 100'000; ++pages) {
    auto page = store_->Query(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) return seqs;
    EXPECT_LE(page->events.size(), static_cast<size_t>(query.limit));
    for (const StoredEvent& s : page->events) seqs.push_back(s.event.seq);
    if (!page->next_cursor) return seqs;
    query.cursor = *page->next_cursor;
  }
  ADD_FAILURE() << "paging did not end";
  return seqs;
}

void StoreConformance::ExpectPagesAsBruteForce(const std::vector<EventQuery>& queries) {
  for (const EventQuery& q : queries) {
    std::vector<uint64_t> want = BruteForce(q);
    EXPECT_FALSE(want.empty()) << FormatSearchString(q);
    EXPECT_EQ(PageThrough(q), want)
        << FormatSearchString(q) << " order " << (q.order == Order::kAsc ? "asc" : "desc");
  }
}

}  // namespace actlog::store_test
