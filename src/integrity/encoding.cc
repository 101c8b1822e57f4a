#include "integrity/encoding.h"

#include <sodium.h>

namespace actlog::integrity::encoding {

std::string Base64Encode(std::span<const uint8_t> bytes) {
  const std::size_t cap = sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string out(cap, '\0');
  sodium_bin2base64(out.data(), cap, bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(cap - 1);  // drop the terminating NUL
  return out;
}

std::optional<std::string> Base64Decode(std::string_view b64) {
  if (b64.empty()) return std::string();
  if (b64.size() % 4 != 0) return std::nullopt;
  // libsodium 1.0.18 maps some bytes >= 0x80 to alphabet values, so check the alphabet
  // here: letters, digits, '+', '/', and '=' only in the last two places.
  for (std::size_t i = 0; i < b64.size(); ++i) {
    const char c = b64[i];
    const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (!alphabet && !(c == '=' && i + 2 >= b64.size())) return std::nullopt;
  }
  std::string out(b64.size() / 4 * 3, '\0');
  std::size_t len = 0;
  // With b64_end == nullptr libsodium fails unless the whole input is consumed; it also
  // rejects non-zero trailing bits and wrong padding.
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(),
                        b64.size(), /*ignore=*/nullptr, &len, /*b64_end=*/nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

std::string HexEncode(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi << 4 | lo);
  }
  return out;
}

std::optional<char32_t> DecodeUtf8(std::string_view s, std::size_t* pos) {
  const std::size_t i = *pos;
  if (i >= s.size()) return std::nullopt;
  const auto byte = [&](std::size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  if (b0 < 0x80) {
    *pos = i + 1;
    return b0;
  }
  std::size_t len;
  char32_t cp;
  char32_t min;
  if ((b0 & 0xe0) == 0xc0) {
    len = 2, cp = b0 & 0x1f, min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    len = 3, cp = b0 & 0x0f, min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (s.size() - i < len) return std::nullopt;
  for (std::size_t k = 1; k < len; ++k) {
    const uint8_t b = byte(i + k);
    if ((b & 0xc0) != 0x80) return std::nullopt;
    cp = cp << 6 | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return std::nullopt;
  *pos = i + len;
  return cp;
}

bool IsUnicodeSpace(char32_t c) {
  switch (c) {
    case U'\t':
    case U'\n':
    case U'\v':
    case U'\f':
    case U'\r':
    case U' ':
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200a;
  }
}

}  // namespace actlog::integrity::encoding
