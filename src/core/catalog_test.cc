#include "actlog/catalog.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "actlog/event.h"

namespace actlog {
namespace {

// The seed's table plus the three codes its text implies, with their exact descriptions.
const std::vector<std::pair<std::string, std::string>> kSeedCodes = {
    {"org:created", "New organisation created"},
    {"org.profile:updated", "Organisation profile updated"},
    {"org.member:invited", "Team member invited"},
    {"org.member:joined", "Team member joined"},
    {"org.member:declined", "Team member declined"},
    {"org.member:updated", "Team member updated"},
    {"org.member:deactivated", "Team member deactivated"},
    {"org.member:activated", "Team member activated"},
    {"org.api_key:created", "API key created"},
    {"org.api_key:updated", "API key updated"},
    {"deposit_account:created", "Deposit account created"},
    {"deposit_account:updated", "Deposit account updated"},
    {"provider_account:created", "Provider account created"},
    {"provider_account:updated", "Provider account updated"},
    {"merchant_account:created", "Merchant account created"},
    {"merchant_account:updated", "Merchant account updated"},
    {"payment_route:updated", "Payment route updated"},
    {"payment_routing_scheme:created", "Payment routing scheme created"},
    {"payment_routing_scheme:updated", "Payment routing scheme updated"},
    {"payout_route:updated", "Payout route updated"},
    {"payout_routing_scheme:created", "Payout routing scheme created"},
    {"payout_routing_scheme:updated", "Payout routing scheme updated"},
    {"fx_rate_scheme:created", "FX rate scheme created"},
    {"fx_rate_scheme:updated", "FX rate scheme updated"},
    {"com.scheme:created", "Commerce scheme created"},
    {"com.scheme:updated", "Commerce scheme updated"},
    {"com.scheme_payment_service:updated", "Commerce scheme payment service updated"},
    {"com.scheme_payout_service:updated", "Commerce scheme payout service updated"},
    {"com.account:created", "Commerce account created"},
    {"com.account:updated", "Commerce account updated"},
    {"payment:processed_manually", "Payment processed manually"},
    {"payout:processed_manually", "Payout processed manually"},
    {"org.member:signed_in", "Team member signed in"},
};

const char* const kAdminCodes[] = {
    "actlog.org:created",       "actlog.org:updated",          "actlog.key:created",
    "actlog.key:revoked",       "actlog.viewer_token:created", "actlog.subject:erased",
    "actlog.retention:updated", "actlog.retention:pruned",     "actlog.export:created",
};

std::string TestData(const std::string& rel) {
  return std::string(ACTLOG_TESTDATA_DIR) + "/catalog/" + rel;
}

TEST(Catalog, BuiltInHasEverySeedAndImpliedCodeWithExactDescription) {
  Catalog c = Catalog::BuiltIn();
  for (const auto& [code, description] : kSeedCodes) {
    const CatalogEntry* e = c.Find(code);
    ASSERT_NE(e, nullptr) << code;
    EXPECT_EQ(e->description, description) << code;
  }
}

TEST(Catalog, BuiltInHasAdminCodesWithDescriptionsAndNothingElse) {
  Catalog c = Catalog::BuiltIn();
  for (const char* code : kAdminCodes) {
    const CatalogEntry* e = c.Find(code);
    ASSERT_NE(e, nullptr) << code;
    EXPECT_FALSE(e->description.empty()) << code;
  }
  EXPECT_EQ(c.entries().size(), kSeedCodes.size() + std::size(kAdminCodes));
}

TEST(Catalog, EntriesAreSortedUniqueAndWellFormed) {
  Catalog c = Catalog::BuiltIn();
  const auto& e = c.entries();
  for (std::size_t i = 0; i < e.size(); ++i) {
    EXPECT_TRUE(IsWellFormedCode(e[i].code)) << e[i].code;
    if (i > 0) {
      EXPECT_LT(e[i - 1].code, e[i].code);
    }
  }
}

TEST(Catalog, TargetIsPersonExactlyForMemberCodes) {
  Catalog c = Catalog::BuiltIn();
  for (const CatalogEntry& e : c.entries()) {
    EXPECT_EQ(e.target_is_person, e.code.rfind("org.member:", 0) == 0) << e.code;
  }
}

TEST(Catalog, InviteMarksTheInviteesEmailPersonal) {
  Catalog c = Catalog::BuiltIn();
  EXPECT_EQ(c.Find("org.member:invited")->personal_fields,
            std::vector<std::string>{"metadata.email"});
  EXPECT_TRUE(c.Find("org.member:joined")->personal_fields.empty());
}

TEST(Catalog, StrictModeAcceptsKnownCode) {
  EXPECT_TRUE(Catalog::BuiltIn().Check("org.member:invited").ok());
}

TEST(Catalog, SuggestsNearestCodeForTypo) {
  Catalog c = Catalog::BuiltIn();
  Status s = c.Check("org.member:inivted");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.error_code(), "unknown_code");
  EXPECT_EQ(s.message(),
            "unknown event code \"org.member:inivted\"; did you mean \"org.member:invited\"?");
}

TEST(Catalog, SuggestsCodeWithMissingResourcePrefix) {
  EXPECT_EQ(Catalog::BuiltIn().Suggest("member:joined"), "org.member:joined");
  EXPECT_EQ(Catalog::BuiltIn().Suggest("fx_rate_schme:updated"), "fx_rate_scheme:updated");
}

TEST(Catalog, SuggestsNothingForFarCode) {
  Catalog c = Catalog::BuiltIn();
  EXPECT_EQ(c.Suggest("foo:bar"), std::nullopt);
  Status s = c.Check("invoice:paid");
  EXPECT_EQ(s.error_code(), "unknown_code");
  EXPECT_EQ(s.message(), "unknown event code \"invoice:paid\"");
}

TEST(Catalog, SuggestionTieBreaksOnSmallestCode) {
  // Both candidates are one substitution away; the smaller code wins, whatever the
  // order of insertion.
  Catalog c;
  c.Add({"b.thing:created", "B"});
  c.Add({"a.thing:created", "A"});
  EXPECT_EQ(c.Suggest("c.thing:created"), "a.thing:created");
}

TEST(Catalog, ErrorMessageQuotesAtMost200BytesOfTheCode) {
  const std::string code = "a:" + std::string(300, 'b');
  Status s = Catalog::BuiltIn().Check(code);
  EXPECT_EQ(s.message(), "unknown event code \"" + code.substr(0, 200) + "...\"");
}

TEST(Catalog, MalformedCodeIsInvalidCodeInBothModes) {
  for (CatalogMode mode : {CatalogMode::kStrict, CatalogMode::kOpen}) {
    Catalog c = Catalog::BuiltIn(mode);
    for (const char* bad : {"", "Org:created", "org", "org:", ":created", "org..x:a",
                            "org:created:again", "org-x:created", "1org:created"}) {
      Status s = c.Check(bad);
      EXPECT_EQ(s.error_code(), "invalid_code") << bad;
    }
  }
}

TEST(Catalog, MalformedCodeInStrictModeStillSuggests) {
  Status s = Catalog::BuiltIn().Check("Org.Member:Invited");
  EXPECT_EQ(s.error_code(), "invalid_code");
  EXPECT_NE(s.message().find("did you mean \"org.member:invited\"?"), std::string::npos)
      << s.message();
}

TEST(Catalog, OpenModeAcceptsAnyWellFormedCode) {
  Catalog c = Catalog::BuiltIn(CatalogMode::kOpen);
  EXPECT_TRUE(c.Check("invoice.line:paid").ok());
  c.set_mode(CatalogMode::kStrict);
  EXPECT_EQ(c.Check("invoice.line:paid").error_code(), "unknown_code");
}

TEST(Catalog, ResourceOfStripsAction) {
  EXPECT_EQ(Catalog::ResourceOf("org.member:invited"), "org.member");
  EXPECT_EQ(Catalog::ResourceOf("org:created"), "org");
  EXPECT_EQ(Catalog::ResourceOf("not a code"), "");
}

TEST(Catalog, LoadsExampleFileAndReplacesSameCode) {
  Catalog c = Catalog::BuiltIn();
  const std::size_t before = c.entries().size();
  ASSERT_TRUE(c.LoadFile(TestData("example.json")).ok());
  EXPECT_EQ(c.entries().size(), before + 2);
  const CatalogEntry* phone = c.Find("org.member.phone:verified");
  ASSERT_NE(phone, nullptr);
  EXPECT_TRUE(phone->target_is_person);
  EXPECT_EQ(phone->personal_fields, std::vector<std::string>{"metadata.phone"});
  EXPECT_EQ(c.Find("payment_route:updated")->description, "Payment route changed");
  EXPECT_TRUE(c.Check("refund:processed_manually").ok());
}

TEST(Catalog, LoadErrorNamesEntryIndexAndField) {
  Catalog c = Catalog::BuiltIn();
  Status s = c.LoadJson(R"({"codes":[{"code":"a:b","description":"ok"},
                                     {"code":"Bad Code","description":"x"}]})");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error_code(), "invalid_catalog");
  ASSERT_EQ(s.details().size(), 1u);
  EXPECT_EQ(s.details()[0].index, 1u);
  EXPECT_EQ(s.details()[0].field, "code");
  EXPECT_EQ(s.details()[0].code, "invalid_code");
  EXPECT_NE(s.message().find("entry 1: field \"code\""), std::string::npos) << s.message();
}

TEST(Catalog, LoadReportsEveryProblemAndAddsNothing) {
  Catalog c = Catalog::BuiltIn();
  const std::size_t before = c.entries().size();
  Status s = c.LoadJson(R"({"codes":[{"code":"x:created","description":"fine"},
      {"description":"no code"},
      {"code":"y:z","description":"","colour":"red"},
      {"code":"y:w","description":"d","target_is_person":"yes","personal_fields":["a..b"]},
      7]})");
  ASSERT_FALSE(s.ok());
  std::vector<std::pair<std::size_t, std::string>> got;
  for (const ErrorDetail& d : s.details()) got.emplace_back(*d.index, d.field + "/" + d.code);
  std::vector<std::pair<std::size_t, std::string>> want = {
      {1, "code/required"},
      {2, "description/invalid_length"},
      {2, "colour/unknown_field"},
      {3, "personal_fields[0]/invalid_path"},
      {3, "target_is_person/wrong_type"},
      {4, "/wrong_type"},
  };
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
  EXPECT_EQ(c.entries().size(), before);
  EXPECT_EQ(c.Find("x:created"), nullptr);
}

TEST(Catalog, LoadRejectsWrongTopLevelShape) {
  Catalog c;
  EXPECT_EQ(c.LoadJson("[]").error_code(), "invalid_catalog");
  EXPECT_EQ(c.LoadJson(R"({"codes":{}})").error_code(), "invalid_catalog");
  EXPECT_EQ(c.LoadJson(R"({"codes":[],"extra":1})").details().at(0).field, "extra");
  EXPECT_EQ(c.LoadJson("{not json").error_code(), "invalid_catalog");
}

TEST(Catalog, LoadFileMissingIsNotFound) {
  Catalog c;
  EXPECT_EQ(c.LoadFile(TestData("does-not-exist.json")).code(), StatusCode::kNotFound);
}

TEST(Catalog, LoadFileErrorNamesThePath) {
  const std::string path = ::testing::TempDir() + "/actlog_bad_catalog.json";
  std::ofstream(path) << R"({"codes":[{"code":"a:b"}]})";
  Status s = Catalog().LoadFile(path);
  EXPECT_EQ(s.error_code(), "invalid_catalog");
  EXPECT_EQ(s.message().rfind(path + ": ", 0), 0u) << s.message();
}

TEST(Identifiers, OrgIdShape) {
  EXPECT_TRUE(IsValidOrgId("org_42"));
  EXPECT_TRUE(IsValidOrgId("Acme-Corp.eu"));
  EXPECT_TRUE(IsValidOrgId(std::string(64, 'a')));
  EXPECT_FALSE(IsValidOrgId(std::string(65, 'a')));
  EXPECT_FALSE(IsValidOrgId(""));
  EXPECT_FALSE(IsValidOrgId("."));
  EXPECT_FALSE(IsValidOrgId(".."));
  EXPECT_TRUE(IsValidOrgId("..."));
  EXPECT_FALSE(IsValidOrgId("org/42"));
  EXPECT_FALSE(IsValidOrgId("org 42"));
  EXPECT_FALSE(IsValidOrgId("org\xc3\xa9"));
}

TEST(Identifiers, ClientIdShape) {
  EXPECT_TRUE(IsValidClientId("9f1c-42"));
  EXPECT_TRUE(IsValidClientId("!~{}\"\\"));
  EXPECT_TRUE(IsValidClientId(std::string(128, 'x')));
  EXPECT_FALSE(IsValidClientId(std::string(129, 'x')));
  EXPECT_FALSE(IsValidClientId(""));
  EXPECT_FALSE(IsValidClientId("a b"));
  EXPECT_FALSE(IsValidClientId("a\x7f"));
  EXPECT_FALSE(IsValidClientId("a\tb"));
  EXPECT_FALSE(IsValidClientId("\xc3\xa9"));
}

TEST(Identifiers, CodeShape) {
  for (const char* good : {"org:created", "org.member:signed_in", "a1.b_2.c:d9_",
                           "com.scheme_payment_service:updated", "a:b"}) {
    EXPECT_TRUE(IsWellFormedCode(good)) << good;
  }
  for (const char* bad : {"", ":", "a:", ":a", "a", "a.:b", ".a:b", "a:b.c", "a:b:c", "_a:b",
                          "a:_b", "a:1b", "A:b", "a:B", "a b:c", "a.1b:c", "a-b:c", "a:b "}) {
    EXPECT_FALSE(IsWellFormedCode(bad)) << bad;
  }
}

}  // namespace
}  // namespace actlog

namespace actlog {
namespace {

TEST(Catalog, SearchableFieldsMustBePersonalForTheirCode) {
  Catalog c = Catalog::BuiltIn();
  EXPECT_EQ(c.Find("org.member:invited")->searchable_fields,
            std::vector<std::string>{"metadata.email"});
  EXPECT_TRUE(c.IsSearchable("metadata.email"));
  EXPECT_TRUE(c.IsSearchable("actor.email")) << "always, through actor_email";
  EXPECT_FALSE(c.IsSearchable("metadata.phone"));

  ASSERT_TRUE(c.LoadJson(R"({"codes":[{"code":"org.member.phone:verified","description":"d",
      "target_is_person":true,"personal_fields":["metadata.phone"],
      "searchable_fields":["metadata.phone","target.name","context.ip"]}]})")
                  .ok());
  EXPECT_EQ(c.Find("org.member.phone:verified")->searchable_fields,
            (std::vector<std::string>{"metadata.phone", "target.name", "context.ip"}));
  EXPECT_TRUE(c.IsSearchable("metadata.phone"));

  Status s = c.LoadJson(R"({"codes":[{"code":"x:y","description":"d",
      "searchable_fields":["metadata.plan","target.name","a..b"]},
      {"code":"x:z","description":"d","searchable_fields":"metadata.plan"}]})");
  ASSERT_FALSE(s.ok());
  std::vector<std::string> got;
  for (const ErrorDetail& d : s.details()) got.push_back(d.field + "/" + d.code);
  EXPECT_EQ(got, (std::vector<std::string>{"searchable_fields[0]/not_personal",
                                           "searchable_fields[1]/not_personal",
                                           "searchable_fields[2]/invalid_path",
                                           "searchable_fields/wrong_type"}))
      << "a non-personal value is not blind-indexed; target.name only for a person target";
}

}  // namespace
}  // namespace actlog
