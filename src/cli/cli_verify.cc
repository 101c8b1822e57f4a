// actlog verify: tamper evidence, two ways.
//
//   actlog verify --data DIR [--org ORG] [--key VKEY | --checkpoint-key FILE]
// recomputes each org's Merkle tree from its stored events and compares it with the
// stored tree tiles, naming every event that no longer matches; then checks every kept
// checkpoint: its signature (the server's key: --key, else the verifier of the signer key
// file, default DIR/checkpoint.key), its root against the tree at its size, and its
// consistency with the checkpoint before it, naming each one that fails.
//
//   actlog verify BUNDLE --key VKEY [--pinned CHECKPOINT]
// checks an export bundle offline (cli_verify_bundle.cc).
//
// Exit 0 if everything matches, 1 if anything does not, 2 if it could not check.
// Output (stdout) of --data, per problem in order, then summary lines per org:
//   <org> seq <seq> [id <id>]: <problem>
//   <org> checkpoint <size>: <problem>
//   <org>: ok|FAILED (<n> problems), <events> events, tree size <size>, root <hex>
//   <org>: checkpoints ok|FAILED (<n> problems)|not checked (<why>), <k> kept[, newest size <s>]
#include "cli/cli_verify.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actlog/tiles.h"
#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "cli/cli_integrity.h"
#include "store/rocksdb/rocks_store.h"

namespace actlog::cli {

namespace {

using integrity::Hash;

// Prints one org's findings as they are found and counts them.
class Findings {
 public:
  explicit Findings(std::string org) : org_(std::move(org)) {}
  void Add(const std::string& where, const std::string& problem) {
    ++count_;
    std::printf("%s %s: %s\n", org_.c_str(), where.c_str(), problem.c_str());
  }
  uint64_t count() const { return count_; }

 private:
  std::string org_;
  uint64_t count_ = 0;
};

std::string Verdict(uint64_t problems) {
  return problems == 0 ? "ok" : "FAILED (" + std::to_string(problems) + " problems)";
}

// The tree against the events. Returns whether it matched.
StatusOr<bool> CheckTree(store::RocksStore& db, const std::string& org) {
  Findings findings(org);
  auto report = [&](const store::TreeFinding& f) {
    std::string where = "seq " + std::to_string(f.seq);
    if (!f.id.empty()) where += " id " + f.id;
    findings.Add(where, f.problem);
  };
  StatusOr<store::TreeVerifyResult> result = db.tree()->Verify(org, report);
  if (!result.ok()) return result.status();
  std::string pruned;
  if (result->pruned_below > 0) {
    pruned = ", events below seq " + std::to_string(result->pruned_below) + " pruned by retention";
  }
  std::printf("%s: %s, %llu events, tree size %llu, root %s%s\n", org.c_str(),
              Verdict(findings.count()).c_str(), static_cast<unsigned long long>(result->events),
              static_cast<unsigned long long>(result->tree_size),
              integrity::HashToHex(result->root).c_str(), pruned.c_str());
  return result->ok;
}

Hash AsHash(const std::string& bytes) {
  Hash h{};
  std::copy_n(bytes.begin(), std::min(bytes.size(), h.size()), h.begin());
  return h;
}

// Roots of the tree recomputed from the stored events, at increasing sizes: for
// comparing checkpoints with the events when the stored tiles cannot be trusted (the
// events do not match them). Gives up (nullopt from then on) at the first missing,
// moved or unreadable event, where the tree cannot be recomputed.
class EventRoots {
 public:
  EventRoots(Store& db, std::string org) : db_(db), org_(std::move(org)) {}
  std::optional<Hash> At(uint64_t size) {
    if (broken_ || size < tree_.size()) return std::nullopt;
    Status scanned = db_.Scan(org_, tree_.size(), size, [this](const StoredEvent& e) {
      broken_ = e.event.seq != tree_.size() || !tree_.Append(e.canonical).ok();
      return !broken_;
    });
    broken_ = broken_ || !scanned.ok() || tree_.size() != size;
    if (broken_) return std::nullopt;
    return tree_.Root();
  }

 private:
  Store& db_;
  std::string org_;
  integrity::IncrementalTree tree_;
  bool broken_ = false;
};

// Checks one kept checkpoint after the ones before it; `prev` is the last that opened.
// The tree's root at its size comes from the stored tiles when they match the events
// (tree_ok), else from `events`.
void CheckOneCheckpoint(store::RocksStore& db, const std::string& org, const StoredCheckpoint& kept,
                        const integrity::NoteVerifier& key, bool tree_ok, uint64_t tree_size,
                        EventRoots* events, std::optional<integrity::Checkpoint>* prev,
                        Findings* findings) {
  std::string where = "checkpoint " + std::to_string(kept.size);
  std::vector<integrity::NoteVerifier> known = {key};
  StatusOr<integrity::Checkpoint> cp =
      integrity::OpenCheckpoint(kept.note, known, OriginOf(key, org));
  if (!cp.ok()) return findings->Add(where, "does not open: " + cp.status().ToString());
  if (cp->size != kept.size) {
    return findings->Add(where, "is stored as size " + std::to_string(kept.size) +
                                    " but signs tree size " + std::to_string(cp->size));
  }
  if (cp->size > tree_size) {
    return findings->Add(where, "signs " + std::to_string(cp->size) + " events, the tree holds " +
                                    std::to_string(tree_size) + " (events removed or rolled back)");
  }
  std::optional<Hash> root;
  if (tree_ok) {
    StatusOr<Hash> from_tiles = integrity::TreeRootFromTiles(*db.tree()->Reader(org), cp->size);
    if (!from_tiles.ok()) {
      return findings->Add(where, "no tree at its size: " + from_tiles.status().message());
    }
    root = *from_tiles;
  } else {
    root = events->At(cp->size);
  }
  if (root && *root != cp->root) {
    return findings->Add(where, "its root " + integrity::HashToHex(cp->root) +
                                    " contradicts the events (root " + integrity::HashToHex(*root) +
                                    " at that size)");
  }
  if (*prev) {
    StatusOr<std::vector<std::string>> proof = db.ConsistencyProof(org, (*prev)->size, cp->size);
    std::vector<Hash> hashes;
    if (proof.ok()) {
      for (const std::string& h : *proof) hashes.push_back(AsHash(h));
    }
    Status consistent = proof.ok() ? integrity::VerifyConsistency((*prev)->size, cp->size,
                                                                  (*prev)->root, cp->root, hashes)
                                   : proof.status();
    if (!consistent.ok()) {
      return findings->Add(where, "is not consistent with checkpoint " +
                                      std::to_string((*prev)->size) + ": " + consistent.message());
    }
  }
  *prev = *cp;
}

// Every kept checkpoint of `org`. Returns the number of problems.
StatusOr<uint64_t> CheckCheckpoints(store::RocksStore& db, const std::string& org,
                                    const std::optional<integrity::NoteVerifier>& key,
                                    bool tree_ok) {
  StatusOr<TreeHead> head = db.GetTreeHead(org);
  if (!head.ok()) return head.status();
  Findings findings(org);
  std::optional<integrity::Checkpoint> prev;
  EventRoots events(db, org);
  uint64_t kept = 0, newest = 0;
  constexpr size_t kPage = 1000;
  for (uint64_t from = 0;;) {
    StatusOr<std::vector<StoredCheckpoint>> page = db.ListCheckpoints(org, from, kPage);
    if (!page.ok()) return page.status();
    for (const StoredCheckpoint& c : *page) {
      ++kept;
      newest = c.size;
      if (key) CheckOneCheckpoint(db, org, c, *key, tree_ok, head->size, &events, &prev, &findings);
    }
    if (page->size() < kPage) break;
    from = page->back().size + 1;
  }
  std::string verdict = Verdict(findings.count());
  if (kept > 0 && !key) verdict = "not checked (no key: give --key or --checkpoint-key)";
  if (kept > 0 && key && !tree_ok) {
    verdict += " (roots compared with the events up to the first missing or moved one)";
  }
  std::string line = org + ": checkpoints " + verdict + ", " + std::to_string(kept) + " kept";
  if (kept > 0) line += ", newest size " + std::to_string(newest);
  std::printf("%s\n", line.c_str());
  return findings.count();
}

int RunVerifyData(const VerifyFlags& flags) {
  std::error_code ec;
  if (!std::filesystem::is_directory(flags.data_dir, ec)) {
    return FailWith(
        Status(StatusCode::kNotFound, "no_data_dir", "no data directory at " + flags.data_dir));
  }
  std::optional<integrity::NoteVerifier> key;
  if (!flags.key.empty()) {
    StatusOr<integrity::NoteVerifier> given = ReadVerifierKey(flags.key);
    if (!given.ok()) return FailWith(given.status());
    key = *given;
  } else {
    std::string file =
        flags.checkpoint_key.empty() ? flags.data_dir + "/checkpoint.key" : flags.checkpoint_key;
    StatusOr<std::optional<integrity::NoteVerifier>> own = VerifierOfKeyFile(file);
    if (!own.ok()) return FailWith(own.status());
    key = *own;
  }
  StoreOptions options;
  options.data_dir = flags.data_dir;
  // Read-only: no flush or compaction competes with the scan, and verify changes nothing.
  StatusOr<std::unique_ptr<store::RocksStore>> opened = store::RocksStore::OpenReadOnly(options);
  if (!opened.ok()) return FailWith(opened.status());
  store::RocksStore& db = **opened;

  std::vector<std::string> orgs;
  if (!flags.org.empty()) {
    orgs.push_back(flags.org);
  } else {
    StatusOr<std::vector<OrgInfo>> listed = db.ListOrgs();
    if (!listed.ok()) return FailWith(listed.status());
    for (const OrgInfo& info : *listed) orgs.push_back(info.org);
  }
  bool all_ok = true;
  for (const std::string& org : orgs) {
    StatusOr<bool> tree_ok = CheckTree(db, org);
    if (!tree_ok.ok()) return FailWith(tree_ok.status());
    StatusOr<uint64_t> checkpoint_problems = CheckCheckpoints(db, org, key, *tree_ok);
    if (!checkpoint_problems.ok()) return FailWith(checkpoint_problems.status());
    all_ok = all_ok && *tree_ok && *checkpoint_problems == 0;
  }
  if (std::fflush(stdout) != 0) return FailWith(Internal("cannot write to stdout"));
  return all_ok ? kExitOk : kExitRejected;
}

int RunVerifyCommand(const VerifyFlags& flags) {
  if (!flags.bundle.empty()) return RunVerifyBundle(flags);
  if (!flags.pinned.empty()) {
    PrintError("--pinned checks a bundle: actlog verify BUNDLE --key VKEY --pinned CHECKPOINT");
    return kExitUsage;
  }
  return RunVerifyData(flags);
}

}  // namespace

Command RegisterVerifyCommand(CLI::App* app) {
  auto flags = std::make_shared<VerifyFlags>();
  CLI::App* cmd = app->add_subcommand(
      "verify",
      "Check a data directory's events and checkpoints against its Merkle trees, or an "
      "export bundle offline (tamper evidence)");
  cmd->add_option("bundle", flags->bundle,
                  "An export bundle (actlog export --bundle) to check instead of --data");
  cmd->add_option("--data", flags->data_dir, "Data directory")->capture_default_str();
  cmd->add_option("--org", flags->org, "Check only this organisation");
  cmd->add_option("--key", flags->key,
                  "Checkpoint verifier key (vkey text, or a file holding it; GET /v1/public-key)");
  cmd->add_option("--checkpoint-key", flags->checkpoint_key,
                  "The server's signer key file (default <data>/checkpoint.key), when no --key");
  cmd->add_option("--pinned", flags->pinned,
                  "With a bundle: a checkpoint you trust; the bundle must be consistent with it");
  return Command{cmd, [flags] { return RunVerifyCommand(*flags); }};
}

}  // namespace actlog::cli
