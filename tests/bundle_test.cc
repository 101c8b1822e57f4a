// Black-box: export bundles and kept checkpoints, checked offline. A real server signs
// checkpoints; `actlog export --bundle` writes events, checkpoint and proofs;
// `actlog verify BUNDLE --key VKEY [--pinned CP]` accepts it and names the first event of
// a tampered one; `actlog verify --data` checks every kept checkpoint and names the ones
// whose signature or root was tampered with directly in RocksDB.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "actlog/signed_note.h"
#include "http_fixture.h"
#include "integrity/encoding.h"

namespace actlog::testing {
namespace {

class BundleTest : public HttpServerTest {
 protected:
  void Ingest(int first, int n) {
    for (int done = first; done < first + n;) {
      std::string body = "{\"events\":[";
      for (int i = 0; i < 100 && done < first + n; ++i, ++done) {
        if (i > 0) body += ",";
        body += EventJson("acme", "p-" + std::to_string(done));
      }
      body += "]}";
      ASSERT_EQ(admin().Send("POST", "/v1/events", kTestAdminKey, body).status, 201);
    }
  }
  // The checkpoint of acme's tree of `size` leaves, once the server has signed it.
  std::string Checkpoint(uint64_t size) {
    std::string want = "\n" + std::to_string(size) + "\n";
    for (int i = 0; i < 100; ++i) {  // 10 s at most, for loaded machines
      HttpResponse r = admin().Send("GET", "/v1/orgs/acme/checkpoint", kTestAdminKey);
      if (r.status == 200 && r.body.find(want) != std::string::npos) return r.body;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "no checkpoint of size " << size;
    return "";
  }
  std::string PublicKey() {
    std::string body = admin().Send("GET", "/v1/public-key").body;
    return body.substr(0, body.find('\n'));
  }
  ProcessResult Export(const std::string& bundle, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"export", "--data",   data_.path(), "--org",
                                     "acme",   "--bundle", bundle};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunActlog(args);
  }
  ProcessResult Verify(const std::string& bundle, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"verify", bundle, "--key", vkey_};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunActlog(args);
  }
  // 300 events, a pinned checkpoint of them, 100 more, server stopped.
  void Prepare() {
    Ingest(0, 300);
    vkey_ = PublicKey();
    WriteFileText(pinned_, Checkpoint(300));
    Ingest(300, 100);
    ASSERT_EQ(server_->Stop(), 0);
  }

  TempDir files_;
  std::string pinned_ = files_.Sub("pinned.txt");
  std::string bundle_ = files_.Sub("bundle.jsonl");
  std::string vkey_;
};

// Replaces, in the bundle line of event `seq`, `from` by `to` inside its leaf.
void EditLeaf(const std::string& bundle, uint64_t seq, const std::string& from,
              const std::string& to) {
  std::vector<std::string> lines = SplitLines(ReadFileText(bundle));
  std::string text;
  for (std::string& line : lines) {
    if (line.find("\"seq\":" + std::to_string(seq) + ",") != std::string::npos) {
      size_t at = line.find("\"leaf\":\"") + 8;
      size_t end = line.find('"', at);
      std::string leaf = *integrity::encoding::Base64Decode(line.substr(at, end - at));
      size_t hit = leaf.find(from);
      EXPECT_NE(hit, std::string::npos) << leaf;
      if (hit != std::string::npos) leaf.replace(hit, from.size(), to);
      line.replace(at, end - at, integrity::encoding::Base64Encode(leaf));
    }
    text += line + "\n";
  }
  WriteFileText(bundle, text);
}

TEST_F(BundleTest, AnExportedBundleVerifiesOfflineAgainstThePinnedCheckpoint) {
  Prepare();
  ProcessResult exported = Export(bundle_, {"--pinned", pinned_});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.err.find("actlog verify " + bundle_ + " --key " + vkey_), std::string::npos)
      << exported.err;
  ProcessResult ok = Verify(bundle_, {"--pinned", pinned_});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("ok, org acme, 400 events included in the checkpoint of size 400 "
                        "(actlog/acme), consistent with the pinned checkpoint"),
            std::string::npos)
      << ok.out;

  std::string plain = files_.Sub("plain.jsonl");
  ASSERT_EQ(Export(plain).exit_code, 0);
  EXPECT_EQ(Verify(plain).exit_code, 0);
  ProcessResult unpinned = Verify(plain, {"--pinned", pinned_});
  EXPECT_EQ(unpinned.exit_code, 1);
  EXPECT_NE(unpinned.out.find("FAILED (missing_consistency)"), std::string::npos) << unpinned.out;

  std::string range = files_.Sub("range.jsonl");
  ASSERT_EQ(Export(range, {"--actor", "u_1", "--code", "org:created"}).exit_code, 0);
  EXPECT_EQ(Verify(range).exit_code, 0) << Verify(range).out;
}

TEST_F(BundleTest, ARemoteExportWritesTheSameKindOfBundle) {
  Ingest(0, 300);
  vkey_ = PublicKey();
  WriteFileText(pinned_, Checkpoint(300));
  Ingest(300, 50);
  Checkpoint(350);
  std::string url = "http://127.0.0.1:" + std::to_string(port());
  ProcessResult exported = RunActlog({"--server", url, "--key", kTestAdminKey, "export", "--org",
                                      "acme", "--bundle", bundle_, "--pinned", pinned_});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  ProcessResult ok = Verify(bundle_, {"--pinned", pinned_});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("ok, org acme, 350 events included in the checkpoint of size 350"),
            std::string::npos)
      << ok.out;
}

TEST_F(BundleTest, AnEditedEventInABundleIsNamed) {
  Prepare();
  ASSERT_EQ(Export(bundle_).exit_code, 0);
  EditLeaf(bundle_, 123, "\"u_1\"", "\"u_2\"");
  ProcessResult bad = Verify(bundle_);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("FAILED (not_included) seq 123 id p-123: is not in the checkpointed tree"),
            std::string::npos)
      << bad.out;
  ProcessResult wrong_key = RunActlog({"verify", bundle_, "--key", "nope"});
  EXPECT_EQ(wrong_key.exit_code, 2);
  EXPECT_NE(wrong_key.err.find("malformed_key"), std::string::npos) << wrong_key.err;
}

// Meta CF key of a kept checkpoint (docs/STORAGE.md): "ckpt/" ‖ org ‖ 0x00 ‖ BE64(size).
std::string CheckpointKey(uint64_t size) {
  std::string key = std::string("ckpt/acme") + '\0';
  for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>(size >> shift));
  return key;
}

// Events CF key (docs/STORAGE.md): org ‖ 0x00 ‖ BE64(seq).
std::string EventKey(uint64_t seq) {
  std::string key = std::string("acme") + '\0';
  for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>(seq >> shift));
  return key;
}

// Rewrites the value under `key` in column family `cf` of the data directory `dir`.
void EditRecord(const std::string& dir, const std::string& cf, const std::string& key,
                const std::function<std::string(std::string)>& edit) {
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), dir, families, &handles, &db).ok());
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] != cf) continue;
    std::string value;
    db->Get({}, handles[i], key, &value).ok();  // absent: edit("")
    EXPECT_TRUE(db->Put({}, handles[i], key, edit(value)).ok());
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  delete db;
}

void PutMeta(const std::string& dir, const std::string& key, const std::string& value) {
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), dir, families, &handles, &db).ok());
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "meta") EXPECT_TRUE(db->Put({}, handles[i], key, value).ok());
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  delete db;
}

TEST_F(BundleTest, VerifyDataNamesTamperedCheckpoints) {
  Prepare();
  ProcessResult clean = RunActlog({"verify", "--data", data_.path()});
  EXPECT_EQ(clean.exit_code, 0) << clean.out;
  EXPECT_NE(clean.out.find("acme: checkpoints ok, "), std::string::npos) << clean.out;

  // A kept checkpoint edited in place: its signature no longer verifies.
  std::string edited = ReadFileText(pinned_);
  edited.replace(edited.find("\n300\n"), 5, "\n299\n");
  PutMeta(data_.path(), CheckpointKey(300), edited);
  // A validly signed checkpoint (someone holding the key) that contradicts the events.
  std::string skey = ReadFileText(data_.path() + "/checkpoint.key");
  auto signer = integrity::NoteSigner::Parse(skey.substr(0, skey.find('\n')));
  ASSERT_TRUE(signer.ok());
  auto forged = integrity::SignCheckpoint({"actlog/acme", 200, integrity::Hash{}, {}}, *signer);
  PutMeta(data_.path(), CheckpointKey(200), *forged);

  ProcessResult bad = RunActlog({"verify", "--data", data_.path()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("acme checkpoint 200: its root 0000"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("contradicts the events"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("acme checkpoint 300: does not open"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("acme: checkpoints FAILED (2 problems)"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("acme: ok, "), std::string::npos) << bad.out;  // the events are fine
}

TEST_F(BundleTest, VerifyDataNamesTheCheckpointsAnEditedEventContradicts) {
  Ingest(0, 300);
  Checkpoint(300);
  Ingest(300, 100);
  Checkpoint(400);
  ASSERT_EQ(server_->Stop(), 0);
  EditRecord(data_.path(), "events", EventKey(350), [](std::string record) {
    size_t at = record.find("\"u_1\"");
    EXPECT_NE(at, std::string::npos) << record;
    if (at != std::string::npos) record.replace(at, 5, "\"u_2\"");
    return record;
  });
  ProcessResult bad = RunActlog({"verify", "--data", data_.path()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.out.rfind("acme seq 350 id p-350: the event's content does not match", 0), 0u)
      << bad.out;
  EXPECT_EQ(bad.out.find("acme checkpoint 300:"), std::string::npos) << bad.out;  // before it
  EXPECT_NE(bad.out.find("acme checkpoint 400: its root "), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("contradicts the events"), std::string::npos) << bad.out;
}

}  // namespace
}  // namespace actlog::testing
