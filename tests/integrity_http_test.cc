// Black-box tests of the Merkle proofs on the real server: an event's inclusion proof and
// an org's consistency proof verify with the integrity library (as an independent client
// would), proofs of one tree agree on its root, and bad sizes or other orgs are refused.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "actlog/event.h"
#include "actlog/merkle.h"
#include "actlog/signed_note.h"
#include "actlog/tiles.h"
#include "http_fixture.h"
#include "integrity/encoding.h"

namespace actlog::testing {
namespace {

using integrity::Hash;

class IntegrityApiTest : public HttpServerTest {
 protected:
  // Stores events p-first … p-(first+n-1) in org acme, 100 per request.
  void Ingest(int n, int first = 0) {
    for (int done = first; done < first + n;) {
      std::string body = "{\"events\":[";
      for (int i = 0; i < 100 && done < first + n; ++i, ++done) {
        if (i > 0) body += ",";
        body += EventJson("acme", "p-" + std::to_string(done));
      }
      body += "]}";
      HttpResponse r = admin().Send("POST", "/v1/events", kTestAdminKey, body);
      ASSERT_EQ(r.status, 201) << r.body;
    }
  }
  // GET `path` until it answers a checkpoint of tree size `size` (about a second: a
  // checkpoint signed by the background signer while the tree was growing is served
  // until it is a second old). Returns the last answer.
  HttpResponse CheckpointOfSize(const std::string& path, uint64_t size) {
    std::string want = "\n" + std::to_string(size) + "\n";
    HttpResponse r;
    for (int i = 0; i < 100; ++i) {  // 10 s at most, for loaded machines
      r = admin().Send("GET", path, kTestAdminKey);
      if (r.status != 200 || r.body.find(want) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return r;
  }
  static std::vector<Hash> Hashes(const Json& body) {
    std::vector<Hash> out;
    for (const Json& h : body.Find("hashes")->as_array()) {
      StatusOr<Hash> hash = integrity::HashFromBase64(h.as_string());
      EXPECT_TRUE(hash.ok()) << h.as_string();
      if (hash.ok()) out.push_back(*hash);
    }
    return out;
  }
  // The root the inclusion proof of event `id` leads to in the tree of `size` leaves
  // ("" = current); checks the leaf is that event's canonical record at its seq.
  Hash RootViaProof(const std::string& id, const std::string& size, uint64_t want_index,
                    uint64_t want_size) {
    std::string target = "/v1/events/" + id + "/proof?org=acme";
    if (!size.empty()) target += "&size=" + size;
    HttpResponse r = admin().Send("GET", target, kTestAdminKey);
    EXPECT_EQ(r.status, 200) << r.body;
    Json body = r.JsonBody();
    if (r.status != 200) return Hash{};
    EXPECT_EQ(body.Find("leaf_index")->as_number(), static_cast<double>(want_index));
    EXPECT_EQ(body.Find("tree_size")->as_number(), static_cast<double>(want_size));
    std::optional<std::string> leaf =
        integrity::encoding::Base64Decode(body.Find("leaf")->as_string());
    EXPECT_TRUE(leaf.has_value());
    StatusOr<Event> event = DecodeEvent(leaf.value_or(""));
    EXPECT_TRUE(event.ok());
    if (event.ok()) {
      EXPECT_EQ(event->id, id);
      EXPECT_EQ(event->seq, want_index);
    }
    StatusOr<Hash> root = integrity::RootFromInclusionProof(integrity::LeafHash(leaf.value_or("")),
                                                            want_index, want_size, Hashes(body));
    EXPECT_TRUE(root.ok()) << root.status().ToString();
    return root.ok() ? *root : Hash{};
  }
};

TEST_F(IntegrityApiTest, InclusionProofsOfOneTreeLeadToOneRoot) {
  Ingest(300);
  Hash via_first = RootViaProof("p-0", "", 0, 300);
  Hash via_middle = RootViaProof("p-137", "", 137, 300);
  Hash via_last = RootViaProof("p-299", "300", 299, 300);
  EXPECT_EQ(via_first, via_middle);
  EXPECT_EQ(via_first, via_last);
  EXPECT_NE(RootViaProof("p-5", "100", 5, 100), via_first);
}

TEST_F(IntegrityApiTest, ConsistencyProofLinksAnOlderTreeToTheCurrentOne) {
  Ingest(300);
  Hash old_root = RootViaProof("p-5", "100", 5, 100);
  Hash new_root = RootViaProof("p-5", "", 5, 300);
  HttpResponse r = admin().Send("GET", "/v1/orgs/acme/consistency?from=100&to=300", kTestAdminKey);
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<Hash> proof = Hashes(r.JsonBody());
  EXPECT_FALSE(proof.empty());
  EXPECT_TRUE(integrity::VerifyConsistency(100, 300, old_root, new_root, proof).ok());
  Hash wrong = old_root;
  wrong[0] ^= 1;
  EXPECT_FALSE(integrity::VerifyConsistency(100, 300, wrong, new_root, proof).ok());
}

TEST_F(IntegrityApiTest, BadSizesAndOtherOrgsAreRefused) {
  Ingest(10);
  auto code = [this](const std::string& target, const std::string& key) {
    HttpResponse r = admin().Send("GET", target, key);
    return std::to_string(r.status) + " " + r.ErrorCode();
  };
  EXPECT_EQ(code("/v1/events/p-3/proof?org=acme&size=11", kTestAdminKey), "400 invalid_query");
  EXPECT_EQ(code("/v1/events/p-3/proof?org=acme&size=3", kTestAdminKey), "400 invalid_query");
  EXPECT_EQ(code("/v1/events/p-3/proof?org=acme&size=x", kTestAdminKey), "400 invalid_query");
  EXPECT_EQ(code("/v1/events/nope/proof?org=acme", kTestAdminKey), "404 not_found");
  EXPECT_EQ(code("/v1/orgs/acme/consistency?from=5&to=11", kTestAdminKey), "400 invalid_query");
  EXPECT_EQ(code("/v1/orgs/acme/consistency?from=6&to=5", kTestAdminKey), "400 invalid_query");
  EXPECT_EQ(code("/v1/orgs/acme/consistency?to=5", kTestAdminKey), "400 invalid_query");
  ASSERT_TRUE(CreateOrg(admin(), "beta"));
  std::string other = CreateKey(admin(), "read", "beta");
  ASSERT_FALSE(other.empty());
  EXPECT_EQ(code("/v1/orgs/acme/consistency?from=1&to=5", other), "403 forbidden");
  EXPECT_EQ(code("/v1/events/p-3/proof?org=acme", other), "403 forbidden");
  EXPECT_EQ(code("/v1/orgs/acme/consistency?from=1&to=5", ""), "401 unauthenticated");
}

TEST_F(IntegrityApiTest, TheCheckpointIsSignedByThePublicKeyAndCommitsToTheTree) {
  Ingest(300);
  HttpResponse key = admin().Send("GET", "/v1/public-key");
  ASSERT_EQ(key.status, 200) << key.body;
  std::string vkey = key.body.substr(0, key.body.find('\n'));
  StatusOr<integrity::NoteVerifier> verifier = integrity::NoteVerifier::Parse(vkey);
  ASSERT_TRUE(verifier.ok()) << key.body;
  std::vector<integrity::NoteVerifier> known = {*verifier};

  HttpResponse note = CheckpointOfSize("/v1/orgs/acme/checkpoint", 300);
  ASSERT_EQ(note.status, 200) << note.body;
  StatusOr<integrity::Checkpoint> cp = integrity::OpenCheckpoint(note.body, known, "actlog/acme");
  ASSERT_TRUE(cp.ok()) << cp.status().ToString() << "\n" << note.body;
  EXPECT_EQ(cp->size, 300u);
  EXPECT_EQ(cp->root, RootViaProof("p-42", "300", 42, 300));
  EXPECT_FALSE(integrity::OpenCheckpoint(note.body, known, "actlog/beta").ok());

  struct stat st {};
  ASSERT_EQ(::stat((data_.path() + "/checkpoint.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  StartWith({}, "");  // the same key after a restart, and the kept checkpoint
  EXPECT_EQ(admin().Send("GET", "/v1/public-key").body, key.body);
  HttpResponse again = admin().Send("GET", "/v1/orgs/acme/checkpoint", kTestAdminKey);
  EXPECT_EQ(again.body, note.body);

  EXPECT_EQ(admin().Send("GET", "/v1/orgs/nope/checkpoint", kTestAdminKey).status, 404);
  ASSERT_TRUE(CreateOrg(admin(), "beta"));
  std::string other = CreateKey(admin(), "read", "beta");
  EXPECT_EQ(admin().Send("GET", "/v1/orgs/acme/checkpoint", other).status, 403);
  EXPECT_EQ(admin().Send("GET", "/v1/orgs/beta/checkpoint", other).status, 200);
}

// Tiles fetched over HTTP, as an independent tlog-tiles client would.
class HttpTileReader final : public integrity::TileReader {
 public:
  explicit HttpTileReader(HttpClient& client) : client_(client) {}
  StatusOr<std::string> ReadTile(const integrity::TileId& tile) override {
    HttpResponse r =
        client_.Send("GET", "/v1/orgs/acme/log/" + integrity::TilePath(tile), kTestAdminKey);
    if (r.status != 200) return NotFound(integrity::TilePath(tile) + ": " + r.body);
    return r.body;
  }

 private:
  HttpClient& client_;
};

TEST_F(IntegrityApiTest, TheTilesOverHttpRebuildTheCheckpointedRoot) {
  Ingest(300);
  HttpResponse key = admin().Send("GET", "/v1/public-key");
  auto verifier = integrity::NoteVerifier::Parse(key.body.substr(0, key.body.find('\n')));
  ASSERT_TRUE(verifier.ok());
  std::vector<integrity::NoteVerifier> known = {*verifier};
  HttpResponse note = CheckpointOfSize("/v1/orgs/acme/log/checkpoint", 300);
  ASSERT_EQ(note.status, 200) << note.body;
  auto cp = integrity::OpenCheckpoint(note.body, known, "actlog/acme");
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();

  HttpTileReader reader(admin());
  auto root = integrity::TreeRootFromTiles(reader, cp->size);
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(*root, cp->root);

  // Entry bundles hold the leaves whose hashes the level-0 tiles hold.
  HttpResponse tile = admin().Send("GET", "/v1/orgs/acme/log/tile/0/001.p/44", kTestAdminKey);
  HttpResponse bundle =
      admin().Send("GET", "/v1/orgs/acme/log/tile/entries/001.p/44", kTestAdminKey);
  ASSERT_EQ(tile.status, 200);
  ASSERT_EQ(bundle.status, 200);
  auto entries = integrity::DecodeEntryBundle(bundle.body);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 44u);
  ASSERT_EQ(tile.body.size(), 44u * 32);
  for (size_t i = 0; i < entries->size(); ++i) {
    Hash leaf = integrity::LeafHash((*entries)[i]);
    EXPECT_EQ(tile.body.compare(i * 32, 32, reinterpret_cast<const char*>(leaf.data()), 32), 0);
  }
  EXPECT_EQ(DecodeEvent(entries->front())->id, "p-256");
  HttpResponse full = admin().Send("GET", "/v1/orgs/acme/log/tile/entries/000", kTestAdminKey);
  ASSERT_EQ(full.status, 200);
  EXPECT_EQ(integrity::DecodeEntryBundle(full.body)->size(), 256u);

  auto status = [this](const std::string& path, const std::string& key) {
    return admin().Send("GET", "/v1/orgs/acme/log/" + path, key).status;
  };
  EXPECT_EQ(status("tile/0/001", kTestAdminKey), 404);  // not full yet
  EXPECT_EQ(status("tile/0/001.p/45", kTestAdminKey), 404);
  EXPECT_EQ(status("tile/entries/002.p/1", kTestAdminKey), 404);
  EXPECT_EQ(status("tile/0/01", kTestAdminKey), 400);
  ASSERT_TRUE(CreateOrg(admin(), "beta"));
  EXPECT_EQ(status("tile/0/000", CreateKey(admin(), "read", "beta")), 403);
}

}  // namespace
}  // namespace actlog::testing

namespace actlog::testing {
namespace {

// Regression: entry bundles hold whole events, so a viewer token limited to one actor
// must not read them (it could otherwise see every actor's events); hash tiles, which
// reveal no content, stay readable, and an unrestricted viewer token reads both.
TEST_F(IntegrityApiTest, ActorLimitedViewerTokensCannotReadEntryBundles) {
  Ingest(3);
  std::string limited = MintViewerToken(admin(), "acme", 600, "u_1");
  std::string whole = MintViewerToken(admin(), "acme", 600);
  ASSERT_FALSE(limited.empty());
  ASSERT_FALSE(whole.empty());
  HttpResponse bundle = admin().Send("GET", "/v1/orgs/acme/log/tile/entries/000.p/3", limited);
  EXPECT_EQ(bundle.status, 403) << bundle.body;
  EXPECT_EQ(bundle.ErrorCode(), "forbidden");
  EXPECT_EQ(admin().Send("GET", "/v1/orgs/acme/log/tile/0/000.p/3", limited).status, 200);
  EXPECT_EQ(admin().Send("GET", "/v1/orgs/acme/log/tile/entries/000.p/3", whole).status, 200);
}

}  // namespace
}  // namespace actlog::testing

namespace actlog::testing {
namespace {

// The kept checkpoints of acme over GET /v1/orgs/acme/checkpoints, page by page.
std::vector<std::pair<uint64_t, std::string>> ListAll(HttpClient& client, int limit) {
  std::vector<std::pair<uint64_t, std::string>> out;
  std::string cursor;
  for (int pages = 0; pages < 100; ++pages) {
    std::string target = "/v1/orgs/acme/checkpoints?limit=" + std::to_string(limit);
    if (!cursor.empty()) target += "&cursor=" + cursor;
    HttpResponse r = client.Send("GET", target, kTestAdminKey);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) break;
    for (const Json& item : r.JsonBody().Find("data")->as_array()) {
      out.emplace_back(static_cast<uint64_t>(item.Find("size")->as_number()),
                       item.Find("note")->as_string());
    }
    const Json* next = r.JsonBody().Find("next_cursor");
    if (next == nullptr || !next->is_string()) break;
    cursor = next->as_string();
  }
  return out;
}

// Waits up to 10 s for the background signer to keep a checkpoint of acme of `size`.
bool WaitForCheckpoint(HttpClient& client, uint64_t size) {
  for (int i = 0; i < 100; ++i) {  // 10 s at most
    auto all = ListAll(client, 200);
    if (!all.empty() && all.back().first == size) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST_F(IntegrityApiTest, TheServerSignsGrowingTreesInTheBackgroundAndKeepsEveryCheckpoint) {
  Ingest(10);
  ASSERT_TRUE(WaitForCheckpoint(admin(), 10));  // nobody asked for it
  Ingest(5, 10);
  ASSERT_TRUE(WaitForCheckpoint(admin(), 15));
  Ingest(5, 15);
  ASSERT_TRUE(WaitForCheckpoint(admin(), 20));
  auto all = ListAll(admin(), 1);  // one per page, through the cursors
  ASSERT_EQ(all.size(), 3u);
  HttpResponse key = admin().Send("GET", "/v1/public-key");
  auto verifier = integrity::NoteVerifier::Parse(key.body.substr(0, key.body.find('\n')));
  ASSERT_TRUE(verifier.ok());
  std::vector<integrity::NoteVerifier> known = {*verifier};
  uint64_t want[] = {10, 15, 20};
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].first, want[i]);
    auto cp = integrity::OpenCheckpoint(all[i].second, known, "actlog/acme");
    ASSERT_TRUE(cp.ok()) << cp.status().ToString();
    EXPECT_EQ(cp->size, want[i]);
  }
  EXPECT_EQ(admin().Send("GET", "/v1/orgs/acme/checkpoints?limit=0", kTestAdminKey).ErrorCode(),
            "invalid_query");
  EXPECT_EQ(admin().Send("GET", "/v1/orgs/acme/checkpoints?cursor=x", kTestAdminKey).ErrorCode(),
            "invalid_query");
  EXPECT_EQ(admin().Send("GET", "/v1/orgs/nope/checkpoints", kTestAdminKey).status, 404);
  ASSERT_TRUE(CreateOrg(admin(), "beta"));
  EXPECT_EQ(
      admin().Send("GET", "/v1/orgs/acme/checkpoints", CreateKey(admin(), "read", "beta")).status,
      403);
}

TEST_F(IntegrityApiTest, TheLogNameAndKeyFileAreConfigurable) {
  TempDir keys;
  std::string key_file = keys.Sub("log.key");
  std::string default_key = admin().Send("GET", "/v1/public-key").body;
  StartWith({"--log-name", "audit.example", "--checkpoint-key", key_file}, "");
  Ingest(3);
  HttpResponse key = admin().Send("GET", "/v1/public-key");
  EXPECT_EQ(key.body.rfind("audit.example+", 0), 0u) << key.body;
  HttpResponse note = CheckpointOfSize("/v1/orgs/acme/checkpoint", 3);
  EXPECT_EQ(note.body.rfind("audit.example/acme\n3\n", 0), 0u) << note.body;
  struct stat st {};
  EXPECT_EQ(::stat(key_file.c_str(), &st), 0);
  EXPECT_NE(key.body, default_key);
  // A key file of another log is refused before the server starts.
  server_->Stop();
  ProcessResult check =
      RunActlog({"serve", "--data", data_.path(), "--checkpoint-key", key_file, "--check-config"});
  EXPECT_EQ(check.exit_code, 2);
  EXPECT_NE(check.err.find("named audit.example"), std::string::npos) << check.err;
}

}  // namespace
}  // namespace actlog::testing
