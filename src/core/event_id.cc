// Server event ids in the ULID layout: 48 bits of milliseconds since the epoch, then 80
// random bits, written as 26 Crockford base32 characters (the first holds the top 3
// bits, so it is 0..7). Ids therefore sort by creation millisecond; within one
// millisecond their order is random. The randomness comes from libsodium's CSPRNG, so
// ids are not guessable from one another.
#include <sodium.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "actlog/clock.h"
#include "actlog/event.h"

namespace actlog {
namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void EnsureSodium() {
  // sodium_init is idempotent and thread-safe; a failure means no usable entropy, and
  // handing out predictable ids would be worse than stopping.
  static const bool ok = sodium_init() >= 0;
  if (!ok) std::abort();
}

}  // namespace

std::string NewEventId(const Clock& clock) {
  EnsureSodium();
  int64_t now_us = clock.NowMicros();
  uint64_t ms = now_us < 0 ? 0 : static_cast<uint64_t>(now_us / 1000);
  ms &= (uint64_t{1} << 48) - 1;

  // 128 bits: bytes[0..5] time (big endian), bytes[6..15] random.
  unsigned char bytes[16];
  for (int i = 5; i >= 0; --i) {
    bytes[i] = static_cast<unsigned char>(ms & 0xff);
    ms >>= 8;
  }
  randombytes_buf(bytes + 6, 10);

  // 26 characters x 5 bits = 130 bits; the two leading padding bits are zero.
  std::string id = "evt_";
  id.resize(4 + 26);
  unsigned __int128 v = 0;
  for (unsigned char b : bytes) v = (v << 8) | b;
  for (int i = 25; i >= 0; --i) {
    id[4 + i] = kCrockford[static_cast<unsigned>(v & 31)];
    v >>= 5;
  }
  return id;
}

}  // namespace actlog
