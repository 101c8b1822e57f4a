// Crash test: `actlog ingest --ack` is killed with SIGKILL at random moments while events
// stream in; after every kill the store, opened in-process, must hold every acknowledged
// event exactly once under the acknowledged seq, and each organisation's seqs must run
// 0..count-1 without a gap (DESIGN §4). Each round re-sends what was not acknowledged
// (as a producer would) plus some acknowledged lines, which must come back as duplicates
// with their original seq.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "actlog/demo.h"
#include "actlog/json.h"
#include "actlog/store.h"
#include "cli_process.h"

namespace actlog {
namespace {

using OrgId = std::pair<std::string, std::string>;  // (org, client id)

struct Line {
  OrgId key;
  std::string text;
};

constexpr int kRounds = 24;
constexpr std::size_t kEventsPerOrg = 24000;
constexpr std::size_t kFreshPerRound = 3000;
const char* const kOrgs[] = {"org_a", "org_b", "org_c"};

// The demo logs of three organisations, interleaved one event at a time.
std::vector<Line> InterleavedDemo() {
  std::vector<std::vector<Line>> per_org;
  for (const char* org : kOrgs) {
    DemoOptions options;
    options.org = org;
    options.events = kEventsPerOrg;
    per_org.emplace_back();
    GenerateDemo(options, [&](const Json& event) {
      per_org.back().push_back({{org, event.Find("id")->as_string()}, CanonicalJson(event)});
      return true;
    });
  }
  std::vector<Line> lines;
  for (std::size_t i = 0; i < kEventsPerOrg; ++i) {
    for (auto& org_lines : per_org) lines.push_back(std::move(org_lines[i]));
  }
  return lines;
}

struct Ack {
  std::size_t line;  // 1-based line of the round's input
  OrgId key;
  uint64_t seq;
};

// One `actlog ingest --ack` child fed `input`, killed when `kill_after_acks` acks were
// read or `kill_after` passed (whichever first), unless neither is set.
struct RoundResult {
  std::vector<Ack> acks;
  bool killed = false;
  int exit_code = -1;
};

RoundResult RunRound(const std::string& data_dir, const std::string& stderr_path, int batch,
                     const std::vector<Line>& input, std::optional<std::size_t> kill_after_acks,
                     std::optional<std::chrono::milliseconds> kill_after) {
  int in_pipe[2], out_pipe[2];
  EXPECT_EQ(::pipe2(in_pipe, O_CLOEXEC), 0);
  EXPECT_EQ(::pipe2(out_pipe, O_CLOEXEC), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  std::vector<std::string> args = {ACTLOG_BINARY,         "ingest", "--ack", "--batch",
                                   std::to_string(batch), "--data", data_dir};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  EXPECT_EQ(posix_spawn(&pid, ACTLOG_BINARY, &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);

  std::thread writer([fd = in_pipe[1], &input] {
    for (const Line& line : input) {
      std::string text = line.text + "\n";
      std::size_t done = 0;
      while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0) {  // the child is gone (EPIPE; SIGPIPE is ignored)
          ::close(fd);
          return;
        }
        done += static_cast<std::size_t>(n);
      }
    }
    ::close(fd);
  });

  RoundResult result;
  auto deadline = std::chrono::steady_clock::now() +
                  kill_after.value_or(std::chrono::milliseconds(3600 * 1000));
  std::string pending;
  char buffer[1 << 14];
  for (;;) {
    bool time_up = kill_after && std::chrono::steady_clock::now() >= deadline;
    bool enough = kill_after_acks && result.acks.size() >= *kill_after_acks;
    if (!result.killed && (time_up || enough)) {
      ::kill(pid, SIGKILL);
      result.killed = true;
    }
    pollfd pfd{out_pipe[0], POLLIN, 0};
    if (::poll(&pfd, 1, 5) == 0) continue;
    ssize_t n = ::read(out_pipe[0], buffer, sizeof(buffer));
    if (n <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(n));
    std::size_t nl;
    while ((nl = pending.find('\n')) != std::string::npos) {
      char org[128], id[256];
      unsigned long long line = 0, seq = 0;
      std::string ack = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      EXPECT_EQ(std::sscanf(ack.c_str(), "%llu %127s %llu %255s", &line, org, &seq, id), 4) << ack;
      result.acks.push_back({static_cast<std::size_t>(line), {org, id}, seq});
    }
  }
  // Killed inside a write, the child may leave a torn last line: not an ack.
  if (!result.killed) EXPECT_TRUE(pending.empty()) << "torn ack: " << pending;
  ::close(out_pipe[0]);
  writer.join();
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

// Opens the store the child left behind and checks it against everything acknowledged.
void VerifyStore(const std::string& data_dir, const std::map<OrgId, uint64_t>& acked,
                 std::size_t round) {
  StoreOptions options;
  options.data_dir = data_dir;
  StatusOr<std::unique_ptr<Store>> store = OpenRocksStore(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::map<OrgId, uint64_t> stored;
  for (const char* org : kOrgs) {
    StatusOr<OrgInfo> info = (*store)->GetOrg(org);
    if (!info.ok()) continue;  // killed before this org's first event
    uint64_t expected_seq = 0;
    Status scan = (*store)->Scan(org, 0, info->event_count, [&](const StoredEvent& event) {
      EXPECT_EQ(event.event.seq, expected_seq) << "round " << round << " org " << org;
      ++expected_seq;
      bool fresh = stored.emplace(OrgId{org, event.event.id}, event.event.seq).second;
      EXPECT_TRUE(fresh) << "stored twice: " << org << " " << event.event.id;
      return true;
    });
    ASSERT_TRUE(scan.ok()) << scan.ToString();
    EXPECT_EQ(expected_seq, info->event_count) << "gap in " << org << " after round " << round;
  }
  for (const auto& [key, seq] : acked) {
    auto it = stored.find(key);
    ASSERT_NE(it, stored.end()) << "acked but lost after round " << round << ": " << key.first
                                << " " << key.second;
    EXPECT_EQ(it->second, seq) << key.second;
  }
}

TEST(CrashTest, KillNineNeverLosesAnAckedEventNorLeavesAGap) {
  ::signal(SIGPIPE, SIG_IGN);
  testing::TempDir dir;
  std::string data_dir = dir.Sub("data");
  std::vector<Line> all = InterleavedDemo();
  std::mt19937_64 rng(20261129);
  std::map<OrgId, uint64_t> acked;
  std::vector<Line> retry;  // sent but not acknowledged: the producer sends them again
  std::size_t next_fresh = 0;
  std::size_t kills = 0, duplicates_seen = 0;
  const int kBatches[] = {1, 3, 16, 100, 500, 1000};

  for (int round = 0; round <= kRounds; ++round) {
    bool last = round == kRounds;
    std::vector<Line> input = std::move(retry);
    retry.clear();
    std::vector<OrgId> acked_keys;
    for (const auto& entry : acked) acked_keys.push_back(entry.first);
    std::set<OrgId> resent;  // acknowledged before: must come back as duplicates
    for (int i = 0; i < 20 && !acked_keys.empty(); ++i) {
      const OrgId& key = acked_keys[rng() % acked_keys.size()];
      if (!resent.insert(key).second) continue;
      auto it = std::find_if(all.begin(), all.end(), [&](const Line& l) { return l.key == key; });
      input.push_back(*it);
    }
    std::size_t fresh = last ? all.size() - next_fresh : kFreshPerRound;
    for (std::size_t i = 0; i < fresh && next_fresh < all.size(); ++i) {
      input.push_back(all[next_fresh++]);
    }
    std::shuffle(input.begin(), input.end(), rng);

    int batch = kBatches[rng() % std::size(kBatches)];
    std::optional<std::size_t> kill_acks;
    std::optional<std::chrono::milliseconds> kill_time;
    if (!last) {
      if (rng() % 2 == 0) {
        kill_acks = rng() % (input.size() / 2);
      } else {
        kill_time = std::chrono::milliseconds(rng() % 300);
      }
    }
    RoundResult result =
        RunRound(data_dir, dir.Sub("stderr"), last ? 1000 : batch, input, kill_acks, kill_time);
    kills += result.killed;
    if (!result.killed) EXPECT_EQ(result.exit_code, 0) << "round " << round;

    std::vector<bool> was_acked(input.size(), false);
    for (const Ack& ack : result.acks) {
      ASSERT_TRUE(ack.line >= 1 && ack.line <= input.size()) << ack.line;
      EXPECT_EQ(ack.key, input[ack.line - 1].key) << "ack names its own line";
      was_acked[ack.line - 1] = true;
      auto [it, inserted] = acked.emplace(ack.key, ack.seq);
      if (!inserted) {
        ++duplicates_seen;
        EXPECT_EQ(it->second, ack.seq) << "a duplicate keeps its seq: " << ack.key.second;
      }
    }
    for (std::size_t i = 0; i < input.size(); ++i) {
      if (!was_acked[i]) retry.push_back(input[i]);
    }
    if (last) {  // not killed: its summary counts the re-sent lines as duplicates
      unsigned long long stored = 0, duplicates = 0, rejected = 0;
      std::string summary = testing::ReadFileText(dir.Sub("stderr"));
      ASSERT_EQ(std::sscanf(summary.c_str(), "stored %llu, duplicates %llu, rejected %llu", &stored,
                            &duplicates, &rejected),
                3)
          << summary;
      EXPECT_EQ(rejected, 0u);
      EXPECT_EQ(stored + duplicates, input.size());
      EXPECT_GE(duplicates, resent.size());
      EXPECT_EQ(result.acks.size(), input.size());
    }
    VerifyStore(data_dir, acked, round);
    if (::testing::Test::HasFatalFailure()) return;
  }
  std::printf("crash test: %d rounds, %zu killed, %zu events acked, %zu duplicate acks\n",
              kRounds + 1, kills, acked.size(), duplicates_seen);
  EXPECT_TRUE(retry.empty()) << "the last round, not killed, acknowledges everything";
  EXPECT_EQ(acked.size(), all.size());
  EXPECT_GE(kills, static_cast<std::size_t>(kRounds) / 2) << "most rounds end in a kill";
  EXPECT_GT(duplicates_seen, 0u);
}

}  // namespace
}  // namespace actlog
