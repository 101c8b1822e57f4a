#include "privacy/sealing.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <map>
#include <string>

#include "actlog/clock.h"
#include "privacy/personal_fields.h"

namespace actlog::privacy {
namespace {

// Keys and blobs in memory, as a backend would keep them.
class MemoryVault : public SubjectKeys, public SealedSource {
 public:
  StatusOr<std::string> KeyFor(std::string_view org, std::string_view subject) override {
    std::string& key = keys_[Name(org, subject)];
    if (key.empty()) key = NewSubjectKey();
    return key;
  }
  StatusOr<std::optional<StoredSealed>> FindSealed(const Event& event,
                                                   std::string_view hash) override {
    auto it = blobs_.find(Name(event.org, hash));
    if (it == blobs_.end()) return std::optional<StoredSealed>();
    return std::optional<StoredSealed>(it->second);
  }
  StatusOr<std::optional<std::string>> FindKey(std::string_view org,
                                               std::string_view subject) override {
    auto it = keys_.find(Name(org, subject));
    if (it == keys_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  void Keep(std::string_view org, const std::vector<SealedValue>& values) {
    for (const SealedValue& v : values) blobs_[Name(org, v.hash)] = {v.subject, v.blob};
  }
  void Forget(std::string_view org, std::string_view subject) { keys_.erase(Name(org, subject)); }
  std::map<std::string, StoredSealed>& blobs() { return blobs_; }

 private:
  static std::string Name(std::string_view a, std::string_view b) {
    return std::string(a) + '\0' + std::string(b);
  }
  std::map<std::string, std::string> keys_;
  std::map<std::string, StoredSealed> blobs_;
};

Event Stored(std::string_view producer_json) {
  StatusOr<Json> j = ParseJson(producer_json);
  EXPECT_TRUE(j.ok());
  StatusOr<Event> e = ValidateEvent(*j, Catalog::BuiltIn(), EventLimits());
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  Event out = e.ok() ? *e : Event();
  FakeClock clock(1'795'947'303'120'001);
  out.seq = 3;
  out.received_at_us = clock.NowMicros();
  out.id = "evt_1";
  out.occurred_at_us = out.received_at_us;
  return out;
}

constexpr const char* kInvite = R"({"org":"org_1","code":"org.member:invited",
  "actor":{"type":"user","id":"u_7","name":"Alice Doe","email":"alice@example.com"},
  "target":{"type":"org.member","id":"m_12","name":"Bob Roe"},
  "context":{"ip":"203.0.113.9","user_agent":"Firefox/131","request_id":"req_1"},
  "metadata":{"email":"bob@example.org","role":"admin"}})";

const char* const kPlainValues[] = {"Alice Doe", "alice@example.com", "Bob Roe",
                                    "203.0.113.9", "Firefox/131", "bob@example.org"};

class Sealing : public testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
  MemoryVault vault_;
  Catalog catalog_ = Catalog::BuiltIn();
};

TEST_F(Sealing, CanonicalBytesHoldReferencesNotValues) {
  Event event = Stored(kInvite);
  StatusOr<std::vector<SealedValue>> sealed = SealEvent(&event, catalog_, vault_);
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  // One blob per subject: the actor's four defaults; the person target's name and
  // metadata.email (org.member:invited).
  ASSERT_EQ(sealed->size(), 2u);
  EXPECT_EQ((*sealed)[0].subject, "u_7");
  EXPECT_EQ((*sealed)[0].paths,
            (std::vector<std::string>{"actor.name", "actor.email", "context.ip",
                                      "context.user_agent"}));
  EXPECT_EQ((*sealed)[1].subject, "m_12");
  EXPECT_EQ((*sealed)[1].paths, (std::vector<std::string>{"target.name", "metadata.email"}));
  std::string canonical = CanonicalEvent(event);
  for (const char* value : kPlainValues) {
    EXPECT_EQ(canonical.find(value), std::string::npos) << value << " in " << canonical;
  }
  EXPECT_NE(canonical.find("\"request_id\":\"req_1\""), std::string::npos);
  EXPECT_NE(canonical.find("\"role\":\"admin\""), std::string::npos);
  ASSERT_TRUE(event.actor.email.has_value());
  EXPECT_TRUE(ParseSealedRef(*event.actor.email).has_value()) << *event.actor.email;
  // The stored bytes still decode: a reference is a string where the value was.
  EXPECT_TRUE(DecodeEvent(canonical).ok());
}

TEST_F(Sealing, SubjectsAreTheActorAndAPersonTarget) {
  Event event = Stored(kInvite);
  std::map<std::string, std::string> subject_of;
  for (const PersonalSlot& s : PersonalSlots(&event, catalog_)) subject_of[s.path] = s.subject;
  EXPECT_EQ(subject_of["actor.email"], "u_7");
  EXPECT_EQ(subject_of["context.ip"], "u_7");
  EXPECT_EQ(subject_of["target.name"], "m_12");
  EXPECT_EQ(subject_of["metadata.email"], "m_12");
  EXPECT_EQ(subject_of.count("context.request_id"), 0u);
}

TEST_F(Sealing, ReadOnlySlotsAreTheSameSlotsOfTheSameEvent) {
  Event event = Stored(kInvite);
  const Event& view = event;
  std::vector<ConstPersonalSlot> read = PersonalSlots(view, catalog_);
  std::vector<PersonalSlot> write = PersonalSlots(&event, catalog_);
  ASSERT_EQ(read.size(), write.size());
  ASSERT_GE(read.size(), 4u);
  for (size_t i = 0; i < read.size(); ++i) {
    EXPECT_EQ(read[i].path, write[i].path);
    EXPECT_EQ(read[i].subject, write[i].subject);
    EXPECT_EQ(read[i].field, write[i].field) << read[i].path;  // into the event, no copy
    EXPECT_EQ(read[i].json, write[i].json) << read[i].path;
  }
}

TEST_F(Sealing, TargetNameOfAThingStaysPlain) {
  Event event = Stored(R"({"org":"org_1","code":"org.api_key:created",
    "actor":{"type":"user","id":"u_7","name":"Alice Doe"},
    "target":{"type":"api_key","id":"k_1","name":"Checkout key"}})");
  ASSERT_TRUE(SealEvent(&event, catalog_, vault_).ok());
  EXPECT_EQ(event.target->name, "Checkout key");
  EXPECT_NE(event.actor.name, "Alice Doe");
}

TEST_F(Sealing, OpeningRestoresEveryValue) {
  Event plain = Stored(kInvite);
  Event event = plain;
  StatusOr<std::vector<SealedValue>> sealed = SealEvent(&event, catalog_, vault_);
  ASSERT_TRUE(sealed.ok());
  vault_.Keep("org_1", *sealed);
  StatusOr<Event> read = DecodeEvent(CanonicalEvent(event));
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(OpenEvent(&*read, catalog_, vault_).ok());
  EXPECT_EQ(CanonicalJson(EventToJson(*read)), CanonicalJson(EventToJson(plain)));
  EXPECT_TRUE(read->erased.empty());
}

TEST_F(Sealing, SameValueSealsDifferentlyEachTime) {
  Event a = Stored(kInvite), b = Stored(kInvite);
  ASSERT_TRUE(SealEvent(&a, catalog_, vault_).ok());
  ASSERT_TRUE(SealEvent(&b, catalog_, vault_).ok());
  EXPECT_NE(a.actor.email, b.actor.email);
  EXPECT_NE(CanonicalEvent(a), CanonicalEvent(b));
}

TEST_F(Sealing, ErasedSubjectReadsAsNullWithMarker) {
  Event event = Stored(kInvite);
  StatusOr<std::vector<SealedValue>> sealed = SealEvent(&event, catalog_, vault_);
  ASSERT_TRUE(sealed.ok());
  vault_.Keep("org_1", *sealed);
  vault_.Forget("org_1", "u_7");
  ASSERT_TRUE(OpenEvent(&event, catalog_, vault_).ok());
  EXPECT_EQ(event.erased, (std::vector<std::string>{"actor.email", "actor.name", "context.ip",
                                                     "context.user_agent"}));
  EXPECT_FALSE(event.actor.email.has_value());
  EXPECT_EQ(event.target->name, "Bob Roe");  // another subject's value still reads
  std::string json = CanonicalJson(EventToJson(event));
  EXPECT_NE(json.find(R"("actor":{"email":null,"id":"u_7","name":null,"type":"user"})"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("context":{"ip":null,"request_id":"req_1","user_agent":null})"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("erased":["actor.email","actor.name","context.ip","context.user_agent"])"),
            std::string::npos)
      << json;
}

TEST_F(Sealing, ErasedMetadataValueIsNull) {
  Event event = Stored(kInvite);
  StatusOr<std::vector<SealedValue>> sealed = SealEvent(&event, catalog_, vault_);
  ASSERT_TRUE(sealed.ok());
  vault_.Keep("org_1", *sealed);
  vault_.Forget("org_1", "m_12");
  ASSERT_TRUE(OpenEvent(&event, catalog_, vault_).ok());
  EXPECT_EQ(event.erased, (std::vector<std::string>{"metadata.email", "target.name"}));
  std::string json = CanonicalJson(EventToJson(event));
  EXPECT_NE(json.find(R"("metadata":{"email":null,"role":"admin"})"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("target":{"id":"m_12","name":null,"type":"org.member"})"),
            std::string::npos)
      << json;
}

TEST_F(Sealing, TamperedBlobIsDataLoss) {
  Event event = Stored(kInvite);
  StatusOr<std::vector<SealedValue>> sealed = SealEvent(&event, catalog_, vault_);
  ASSERT_TRUE(sealed.ok());
  vault_.Keep("org_1", *sealed);
  for (auto& [name, stored] : vault_.blobs()) stored.blob.back() ^= 1;
  Status opened = OpenEvent(&event, catalog_, vault_);
  EXPECT_EQ(opened.code(), StatusCode::kDataLoss);
  EXPECT_EQ(opened.error_code(), "sealed_value_corrupt");
}

TEST_F(Sealing, BlobIsBoundToItsPlace) {
  std::string key = NewSubjectKey();
  std::string blob = SealBlob(key, "org_1", "u_7", R"({"actor.email":"a@b.c"})");
  EXPECT_EQ(OpenBlob(key, "org_1", "u_7", blob).value(), R"({"actor.email":"a@b.c"})");
  EXPECT_FALSE(OpenBlob(key, "org_2", "u_7", blob).ok());
  EXPECT_FALSE(OpenBlob(key, "org_1", "u_8", blob).ok());
  EXPECT_FALSE(OpenBlob(NewSubjectKey(), "org_1", "u_7", blob).ok());
}

TEST_F(Sealing, ReferencesParseStrictly) {
  std::string hash(32, '\x5a');
  std::string ref = SealedRef(hash);
  EXPECT_EQ(ref.size(), kSealedRefPrefix.size() + 43);
  EXPECT_EQ(ParseSealedRef(ref), hash);
  EXPECT_FALSE(ParseSealedRef("sealed:v1:abc").has_value());
  EXPECT_FALSE(ParseSealedRef(ref + "A").has_value());
  EXPECT_FALSE(ParseSealedRef("Alice Doe").has_value());
  EXPECT_FALSE(ParseSealedRef("sealed:v2:" + ref.substr(10)).has_value());
}

}  // namespace
}  // namespace actlog::privacy
