// actlog export --bundle FILE: an org's events with its newest signed checkpoint, an
// inclusion proof per event and, with --pinned, a consistency proof from a checkpoint the
// reader already trusts (integrity/bundle.h; checked by `actlog verify FILE --key VKEY`).
//
// The checkpoint is signed with the server's own key (the signer key file; it must exist:
// a bundle signed by a key nobody knows would prove nothing), exactly as `actlog serve`
// would sign it, and is kept in the store like the server's.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "actlog/clock.h"
#include "actlog/query.h"
#include "actlog/store.h"
#include "cli/cli_common.h"
#include "cli/cli_integrity.h"
#include "integrity/bundle.h"
#include "integrity/checkpointer.h"

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
    return InvalidArgument("pinned_ahead", "the pinned checkpoint signs " +
                                               std::to_string(pinned->size) +
                                               " events, the log's newest only " +
                                               std::to_string(size));
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

}  // namespace actlog::cli
