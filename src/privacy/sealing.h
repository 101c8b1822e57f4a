// Sealing personal values (DESIGN §7, docs/PRIVACY.md).
//
// The personal values of one event that belong to one data subject are sealed together:
// their plaintext is the RFC 8785 JSON object {path: value} (a fixed field's value is
// its string), encrypted with XChaCha20-Poly1305 (libsodium's IETF AEAD) under a random
// 32-byte key of the subject in the org, with a random 24-byte nonce. The sealed value
// ("blob") is nonce ‖ ciphertext ‖ tag; its SHA-256 is its hash, and the event keeps
// only the reference "sealed:v1:" + base64url(hash) (no padding, 43 characters) in place
// of each of those values, so the canonical bytes — the Merkle leaf — never hold plain
// personal data. The associated data binds a blob to its org and subject:
// "actlog/sealed/v1" ‖ 0x00 ‖ org ‖ 0x00 ‖ subject. One blob per subject and distinct set
// of values rather than per value: with a BlobReuse (seal_reuse.h) the events of one
// window that repeat a subject's values all refer to one blob.
//
// A backend supplies keys and stored blobs through the two small interfaces below;
// everything else (which values, the crypto, the references) is here, so every backend
// seals alike. Functions are thread-safe; the interfaces' thread-safety is the caller's.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/catalog.h"
#include "actlog/event.h"
#include "actlog/json.h"
#include "actlog/status.h"

namespace actlog::privacy {

inline constexpr size_t kSubjectKeyBytes = 32;
inline constexpr size_t kSealedHashBytes = 32;
inline constexpr std::string_view kSealedRefPrefix = "sealed:v1:";

// A fresh random subject key. REQUIRES: sodium_init() succeeded.
std::string NewSubjectKey();

// "sealed:v1:" + base64url(hash). REQUIRES: hash.size() == 32.
std::string SealedRef(std::string_view hash);
// The 32-byte hash of a well-formed reference, nullopt for anything else.
std::optional<std::string> ParseSealedRef(std::string_view text);

// Encrypts `plaintext` (see the associated data above) and returns the blob.
std::string SealBlob(std::string_view key, std::string_view org, std::string_view subject,
                     std::string_view plaintext);
// Decrypts a blob; DataLoss "sealed_value_corrupt" if it fails to authenticate.
StatusOr<std::string> OpenBlob(std::string_view key, std::string_view org,
                               std::string_view subject, std::string_view blob);
// Decrypts a blob and parses its {path: value} object.
StatusOr<Json> OpenValues(std::string_view key, std::string_view org, std::string_view subject,
                          std::string_view blob);
// SHA-256 of the blob: what the reference names.
std::string BlobHash(std::string_view blob);

// The values of one subject in one event, sealed by SealEvent, to be stored beside it.
struct SealedValue {
  std::string subject;
  std::vector<std::string> paths;  // what the blob holds
  std::string hash;                // 32 bytes
  std::string blob;                // empty when reused
  bool reused = false;             // an existing blob (made earlier) holds these values
};

// Decides whether a subject's values are already sealed in a blob the event may refer to.
class BlobReuse {
 public:
  virtual ~BlobReuse() = default;
  // The hash of a stored blob of `subject` holding exactly `plaintext` under `key`, or
  // nullopt to seal a new one.
  virtual StatusOr<std::optional<std::string>> Reusable(std::string_view org,
                                                        std::string_view subject,
                                                        std::string_view key,
                                                        std::string_view plaintext) = 0;
  // A new blob `hash` now holds `plaintext` (it is stored with the event).
  virtual void Sealed(std::string_view org, std::string_view subject, std::string_view key,
                      std::string_view plaintext, const std::string& hash) = 0;
};

// Gives the key of a subject in an org, creating it if it has none (the backend then
// stores the new key in the same write as the event).
class SubjectKeys {
 public:
  virtual ~SubjectKeys() = default;
  virtual StatusOr<std::string> KeyFor(std::string_view org, std::string_view subject) = 0;
};

// Replaces every personal value of `event` by its reference and returns the sealed
// values, one per subject with values in the event (in order of first appearance).
// With `reuse`, a subject's values may refer to an existing blob (SealedValue::reused).
// Call after the store has assigned seq/id/times and before CanonicalEvent.
StatusOr<std::vector<SealedValue>> SealEvent(Event* event, const Catalog& catalog,
                                             SubjectKeys& keys, BlobReuse* reuse = nullptr);

// The hashes that the references of a stored (sealed) event name, each once.
std::set<std::string> SealedHashesOf(Event* event, const Catalog& catalog);

// What a backend stored for a reference.
struct StoredSealed {
  std::string subject;
  std::string blob;
};

// Looks up stored blobs and keys; nullopt when there is none (erased or pruned).
class SealedSource {
 public:
  virtual ~SealedSource() = default;
  // The blob `event` refers to by `hash` (a store may need its org, seq or received_at).
  virtual StatusOr<std::optional<StoredSealed>> FindSealed(const Event& event,
                                                           std::string_view hash) = 0;
  virtual StatusOr<std::optional<std::string>> FindKey(std::string_view org,
                                                       std::string_view subject) = 0;
};

// Opens every personal value of a stored event in place (each blob once). A reference
// whose blob or key is gone makes the value absent and adds its path to event->erased
// (sorted). A value that is not a reference (stored before sealing existed) is left as
// it is. DataLoss "sealed_value_corrupt" if a blob fails to authenticate, does not
// decode, or lacks the value. `opened`, if given, keeps opened blobs (org ‖ 0x00 ‖ the
// reference's text -> values, nullopt when gone) across the events of one page or scan,
// so a blob that many events share is decoded, read and decrypted once.
using OpenedBlobs = std::map<std::string, std::optional<Json>>;
Status OpenEvent(Event* event, const Catalog& catalog, SealedSource& source,
                 OpenedBlobs* opened = nullptr);

}  // namespace actlog::privacy
