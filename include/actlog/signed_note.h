// C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, and the checkpoints built on
// them (c2sp.org/tlog-checkpoint).
//
// A signed note is a text ending in a newline, a blank line, then one or more lines
// "— <key name> <base64(4-byte key id || signature)>". The key id of an Ed25519 key is the
// first 4 bytes (big-endian) of SHA-256(name || 0x0A || 0x01 || 32-byte public key).
// Keys travel as strings:
//   verifier key  <name>+<8 hex key id>+<base64(0x01 || public key)>
//   signer key    PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 || 32-byte seed)>
// A checkpoint is a note whose text is "<origin>\n<tree size>\n<base64 root hash>\n"
// followed by optional non-empty extension lines.
//
// Everything here parses untrusted input without trusting lengths or encodings; errors are
// values with stable codes:
//   malformed_note (InvalidArgument)      syntax, encoding or limits violated
//   malformed_key (InvalidArgument)       a key string that does not parse or check out
//   invalid_signature (DataLoss)          a known key's signature does not verify
//   unverified_note (PermissionDenied)    no signature by any known key
//   ambiguous_key (InvalidArgument)       two known keys share a name and key id
//   malformed_checkpoint (InvalidArgument), wrong_origin (PermissionDenied)
//
// Thread-safety: free functions are thread-safe; NoteVerifier and NoteSigner are
// immutable after construction and safe to share.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "actlog/merkle.h"
#include "actlog/status.h"

namespace actlog::integrity {

// Limits on untrusted notes. The spec requires accepting at least 16 signatures; like the
// Go reference implementation we accept up to 100.
inline constexpr std::size_t kMaxNoteSignatures = 100;
inline constexpr std::size_t kMaxNoteBytes = 1 << 20;
inline constexpr uint8_t kEd25519SignatureType = 0x01;

// Non-empty, valid UTF-8, no Unicode space and no '+'.
bool IsValidKeyName(std::string_view name);

// SHA-256(name || 0x0A || 0x01 || public_key)[:4] as a big-endian integer.
uint32_t Ed25519KeyId(std::string_view name, std::span<const uint8_t, 32> public_key);

// One signature line of a note.
struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  std::string signature;  // the bytes after the key id
  bool operator==(const NoteSignature&) const = default;
};

// A note's text and signature lines, syntax-checked but not verified.
struct ParsedNote {
  std::string text;                       // up to and including the newline before the blank line
  std::vector<NoteSignature> signatures;  // in order of appearance
};
StatusOr<ParsedNote> ParseNote(std::string_view note);

// Verifies Ed25519 note signatures of one key.
class NoteVerifier {
 public:
  // Parses a verifier key string; checks the key id against the name and key.
  static StatusOr<NoteVerifier> Parse(std::string_view vkey);
  static StatusOr<NoteVerifier> FromPublicKey(std::string_view name,
                                              std::span<const uint8_t> public_key);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  const std::array<uint8_t, 32>& public_key() const { return public_key_; }
  // The verifier key string.
  std::string KeyString() const;
  // True iff `signature` is a valid Ed25519 signature of `message` by this key.
  bool Verify(std::string_view message, std::string_view signature) const;

 private:
  NoteVerifier() = default;
  std::string name_;
  uint32_t key_id_ = 0;
  std::array<uint8_t, 32> public_key_{};
};

// Signs notes with one Ed25519 key. Holds secret key material, wiped on destruction.
class NoteSigner {
 public:
  // Parses a signer key string; checks the key id against the derived public key.
  static StatusOr<NoteSigner> Parse(std::string_view skey);
  static StatusOr<NoteSigner> FromSeed(std::string_view name, std::span<const uint8_t> seed);
  // A fresh key from the system's secure random source.
  static StatusOr<NoteSigner> Generate(std::string_view name);

  NoteSigner(const NoteSigner& other);
  NoteSigner& operator=(const NoteSigner& other);
  ~NoteSigner();

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  // The signer key string (secret!) and the matching verifier.
  std::string KeyString() const;
  NoteVerifier Verifier() const;
  // The 64-byte Ed25519 signature of `message`.
  std::string Sign(std::string_view message) const;

 private:
  NoteSigner() = default;
  std::string name_;
  uint32_t key_id_ = 0;
  std::array<uint8_t, 32> seed_{};
  std::array<uint8_t, 64> secret_key_{};  // libsodium layout: seed || public key
};

// Signs `text` (non-empty, ending in '\n', valid note text) with each signer, in order.
StatusOr<std::string> SignNote(std::string_view text, std::span<const NoteSigner> signers);

// A note whose signatures have been checked.
struct VerifiedNote {
  std::string text;
  std::vector<NoteSignature> verified;    // by keys in `known`, one per key
  std::vector<NoteSignature> unverified;  // by other keys, identical lines merged
};
// Parses `note` and verifies every signature by a key in `known` (matched by name and key
// id). Signatures by unknown keys are set aside, never trusted. Fails if any known key's
// signature is invalid, or if no known key signed.
StatusOr<VerifiedNote> OpenNote(std::string_view note, std::span<const NoteVerifier> known);

// The body of a checkpoint.
struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;  // extra lines, without their newlines
  bool operator==(const Checkpoint&) const = default;
};
// "<origin>\n<size>\n<base64 root>\n" then one line per extension. Fails
// (malformed_checkpoint) if the origin or an extension is empty or holds a newline.
StatusOr<std::string> FormatCheckpoint(const Checkpoint& checkpoint);
// Strict inverse of FormatCheckpoint: decimal size without leading zeros, canonical
// base64 of exactly 32 bytes, no empty lines, text ending in '\n'.
StatusOr<Checkpoint> ParseCheckpoint(std::string_view text);
// The signed note of a checkpoint.
StatusOr<std::string> SignCheckpoint(const Checkpoint& checkpoint, const NoteSigner& signer);
// Opens the note with `known` keys, parses the checkpoint, and requires its origin to be
// exactly `origin` (wrong_origin otherwise): a checkpoint from another log proves nothing.
StatusOr<Checkpoint> OpenCheckpoint(std::string_view note, std::span<const NoteVerifier> known,
                                    std::string_view origin);

}  // namespace actlog::integrity
