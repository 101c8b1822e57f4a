// Byte encodings shared by the integrity code: strict standard base64 (RFC 4648 §4, with
// padding), lower-case hex, and UTF-8 checks for signed notes. Internal to src/integrity.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace actlog::integrity::encoding {

std::string Base64Encode(std::span<const uint8_t> bytes);
inline std::string Base64Encode(std::string_view bytes) {
  return Base64Encode(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}
// Decodes padded standard base64. Rejects any character outside the alphabet (including
// whitespace), missing or extra padding, and non-zero trailing bits, so every byte string
// has exactly one accepted encoding.
std::optional<std::string> Base64Decode(std::string_view b64);

std::string HexEncode(std::span<const uint8_t> bytes);
// Decodes hex digits (either case). Rejects odd lengths and non-hex characters.
std::optional<std::string> HexDecode(std::string_view hex);

// Decodes one UTF-8 code point at s[*pos], advancing *pos. Returns nullopt (and leaves
// *pos alone) for an invalid, overlong, surrogate or truncated sequence.
std::optional<char32_t> DecodeUtf8(std::string_view s, std::size_t* pos);

// True for the code points Go's unicode.IsSpace reports (the signed-note spec forbids
// "Unicode spaces" in key names; the reference implementation uses that set).
bool IsUnicodeSpace(char32_t c);

}  // namespace actlog::integrity::encoding
