// Black-box tests of personal data (DESIGN §7, docs/PRIVACY.md) on the real binary:
// readers see sealed values in plain; after a subject's erasure no file under the data
// directory (WAL, SST, MANIFEST, anything) holds any of its values — plain, UTF-16 LE/BE
// or base64 — while every proof of the org still verifies against the same root, other
// subjects still read, and a blind-index search for the erased address finds nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "actlog/event.h"
#include "actlog/merkle.h"
#include "http_fixture.h"
#include "integrity/encoding.h"
#include "store/rocksdb/file_scan.h"

namespace actlog::testing {
namespace {

using integrity::Hash;

// The subject to erase (u_7) and one that stays (u_8). Long, unusual values, so that a
// match in a file cannot be chance.
const std::vector<std::string> kAliceValues = {
    "Alice Quillfeather-Zebulon", "alice.zebulon.quill@example.com", "203.0.113.177",
    "AliceBrowser/9.1 (Zebulon OS)"};
const std::vector<std::string> kCarolValues = {"Carol Vantablack-Oyelaran",
                                               "carol.vanta.oyelaran@example.net"};

std::string Quote(const std::string& s) { return CanonicalJson(Json::String(s)); }

std::string PersonEvent(const std::string& id, const std::string& actor,
                        const std::vector<std::string>& v) {
  std::string actor_json = "{\"type\":\"user\",\"id\":" + Quote(actor) + ",\"name\":" +
                           Quote(v[0]) + ",\"email\":" + Quote(v[1]) + "}";
  std::string context = v.size() > 2 ? ",\"context\":{\"ip\":" + Quote(v[2]) +
                                           ",\"user_agent\":" + Quote(v[3]) + "}"
                                     : "";
  return "{\"org\":\"acme\",\"code\":\"org.member:updated\",\"id\":" + Quote(id) +
         ",\"actor\":" + actor_json +
         ",\"target\":{\"type\":\"org.member\",\"id\":\"m_12\",\"name\":\"Bob Roe\"}" + context +
         ",\"changes\":{\"role\":{\"from\":\"viewer\",\"to\":\"admin\"}}}";
}

std::string Utf16(const std::string& ascii, bool big_endian) {
  std::string out;
  for (char c : ascii) {
    if (big_endian) out.push_back('\0');
    out.push_back(c);
    if (!big_endian) out.push_back('\0');
  }
  return out;
}

// The forms a value could take in a file: itself, UTF-16 LE and BE, and its base64 (and
// base64url) at each of the three byte alignments, cut to the characters that depend
// on the value alone.
std::vector<std::string> Forms(const std::string& value) {
  std::vector<std::string> forms = {value, Utf16(value, false), Utf16(value, true)};
  for (size_t shift = 0; shift < 3; ++shift) {
    std::string b64 = integrity::encoding::Base64Encode(std::string(shift, 'x') + value);
    size_t skip = shift == 0 ? 0 : shift + 1;
    std::string middle = b64.substr(skip, b64.size() - skip - 4);
    forms.push_back(middle);
    for (char& c : middle) c = c == '+' ? '-' : c == '/' ? '_' : c;
    forms.push_back(middle);
  }
  return forms;
}

// Every (file, value) where a form of one of `values` appears under `dir`: in the raw
// bytes of any file, or in the decoded entries of an SST file (store/rocksdb/file_scan.h).
std::vector<std::string> FindTraces(const std::string& dir,
                                    const std::vector<std::string>& values) {
  std::set<std::string> found;
  StatusOr<size_t> files = store::ScanDataDir(dir, [&](const std::string& file,
                                                      std::string_view bytes) {
    for (const std::string& value : values) {
      for (const std::string& form : Forms(value)) {
        if (bytes.find(form) != std::string_view::npos) found.insert(file + ": " + value);
      }
    }
  });
  EXPECT_TRUE(files.ok());
  EXPECT_GT(files.ok() ? *files : 0, 3u) << "nothing to scan in " << dir;
  return std::vector<std::string>(found.begin(), found.end());
}

class PrivacyTest : public HttpServerTest {
 protected:
  void Ingest() {
    std::string body = "{\"events\":[";
    for (int i = 0; i < 40; ++i) {
      if (i > 0) body += ",";
      body += i % 2 == 0 ? PersonEvent("a-" + std::to_string(i), "u_7", kAliceValues)
                         : PersonEvent("c-" + std::to_string(i), "u_8", kCarolValues);
    }
    body += "]}";
    HttpResponse r = admin().Send("POST", "/v1/events", kTestAdminKey, body);
    ASSERT_EQ(r.status, 201) << r.body;
  }
  std::vector<Json> ByEmail(const std::string& email) {
    HttpResponse r =
        admin().Send("GET", "/v1/events?org=acme&limit=200&actor_email=" + email, kTestAdminKey);
    EXPECT_EQ(r.status, 200) << r.body;
    const Json* data = r.JsonBody().Find("data");
    return data != nullptr && data->is_array() ? data->as_array() : std::vector<Json>();
  }
  // The leaf and the root its inclusion proof at tree size `size` leads to.
  std::pair<std::string, Hash> LeafAndRoot(const std::string& id, uint64_t size) {
    HttpResponse r = admin().Send(
        "GET", "/v1/events/" + id + "/proof?org=acme&size=" + std::to_string(size), kTestAdminKey);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return {};
    const Json& body = r.JsonBody();
    std::string leaf =
        integrity::encoding::Base64Decode(body.Find("leaf")->as_string()).value_or("");
    std::vector<Hash> hashes;
    for (const Json& h : body.Find("hashes")->as_array()) {
      hashes.push_back(integrity::HashFromBase64(h.as_string()).value());
    }
    StatusOr<Hash> root = integrity::RootFromInclusionProof(
        integrity::LeafHash(leaf), static_cast<uint64_t>(body.Find("leaf_index")->as_number()),
        size, hashes);
    EXPECT_TRUE(root.ok()) << root.status().ToString();
    return {leaf, root.ok() ? *root : Hash{}};
  }
};

TEST_F(PrivacyTest, ReadersSeeValuesThatTheLeavesDoNotHold) {
  Ingest();
  HttpResponse one = admin().Send("GET", "/v1/events/a-0?org=acme", kTestAdminKey);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.JsonBody().Find("actor")->Find("email")->as_string(), kAliceValues[1]);
  EXPECT_EQ(one.JsonBody().Find("context")->Find("ip")->as_string(), kAliceValues[2]);
  EXPECT_EQ(one.JsonBody().Find("erased"), nullptr);
  auto [leaf, root] = LeafAndRoot("a-0", 40);
  EXPECT_NE(leaf.find("sealed:v1:"), std::string::npos) << leaf;
  for (const std::string& value : kAliceValues) {
    EXPECT_EQ(leaf.find(value), std::string::npos) << value;
  }
  EXPECT_EQ(ByEmail("ALICE.zebulon.quill@example.com").size(), 20u);
  HttpResponse csv = admin().Send("GET", "/v1/export?org=acme&format=csv", kTestAdminKey);
  EXPECT_NE(csv.body.find(kAliceValues[1]), std::string::npos);
}

TEST_F(PrivacyTest, ErasureLeavesNoTraceInAnyFileAndEveryProofStillVerifies) {
  Ingest();
  StartWith({}, "");  // reopening flushes the recovered WAL into SST files: both kinds hold data
  auto [leaf_before, root_before] = LeafAndRoot("a-0", 40);
  // Sealed from the start: no plain value ever reached a file.
  EXPECT_TRUE(FindTraces(data_.path(), kAliceValues).empty());

  HttpResponse erased =
      admin().Send("POST", "/v1/orgs/acme/subjects/u_7:erase", kTestAdminKey, "");
  ASSERT_EQ(erased.status, 200) << erased.body;
  const Json& receipt = erased.JsonBody();
  EXPECT_EQ(receipt.Find("subject")->as_string(), "u_7");
  EXPECT_EQ(receipt.Find("keys_destroyed")->as_number(), 1);
  // Alice's twenty events repeat her values: one blob, shared by all of them.
  EXPECT_EQ(receipt.Find("values_destroyed")->as_number(), 1);
  EXPECT_EQ(receipt.Find("index_entries_removed")->as_number(), 20);
  EXPECT_EQ(receipt.Find("events_affected")->as_number(), 20);

  // Every proof at the old size leads to the old root; the leaves did not change.
  for (int i = 0; i < 40; ++i) {
    std::string id = (i % 2 == 0 ? "a-" : "c-") + std::to_string(i);
    auto [leaf, root] = LeafAndRoot(id, 40);
    EXPECT_EQ(root, root_before) << id;
    if (i == 0) {
      EXPECT_EQ(leaf, leaf_before);
    }
  }
  // Alice's fields read as erased, Carol's still read, Bob (the target) still reads.
  HttpResponse alice = admin().Send("GET", "/v1/events/a-2?org=acme", kTestAdminKey);
  ASSERT_EQ(alice.status, 200);
  const Json& a = alice.JsonBody();
  EXPECT_TRUE(a.Find("actor")->Find("email")->is_null());
  EXPECT_TRUE(a.Find("context")->Find("user_agent")->is_null());
  EXPECT_EQ(a.Find("target")->Find("name")->as_string(), "Bob Roe");
  EXPECT_EQ(CanonicalJson(*a.Find("erased")),
            R"(["actor.email","actor.name","context.ip","context.user_agent"])");
  HttpResponse carol = admin().Send("GET", "/v1/events/c-1?org=acme", kTestAdminKey);
  EXPECT_EQ(carol.JsonBody().Find("actor")->Find("name")->as_string(), kCarolValues[0]);
  EXPECT_TRUE(ByEmail(kAliceValues[1]).empty());
  EXPECT_EQ(ByEmail(kCarolValues[1]).size(), 20u);

  // The erasure is logged without personal data.
  HttpResponse logged = admin().Send(
      "GET", "/v1/events?org=acme&code=actlog.subject:erased", kTestAdminKey);
  ASSERT_EQ(logged.JsonBody().Find("data")->as_array().size(), 1u);
  std::string logged_text = CanonicalJson(logged.JsonBody());
  for (const std::string& value : kAliceValues) {
    EXPECT_EQ(logged_text.find(value), std::string::npos);
  }

  // Idempotent: nothing left to destroy.
  HttpResponse again =
      admin().Send("POST", "/v1/orgs/acme/subjects/u_7:erase", kTestAdminKey, "");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.JsonBody().Find("values_destroyed")->as_number(), 0);

  ASSERT_EQ(server_->Stop(), 0) << server_->Stderr();
  std::vector<std::string> traces = FindTraces(data_.path(), kAliceValues);
  EXPECT_TRUE(traces.empty()) << ::testing::PrintToString(traces);
  // The scan does see plain text that is not personal (the target id, the changes).
  EXPECT_EQ(FindTraces(data_.path(), {"org.member:updated", "viewer"}).size() > 0, true);
  StartWith({}, "");
}

TEST_F(PrivacyTest, ErasureNeedsAnAdminKeyAndAKnownOrg) {
  Ingest();
  std::string reader = CreateKey(admin(), "read", "acme");
  EXPECT_EQ(admin().Send("POST", "/v1/orgs/acme/subjects/u_7:erase", reader, "").status, 403);
  EXPECT_EQ(admin().Send("POST", "/v1/orgs/nope/subjects/u_7:erase", kTestAdminKey, "").status,
            404);
}

TEST_F(PrivacyTest, TheCliErasesInADataDirectory) {
  server_->Stop();
  TempDir dir;
  std::string lines;
  for (int i = 0; i < 6; ++i) {
    lines += (i % 2 == 0 ? PersonEvent("a-" + std::to_string(i), "u_7", kAliceValues)
                         : PersonEvent("c-" + std::to_string(i), "u_8", kCarolValues)) +
             "\n";
  }
  ASSERT_EQ(RunActlog({"ingest", "--data", dir.path()}, lines).exit_code, 0);
  ProcessResult erased =
      RunActlog({"subjects", "erase", "--data", dir.path(), "--org", "acme", "--subject", "u_7"});
  ASSERT_EQ(erased.exit_code, 0) << erased.err;
  EXPECT_NE(erased.out.find("\"values_destroyed\":1}"), std::string::npos) << erased.out;
  EXPECT_NE(erased.out.find("\"events_affected\":3"), std::string::npos) << erased.out;
  ProcessResult query =
      RunActlog({"query", "--data", dir.path(), "--org", "acme", "--format", "json"});
  ASSERT_EQ(query.exit_code, 0) << query.err;
  EXPECT_NE(query.out.find(kCarolValues[1]), std::string::npos);
  EXPECT_NE(query.out.find("\"erased\":[\"actor.email\""), std::string::npos) << query.out;
  EXPECT_TRUE(FindTraces(dir.path(), kAliceValues).empty());
  ProcessResult verify = RunActlog({"verify", "--data", dir.path()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace actlog::testing
