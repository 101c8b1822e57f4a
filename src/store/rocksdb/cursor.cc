#include "store/rocksdb/cursor.h"

#include <sodium.h>

#include <algorithm>
#include <tuple>
#include <vector>

namespace actlog::store {
namespace {

constexpr uint8_t kCursorVersion = 1;
constexpr size_t kFingerprintBytes = 8;
constexpr size_t kCursorBytes = 2 + 16 + kFingerprintBytes;

void AppendField(std::string* out, std::string_view s) {
  PutVarint64(out, s.size());
  out->append(s);
}

void AppendFilters(std::string* out, std::vector<FieldFilter> filters) {
  std::sort(filters.begin(), filters.end(), [](const FieldFilter& a, const FieldFilter& b) {
    return std::tie(a.field, a.value) < std::tie(b.field, b.value);
  });
  PutVarint64(out, filters.size());
  for (const FieldFilter& f : filters) {
    out->push_back(static_cast<char>(f.field));
    AppendField(out, f.value);
  }
}

void AppendOptionalTime(std::string* out, const std::optional<int64_t>& t) {
  out->push_back(t.has_value() ? 1 : 0);
  PutFixed64BE(out, EncodeTime(t.value_or(0)));
}

Status BadCursor(std::string why) {
  return InvalidArgument("invalid_cursor", "cursor " + std::move(why),
                         {{std::nullopt, "cursor", "invalid_cursor", ""}});
}

}  // namespace

std::string QueryFingerprint(const EventQuery& query) {
  std::string material;
  AppendField(&material, query.org);
  AppendFilters(&material, query.include);
  AppendFilters(&material, query.exclude);
  AppendOptionalTime(&material, query.from_us);
  AppendOptionalTime(&material, query.to_us);
  AppendField(&material, query.text);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(material.data()),
                     material.size());
  return std::string(reinterpret_cast<const char*>(digest), kFingerprintBytes);
}

std::string EncodeCursor(const EventQuery& query, Position resume_at) {
  std::string raw;
  raw.push_back(static_cast<char>(kCursorVersion));
  raw.push_back(query.order == Order::kAsc ? 'a' : 'd');
  AppendPosition(&raw, resume_at);
  raw.append(QueryFingerprint(query));
  std::string out(sodium_base64_ENCODED_LEN(raw.size(),
                                            sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

StatusOr<Position> DecodeCursor(const EventQuery& query) {
  unsigned char raw[kCursorBytes + 1];
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(raw, sizeof(raw), query.cursor.data(), query.cursor.size(), nullptr,
                        &len, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != query.cursor.data() + query.cursor.size() || len != kCursorBytes) {
    return BadCursor("is malformed");
  }
  std::string_view bytes(reinterpret_cast<const char*>(raw), len);
  if (static_cast<uint8_t>(bytes[0]) != kCursorVersion) return BadCursor("has an unknown version");
  char order = query.order == Order::kAsc ? 'a' : 'd';
  if (bytes[1] != order) return BadCursor("was made for the other order");
  if (bytes.substr(18) != QueryFingerprint(query)) {
    return BadCursor("was made for another org or other filters");
  }
  return ParsePositionSuffix(bytes.substr(2, 16));
}

}  // namespace actlog::store
