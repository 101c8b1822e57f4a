// Checkpointer: signs and keeps each org's checkpoints (c2sp.org/tlog-checkpoint, one
// Ed25519 key per server; docs/INTEGRITY.md).
//
// The signing key lives in a file (the signer's skey text, mode 0600), generated there on
// first use. An org's origin is "<log name>/<org>". Checkpoints are made on demand: Latest
// signs a new one when the org's tree grew and the newest kept one is at least
// kMinInterval old (or there is none), so at most one a second per org; otherwise it
// returns the newest kept one. Every checkpoint is stored (Store::PutCheckpoint) and
// never contradicts an earlier one: before signing a larger tree, the store's
// consistency proof from the last checkpoint must verify, else DataLoss and no signature.
//
// Thread-safe: one internal mutex serialises signing.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "actlog/clock.h"
#include "actlog/signed_note.h"
#include "actlog/status.h"
#include "actlog/store.h"

namespace actlog::integrity {

inline constexpr int64_t kMinCheckpointIntervalMicros = 1'000'000;
inline constexpr std::string_view kDefaultLogName = "actlog";

class Checkpointer {
 public:
  // Loads the key from `key_file`, or creates it (mode 0600) if the file does not exist.
  // `store` and `clock` are not owned and must outlive the Checkpointer.
  static StatusOr<std::unique_ptr<Checkpointer>> Open(Store* store, const Clock* clock,
                                                      const std::string& key_file,
                                                      std::string_view log_name = kDefaultLogName);

  // The verifier key (signed-note vkey) clients check checkpoints with.
  std::string VerifierKey() const { return signer_.Verifier().KeyString(); }
  std::string Origin(std::string_view org) const;
  // The org's newest checkpoint as a signed note, signing a new one first if due (above).
  StatusOr<std::string> Latest(std::string_view org);

 private:
  Checkpointer(Store* store, const Clock* clock, NoteSigner signer, std::string log_name)
      : store_(store), clock_(clock), signer_(std::move(signer)), log_name_(std::move(log_name)) {}

  Store* store_;
  const Clock* clock_;
  NoteSigner signer_;
  std::string log_name_;
  std::mutex mu_;
  std::map<std::string, int64_t, std::less<>> last_signed_us_;  // GUARDED_BY(mu_)
};

}  // namespace actlog::integrity
