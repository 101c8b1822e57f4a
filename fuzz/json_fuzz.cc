// libFuzzer target for ParseJson and CanonicalJson. Not part of the CMake build.
//
// For any input that parses, canonical form is a fixed point: parsing the canonical
// bytes succeeds, gives an equal value, and canonicalises to the same bytes. Inputs that
// do not parse must fail with one of ParseJson's documented error codes. The syntax
// scanner behind error messages must agree with simdjson on what is well-formed.
//
// Build and run (clang with libFuzzer, from the repository root):
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -Iinclude -Isrc \
//     fuzz/json_fuzz.cc src/core/json.cc src/core/json_parse.cc \
//     src/core/canonical_json.cc src/core/json_syntax.cc src/core/status.cc \
//     -lsimdjson -o /tmp/json_fuzz
//   mkdir -p /tmp/json_corpus && cp tests/data/rfc8785/input/*.json /tmp/json_corpus/
//   /tmp/json_fuzz -max_total_time=300 -max_len=4096 /tmp/json_corpus
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "actlog/json.h"
#include "core/json_syntax.h"

namespace {

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "json_fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();
}

bool IsDocumentedError(const std::string& code) {
  return code == "invalid_utf8" || code == "malformed_json" || code == "duplicate_key" ||
         code == "too_deep" || code == "number_out_of_range";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  actlog::StatusOr<actlog::Json> parsed = actlog::ParseJson(text);
  if (!parsed.ok()) {
    if (!IsDocumentedError(parsed.status().error_code())) {
      Fail("undocumented error", parsed.status().ToString());
    }
    return 0;
  }
  if (std::string where = actlog::json_internal::DescribeJsonSyntaxError(text); !where.empty()) {
    Fail("syntax scanner rejects what simdjson accepted", where);
  }
  const std::string canonical = actlog::CanonicalJson(*parsed);
  actlog::StatusOr<actlog::Json> reparsed = actlog::ParseJson(canonical);
  if (!reparsed.ok()) Fail("canonical output does not parse", canonical);
  if (!(*reparsed == *parsed)) Fail("canonical output means something else", canonical);
  if (actlog::CanonicalJson(*reparsed) != canonical) Fail("canonical form is not stable", canonical);
  return 0;
}
