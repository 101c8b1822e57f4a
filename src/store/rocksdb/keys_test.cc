#include "store/rocksdb/keys.h"

#include <gtest/gtest.h>

#include "store/rocksdb/index_entries.h"

namespace actlog::store {
namespace {

TEST(StoreKeys, IndexKeysSortByOccurredAtThenSeqIncludingNegativeTimes) {
  const Position positions[] = {{-5, 9}, {-1, 0}, {0, 0}, {0, 1}, {1, 0}, {1'790'000'000, 3}};
  for (size_t i = 1; i < std::size(positions); ++i) {
    EXPECT_LT(IndexKey("o", IndexKind::kTime, "", positions[i - 1]),
              IndexKey("o", IndexKind::kTime, "", positions[i]));
  }
  std::string key = IndexKey("org_1", IndexKind::kActor, "u_7", {-42, 7});
  EXPECT_EQ(ParsePositionSuffix(key), (Position{-42, 7}));
  EXPECT_EQ(IndexPrefixLength(key), key.size() - kPositionBytes);
}

TEST(StoreKeys, EventKeysAreByteForByteAsDocumented) {
  EXPECT_EQ(EventKey("ab", 258), std::string("ab\0\0\0\0\0\0\0\x01\x02", 11));
  EXPECT_EQ(ParseEventKey(EventKey("ab", 258), "ab"), 258u);
  EXPECT_EQ(ParseEventKey(EventKey("ab", 258), "a"), std::nullopt);
  EXPECT_EQ(IndexPrefix("ab", IndexKind::kCode, "x:y"), std::string("ab\0\x02\x03x:y", 8));
}

TEST(StoreKeys, IdValuesRoundTrip) {
  IdEntry in{300, true, std::string(32, '\x7f')};
  IdEntry out;
  ASSERT_TRUE(ParseIdValue(IdValue(in), &out));
  EXPECT_EQ(out.seq, 300u);
  EXPECT_TRUE(out.client_id);
  EXPECT_EQ(out.digest, in.digest);
  EXPECT_FALSE(ParseIdValue("\x80", &out)) << "truncated varint";
}

TEST(StoreKeys, PrefixSuccessorSkipsTrailingFf) {
  EXPECT_EQ(PrefixSuccessor(std::string("a\xff\xff", 3)), "b");
  EXPECT_EQ(PrefixSuccessor(std::string("o\0", 2)), std::string("o\x01", 2));
}

TEST(StoreKeys, PositionNeighboursCrossTimeBoundaries) {
  EXPECT_EQ((Position{5, 0}).Predecessor(), (Position{4, UINT64_MAX}));
  EXPECT_EQ((Position{4, UINT64_MAX}).Successor(), (Position{5, 0}));
  EXPECT_EQ(Position::Max().Successor(), Position::Max());
}

TEST(IndexEntries, EmailIsBlindedCaseInsensitivelyAndKeyed) {
  std::string secret(32, 's');
  std::string blind = BlindEmail(secret, "Alice@Example.com");
  EXPECT_EQ(blind.size(), 32u);
  EXPECT_EQ(blind, BlindEmail(secret, "alice@example.COM"));
  EXPECT_NE(blind, BlindEmail(std::string(32, 't'), "alice@example.com"));
  EXPECT_EQ(blind.find("alice"), std::string::npos);
}

TEST(IndexEntries, FiltersReadTheStreamsEventsWrite) {
  Event e;
  e.org = "o";
  e.code = "org.member:invited";
  e.actor = {ActorType::kApiKey, "k_1", std::nullopt, "Bob@x.io"};
  e.target = Target{"org.member", "m_1", std::nullopt};
  e.outcome = Outcome::kFailure;
  std::string secret(32, 's');
  std::vector<IndexTerm> terms = IndexTermsFor(e, secret);
  const FieldFilter matching[] = {
      {QueryField::kCode, "org.member:invited"}, {QueryField::kActor, "k_1"},
      {QueryField::kActorType, "api_key"},       {QueryField::kActorEmail, "bob@X.io"},
      {QueryField::kTargetType, "org.member"},   {QueryField::kTargetId, "m_1"},
      {QueryField::kOutcome, "failure"}};
  for (const FieldFilter& f : matching) {
    FilterSource source = SourceForFilter(f, secret);
    ASSERT_TRUE(source.term.has_value()) << ToString(f.field) << ":" << f.value;
    EXPECT_NE(std::find(terms.begin(), terms.end(), *source.term), terms.end())
        << ToString(f.field) << ":" << f.value;
  }
  EXPECT_EQ(terms.size(), 8u);  // time, code, actor, type, email, target x2, failure
}

TEST(IndexEntries, PrefixesSuccessAndUserHaveNoEntries) {
  Event e;
  e.org = "o";
  e.code = "com.scheme_payment_service:updated";
  e.actor = {ActorType::kUser, "u_1", std::nullopt, std::nullopt};
  e.outcome = Outcome::kSuccess;
  std::vector<IndexTerm> terms = IndexTermsFor(e, std::string(32, 's'));
  EXPECT_EQ(terms, (std::vector<IndexTerm>{{IndexKind::kTime, ""},
                                           {IndexKind::kCode, e.code},
                                           {IndexKind::kActor, "u_1"}}));
  for (std::string prefix : {"com", "com.scheme_payment_service:*"}) {
    FilterSource source = SourceForFilter({QueryField::kCode, prefix}, "");
    EXPECT_FALSE(source.term.has_value());
    EXPECT_EQ(source.code_prefix, prefix);
    EXPECT_TRUE(MatchesOnEvent(e, {QueryField::kCode, prefix}));
  }
  EXPECT_FALSE(MatchesOnEvent(e, {QueryField::kCode, "com.scheme"}));
  FilterSource success = SourceForFilter({QueryField::kOutcome, "success"}, "");
  EXPECT_FALSE(success.term.has_value() || success.code_prefix.has_value());
  EXPECT_TRUE(MatchesOnEvent(e, {QueryField::kOutcome, "success"}));
  EXPECT_FALSE(MatchesOnEvent(e, {QueryField::kOutcome, "failure"}));
  FilterSource user = SourceForFilter({QueryField::kActorType, "user"}, "");
  EXPECT_FALSE(user.term.has_value() || user.code_prefix.has_value());
  EXPECT_TRUE(MatchesOnEvent(e, {QueryField::kActorType, "user"}));
  EXPECT_FALSE(MatchesOnEvent(e, {QueryField::kActorType, "system"}));
  // The rarer actor types keep their streams.
  e.actor.type = ActorType::kSystem;
  EXPECT_EQ(IndexTermsFor(e, std::string(32, 's')).back(),
            (IndexTerm{IndexKind::kActorType, "system"}));
  EXPECT_EQ(SourceForFilter({QueryField::kActorType, "api_key"}, "").term,
            (IndexTerm{IndexKind::kActorType, "api_key"}));
}

}  // namespace
}  // namespace actlog::store
