// Sealing, erasure and retention in the embedded store: what is at rest, what reads
// back, what erasure removes, and that proofs of the org keep verifying.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <set>

#include <rocksdb/db.h>

#include "actlog/clock.h"
#include "actlog/merkle.h"
#include "actlog/query.h"
#include "privacy/retention.h"
#include "store/rocksdb/file_scan.h"
#include "store/rocksdb/rocks_options.h"
#include "store/rocksdb/rocks_sealed.h"
#include "store/rocksdb/rocks_store.h"
#include "testing/temp_dir.h"

namespace actlog::store {
namespace {

constexpr int64_t kDay = int64_t{86'400} * 1'000'000;
constexpr int64_t kStart = 1'795'947'303'120'000;  // 2026-11-29T10:15:03.120Z

Event Person(std::string actor, std::string name, std::string email, std::string ip) {
  Event e;
  e.org = "org_1";
  e.code = "org.member:updated";
  e.actor.id = std::move(actor);
  e.actor.name = std::move(name);
  e.actor.email = std::move(email);
  e.context.ip = std::move(ip);
  e.context.request_id = "req_plain";
  e.target = Target{"org.member", "m_12", "Bob Roe"};
  e.content_digest = std::string(32, 'd');
  return e;
}

class RocksPrivacyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Open();
  }
  void TearDown() override {
    store_.reset();
  }
  void Open() {
    store_.reset();
    StoreOptions options;
    options.data_dir = dir_;
    options.clock = &clock_;
    options.sync = false;
    auto store = RocksStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  void Add(Event e) {
    std::vector<Event> batch;
    batch.push_back(std::move(e));
    auto r = store_->Append(std::move(batch));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  void AddPeople() {
    Add(Person("u_7", "Alice Doe", "alice@example.com", "203.0.113.9"));
    Add(Person("u_8", "Carol Poe", "carol@example.net", "198.51.100.4"));
    Add(Person("u_7", "Alice Doe", "Alice@Example.com", "203.0.113.10"));
  }
  std::vector<StoredEvent> ByEmail(const std::string& email) {
    EventQuery q;
    q.org = "org_1";
    q.include.push_back({QueryField::kActorEmail, email});
    auto page = store_->Query(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? page->events : std::vector<StoredEvent>();
  }
  std::vector<StoredEvent> ByText(const std::string& text) {
    EventQuery q;
    q.org = "org_1";
    q.text = text;
    auto page = store_->Query(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? page->events : std::vector<StoredEvent>();
  }
  // Every inclusion proof of the org's current tree verifies for the stored bytes.
  void ExpectProofsVerify() {
    auto head = store_->GetTreeHead("org_1");
    ASSERT_TRUE(head.ok());
    integrity::Hash root;
    std::memcpy(root.data(), head->root.data(), root.size());
    uint64_t first = *store_->PrunedBelow("org_1");
    uint64_t seen = 0;
    ASSERT_TRUE(store_->Scan("org_1", 0, head->size, [&](const StoredEvent& s) {
      ++seen;
      auto proof = store_->InclusionProof("org_1", s.event.seq, head->size);
      EXPECT_TRUE(proof.ok());
      std::vector<integrity::Hash> hashes;
      for (const std::string& h : *proof) {
        integrity::Hash x;
        std::memcpy(x.data(), h.data(), x.size());
        hashes.push_back(x);
      }
      EXPECT_TRUE(integrity::VerifyInclusion(integrity::LeafHash(s.canonical), s.event.seq,
                                             head->size, hashes, root)
                      .ok())
          << s.event.seq;
      return true;
    }).ok());
    EXPECT_EQ(seen, head->size - first);
    auto verified = store_->tree()->Verify("org_1", [](const TreeFinding& f) {
      ADD_FAILURE() << f.seq << ": " << f.problem;
    });
    ASSERT_TRUE(verified.ok());
    EXPECT_TRUE(verified->ok);
    EXPECT_EQ(verified->pruned_below, first);
  }

  // The subject's key and sealed values as stored (read with the store closed).
  std::vector<std::string> StoredSecretsOf(const std::string& subject) {
    store_.reset();
    std::vector<std::string> secrets;
    RocksLayout layout = MakeRocksLayout();
    rocksdb::DB* db = nullptr;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::Status s =
        rocksdb::DB::OpenForReadOnly(layout.db, dir_, layout.families, &handles, &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (s.ok()) {
      rocksdb::ColumnFamilyHandle* sealed = handles[5];
      std::string key;
      EXPECT_TRUE(db->Get({}, sealed, SubjectKeyKey("org_1", subject), &key).ok());
      secrets.push_back(key);
      std::string prefix = SubjectValuesPrefix("org_1", subject);
      std::unique_ptr<rocksdb::Iterator> it(db->NewIterator({}, sealed));
      for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
        std::string rest = it->key().ToString().substr(prefix.size());
        int64_t window = 0;
        std::string hash, value;
        EXPECT_TRUE(ParseWindowHash(rest, &window, &hash));
        EXPECT_TRUE(db->Get({}, sealed, SealedBlobKey("org_1", window, hash), &value).ok());
        SealedRecord record;
        EXPECT_TRUE(ParseSealedRecord(value, &record));
        secrets.push_back(record.blob);
      }
      it.reset();
      for (rocksdb::ColumnFamilyHandle* h : handles) db->DestroyColumnFamilyHandle(h);
      delete db;
    }
    Open();
    return secrets;
  }
  // How many of `secrets` appear anywhere under the data directory.
  size_t Traces(const std::vector<std::string>& secrets) {
    std::set<std::string> found;
    auto files = ScanDataDir(dir_, [&](const std::string&, std::string_view bytes) {
      for (const std::string& secret : secrets) {
        if (bytes.find(secret) != std::string_view::npos) found.insert(secret);
      }
    });
    EXPECT_TRUE(files.ok());
    return found.size();
  }

  FakeClock clock_{kStart};
  testing::TempDir tmp_{"actlog-priv"};  // removed after TearDown closed the store
  const std::string& dir_ = tmp_.path();
  std::unique_ptr<RocksStore> store_;
};

TEST_F(RocksPrivacyTest, LeavesTilesAndProofsHoldNoPlainPersonalValue) {
  AddPeople();
  const char* const plain[] = {"Alice", "alice@", "Carol", "carol@", "203.0.113", "198.51",
                               "Bob Roe"};
  auto head = store_->GetTreeHead("org_1");
  ASSERT_TRUE(head.ok());
  std::string everything;
  ASSERT_TRUE(store_->Scan("org_1", 0, 3, [&](const StoredEvent& s) {
    everything += s.canonical;
    return true;
  }).ok());
  for (uint64_t i = 0; i < 3; ++i) {
    auto proof = store_->InclusionProof("org_1", i, 3);
    ASSERT_TRUE(proof.ok());
    for (const std::string& h : *proof) everything += h;
  }
  everything += *store_->ReadTile("org_1", 0, 0, 3);
  EXPECT_NE(everything.find("req_plain"), std::string::npos);  // not personal: stays
  EXPECT_NE(everything.find("sealed:v1:"), std::string::npos);
  for (const char* p : plain) EXPECT_EQ(everything.find(p), std::string::npos) << p;
}

TEST_F(RocksPrivacyTest, ReadersSeeThePlainValues) {
  AddPeople();
  auto e = store_->GetBySeq("org_1", 0);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->event.actor.name, "Alice Doe");
  EXPECT_EQ(e->event.actor.email, "alice@example.com");
  EXPECT_EQ(e->event.context.ip, "203.0.113.9");
  EXPECT_EQ(e->event.target->name, "Bob Roe");
  EXPECT_TRUE(e->event.erased.empty());
  EXPECT_EQ(e->canonical.find("Alice"), std::string::npos);
  auto by_id = store_->Get("org_1", e->event.id);
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->event.actor.email, "alice@example.com");
  // The blind index finds both of Alice's events, case-insensitively, and not Carol's.
  EXPECT_EQ(ByEmail("ALICE@example.com").size(), 2u);
  EventQuery not_alice;
  not_alice.org = "org_1";
  not_alice.exclude.push_back({QueryField::kActorEmail, "alice@example.com"});
  auto page = store_->Query(not_alice);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].event.actor.name, "Carol Poe");
  // Free text matches the values readers see, though the stored bytes hold references.
  EXPECT_EQ(ByText("carol POE").size(), 1u);
  EXPECT_EQ(ByText("req_plain").size(), 3u);
}

TEST_F(RocksPrivacyTest, ErasureLeavesProofsValidAndOtherSubjectsReadable) {
  AddPeople();
  auto receipt = store_->EraseSubject("org_1", "u_7");
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_EQ(receipt->keys_destroyed, 1u);
  EXPECT_EQ(receipt->values_destroyed, 2u);  // one blob (name, email, ip) per event
  EXPECT_EQ(receipt->index_entries_removed, 2u);
  EXPECT_EQ(receipt->events_affected, 2u);

  auto alice = store_->GetBySeq("org_1", 0);
  ASSERT_TRUE(alice.ok()) << alice.status().ToString();
  EXPECT_EQ(alice->event.erased,
            (std::vector<std::string>{"actor.email", "actor.name", "context.ip"}));
  EXPECT_FALSE(alice->event.actor.email.has_value());
  EXPECT_EQ(alice->event.target->name, "Bob Roe");  // the target is another subject
  auto carol = store_->GetBySeq("org_1", 1);
  EXPECT_EQ(carol->event.actor.email, "carol@example.net");
  EXPECT_TRUE(ByEmail("alice@example.com").empty());
  EXPECT_EQ(ByEmail("carol@example.net").size(), 1u);
  EXPECT_TRUE(ByText("Alice").empty());
  ExpectProofsVerify();

  auto again = store_->EraseSubject("org_1", "u_7");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->keys_destroyed + again->values_destroyed + again->index_entries_removed +
                again->events_affected,
            0u);
  EXPECT_EQ(store_->EraseSubject("org_nope", "u_7").status().code(), StatusCode::kNotFound);
}

TEST_F(RocksPrivacyTest, ErasureForcesKeyAndSealedValuesOutOfEveryFile) {
  AddPeople();
  ASSERT_TRUE(store_->Compact().ok());  // some in SST files, the rest in the WAL
  Add(Person("u_7", "Alice Doe", "alice@example.com", "203.0.113.11"));
  std::vector<std::string> alice = StoredSecretsOf("u_7");
  std::vector<std::string> carol = StoredSecretsOf("u_8");
  ASSERT_EQ(alice.size(), 1u + 3u);  // the key, the blobs of three events
  ASSERT_EQ(carol.size(), 1u + 1u);
  EXPECT_EQ(Traces(alice), alice.size());  // the scan sees them before
  ASSERT_TRUE(store_->EraseSubject("org_1", "u_7").ok());
  EXPECT_EQ(Traces(alice), 0u);  // gone when EraseSubject returns, with the store open
  store_.reset();
  EXPECT_EQ(Traces(alice), 0u);
  EXPECT_EQ(Traces(carol), carol.size());  // and still sees what stays
  Open();
  EXPECT_EQ(store_->GetBySeq("org_1", 3)->event.erased.size(), 3u);
}

TEST_F(RocksPrivacyTest, ARetryOfAnErasedEventsClientIdConflicts) {
  Event e = Person("u_7", "Alice Doe", "alice@example.com", "203.0.113.9");
  e.id = "client-1";
  Add(e);
  std::vector<Event> retry{e};
  auto dup = store_->Append(retry);
  ASSERT_TRUE(dup.ok());
  EXPECT_TRUE((*dup)[0].duplicate);
  ASSERT_TRUE(store_->EraseSubject("org_1", "u_7").ok());
  EXPECT_EQ(store_->Append(retry).status().error_code(), "id_conflict");
}

TEST_F(RocksPrivacyTest, RetentionRemovesOldEventsAndTheRestStillVerify) {
  AddPeople();                // seqs 0..2 at kStart
  clock_.Advance(40 * kDay);  // 40 days later
  Add(Person("u_9", "Dan Low", "dan@example.org", "192.0.2.1"));  // seq 3
  ASSERT_TRUE(store_->UpdateOrgSettings("org_1", [](OrgSettings* s) {
    s->retention_days = 30;
    return Status::Ok();
  }).ok());
  auto runs = privacy::RunRetention(*store_, clock_, Catalog::BuiltIn());
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].result.events_removed, 3u);
  EXPECT_EQ((*runs)[0].result.first_kept_seq, 3u);
  EXPECT_EQ((*runs)[0].cutoff_us, kStart + 10 * kDay);

  for (uint64_t seq : {0u, 1u, 2u}) {
    EXPECT_EQ(store_->GetBySeq("org_1", seq).status().code(), StatusCode::kNotFound);
  }
  EXPECT_TRUE(ByEmail("alice@example.com").empty());
  // The run is logged in the org: actlog.retention:pruned, seq 4.
  auto logged = store_->Get("org_1", (*runs)[0].logged_id);
  ASSERT_TRUE(logged.ok());
  EXPECT_EQ(logged->event.code, "actlog.retention:pruned");
  EXPECT_EQ(logged->event.seq, 4u);
  ExpectProofsVerify();

  // The mark and the head survive reopening, even with every event pruned.
  clock_.Advance(40 * kDay);
  ASSERT_TRUE(privacy::RunRetention(*store_, clock_, Catalog::BuiltIn()).ok());
  Open();
  EXPECT_EQ(*store_->PrunedBelow("org_1"), 5u);  // also Dan's event and the first log event
  Add(Person("u_9", "Dan Low", "dan@example.org", "192.0.2.1"));
  auto info = store_->GetOrg("org_1");
  EXPECT_EQ(info->event_count, 7u);  // 5 pruned, the second run's log event, this one
  ExpectProofsVerify();
}

TEST_F(RocksPrivacyTest, RetentionPrunesLongRunsInChunks) {
  for (int batch = 0; batch < 5; ++batch) {
    std::vector<Event> events;
    for (int i = 0; i < 500; ++i) {
      events.push_back(Person("u_" + std::to_string(i % 7), "Some One", "one@example.com",
                              "192.0.2.7"));
    }
    ASSERT_TRUE(store_->Append(std::move(events)).ok());
  }
  clock_.Advance(2 * kDay);
  Add(Person("u_9", "Dan Low", "dan@example.org", "192.0.2.1"));  // seq 2500
  auto pruned = store_->PruneBefore("org_1", kStart + kDay);
  ASSERT_TRUE(pruned.ok()) << pruned.status().ToString();
  EXPECT_EQ(pruned->events_removed, 2500u);  // three chunks
  EXPECT_EQ(pruned->first_kept_seq, 2500u);
  EXPECT_TRUE(ByEmail("one@example.com").empty());
  EXPECT_EQ(ByEmail("dan@example.org").size(), 1u);
  ExpectProofsVerify();
}

TEST_F(RocksPrivacyTest, NothingOldEnoughPrunesNothingAndLogsNothing) {
  AddPeople();
  ASSERT_TRUE(store_->UpdateOrgSettings("org_1", [](OrgSettings* s) {
    s->retention_days = 30;
    return Status::Ok();
  }).ok());
  auto runs = privacy::RunRetention(*store_, clock_, Catalog::BuiltIn());
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ((*runs)[0].result.events_removed, 0u);
  EXPECT_TRUE((*runs)[0].logged_id.empty());
  EXPECT_EQ(store_->GetOrg("org_1")->event_count, 3u);
}

}  // namespace
}  // namespace actlog::store
