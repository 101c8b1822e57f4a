#include "store/rocksdb/keys.h"

#include <limits>

namespace actlog::store {

namespace {
constexpr uint64_t kSignBit = uint64_t{1} << 63;
}  // namespace

Position Position::Min() { return {std::numeric_limits<int64_t>::min(), 0}; }
Position Position::Max() {
  return {std::numeric_limits<int64_t>::max(), std::numeric_limits<uint64_t>::max()};
}

Position Position::Successor() const {
  if (seq != std::numeric_limits<uint64_t>::max()) return {occurred_at_us, seq + 1};
  if (occurred_at_us == std::numeric_limits<int64_t>::max()) return *this;
  return {occurred_at_us + 1, 0};
}

Position Position::Predecessor() const {
  if (seq != 0) return {occurred_at_us, seq - 1};
  if (occurred_at_us == std::numeric_limits<int64_t>::min()) return *this;
  return {occurred_at_us - 1, std::numeric_limits<uint64_t>::max()};
}

uint64_t EncodeTime(int64_t micros) { return static_cast<uint64_t>(micros) ^ kSignBit; }
int64_t DecodeTime(uint64_t bits) { return static_cast<int64_t>(bits ^ kSignBit); }

void PutFixed64BE(std::string* out, uint64_t v) {
  char buf[8];
  for (int i = 7; i >= 0; --i) {
    buf[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  out->append(buf, 8);
}

uint64_t DecodeFixed64BE(const char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

void PutVarint64(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint64(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (size_t i = 0; i < in->size() && i < 10; ++i) {
    uint64_t byte = static_cast<unsigned char>((*in)[i]);
    result |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      *v = result;
      in->remove_prefix(i + 1);
      return true;
    }
  }
  return false;
}

std::string OrgPrefix(std::string_view org) {
  std::string key(org);
  key.push_back('\0');
  return key;
}

std::string EventKey(std::string_view org, uint64_t seq) {
  std::string key = OrgPrefix(org);
  PutFixed64BE(&key, seq);
  return key;
}

std::optional<uint64_t> ParseEventKey(std::string_view key, std::string_view org) {
  if (key.size() != org.size() + 9 || key.substr(0, org.size()) != org ||
      key[org.size()] != '\0') {
    return std::nullopt;
  }
  return DecodeFixed64BE(key.data() + org.size() + 1);
}

std::string IdKey(std::string_view org, std::string_view id) {
  std::string key = OrgPrefix(org);
  key.append(id);
  return key;
}

std::string IdValue(const IdEntry& entry) {
  std::string value;
  PutVarint64(&value, entry.seq);
  value.push_back(entry.client_id ? 1 : 0);
  value.append(entry.digest);
  return value;
}

bool ParseIdValue(std::string_view value, IdEntry* entry) {
  if (!GetVarint64(&value, &entry->seq) || value.empty()) return false;
  entry->client_id = (value[0] & 1) != 0;
  entry->digest.assign(value.substr(1));
  return true;
}

std::string IndexPrefix(std::string_view org, IndexKind kind, std::string_view value) {
  std::string key = OrgPrefix(org);
  key.push_back(static_cast<char>(kind));
  PutVarint64(&key, value.size());
  key.append(value);
  return key;
}

void AppendPosition(std::string* key, Position pos) {
  PutFixed64BE(key, EncodeTime(pos.occurred_at_us));
  PutFixed64BE(key, pos.seq);
}

std::string IndexKey(std::string_view org, IndexKind kind, std::string_view value,
                     Position pos) {
  std::string key = IndexPrefix(org, kind, value);
  AppendPosition(&key, pos);
  return key;
}

Position ParsePositionSuffix(std::string_view key) {
  const char* p = key.data() + key.size() - kPositionBytes;
  return {DecodeTime(DecodeFixed64BE(p)), DecodeFixed64BE(p + 8)};
}

std::optional<size_t> IndexPrefixLength(std::string_view key) {
  size_t sep = key.find('\0');
  if (sep == std::string_view::npos || sep + 2 > key.size()) return std::nullopt;
  std::string_view rest = key.substr(sep + 2);  // after org, 0x00 and the kind byte
  uint64_t len = 0;
  if (!GetVarint64(&rest, &len) || len > rest.size()) return std::nullopt;
  return key.size() - rest.size() + len;
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty() && static_cast<unsigned char>(s.back()) == 0xff) s.pop_back();
  if (!s.empty()) s.back() = static_cast<char>(static_cast<unsigned char>(s.back()) + 1);
  return s;
}

}  // namespace actlog::store
