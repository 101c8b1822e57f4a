// Black-box tests of the PostgreSQL store (DESIGN §8, issue 7): several `actlog serve`
// nodes on one database, and a database outage during ingest.
//
// They need a PostgreSQL 15 server: ACTLOG_TEST_POSTGRES_URL (scripts/test.sh starts
// one). Without it they skip, except in CI (CI set), where they fail. Each test works in
// a database of its own; the outage test runs a cluster of its own
// (scripts/pg-cluster.sh), since it stops it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "actlog/merkle.h"
#include "actlog/store.h"
#include "cli_process.h"
#include "http_harness.h"
#include "store/postgres/pg_conn.h"

namespace actlog::testing {
namespace {

const char* TestServerUrl() {
  const char* url = std::getenv("ACTLOG_TEST_POSTGRES_URL");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

#define REQUIRE_POSTGRES()                                                                \
  do {                                                                                    \
    if (TestServerUrl() == nullptr) {                                                     \
      if (std::getenv("CI") != nullptr) FAIL() << "CI must set ACTLOG_TEST_POSTGRES_URL"; \
      GTEST_SKIP() << "ACTLOG_TEST_POSTGRES_URL is not set";                              \
    }                                                                                     \
  } while (0)

std::string Run(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buf[512];
    while (size_t n = std::fread(buf, 1, sizeof(buf), p)) out.append(buf, n);
    if (::pclose(p) != 0) return "";
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string PgCluster(const std::string& command, const std::string& dir) {
  return Run(std::string(ACTLOG_TESTDATA_DIR) + "/../../scripts/pg-cluster.sh " + command + " " +
             dir + " 2>&1");
}

// A database of its own on `server_url`, dropped at the end.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& server_url) : server_url_(server_url) {
    static std::atomic<int> counter{0};
    name_ = "actlog_bb_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    Status st = Exec("CREATE DATABASE " + name_);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  ~TestDatabase() { Exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)"); }
  std::string url() const { return store::pg::UrlWithDatabase(server_url_, name_); }

 private:
  Status Exec(const std::string& sql) {
    auto conn = store::pg::PgConn::Connect(server_url_);
    if (!conn.ok()) return conn.status();
    return (*conn)->Exec(sql).status();
  }
  std::string server_url_;
  std::string name_;
};

struct Ack {
  std::string org, id;
  uint64_t seq;
};

// A batch of `n` events with client ids, alternating between the orgs.
std::string Batch(const std::string& prefix, int n, const std::vector<std::string>& orgs,
                  std::vector<std::pair<std::string, std::string>>* sent) {
  std::string body = "{\"events\":[";
  for (int i = 0; i < n; ++i) {
    const std::string& org = orgs[static_cast<size_t>(i) % orgs.size()];
    std::string id = prefix + "_" + std::to_string(i);
    sent->emplace_back(org, id);
    body += (i ? "," : "") + EventJson(org, id, "u_" + std::to_string(i % 3));
  }
  return body + "]}";
}

// Reads the acks of a 2xx ingest answer; false if the answer does not have one per event.
bool ReadAcks(const HttpResponse& r, const std::vector<std::pair<std::string, std::string>>& sent,
              std::vector<Ack>* acks) {
  const Json* data = r.JsonBody().is_object() ? r.JsonBody().Find("data") : nullptr;
  if (data == nullptr || !data->is_array() || data->as_array().size() != sent.size()) return false;
  for (size_t i = 0; i < sent.size(); ++i) {
    const Json* id = data->as_array()[i].Find("id");
    const Json* seq = data->as_array()[i].Find("seq");
    if (id == nullptr || seq == nullptr || id->as_string() != sent[i].second) return false;
    acks->push_back({sent[i].first, sent[i].second, static_cast<uint64_t>(seq->as_number())});
  }
  return true;
}

// Every acknowledged event is stored exactly once at its acknowledged seq; each org's seqs
// are 0..n-1 without a gap; each org's tree is the tree of its events (root recomputed
// from the stored canonical bytes equals the stored tree head) and inclusion proofs from
// the store verify.
void ExpectLogsIntact(const std::string& url, const std::vector<Ack>& acks,
                      const std::vector<std::string>& orgs) {
  StoreOptions options;
  options.url = url;
  auto store = OpenStore(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  for (const std::string& org : orgs) {
    std::map<std::string, uint64_t> seq_of_id;
    integrity::IncrementalTree tree;
    uint64_t next = 0;
    std::vector<integrity::Hash> leaves;
    Status scanned = (*store)->Scan(org, 0, UINT64_MAX, [&](const StoredEvent& e) {
      EXPECT_EQ(e.event.seq, next) << org << ": seqs must be gapless";
      ++next;
      EXPECT_TRUE(seq_of_id.emplace(e.event.id, e.event.seq).second) << "id stored twice";
      leaves.push_back(integrity::LeafHash(e.canonical));
      EXPECT_TRUE(tree.Append(e.canonical).ok());
      return true;
    });
    ASSERT_TRUE(scanned.ok()) << scanned.ToString();
    auto info = (*store)->GetOrg(org);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    EXPECT_EQ(info->event_count, next) << org << ": the head agrees with the events";
    auto head = (*store)->GetTreeHead(org);
    ASSERT_TRUE(head.ok()) << head.status().ToString();
    EXPECT_EQ(head->size, next);
    integrity::Hash root = tree.Root();
    EXPECT_EQ(head->root, std::string(root.begin(), root.end())) << org << ": tree root";
    for (uint64_t i = 0; i < next; i += std::max<uint64_t>(1, next / 17)) {
      auto proof = (*store)->InclusionProof(org, i, next);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      std::vector<integrity::Hash> hashes;
      for (const std::string& h : *proof) {
        integrity::Hash x;
        std::copy(h.begin(), h.end(), x.begin());
        hashes.push_back(x);
      }
      EXPECT_TRUE(integrity::VerifyInclusion(leaves[i], i, next, hashes, root).ok())
          << org << " leaf " << i;
    }
    for (const Ack& a : acks) {
      if (a.org != org) continue;
      auto it = seq_of_id.find(a.id);
      ASSERT_NE(it, seq_of_id.end()) << "acknowledged event " << a.id << " is missing";
      EXPECT_EQ(it->second, a.seq) << a.id;
    }
  }
}

TEST(PostgresStore, TwoServersIngestIntoTheSameOrgsWithoutGapsOrDuplicates) {
  REQUIRE_POSTGRES();
  TestDatabase db(TestServerUrl());
  TempDir data_a, data_b;
  ServerProcess a, b;
  ASSERT_TRUE(a.Start(data_a.path(), {"--store", db.url()})) << a.error() << a.Stderr();
  ASSERT_TRUE(b.Start(data_b.path(), {"--store", db.url()})) << b.error() << b.Stderr();

  const std::vector<std::string> orgs = {"org_shared_a", "org_shared_b", "org_shared_c"};
  constexpr int kThreadsPerServer = 3;
  constexpr int kBatches = 25;
  std::mutex mu;
  std::vector<Ack> acks;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2 * kThreadsPerServer; ++t) {
    int port = t % 2 == 0 ? a.port() : b.port();
    threads.emplace_back([&, t, port] {
      HttpClient client(port);
      for (int i = 0; i < kBatches; ++i) {
        std::vector<std::pair<std::string, std::string>> sent;
        std::string body = Batch("t" + std::to_string(t) + "_" + std::to_string(i),
                                 1 + (i * 7 + t) % 20, orgs, &sent);
        HttpResponse r = client.Send("POST", "/v1/events", kTestAdminKey, body);
        std::vector<Ack> got;
        if (r.status / 100 != 2 || !ReadAcks(r, sent, &got)) {
          ++failures;
          ADD_FAILURE() << "ingest answered " << r.status << ": " << r.body;
          continue;
        }
        std::lock_guard<std::mutex> lock(mu);
        acks.insert(acks.end(), got.begin(), got.end());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);

  std::map<std::string, std::set<uint64_t>> seqs;
  for (const Ack& ack : acks) {
    EXPECT_TRUE(seqs[ack.org].insert(ack.seq).second) << "seq handed out twice: " << ack.seq;
  }
  ExpectLogsIntact(db.url(), acks, orgs);

  // Either node serves what the other stored, proofs included.
  HttpClient reader(b.port());
  HttpResponse proof = reader.Send(
      "GET", "/v1/events/" + acks.front().id + "/proof?org=" + acks.front().org, kTestAdminKey);
  EXPECT_EQ(proof.status, 200) << proof.body;
  EXPECT_EQ(a.Stop(), 0) << a.Stderr();
  EXPECT_EQ(b.Stop(), 0) << b.Stderr();
}

TEST(PostgresStore, ALiveTailOnOneNodeSeesAppendsThroughAnotherAtOnce) {
  REQUIRE_POSTGRES();
  TestDatabase db(TestServerUrl());
  TempDir data_a, data_b;
  ServerProcess a, b;
  ASSERT_TRUE(a.Start(data_a.path(), {"--store", db.url()})) << a.error() << a.Stderr();
  ASSERT_TRUE(b.Start(data_b.path(), {"--store", db.url()})) << b.error() << b.Stderr();
  HttpClient writer(a.port());
  ASSERT_EQ(
      writer.Send("POST", "/v1/events", kTestAdminKey, EventJson("org_live", "first")).status / 100,
      2);
  HttpClient tail(b.port());
  HttpResponse opened =
      tail.OpenStream("/v1/events/stream?org=org_live", kTestAdminKey, {{"Last-Event-ID", "0"}});
  ASSERT_EQ(opened.status, 200) << opened.body;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the tail is waiting
  auto sent = std::chrono::steady_clock::now();
  ASSERT_EQ(
      writer.Send("POST", "/v1/events", kTestAdminKey, EventJson("org_live", "second")).status /
          100,
      2);
  std::optional<HttpClient::SseFrame> frame;
  do {
    frame = tail.NextSseFrame(std::chrono::seconds(10));
  } while (frame && frame->data.find("\"second\"") == std::string::npos);
  ASSERT_TRUE(frame.has_value()) << "node B's tail never saw node A's append";
  auto waited = std::chrono::steady_clock::now() - sent;
  EXPECT_LT(waited, std::chrono::seconds(5))
      << "woken by LISTEN/NOTIFY, not by the 15 s heartbeat poll";
  tail.Close();
  EXPECT_EQ(a.Stop(), 0) << a.Stderr();
  EXPECT_EQ(b.Stop(), 0) << b.Stderr();
}

// Keys live in the shared database: a key created on node A works on node B, and a key
// revoked on A stops working on B, within the nodes' key reload interval (2 s).
TEST(PostgresStore, AKeyCreatedOrRevokedOnOneNodeTakesEffectOnTheOther) {
  REQUIRE_POSTGRES();
  TestDatabase db(TestServerUrl());
  TempDir data_a, data_b;
  ServerProcess a, b;
  ASSERT_TRUE(a.Start(data_a.path(), {"--store", db.url()})) << a.error() << a.Stderr();
  ASSERT_TRUE(b.Start(data_b.path(), {"--store", db.url()})) << b.error() << b.Stderr();
  HttpClient node_a(a.port()), node_b(b.port());
  HttpResponse created = node_a.Send("POST", "/v1/keys", kTestAdminKey,
                                     R"({"kind":"read","org":"org_keys"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const Json& body = created.JsonBody();
  ASSERT_TRUE(body.is_object()) << created.body;
  const Json* key = body.Find("key");
  const Json* id = body.Find("id");
  ASSERT_TRUE(key != nullptr && id != nullptr) << created.body;

  auto status_on_b = [&] {
    return node_b.Send("GET", "/v1/events?org=org_keys", key->as_string(), "").status;
  };
  auto wait_for = [&](int want) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    int got = status_on_b();
    while (got != want && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      got = status_on_b();
    }
    return got;
  };
  EXPECT_EQ(wait_for(200), 200) << "node B never accepted the key made on node A";
  HttpResponse revoked =
      node_a.Send("DELETE", "/v1/keys/" + id->as_string(), kTestAdminKey, "");
  ASSERT_EQ(revoked.status / 100, 2) << revoked.body;
  EXPECT_EQ(wait_for(401), 401) << "node B still accepts the key revoked on node A";
  EXPECT_EQ(a.Stop(), 0) << a.Stderr();
  EXPECT_EQ(b.Stop(), 0) << b.Stderr();
}

TEST(PostgresStore, DatabaseOutageIsAnswered503AndTheServerRecoversByItself) {
  REQUIRE_POSTGRES();
  TempDir cluster, data;
  std::string url = PgCluster("start", cluster.path());
  ASSERT_EQ(url.rfind("postgresql://", 0), 0u) << "pg-cluster.sh start failed: " << url;
  struct StopCluster {
    std::string dir;
    ~StopCluster() { PgCluster("stop", dir); }
  } stop_cluster{cluster.path()};

  ServerProcess server;
  ASSERT_TRUE(server.Start(data.path(), {"--store", url})) << server.error() << server.Stderr();
  const std::vector<std::string> orgs = {"org_outage_a", "org_outage_b"};
  std::mutex mu;
  std::vector<Ack> acks;
  std::atomic<int> unavailable{0}, other{0}, acked_after_restart{0};
  std::atomic<bool> restarted{false}, stop{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&, t] {
      HttpClient client(server.port());
      for (int i = 0; !stop.load(); ++i) {
        std::vector<std::pair<std::string, std::string>> sent;
        std::string body = Batch("w" + std::to_string(t) + "_" + std::to_string(i), 5, orgs, &sent);
        // Retry the same batch (same client ids) until it is acknowledged.
        for (int attempt = 0; attempt < 400; ++attempt) {
          HttpResponse r = client.Send("POST", "/v1/events", kTestAdminKey, body);
          std::vector<Ack> got;
          if (r.status / 100 == 2 && ReadAcks(r, sent, &got)) {
            std::lock_guard<std::mutex> lock(mu);
            acks.insert(acks.end(), got.begin(), got.end());
            if (restarted.load()) ++acked_after_restart;
            break;
          }
          if (r.status == 503) {
            ++unavailable;
            EXPECT_FALSE(r.Header("retry-after").empty());
            EXPECT_EQ(r.ErrorCode(), "unavailable") << r.body;
          } else {
            ++other;
            ADD_FAILURE() << "during the outage: " << r.status << " " << r.body;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  PgCluster("stop", cluster.path());
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  HttpClient probe(server.port());
  EXPECT_EQ(probe.Send("GET", "/readyz").status, 503) << "not ready while the database is down";
  ASSERT_EQ(PgCluster("start", cluster.path()), url) << "the cluster restarts on its port";
  restarted.store(true);
  for (int i = 0; i < 200 && acked_after_restart.load() < 30; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop.store(true);
  for (std::thread& t : writers) t.join();

  EXPECT_GT(unavailable.load(), 0) << "clients saw 503 while the database was down";
  EXPECT_EQ(other.load(), 0);
  EXPECT_GE(acked_after_restart.load(), 30) << "the server recovered without a restart";
  EXPECT_EQ(probe.Send("GET", "/readyz").status, 200);
  ExpectLogsIntact(url, acks, orgs);
  EXPECT_EQ(server.Stop(), 0) << server.Stderr();
}

}  // namespace
}  // namespace actlog::testing
