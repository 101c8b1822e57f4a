// actlog verify --data DIR [--org ORG]: recomputes each org's Merkle tree from its stored
// events and compares it with the stored tree tiles, naming every event that no longer
// matches. Exit 0 if everything matches, 1 if anything does not, 2 if it could not check.
//
// Output (stdout), per problem in seq order, then one summary line per org:
//   <org> seq <seq> [id <id>]: <problem>
//   <org>: ok|FAILED (<n> problems), <events> events, tree size <size>, root <hex>
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "store/rocksdb/rocks_store.h"

namespace actlog::cli {

namespace {

struct VerifyFlags {
  std::string data_dir = "./data";
  std::string org;
};

int RunVerifyCommand(const VerifyFlags& flags) {
  std::error_code ec;
  if (!std::filesystem::is_directory(flags.data_dir, ec)) {
    return FailWith(Status(StatusCode::kNotFound, "no_data_dir",
                           "no data directory at " + flags.data_dir));
  }
  StoreOptions options;
  options.data_dir = flags.data_dir;
  StatusOr<std::unique_ptr<store::RocksStore>> opened = store::RocksStore::Open(options);
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
    uint64_t problems = 0;
    auto report = [&](const store::TreeFinding& f) {
      ++problems;
      std::string line = org + " seq " + std::to_string(f.seq);
      if (!f.id.empty()) line += " id " + f.id;
      std::printf("%s: %s\n", line.c_str(), f.problem.c_str());
    };
    StatusOr<store::TreeVerifyResult> result = db.tree()->Verify(org, report);
    if (!result.ok()) return FailWith(result.status());
    all_ok = all_ok && result->ok;
    std::string verdict =
        result->ok ? "ok" : "FAILED (" + std::to_string(problems) + " problems)";
    std::printf("%s: %s, %llu events, tree size %llu, root %s\n", org.c_str(), verdict.c_str(),
                static_cast<unsigned long long>(result->events),
                static_cast<unsigned long long>(result->tree_size),
                integrity::HashToHex(result->root).c_str());
  }
  if (std::fflush(stdout) != 0) return FailWith(Internal("cannot write to stdout"));
  return all_ok ? kExitOk : kExitRejected;
}

}  // namespace

Command RegisterVerifyCommand(CLI::App* app) {
  auto flags = std::make_shared<VerifyFlags>();
  CLI::App* cmd = app->add_subcommand(
      "verify", "Check every org's stored events against its Merkle tree (tamper evidence)");
  cmd->add_option("--data", flags->data_dir, "Data directory")->capture_default_str();
  cmd->add_option("--org", flags->org, "Check only this organisation");
  return Command{cmd, [flags] { return RunVerifyCommand(*flags); }};
}

}  // namespace actlog::cli
