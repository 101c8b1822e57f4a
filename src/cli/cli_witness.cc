// actlog witness --server URL --key VKEY --state FILE [--org ORG ...] [--api-key KEY]:
// an independent observer of a log. For each org (given, or already in the state file)
// it fetches the newest checkpoint, verifies its signature and origin ("<key name>/<org>"),
// and compares it with the largest checkpoint it verified before:
//   larger   -> the server's consistency proof between the two must verify; else FORK
//   equal    -> the roots must be equal; else FORK
//   smaller  -> ROLLBACK (the server lost or hid events it had signed)
// The state file keeps, per org, the largest verified checkpoint note; it is replaced
// atomically (temp file, fsync, rename, fsync of the directory) and only with checkpoints
// that passed. Exit 0 all consistent, 1 a rollback, fork or bad signature, 2 could not
// check (usage, connection, unreadable state).
//
// Output (stdout), one line per org:
//   <org>: ok, size <n> (was <m>)|first seen, size <n>
//   <org>: ROLLBACK|FORK|BAD CHECKPOINT: <why>
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "actlog/json.h"
#include "cli/cli_commands.h"
#include "cli/cli_common.h"
#include "cli/cli_integrity.h"
#include "cli/cli_remote.h"
#include "cli/http_client.h"
#include "integrity/encoding.h"

namespace actlog::cli {
namespace {

constexpr std::string_view kStateFormat = "actlog-witness/1";

struct WitnessFlags {
  std::string server;
  std::string key;
  std::string state;
  std::vector<std::string> orgs;
  std::string api_key;
};

// org -> the largest verified checkpoint note.
using WitnessState = std::map<std::string, std::string>;

StatusOr<WitnessState> LoadState(const std::string& path, const integrity::NoteVerifier& key) {
  StatusOr<std::string> text = ReadWholeFile(path);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) return WitnessState{};
    return text.status();
  }
  StatusOr<Json> json = ParseJson(*text);
  const Json* format = json.ok() ? json->Find("format") : nullptr;
  const Json* orgs = json.ok() ? json->Find("orgs") : nullptr;
  const Json* vkey = json.ok() ? json->Find("key") : nullptr;
  if (format == nullptr || !format->is_string() || format->as_string() != kStateFormat ||
      orgs == nullptr || !orgs->is_object() || vkey == nullptr || !vkey->is_string()) {
    return InvalidArgument("invalid_state", "state file " + path + " is not a witness state");
  }
  if (vkey->as_string() != key.KeyString()) {
    return InvalidArgument("invalid_state", "state file " + path + " witnesses key " +
                                                vkey->as_string() + ", not " + key.KeyString());
  }
  WitnessState state;
  for (const auto& [org, note] : orgs->as_object()) {
    if (!note.is_string())
      return InvalidArgument("invalid_state", "state file " + path + ": " + org);
    state[org] = note.as_string();
  }
  return state;
}

Status WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) return Internal(std::string("write failed: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

// Replaces `path` atomically: a crash leaves the old state or the new one, never a mix.
Status SaveState(const std::string& path, const integrity::NoteVerifier& key,
                 const WitnessState& state) {
  Json orgs = Json::MakeObject();
  for (const auto& [org, note] : state) orgs.Set(org, Json::String(note));
  Json root = Json::MakeObject();
  root.Set("format", Json::String(std::string(kStateFormat)));
  root.Set("key", Json::String(key.KeyString()));
  root.Set("orgs", std::move(orgs));
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Internal("cannot create " + tmp + ": " + std::strerror(errno));
  Status written = WriteAll(fd, CanonicalJson(root) + "\n");
  if (written.ok() && ::fsync(fd) != 0) written = Internal("cannot fsync " + tmp);
  ::close(fd);
  if (!written.ok()) return written;
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Internal("cannot rename " + tmp);
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

// What witnessing one org found.
struct Verdict {
  enum class Kind { kOk, kFirst, kRollback, kFork, kBadCheckpoint, kError } kind = Kind::kOk;
  std::string text;
  std::optional<std::string> new_note;  // to keep in the state
};

StatusOr<std::vector<integrity::Hash>> FetchConsistency(HttpClient& client, const std::string& org,
                                                        uint64_t from, uint64_t to) {
  StatusOr<HttpReply> reply = client.Request(
      "GET", "/v1/orgs/" + UrlEncode(org) + "/consistency?from=" + std::to_string(from) +
                 "&to=" + std::to_string(to));
  if (!reply.ok()) return reply.status();
  if (reply->status != 200) return Unavailable("consistency proof: " + DescribeHttpError(*reply));
  StatusOr<Json> body = ParseJson(reply->body);
  const Json* hashes = body.ok() ? body->Find("hashes") : nullptr;
  if (hashes == nullptr || !hashes->is_array()) return DataLoss("consistency proof: not a proof");
  std::vector<integrity::Hash> out;
  for (const Json& h : hashes->as_array()) {
    StatusOr<integrity::Hash> hash = h.is_string()
                                         ? integrity::HashFromBase64(h.as_string())
                                         : StatusOr<integrity::Hash>(DataLoss("not a string"));
    if (!hash.ok()) return DataLoss("consistency proof: a hash is not base64 of 32 bytes");
    out.push_back(*hash);
  }
  return out;
}

Verdict Compare(HttpClient& client, const std::string& org, const integrity::Checkpoint& old_cp,
                const integrity::Checkpoint& cp, const std::string& note) {
  using K = Verdict::Kind;
  std::string sizes =
      "size " + std::to_string(cp.size) + " (was " + std::to_string(old_cp.size) + ")";
  if (cp.size < old_cp.size) {
    return {K::kRollback, "the server's checkpoint has size " + std::to_string(cp.size) +
                              ", smaller than the size " + std::to_string(old_cp.size) +
                              " witnessed before: events it had signed are gone"};
  }
  if (cp.size == old_cp.size) {
    if (cp.root == old_cp.root) return {K::kOk, "ok, " + sizes, std::nullopt};
    return {K::kFork, "a checkpoint of size " + std::to_string(cp.size) + " with root " +
                          integrity::HashToHex(cp.root) + ", witnessed before with root " +
                          integrity::HashToHex(old_cp.root)};
  }
  StatusOr<std::vector<integrity::Hash>> proof =
      FetchConsistency(client, org, old_cp.size, cp.size);
  if (!proof.ok()) return {K::kError, "cannot check consistency: " + proof.status().ToString()};
  Status consistent =
      integrity::VerifyConsistency(old_cp.size, cp.size, old_cp.root, cp.root, *proof);
  if (!consistent.ok()) {
    return {K::kFork, "the checkpoint of " + sizes +
                          " does not extend the one witnessed before (its consistency proof "
                          "fails: " +
                          consistent.message() + ")"};
  }
  return {K::kOk, "ok, " + sizes, note};
}

Verdict WitnessOrg(HttpClient& client, const integrity::NoteVerifier& key, const std::string& org,
                   const WitnessState& state) {
  using K = Verdict::Kind;
  StatusOr<HttpReply> reply = client.Request("GET", "/v1/orgs/" + UrlEncode(org) + "/checkpoint");
  if (!reply.ok()) return {K::kError, "cannot fetch the checkpoint: " + reply.status().ToString()};
  if (reply->status != 200) {
    return {K::kError, "cannot fetch the checkpoint: " + DescribeHttpError(*reply)};
  }
  std::vector<integrity::NoteVerifier> known = {key};
  StatusOr<integrity::Checkpoint> cp =
      integrity::OpenCheckpoint(reply->body, known, OriginOf(key, org));
  if (!cp.ok())
    return {K::kBadCheckpoint,
            "the server's checkpoint does not verify: " + cp.status().ToString()};
  auto kept = state.find(org);
  if (kept == state.end())
    return {K::kFirst, "first seen, size " + std::to_string(cp->size), reply->body};
  StatusOr<integrity::Checkpoint> old_cp =
      integrity::OpenCheckpoint(kept->second, known, OriginOf(key, org));
  if (!old_cp.ok())
    return {K::kError, "the state's checkpoint does not verify: " + old_cp.status().ToString()};
  return Compare(client, org, *old_cp, *cp, reply->body);
}

int RunWitness(const WitnessFlags& flags) {
  StatusOr<integrity::NoteVerifier> key = ReadVerifierKey(flags.key);
  if (!key.ok()) return FailWith(key.status());
  StatusOr<HttpUrl> url = ParseHttpUrl(flags.server);
  if (!url.ok()) return FailWith(url.status());
  StatusOr<WitnessState> state = LoadState(flags.state, *key);
  if (!state.ok()) return FailWith(state.status());
  std::set<std::string> orgs(flags.orgs.begin(), flags.orgs.end());
  for (const auto& [org, note] : *state) orgs.insert(org);
  if (orgs.empty()) {
    PrintError("name the orgs to witness with --org (the state file has none yet)");
    return kExitUsage;
  }
  HttpClient client(*url, flags.api_key);
  bool alarm = false, error = false, changed = false;
  for (const std::string& org : orgs) {
    Verdict v = WitnessOrg(client, *key, org, *state);
    static const char* kLabel[] = {"", "", "ROLLBACK: ", "FORK: ", "BAD CHECKPOINT: ", "ERROR: "};
    std::printf("%s: %s%s\n", org.c_str(), kLabel[static_cast<int>(v.kind)], v.text.c_str());
    alarm = alarm || v.kind == Verdict::Kind::kRollback || v.kind == Verdict::Kind::kFork ||
            v.kind == Verdict::Kind::kBadCheckpoint;
    error = error || v.kind == Verdict::Kind::kError;
    if (v.new_note) {
      (*state)[org] = *v.new_note;
      changed = true;
    }
  }
  if (changed) {
    Status saved = SaveState(flags.state, *key, *state);
    if (!saved.ok()) return FailWith(saved);
  }
  if (std::fflush(stdout) != 0) return FailWith(Internal("cannot write to stdout"));
  return alarm ? kExitRejected : error ? kExitUsage : kExitOk;
}

}  // namespace

Command RegisterWitnessCommand(CLI::App* app) {
  auto flags = std::make_shared<WitnessFlags>();
  CLI::App* cmd = app->add_subcommand(
      "witness",
      "Check a server's checkpoints against the largest ones verified before; report a "
      "rollback or a fork");
  cmd->add_option("--server", flags->server, "The actlog server (http://HOST:PORT)")->required();
  cmd->add_option("--key", flags->key,
                  "The log's checkpoint verifier key (vkey text, or a file holding it)")
      ->required();
  cmd->add_option("--state", flags->state, "Witness state file (created if missing)")->required();
  cmd->add_option("--org", flags->orgs, "An org to witness (repeatable; plus those in --state)");
  cmd->add_option("--api-key", flags->api_key, "A read key for the orgs (env ACTLOG_KEY)")
      ->envname("ACTLOG_KEY");
  return Command{cmd, [flags] { return RunWitness(*flags); }};
}

}  // namespace actlog::cli
