// Key encoding of the embedded store (docs/STORAGE.md describes every byte).
//
// All keys start with the organisation id and a 0x00 separator. Org ids never contain
// 0x00 (IsValidOrgId), so one org's keys never interleave with another's and a
// per-org prefix scan is exact. Integers are big-endian so that bytewise order equals
// numeric order; occurred_at is signed, so its sign bit is flipped before encoding.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace actlog::store {

// A position in result order: (occurred_at, seq). Every index stream is sorted by it.
struct Position {
  int64_t occurred_at_us = 0;
  uint64_t seq = 0;

  auto operator<=>(const Position&) const = default;
  bool operator==(const Position&) const = default;

  static Position Min();
  static Position Max();
  // The next / previous position in ascending order (saturating at Max / Min).
  Position Successor() const;
  Position Predecessor() const;
};

// The kinds of secondary index entries. The byte values are part of the on-disk format.
enum class IndexKind : uint8_t {
  kTime = 0x01,        // no value: every event, the unfiltered listing
  kCode = 0x02,        // exact code
  kResource = 0x03,    // format 1 only: each resource level of the code; no longer written
  kActor = 0x04,       // actor id
  kActorType = 0x05,   // api_key | system; "user" is not written (format 3)
  kActorEmail = 0x06,  // HMAC-SHA256(store secret, lowercased email): a blind index
  kTargetType = 0x07,
  kTargetId = 0x08,
  kOutcome = 0x09,     // only "failure" is written (format 2)
  // A searchable personal value (catalog `searchable_fields`): path ‖ 0x00 ‖
  // privacy::BlindValue(store secret, path, value) — a blind index like kActorEmail.
  kPersonal = 0x0a,
};

void PutFixed64BE(std::string* out, uint64_t v);
uint64_t DecodeFixed64BE(const char* p);
void PutVarint64(std::string* out, uint64_t v);
// Parses a varint at the front of *in and advances it; false if truncated/overlong.
bool GetVarint64(std::string_view* in, uint64_t* v);

// org ‖ 0x00
std::string OrgPrefix(std::string_view org);

// events CF: org ‖ 0x00 ‖ BE64(seq)
std::string EventKey(std::string_view org, uint64_t seq);
// Returns the seq of an events key of `org`, if it is one.
std::optional<uint64_t> ParseEventKey(std::string_view key, std::string_view org);

// ids CF: org ‖ 0x00 ‖ id. Value: varint(seq) ‖ flags byte ‖ content_digest, where
// flags bit 0 = the id came from the client.
std::string IdKey(std::string_view org, std::string_view id);
struct IdEntry {
  uint64_t seq = 0;
  bool client_id = false;
  std::string digest;
};
std::string IdValue(const IdEntry& entry);
bool ParseIdValue(std::string_view value, IdEntry* entry);

// index CF: org ‖ 0x00 ‖ kind ‖ varint(len(value)) ‖ value  (the stream prefix), then
// BE64(occurred_at_us ^ 2^63) ‖ BE64(seq). Values are empty.
std::string IndexPrefix(std::string_view org, IndexKind kind, std::string_view value);
void AppendPosition(std::string* key, Position pos);
std::string IndexKey(std::string_view org, IndexKind kind, std::string_view value,
                     Position pos);
constexpr size_t kPositionBytes = 16;
// The position in the last 16 bytes of an index key. REQUIRES: size >= 16.
Position ParsePositionSuffix(std::string_view key);
// Length of the stream prefix of an index key, or nullopt if the key is not well formed
// (used by the prefix extractor).
std::optional<size_t> IndexPrefixLength(std::string_view key);

// The smallest string greater than every string that starts with `prefix`.
// REQUIRES: prefix contains a byte other than 0xff.
std::string PrefixSuccessor(std::string_view prefix);

// meta CF keys.
inline constexpr std::string_view kMetaFormatVersion = "format_version";
inline constexpr std::string_view kMetaBlindIndexSecret = "blind_index_secret";
inline constexpr std::string_view kMetaOrgPrefix = "org/";  // + org -> BE64(created_at^2^63)
// + org -> BE64(first seq not pruned), written with the prune that moves it.
inline constexpr std::string_view kMetaPrunedPrefix = "pruned/";
// 2: no kResource entries, kOutcome only for failures (format 1 had both for every event).
// 3: kActorType only for api_key and system actors (format 2 had one for every event).
inline constexpr uint64_t kFormatVersion = 3;

uint64_t EncodeTime(int64_t micros);  // sign-flipped, order preserving
int64_t DecodeTime(uint64_t bits);

}  // namespace actlog::store
