// Event::content_digest decides whether a retry with the same client id is a duplicate
// (200, the stored event) or a conflict (409).
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <string>

#include "actlog/catalog.h"
#include "actlog/event.h"

namespace actlog {
namespace {

Json Parse(std::string_view text) {
  StatusOr<Json> j = ParseJson(text);
  EXPECT_TRUE(j.ok()) << j.status().ToString() << "\n" << text;
  return j.ok() ? *j : Json();
}

std::string Digest(std::string_view producer_json) {
  StatusOr<Event> e = ValidateEvent(Parse(producer_json), Catalog::BuiltIn(), EventLimits());
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? e->content_digest : "";
}

std::string Sha256(const std::string& s) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), md);
  return std::string(reinterpret_cast<const char*>(md), sizeof(md));
}

constexpr const char* kEvent =
    R"({"org":"o","code":"org.member:updated","id":"c-1",
        "actor":{"type":"user","id":"u_7","name":"Alice","email":"a@example.com"},
        "target":{"type":"org.member","id":"m_1"},"context":{"ip":"10.0.0.1"},
        "changes":{"role":{"from":"viewer","to":"admin"}},"metadata":{"k":[1,2]}})";

TEST(ContentDigest, IsSha256OfTheCanonicalProducerObject) {
  EXPECT_EQ(Digest(kEvent), Sha256(CanonicalJson(Parse(kEvent))));
}

TEST(ContentDigest, EqualForARetryOfTheSameContent) {
  EXPECT_EQ(Digest(kEvent), Digest(kEvent));
  // Member order and whitespace are not content.
  EXPECT_EQ(Digest(kEvent),
            Digest(R"({"metadata":{"k":[1,2]},"changes":{"role":{"to":"admin","from":"viewer"}},
                       "context":{"ip":"10.0.0.1"},"target":{"id":"m_1","type":"org.member"},
                       "actor":{"email":"a@example.com","name":"Alice","id":"u_7","type":"user"},
                       "id":"c-1","code":"org.member:updated","org":"o"})"));
}

TEST(ContentDigest, NullFixedFieldsCountAsAbsent) {
  EXPECT_EQ(Digest(R"({"org":"o","code":"org:created","actor":{"type":"user","id":"u"}})"),
            Digest(R"({"org":"o","code":"org:created","actor":{"type":"user","id":"u","name":null},
                       "target":null,"occurred_at":null,"reason":null})"));
}

TEST(ContentDigest, BeforeAfterEqualsTheChangesTheyImply) {
  const std::string base =
      R"("org":"o","code":"org.member:updated","actor":{"type":"user","id":"u"})";
  const std::string via_snapshots =
      Digest("{" + base + R"(,"before":{"role":"viewer","x":1},"after":{"role":"admin","x":1}})");
  EXPECT_EQ(via_snapshots,
            Digest("{" + base + R"(,"changes":{"role":{"from":"viewer","to":"admin"}}})"));
  EXPECT_EQ(via_snapshots,
            Sha256(CanonicalJson(
                Parse("{" + base + R"(,"changes":{"role":{"from":"viewer","to":"admin"}}})"))));
}

TEST(ContentDigest, DefaultsAreNotFilledIn) {
  // A retry that omitted occurred_at digests the same however much later it comes, and
  // differs from one that names a time.
  const std::string bare = R"({"org":"o","code":"org:created","actor":{"type":"system"}})";
  EXPECT_EQ(Digest(bare), Sha256(CanonicalJson(Parse(bare))));
  EXPECT_NE(Digest(bare), Digest(R"({"org":"o","code":"org:created","actor":{"type":"system"},
                       "occurred_at":"2026-11-29T10:15:03Z"})"));
  EXPECT_NE(Digest(bare), Digest(R"({"org":"o","code":"org:created",
                                     "actor":{"type":"system","id":"system"}})"));
}

TEST(ContentDigest, DiffersWhenAnyContentDiffers) {
  const std::string d = Digest(kEvent);
  auto with = [](const std::string& from, const std::string& to) {
    std::string s = kEvent;
    std::size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return s;
  };
  for (const auto& [from, to] : std::initializer_list<std::pair<const char*, const char*>>{
           {R"("Alice")", R"("Alicia")"},
           {R"("c-1")", R"("c-2")"},
           {R"([1,2])", R"([2,1])"},
           {R"("admin")", R"("owner")"},
           {R"("10.0.0.1")", R"("10.0.0.2")"},
           {R"("m_1")", R"("m_2")"},
           {R"("org.member:updated")", R"("org.member:activated")"},
           {R"("metadata":{"k":[1,2]})", R"("metadata":{"k":[1,2]},"outcome":"failure")"}}) {
    EXPECT_NE(Digest(with(from, to)), d) << from << " -> " << to;
  }
}

}  // namespace
}  // namespace actlog
