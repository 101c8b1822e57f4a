// Black-box tamper evidence: store demo events with the real binary, then edit, delete,
// reorder or truncate the stored records directly in RocksDB (as someone with the data
// directory could), and check that `actlog verify` fails and names the first bad event.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <rocksdb/db.h>

#include "cli_process.h"

namespace actlog::testing {
namespace {

constexpr int kEvents = 600;  // three leaf tiles, the last one partial
constexpr char kOrg[] = "org_demo";

// Events CF key of the documented layout (docs/STORAGE.md): org ‖ 0x00 ‖ BE64(seq).
std::string EventKey(uint64_t seq) {
  std::string key(kOrg);
  key.push_back('\0');
  for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>(seq >> shift));
  return key;
}

// The data directory opened with the plain RocksDB API, every column family as found.
class RawDb {
 public:
  explicit RawDb(const std::string& dir) {
    std::vector<std::string> names;
    ok_ = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok();
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const std::string& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    ok_ = ok_ && rocksdb::DB::Open(rocksdb::DBOptions(), dir, families, &handles_, &db_).ok();
    for (size_t i = 0; ok_ && i < names.size(); ++i) {
      if (names[i] == "events") events_ = handles_[i];
    }
    ok_ = ok_ && events_ != nullptr;
  }
  ~RawDb() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    delete db_;
  }
  bool ok() const { return ok_; }
  std::string Get(uint64_t seq) {
    std::string value;
    EXPECT_TRUE(db_->Get({}, events_, EventKey(seq), &value).ok()) << "seq " << seq;
    return value;
  }
  void Put(uint64_t seq, const std::string& value) {
    ASSERT_TRUE(db_->Put({}, events_, EventKey(seq), value).ok());
  }
  void Delete(uint64_t seq) { ASSERT_TRUE(db_->Delete({}, events_, EventKey(seq)).ok()); }

 private:
  bool ok_ = false;
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* events_ = nullptr;
};

// The "id" of a stored record, read from its JSON text.
std::string IdOf(const std::string& record) {
  size_t at = record.find("\"id\":\"demo-");
  if (at == std::string::npos) return "";
  at += 6;
  return record.substr(at, record.find('"', at) - at);
}

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

class IntegrityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ProcessResult demo = RunActlog({"demo", "--events", std::to_string(kEvents)});
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    ProcessResult ingest = RunActlog({"ingest", "--data", data_}, demo.out);
    ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  }
  ProcessResult Verify() { return RunActlog({"verify", "--data", data_}); }
  // Expects verify to fail and its first finding to name `seq` (and `id` if given).
  void ExpectFirstBad(uint64_t seq, const std::string& id, const std::string& problem) {
    ProcessResult result = Verify();
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    std::string want = std::string(kOrg) + " seq " + std::to_string(seq);
    if (!id.empty()) want += " id " + id;
    want += ": ";
    EXPECT_EQ(FirstLine(result.out).rfind(want, 0), 0u) << result.out.substr(0, 2000);
    EXPECT_NE(FirstLine(result.out).find(problem), std::string::npos) << FirstLine(result.out);
    EXPECT_NE(result.out.find(std::string(kOrg) + ": FAILED"), std::string::npos);
  }

  TempDir dir_;
  std::string data_ = dir_.Sub("data");
};

TEST_F(IntegrityTest, AnUntouchedStoreVerifies) {
  ProcessResult result = Verify();
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find(std::string(kOrg) + ": ok, 600 events, tree size 600, root "),
            std::string::npos)
      << result.out;
}

TEST_F(IntegrityTest, AnEditedEventIsNamed) {
  std::string id;
  {
    RawDb db(data_);
    ASSERT_TRUE(db.ok());
    std::string record = db.Get(300);
    id = IdOf(record);
    ASSERT_FALSE(id.empty()) << record;
    size_t at = record.find("\"outcome\":\"");
    ASSERT_NE(at, std::string::npos) << record;
    at += 11;
    bool success = record.compare(at, 7, "success") == 0;
    record.replace(at, 7, success ? "failure" : "success");
    db.Put(300, record);
  }
  ExpectFirstBad(300, id, "does not match its leaf hash");
}

TEST_F(IntegrityTest, ADeletedEventIsNamed) {
  {
    RawDb db(data_);
    ASSERT_TRUE(db.ok());
    db.Delete(10);
  }
  ExpectFirstBad(10, "", "missing");
}

TEST_F(IntegrityTest, ReorderedEventsAreNamed) {
  std::string id_of_21;
  {
    RawDb db(data_);
    ASSERT_TRUE(db.ok());
    std::string a = db.Get(20), b = db.Get(21);
    id_of_21 = IdOf(b);
    db.Put(20, b);
    db.Put(21, a);
  }
  // Seq 20 now holds event 21's record: named by the id it carries.
  ExpectFirstBad(20, id_of_21, "moved or reordered");
}

TEST_F(IntegrityTest, ATruncatedLogIsNamedFromItsFirstMissingEvent) {
  {
    RawDb db(data_);
    ASSERT_TRUE(db.ok());
    for (uint64_t seq = 590; seq < kEvents; ++seq) db.Delete(seq);
  }
  ProcessResult result = Verify();
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(FirstLine(result.out), std::string(kOrg) + " seq 590: the event record is missing");
  EXPECT_NE(result.out.find(std::string(kOrg) + " seq 599: the event record is missing"),
            std::string::npos);
  EXPECT_NE(result.out.find("FAILED (10 problems), 590 events, tree size 600"),
            std::string::npos)
      << result.out;
}

TEST_F(IntegrityTest, AnEventAddedAfterTheTreeIsNamed) {
  std::string id;
  {
    RawDb db(data_);
    ASSERT_TRUE(db.ok());
    std::string copy = db.Get(5);
    id = IdOf(copy);
    db.Put(kEvents, copy);
  }
  ExpectFirstBad(kEvents, id, "moved or reordered");
  ProcessResult result = Verify();
  EXPECT_NE(result.out.find("seq 600 id " + id + ": the event is not in the tree"),
            std::string::npos)
      << result.out;
}

}  // namespace
}  // namespace actlog::testing
