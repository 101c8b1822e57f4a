// Helpers behind ParseJson's error messages: simdjson reports what kind of syntax error
// it met but not where, so on failure (only then) the input is scanned again here to
// find the first offending byte. Internal to src/core; thread-safe (pure functions).
#pragma once

#include <string>
#include <string_view>

namespace actlog::json_internal {

// True if `token` is exactly one RFC 8259 number; *integer tells whether it has neither
// fraction nor exponent.
bool IsJsonNumber(std::string_view token, bool* integer);

// "expected ':' after an object key at byte 12", for the first RFC 8259 syntax error in
// `text` (UTF-8 is not checked here); empty if the scan finds none.
std::string DescribeJsonSyntaxError(std::string_view text);

}  // namespace actlog::json_internal
