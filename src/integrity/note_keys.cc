// Ed25519 keys for signed notes: key ids, key strings, signing and verifying.
#include <openssl/sha.h>
#include <sodium.h>

#include <cstring>

#include "actlog/signed_note.h"
#include "integrity/encoding.h"

namespace actlog::integrity {

namespace {

constexpr std::string_view kPrivateKeyPrefix = "PRIVATE+KEY+";

Status BadKey(std::string message) { return InvalidArgument("malformed_key", std::move(message)); }

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

// Splits s at the first '+': "a+b+c" -> ("a", "b+c"). No '+' -> (s, "").
std::pair<std::string_view, std::string_view> Chop(std::string_view s) {
  const std::size_t plus = s.find('+');
  if (plus == std::string_view::npos) return {s, {}};
  return {s.substr(0, plus), s.substr(plus + 1)};
}

// Parses "<8 hex>+<base64>" into a key id and the decoded, type-prefixed key.
StatusOr<std::pair<uint32_t, std::string>> ParseIdAndKey(std::string_view s) {
  auto [hex, b64] = Chop(s);
  std::optional<std::string> id_bytes = encoding::HexDecode(hex);
  std::optional<std::string> key = encoding::Base64Decode(b64);
  if (hex.size() != 8 || !id_bytes || !key) return BadKey("want <name>+<8 hex>+<base64 key>");
  if (key->size() != 33 || static_cast<uint8_t>((*key)[0]) != kEd25519SignatureType) {
    return BadKey("not an Ed25519 key (type 0x01 and 32 bytes)");
  }
  uint32_t id = 0;
  for (char c : *id_bytes) id = id << 8 | static_cast<uint8_t>(c);
  return std::make_pair(id, std::move(*key));
}

std::string IdHex(uint32_t id) {
  const uint8_t bytes[4] = {static_cast<uint8_t>(id >> 24), static_cast<uint8_t>(id >> 16),
                            static_cast<uint8_t>(id >> 8), static_cast<uint8_t>(id)};
  return encoding::HexEncode(bytes);
}

std::string TypedKey(std::span<const uint8_t> key) {
  std::string out(1, static_cast<char>(kEd25519SignatureType));
  out.append(reinterpret_cast<const char*>(key.data()), key.size());
  return out;
}

}  // namespace

bool IsValidKeyName(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t pos = 0; pos < name.size();) {
    std::optional<char32_t> c = encoding::DecodeUtf8(name, &pos);
    if (!c || *c == U'+' || encoding::IsUnicodeSpace(*c)) return false;
  }
  return true;
}

uint32_t Ed25519KeyId(std::string_view name, std::span<const uint8_t, 32> public_key) {
  std::string buf(name);
  buf.push_back('\n');
  buf += TypedKey(public_key);
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const uint8_t*>(buf.data()), buf.size(), digest);
  return uint32_t{digest[0]} << 24 | uint32_t{digest[1]} << 16 | uint32_t{digest[2]} << 8 |
         uint32_t{digest[3]};
}

StatusOr<NoteVerifier> NoteVerifier::Parse(std::string_view vkey) {
  auto [name, rest] = Chop(vkey);
  if (!IsValidKeyName(name)) return BadKey("invalid key name");
  StatusOr<std::pair<uint32_t, std::string>> parsed = ParseIdAndKey(rest);
  if (!parsed.ok()) return parsed.status();
  const auto* key = reinterpret_cast<const uint8_t*>(parsed->second.data()) + 1;
  StatusOr<NoteVerifier> v = FromPublicKey(name, std::span<const uint8_t>(key, 32));
  if (v.ok() && v->key_id() != parsed->first) return BadKey("key id does not match the key");
  return v;
}

StatusOr<NoteVerifier> NoteVerifier::FromPublicKey(std::string_view name,
                                                   std::span<const uint8_t> public_key) {
  if (!IsValidKeyName(name)) return BadKey("invalid key name");
  if (public_key.size() != 32) return BadKey("an Ed25519 public key is 32 bytes");
  NoteVerifier v;
  v.name_ = std::string(name);
  std::memcpy(v.public_key_.data(), public_key.data(), 32);
  v.key_id_ = Ed25519KeyId(name, v.public_key_);
  return v;
}

std::string NoteVerifier::KeyString() const {
  return name_ + "+" + IdHex(key_id_) + "+" + encoding::Base64Encode(TypedKey(public_key_));
}

bool NoteVerifier::Verify(std::string_view message, std::string_view signature) const {
  if (signature.size() != crypto_sign_BYTES || !SodiumReady()) return false;
  return crypto_sign_verify_detached(reinterpret_cast<const uint8_t*>(signature.data()),
                                     reinterpret_cast<const uint8_t*>(message.data()),
                                     message.size(), public_key_.data()) == 0;
}

StatusOr<NoteSigner> NoteSigner::Parse(std::string_view skey) {
  if (!skey.starts_with(kPrivateKeyPrefix)) return BadKey("want PRIVATE+KEY+...");
  auto [name, rest] = Chop(skey.substr(kPrivateKeyPrefix.size()));
  if (!IsValidKeyName(name)) return BadKey("invalid key name");
  StatusOr<std::pair<uint32_t, std::string>> parsed = ParseIdAndKey(rest);
  if (!parsed.ok()) return parsed.status();
  const auto* seed = reinterpret_cast<const uint8_t*>(parsed->second.data()) + 1;
  StatusOr<NoteSigner> s = FromSeed(name, std::span<const uint8_t>(seed, 32));
  sodium_memzero(parsed->second.data(), parsed->second.size());
  if (s.ok() && s->key_id() != parsed->first) return BadKey("key id does not match the key");
  return s;
}

StatusOr<NoteSigner> NoteSigner::FromSeed(std::string_view name, std::span<const uint8_t> seed) {
  if (!IsValidKeyName(name)) return BadKey("invalid key name");
  if (seed.size() != 32) return BadKey("an Ed25519 seed is 32 bytes");
  if (!SodiumReady()) return Internal("libsodium failed to initialise");
  NoteSigner s;
  s.name_ = std::string(name);
  std::memcpy(s.seed_.data(), seed.data(), 32);
  uint8_t public_key[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_seed_keypair(public_key, s.secret_key_.data(), s.seed_.data());
  s.key_id_ = Ed25519KeyId(name, std::span<const uint8_t, 32>(public_key, 32));
  return s;
}

StatusOr<NoteSigner> NoteSigner::Generate(std::string_view name) {
  if (!SodiumReady()) return Internal("libsodium failed to initialise");
  std::array<uint8_t, 32> seed;
  randombytes_buf(seed.data(), seed.size());
  StatusOr<NoteSigner> s = FromSeed(name, seed);
  sodium_memzero(seed.data(), seed.size());
  return s;
}

NoteSigner::NoteSigner(const NoteSigner& other) = default;
NoteSigner& NoteSigner::operator=(const NoteSigner& other) = default;

NoteSigner::~NoteSigner() {
  sodium_memzero(seed_.data(), seed_.size());
  sodium_memzero(secret_key_.data(), secret_key_.size());
}

std::string NoteSigner::KeyString() const {
  return std::string(kPrivateKeyPrefix) + name_ + "+" + IdHex(key_id_) + "+" +
         encoding::Base64Encode(TypedKey(seed_));
}

NoteVerifier NoteSigner::Verifier() const {
  // The public key is the second half of libsodium's secret key.
  return *NoteVerifier::FromPublicKey(name_, std::span<const uint8_t>(secret_key_.data() + 32, 32));
}

std::string NoteSigner::Sign(std::string_view message) const {
  std::string sig(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<uint8_t*>(sig.data()), nullptr,
                       reinterpret_cast<const uint8_t*>(message.data()), message.size(),
                       secret_key_.data());
  return sig;
}

}  // namespace actlog::integrity
