// actlog export --bundle FILE: an org's events with its newest signed checkpoint, an
// inclusion proof per event and, with --pinned, a consistency proof from a checkpoint the
// reader already trusts (integrity/bundle.h; checked by `actlog verify FILE --key VKEY`).
//
// Remote (`actlog --server URL --key KEY export --org ORG --bundle FILE`): the newest
// checkpoint from GET /v1/orgs/{org}/checkpoint, the events from GET /v1/export, and each
// event's leaf and proof from GET /v1/events/{id}/proof at the checkpoint's size: one
// request per event, so a remote bundle of millions of events is slow; local is faster.
//
// Locally, the checkpoint is signed with the server's own key (the signer key file; it must exist:
// a bundle signed by a key nobody knows would prove nothing), exactly as `actlog serve`
// would sign it, and is kept in the store like the server's.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "actlog/clock.h"
#include "actlog/json.h"
#include "actlog/query.h"
#include "actlog/store.h"
#include "cli/cli_common.h"
#include "cli/cli_integrity.h"
#include "cli/cli_remote.h"
#include "cli/http_client.h"
#include "integrity/bundle.h"
#include "integrity/checkpointer.h"
#include "integrity/encoding.h"

namespace actlog::cli {
namespace {

struct NewestCheckpoint {
  integrity::SignedCheckpoint signed_checkpoint;
  std::string key;  // the verifier key
};

// The checkpoint the bundle is verified against.
StatusOr<NewestCheckpoint> SignNewest(Store& store, const BundleFlags& flags,
                                      const std::string& org) {
  std::string key_file =
      flags.checkpoint_key.empty() ? flags.data_dir + "/checkpoint.key" : flags.checkpoint_key;
  std::error_code ec;
  if (!std::filesystem::exists(key_file, ec)) {
    return NotFound("no checkpoint key at " + key_file +
                    " (start actlog serve on this store once, or pass --checkpoint-key)");
  }
  StatusOr<std::unique_ptr<integrity::Checkpointer>> checkpointer =
      integrity::Checkpointer::Open(&store, SystemClock::Default(), key_file, flags.log_name);
  if (!checkpointer.ok()) return checkpointer.status();
  StatusOr<integrity::SignedCheckpoint> latest = (*checkpointer)->LatestSigned(org);
  if (!latest.ok()) return latest.status();
  return NewestCheckpoint{std::move(latest).value(), (*checkpointer)->VerifierKey()};
}

// The consistency line from the pinned checkpoint's size to the bundle's (or back).
StatusOr<std::string> PinnedLine(Store& store, const std::string& org, const std::string& path,
                                 uint64_t size) {
  StatusOr<std::string> note = ReadWholeFile(path);
  if (!note.ok()) return note.status();
  StatusOr<integrity::ParsedNote> parsed = integrity::ParseNote(*note);
  if (!parsed.ok()) return parsed.status();
  StatusOr<integrity::Checkpoint> pinned = integrity::ParseCheckpoint(parsed->text);
  if (!pinned.ok()) return pinned.status();
  if (pinned->size > size) {
    return InvalidArgument("pinned_ahead",
                           "the pinned checkpoint signs " + std::to_string(pinned->size) +
                               " events, the log's newest only " + std::to_string(size));
  }
  StatusOr<std::vector<std::string>> proof = store.ConsistencyProof(org, pinned->size, size);
  if (!proof.ok()) return proof.status();
  return integrity::BundleConsistencyLine(pinned->size, size, *proof);
}

}  // namespace

int WriteBundle(Store& store, EventQuery query, const BundleFlags& flags) {
  StatusOr<NewestCheckpoint> cp = SignNewest(store, flags, query.org);
  if (!cp.ok()) return FailWith(cp.status());
  uint64_t size = cp->signed_checkpoint.body.size;
  StatusOr<std::unique_ptr<Output>> out = Output::Open(flags.path);
  if (!out.ok()) return FailWith(out.status());
  (*out)->Write(integrity::BundleHeaderLine(query.org, cp->signed_checkpoint.note));
  if (!flags.pinned.empty()) {
    StatusOr<std::string> line = PinnedLine(store, query.org, flags.pinned, size);
    if (!line.ok()) return FailWith(line.status());
    (*out)->Write(*line);
  }
  uint64_t events = 0;
  for (;;) {
    StatusOr<QueryPage> page = store.Query(query);
    if (!page.ok()) return FailWith(page.status());
    for (const StoredEvent& stored : page->events) {
      uint64_t seq = stored.event.seq;
      if (seq >= size) continue;  // after the checkpoint: the next bundle has it
      StatusOr<std::vector<std::string>> proof = store.InclusionProof(query.org, seq, size);
      if (!proof.ok()) return FailWith(proof.status());
      (*out)->Write(integrity::BundleEventLine(seq, stored.canonical, *proof));
      ++events;
    }
    if (!page->next_cursor) break;
    query.cursor = *page->next_cursor;
  }
  (*out)->Write(integrity::BundleEndLine(events));
  Status closed = (*out)->Close();
  if (!closed.ok()) return FailWith(closed);
  std::fprintf(stderr,
               "bundle: %llu events of org %s, checkpoint of size %llu; check it with\n"
               "  actlog verify %s --key %s\n",
               static_cast<unsigned long long>(events), query.org.c_str(),
               static_cast<unsigned long long>(size), flags.path.c_str(), cp->key.c_str());
  return kExitOk;
}

namespace {

std::string OptionValue(CLI::App* cmd, const std::string& name) {
  CLI::Option* opt = cmd->get_option_no_throw(name);
  return opt != nullptr && opt->count() > 0 ? opt->as<std::string>() : "";
}

StatusOr<Json> GetJson(HttpClient& client, const std::string& target) {
  StatusOr<HttpReply> reply = client.Request("GET", target);
  if (!reply.ok()) return reply.status();
  if (reply->status != 200) return Unavailable(target + ": " + DescribeHttpError(*reply));
  return ParseJson(reply->body);
}

// The base64 hashes of a JSON array as raw 32-byte strings.
StatusOr<std::vector<std::string>> RawHashes(const Json* array) {
  std::vector<std::string> out;
  if (array == nullptr || !array->is_array()) return DataLoss("the server sent no hashes");
  for (const Json& h : array->as_array()) {
    std::optional<std::string> raw =
        h.is_string() ? integrity::encoding::Base64Decode(h.as_string()) : std::nullopt;
    if (!raw || raw->size() != integrity::kHashSize) return DataLoss("the server sent a bad hash");
    out.push_back(std::move(*raw));
  }
  return out;
}

// One exported event line -> its bundle line (leaf and proof at `size`), or "" when the
// event came after the checkpoint.
StatusOr<std::string> RemoteEventLine(HttpClient& client, const std::string& org,
                                      std::string_view line, uint64_t size) {
  StatusOr<Json> event = ParseJson(line);
  const Json* id = event.ok() ? event->Find("id") : nullptr;
  const Json* seq = event.ok() ? event->Find("seq") : nullptr;
  if (id == nullptr || !id->is_string() || seq == nullptr || !seq->is_number()) {
    return DataLoss("the export sent a line that is not an event");
  }
  if (static_cast<uint64_t>(seq->as_number()) >= size) return std::string();
  StatusOr<Json> proof =
      GetJson(client, "/v1/events/" + UrlEncode(id->as_string()) + "/proof?org=" + UrlEncode(org) +
                          "&size=" + std::to_string(size));
  if (!proof.ok()) return proof.status();
  const Json* leaf = proof->Find("leaf");
  std::optional<std::string> bytes = leaf != nullptr && leaf->is_string()
                                         ? integrity::encoding::Base64Decode(leaf->as_string())
                                         : std::nullopt;
  StatusOr<std::vector<std::string>> hashes = RawHashes(proof->Find("hashes"));
  if (!bytes || !hashes.ok()) return DataLoss("the server sent a bad proof for " + id->as_string());
  return integrity::BundleEventLine(static_cast<uint64_t>(seq->as_number()), *bytes, *hashes);
}

// Header (and the pinned consistency line) of a remote bundle; sets *size.
StatusOr<std::string> RemoteHead(HttpClient& client, const std::string& org,
                                 const std::string& pinned_file, uint64_t* size) {
  StatusOr<HttpReply> note = client.Request("GET", "/v1/orgs/" + UrlEncode(org) + "/checkpoint");
  if (!note.ok()) return note.status();
  if (note->status != 200) return Unavailable("checkpoint: " + DescribeHttpError(*note));
  StatusOr<integrity::ParsedNote> parsed = integrity::ParseNote(note->body);
  if (!parsed.ok()) return parsed.status();
  StatusOr<integrity::Checkpoint> cp = integrity::ParseCheckpoint(parsed->text);
  if (!cp.ok()) return cp.status();
  *size = cp->size;
  std::string head = integrity::BundleHeaderLine(org, note->body);
  if (pinned_file.empty()) return head;
  StatusOr<std::string> pinned_note = ReadWholeFile(pinned_file);
  if (!pinned_note.ok()) return pinned_note.status();
  StatusOr<integrity::ParsedNote> pinned_parsed = integrity::ParseNote(*pinned_note);
  if (!pinned_parsed.ok()) return pinned_parsed.status();
  StatusOr<integrity::Checkpoint> pinned = integrity::ParseCheckpoint(pinned_parsed->text);
  if (!pinned.ok()) return pinned.status();
  if (pinned->size > cp->size) {
    return InvalidArgument("pinned_ahead", "the pinned checkpoint is newer than the server's");
  }
  StatusOr<Json> proof = GetJson(client, "/v1/orgs/" + UrlEncode(org) +
                                             "/consistency?from=" + std::to_string(pinned->size) +
                                             "&to=" + std::to_string(cp->size));
  if (!proof.ok()) return proof.status();
  StatusOr<std::vector<std::string>> hashes = RawHashes(proof->Find("hashes"));
  if (!hashes.ok()) return hashes.status();
  return head + integrity::BundleConsistencyLine(pinned->size, cp->size, *hashes);
}

int RunRemoteBundle(CLI::App* cmd, const RemoteOptions& remote) {
  StatusOr<HttpUrl> url = ParseHttpUrl(remote.server);
  if (!url.ok()) return FailWith(url.status());
  std::string error;
  std::string filters = RemoteFilterQuery(cmd, &error);
  if (!error.empty()) return FailWith(InvalidArgument("invalid_flag", error));
  std::string org = OptionValue(cmd, "--org");
  HttpClient proofs(*url, remote.key), events(*url, remote.key);
  uint64_t size = 0;
  StatusOr<std::string> head = RemoteHead(proofs, org, OptionValue(cmd, "--pinned"), &size);
  if (!head.ok()) return FailWith(head.status());
  StatusOr<std::unique_ptr<Output>> out = Output::Open(OptionValue(cmd, "--bundle"));
  if (!out.ok()) return FailWith(out.status());
  (*out)->Write(*head);
  uint64_t count = 0;
  std::string pending;
  Status failed;
  auto on_line = [&](std::string_view line) {
    StatusOr<std::string> bundle_line = RemoteEventLine(proofs, org, line, size);
    if (!bundle_line.ok()) failed = bundle_line.status();
    if (failed.ok() && !bundle_line->empty()) {
      (*out)->Write(*bundle_line);
      ++count;
    }
    return failed.ok();
  };
  StatusOr<HttpReply> reply =
      events.Stream("/v1/export" + filters + "&format=jsonl", {}, [&](std::string_view bytes) {
        pending.append(bytes);
        size_t start = 0;
        for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
          if (nl > start && !on_line(std::string_view(pending).substr(start, nl - start))) {
            return false;
          }
        }
        pending.erase(0, start);
        return true;
      });
  if (!failed.ok()) return FailWith(failed);
  if (!reply.ok()) return FailWith(reply.status());
  if (reply->status != 200) return FailWith(Unavailable("export: " + DescribeHttpError(*reply)));
  (*out)->Write(integrity::BundleEndLine(count));
  Status closed = (*out)->Close();
  if (!closed.ok()) return FailWith(closed);
  std::fprintf(stderr, "bundle: %llu events of org %s, checkpoint of size %llu\n",
               static_cast<unsigned long long>(count), org.c_str(),
               static_cast<unsigned long long>(size));
  return kExitOk;
}

}  // namespace

int RunRemoteExportOrBundle(CLI::App* cmd, const RemoteOptions& remote) {
  if (!OptionValue(cmd, "--bundle").empty()) return RunRemoteBundle(cmd, remote);
  return RunRemoteExport(cmd, remote);
}

}  // namespace actlog::cli
