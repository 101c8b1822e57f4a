// Checkpointer: signs and keeps each org's checkpoints (c2sp.org/tlog-checkpoint, one
// Ed25519 key per log; docs/INTEGRITY.md).
//
// The signing key lives in a file (the signer's skey text, mode 0600), generated there on
// first use; a key file that exists must hold a key named like the log. Several servers
// on one shared store share the key by pointing at the same file. An org's origin is
// "<log name>/<org>". Latest signs a new checkpoint when the org's tree grew and this
// Checkpointer signed none for the org in the last kMinCheckpointIntervalMicros (so at
// most one a second per org and process); otherwise it returns the newest kept one.
// Every checkpoint is stored (Store::PutCheckpoint) and never contradicts an earlier one:
// before signing a larger tree, the store's consistency proof from the last kept
// checkpoint must verify, else DataLoss and no signature. CheckpointSigner (below) calls
// Latest for every growing org in the background.
//
// Thread-safe: one internal mutex serialises signing.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "actlog/clock.h"
#include "actlog/signed_note.h"
#include "actlog/status.h"
#include "actlog/store.h"
#include "core/periodic_thread.h"

namespace actlog::integrity {

inline constexpr int64_t kMinCheckpointIntervalMicros = 1'000'000;
inline constexpr std::string_view kDefaultLogName = "actlog";

// A checkpoint as signed, and what it says.
struct SignedCheckpoint {
  std::string note;
  Checkpoint body;
};

// Loads the signer key in `key_file`, or creates one named `log_name` there (mode 0600,
// fsynced) if the file does not exist. InvalidArgument "invalid_checkpoint_key" if the
// file does not hold a signer key named `log_name`.
StatusOr<NoteSigner> LoadOrCreateCheckpointKey(const std::string& key_file,
                                               std::string_view log_name);

class Checkpointer {
 public:
  // Loads or creates the key (LoadOrCreateCheckpointKey). `store` and `clock` are not
  // owned and must outlive the Checkpointer.
  static StatusOr<std::unique_ptr<Checkpointer>> Open(Store* store, const Clock* clock,
                                                      const std::string& key_file,
                                                      std::string_view log_name = kDefaultLogName);

  // The verifier key (signed-note vkey) clients check checkpoints with.
  std::string VerifierKey() const { return signer_.Verifier().KeyString(); }
  const std::string& log_name() const { return log_name_; }
  std::string Origin(std::string_view org) const;
  // The org's newest checkpoint as a signed note, signing a new one first if due (above).
  StatusOr<std::string> Latest(std::string_view org);
  // The same, with the checkpoint's parsed body.
  StatusOr<SignedCheckpoint> LatestSigned(std::string_view org);

 private:
  Checkpointer(Store* store, const Clock* clock, NoteSigner signer, std::string log_name)
      : store_(store), clock_(clock), signer_(std::move(signer)), log_name_(std::move(log_name)) {}
  // The newest kept checkpoint, opened with our key (nullopt if none). REQUIRES: mu_ held.
  StatusOr<std::optional<SignedCheckpoint>> LastKept(std::string_view org);
  // Signs `head` if it extends `last`. REQUIRES: mu_ held.
  StatusOr<SignedCheckpoint> SignExtension(std::string_view org,
                                           const std::optional<SignedCheckpoint>& last,
                                           const TreeHead& head);

  Store* store_;
  const Clock* clock_;
  NoteSigner signer_;
  std::string log_name_;
  std::mutex mu_;
  std::map<std::string, int64_t, std::less<>> last_signed_us_;        // GUARDED_BY(mu_)
  std::map<std::string, SignedCheckpoint, std::less<>> last_opened_;  // GUARDED_BY(mu_)
};

// Signs in the background: every `interval`, each org whose event count changed since
// its last checkpoint gets Checkpointer::Latest. Errors go to stderr, once per org until
// they change. Start/Stop from one thread; Stop waits for the thread (also on destruction).
class CheckpointSigner {
 public:
  CheckpointSigner(Store* store, Checkpointer* checkpointer, std::chrono::milliseconds interval)
      : store_(store), checkpointer_(checkpointer), interval_(interval) {}
  ~CheckpointSigner() { Stop(); }
  CheckpointSigner(const CheckpointSigner&) = delete;
  CheckpointSigner& operator=(const CheckpointSigner&) = delete;

  void Start();
  void Stop();
  // One pass over every org (what the thread does each interval); for tests.
  void RunOnce();

 private:
  Store* store_;
  Checkpointer* checkpointer_;
  std::chrono::milliseconds interval_;
  PeriodicThread thread_;
  std::map<std::string, uint64_t, std::less<>> signed_;    // org -> size; thread only
  std::map<std::string, std::string, std::less<>> error_;  // org -> last error; thread only
};

}  // namespace actlog::integrity
