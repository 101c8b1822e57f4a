// RFC 9162 §2.1.1 hashing and the encodings of hashes and proofs.
#include <openssl/sha.h>

#include <bit>
#include <cstring>

#include "actlog/merkle.h"
#include "integrity/encoding.h"

namespace actlog::integrity {

namespace {
constexpr uint8_t kLeafPrefix = 0x00;
constexpr uint8_t kNodePrefix = 0x01;
constexpr std::size_t kInlineLeaf = 512;  // leaves up to this size hash without allocating

Status BadHash(std::string message) { return InvalidArgument("invalid_hash", std::move(message)); }
}  // namespace

Hash LeafHash(std::string_view bytes) {
  Hash out;
  if (bytes.size() <= kInlineLeaf) {
    uint8_t buf[1 + kInlineLeaf];
    buf[0] = kLeafPrefix;
    if (!bytes.empty()) std::memcpy(buf + 1, bytes.data(), bytes.size());
    SHA256(buf, 1 + bytes.size(), out.data());
    return out;
  }
  std::string buf;
  buf.reserve(1 + bytes.size());
  buf.push_back(static_cast<char>(kLeafPrefix));
  buf.append(bytes);
  SHA256(reinterpret_cast<const uint8_t*>(buf.data()), buf.size(), out.data());
  return out;
}

Hash NodeHash(const Hash& left, const Hash& right) {
  uint8_t buf[1 + 2 * kHashSize];
  buf[0] = kNodePrefix;
  std::memcpy(buf + 1, left.data(), kHashSize);
  std::memcpy(buf + 1 + kHashSize, right.data(), kHashSize);
  Hash out;
  SHA256(buf, sizeof(buf), out.data());
  return out;
}

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
