// RFC 9162 §2.1.1 hashing and the encodings of hashes and proofs.
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <bit>
#include <cstring>

#include "actlog/merkle.h"
#include "integrity/encoding.h"

namespace actlog::integrity {

namespace {
constexpr uint8_t kLeafPrefix = 0x00;
constexpr uint8_t kNodePrefix = 0x01;

Status BadHash(std::string message) { return InvalidArgument("invalid_hash", std::move(message)); }

// OpenSSL 3's one-shot SHA256() looks the algorithm up on every call, which costs more
// than hashing 65 bytes; a digest fetched once and one context per thread is about twice
// as fast.
const EVP_MD* Sha256Md() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct ThreadContext {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~ThreadContext() { EVP_MD_CTX_free(ctx); }
};

// SHA-256(prefix || a || b).
Hash Sha256(uint8_t prefix, std::span<const uint8_t> a, std::span<const uint8_t> b = {}) {
  thread_local ThreadContext tc;
  Hash out;
  unsigned int len = 0;
  const EVP_MD* md = Sha256Md();
  if (md != nullptr && tc.ctx != nullptr && EVP_DigestInit_ex(tc.ctx, md, nullptr) == 1 &&
      EVP_DigestUpdate(tc.ctx, &prefix, 1) == 1 &&
      (a.empty() || EVP_DigestUpdate(tc.ctx, a.data(), a.size()) == 1) &&
      (b.empty() || EVP_DigestUpdate(tc.ctx, b.data(), b.size()) == 1) &&
      EVP_DigestFinal_ex(tc.ctx, out.data(), &len) == 1 && len == kHashSize) {
    return out;
  }
  // The fast path failed (no default provider?): take the slow one-shot road.
  std::string buf(1, static_cast<char>(prefix));
  buf.append(reinterpret_cast<const char*>(a.data()), a.size());
  buf.append(reinterpret_cast<const char*>(b.data()), b.size());
  SHA256(reinterpret_cast<const uint8_t*>(buf.data()), buf.size(), out.data());
  return out;
}
}  // namespace

Hash LeafHash(std::string_view bytes) {
  return Sha256(kLeafPrefix, std::span<const uint8_t>(
                                 reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

Hash NodeHash(const Hash& left, const Hash& right) { return Sha256(kNodePrefix, left, right); }

Hash EmptyRootHash() {
  Hash out;
  SHA256(nullptr, 0, out.data());
  return out;
}

uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

Hash RootFromLeafHashes(std::span<const Hash> leaves) {
  if (leaves.empty()) return EmptyRootHash();
  if (leaves.size() == 1) return leaves[0];
  const std::size_t k = SplitPoint(leaves.size());
  return NodeHash(RootFromLeafHashes(leaves.first(k)), RootFromLeafHashes(leaves.subspan(k)));
}

std::string HashToHex(const Hash& hash) { return encoding::HexEncode(hash); }
std::string HashToBase64(const Hash& hash) { return encoding::Base64Encode(hash); }

StatusOr<Hash> HashFromHex(std::string_view hex) {
  std::optional<std::string> raw = encoding::HexDecode(hex);
  if (!raw || raw->size() != kHashSize) return BadHash("want 64 hex digits");
  Hash out;
  std::memcpy(out.data(), raw->data(), kHashSize);
  return out;
}

StatusOr<Hash> HashFromBase64(std::string_view b64) {
  std::optional<std::string> raw = encoding::Base64Decode(b64);
  if (!raw || raw->size() != kHashSize) return BadHash("want 32 bytes in standard base64");
  Hash out;
  std::memcpy(out.data(), raw->data(), kHashSize);
  return out;
}

std::string EncodeProof(std::span<const Hash> proof) {
  std::string out;
  out.reserve(proof.size() * kHashSize);
  for (const Hash& h : proof) out.append(reinterpret_cast<const char*>(h.data()), kHashSize);
  return out;
}

StatusOr<std::vector<Hash>> DecodeProof(std::string_view bytes) {
  if (bytes.size() % kHashSize != 0) {
    return InvalidArgument("invalid_proof", "proof length is not a multiple of 32 bytes");
  }
  if (bytes.size() / kHashSize > kMaxProofHashes) {
    return InvalidArgument("invalid_proof", "proof has more hashes than any tree needs");
  }
  std::vector<Hash> proof(bytes.size() / kHashSize);
  for (std::size_t i = 0; i < proof.size(); ++i) {
    std::memcpy(proof[i].data(), bytes.data() + i * kHashSize, kHashSize);
  }
  return proof;
}

}  // namespace actlog::integrity
