// Export bundles: an org's events with what it takes to verify them offline against the
// log's public key (docs/INTEGRITY.md, "Export bundles"). JSON Lines, one object a line:
//
//   {"type":"header","format":"actlog-bundle/1","org":O,"checkpoint":NOTE}
//   {"type":"consistency","from":A,"to":B,"hashes":[base64…]}     zero or more
//   {"type":"event","seq":S,"leaf":base64,"proof":[base64…]}       one per event
//   {"type":"end","events":K}
//
// NOTE is the signed checkpoint (c2sp.org/tlog-checkpoint) of the org's tree of N
// leaves; each event's leaf is its canonical bytes (the Merkle leaf) and proof its RFC
// 9162 inclusion proof at index S in that tree. A consistency line links the tree of A
// leaves to that of B, one of them being N: it is how a bundle shows it agrees with a
// checkpoint the reader pinned earlier. The end line makes a cut-off bundle detectable.
//
// Writing is pure formatting; BundleVerifier reads a bundle line by line in bounded
// memory (one line, plus the seqs seen). Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "actlog/json.h"
#include "actlog/merkle.h"
#include "actlog/signed_note.h"
#include "actlog/status.h"

namespace actlog::integrity {

inline constexpr std::string_view kBundleFormat = "actlog-bundle/1";

// Each returns one line, ending in '\n'.
std::string BundleHeaderLine(std::string_view org, std::string_view checkpoint_note);
std::string BundleConsistencyLine(uint64_t from, uint64_t to, std::span<const std::string> hashes);
std::string BundleEventLine(uint64_t seq, std::string_view leaf,
                            std::span<const std::string> proof);
std::string BundleEndLine(uint64_t events);

// Why a bundle failed, naming the event (seq, and id if its leaf decodes) when an event
// failed. `code` is stable: malformed_bundle, bad_checkpoint, pinned_mismatch,
// missing_consistency, inconsistent, bad_event, not_included, truncated.
struct BundleFailure {
  std::string code;
  std::string message;
  std::optional<uint64_t> seq;
  std::string id;
};

class BundleVerifier {
 public:
  // `key` verifies the checkpoint; the origin must be "<key name>/<org>". `pinned`, if
  // given, is a checkpoint note the reader trusts (signed by the same key, same org).
  BundleVerifier(NoteVerifier key, std::optional<std::string> pinned)
      : key_(std::move(key)), pinned_note_(std::move(pinned)) {}

  // Feeds the next line (without its '\n'). After the first failure, further lines are
  // ignored. Returns false once failed.
  bool Line(std::string_view line);
  // Call after the last line: checks the end line was there and counts agree.
  bool Finish();

  const std::optional<BundleFailure>& failure() const { return failure_; }
  const std::string& org() const { return org_; }
  const Checkpoint& checkpoint() const { return checkpoint_; }
  uint64_t events() const { return events_; }
  bool pinned_checked() const { return pinned_checked_; }

 private:
  bool Fail(std::string code, std::string message, std::optional<uint64_t> seq = std::nullopt,
            std::string id = "");
  bool Header(const Json& line);
  bool Consistency(const Json& line);
  bool Event(const Json& line);
  bool CheckPinned();  // when the first event or end line arrives

  NoteVerifier key_;
  std::optional<std::string> pinned_note_;
  std::optional<BundleFailure> failure_;
  uint64_t line_number_ = 0;
  bool header_seen_ = false, end_seen_ = false, pinned_checked_ = false;
  std::string org_;
  Checkpoint checkpoint_;
  std::optional<Checkpoint> pinned_;
  struct Link {
    uint64_t from, to;
    std::vector<Hash> hashes;
  };
  std::vector<Link> links_;
  uint64_t events_ = 0;
  std::unordered_set<uint64_t> seen_;
};

}  // namespace actlog::integrity
