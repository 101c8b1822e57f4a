// A plain RFC 8259 syntax scanner, run only after simdjson rejected an input, to say
// where. It builds nothing and keeps one byte per open container.
#include "core/json_syntax.h"

#include <string>
#include <vector>

namespace actlog::json_internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string At(std::string what, std::size_t pos) {
  return what + " at byte " + std::to_string(pos);
}

unsigned HexValue(std::string_view text, std::size_t pos) {
  unsigned v = 0;
  for (std::size_t k = pos; k < pos + 4; ++k) {
    char c = text[k];
    v = v * 16 + (IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return v;
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::string Run();

 private:
  enum class Want { kValue, kValueOrClose, kKeyOrClose, kKey, kColon, kCommaOrClose, kEnd };

  std::string Value(Want* want);
  std::string String();  // text_[pos_] is the opening quote
  std::string Escape();  // text_[pos_] is the backslash
  std::string Literal(std::string_view word);
  std::string Number();
  Want AfterValue() const { return open_.empty() ? Want::kEnd : Want::kCommaOrClose; }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::vector<char> open_;  // '[' or '{' for each open container
};

std::string Scanner::Run() {
  Want want = Want::kValue;
  while (true) {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    if (pos_ == text_.size()) {
      return want == Want::kEnd ? "" : At("unexpected end of input", pos_);
    }
    const char c = text_[pos_];
    std::string error;
    switch (want) {
      case Want::kValueOrClose:
        if (c == ']') {
          open_.pop_back();
          ++pos_;
          want = AfterValue();
          continue;
        }
        [[fallthrough]];
      case Want::kValue:
        error = Value(&want);
        break;
      case Want::kKeyOrClose:
        if (c == '}') {
          open_.pop_back();
          ++pos_;
          want = AfterValue();
          continue;
        }
        [[fallthrough]];
      case Want::kKey:
        if (c != '"') return At("expected a string key", pos_);
        error = String();
        want = Want::kColon;
        break;
      case Want::kColon:
        if (c != ':') return At("expected ':' after an object key", pos_);
        ++pos_;
        want = Want::kValue;
        break;
      case Want::kCommaOrClose: {
        const char close = open_.back() == '[' ? ']' : '}';
        if (c == ',') {
          want = open_.back() == '[' ? Want::kValue : Want::kKey;
        } else if (c == close) {
          open_.pop_back();
          want = AfterValue();
        } else {
          return At(std::string("expected ',' or '") + close + "'", pos_);
        }
        ++pos_;
        break;
      }
      case Want::kEnd:
        return At("unexpected content after the JSON value", pos_);
    }
    if (!error.empty()) return error;
  }
}

std::string Scanner::Value(Want* want) {
  const char c = text_[pos_];
  if (c == '[' || c == '{') {
    open_.push_back(c);
    ++pos_;
    *want = c == '[' ? Want::kValueOrClose : Want::kKeyOrClose;
    return "";
  }
  std::string error;
  if (c == '"') {
    error = String();
  } else if (c == 't') {
    error = Literal("true");
  } else if (c == 'f') {
    error = Literal("false");
  } else if (c == 'n') {
    error = Literal("null");
  } else if (c == '-' || IsDigit(c)) {
    error = Number();
  } else {
    return At("expected a value", pos_);
  }
  *want = AfterValue();
  return error;
}

std::string Scanner::String() {
  const std::size_t start = pos_++;
  while (pos_ < text_.size()) {
    const auto c = static_cast<unsigned char>(text_[pos_]);
    if (c == '"') {
      ++pos_;
      return "";
    }
    if (c < 0x20) return At("unescaped control character in a string", pos_);
    if (c == '\\') {
      std::string error = Escape();
      if (!error.empty()) return error;
    } else {
      ++pos_;
    }
  }
  return At("unterminated string", start);
}

std::string Scanner::Escape() {
  const std::size_t start = pos_;
  if (pos_ + 1 >= text_.size()) return At("unterminated string", start);
  const char e = text_[pos_ + 1];
  if (e != 'u') {
    if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
      return At("invalid escape in a string", start);
    }
    pos_ += 2;
    return "";
  }
  auto read_unit = [&](std::size_t at, unsigned* unit) {
    if (at + 6 > text_.size() || text_[at] != '\\' || text_[at + 1] != 'u') return false;
    for (std::size_t k = at + 2; k < at + 6; ++k) {
      if (!IsHex(text_[k])) return false;
    }
    *unit = HexValue(text_, at + 2);
    return true;
  };
  unsigned unit = 0;
  if (!read_unit(pos_, &unit)) return At("invalid \\u escape in a string", start);
  pos_ += 6;
  if (unit >= 0xDC00 && unit <= 0xDFFF) return At("unpaired surrogate in a string", start);
  if (unit >= 0xD800 && unit <= 0xDBFF) {
    unsigned low = 0;
    if (!read_unit(pos_, &low) || low < 0xDC00 || low > 0xDFFF) {
      return At("unpaired surrogate in a string", start);
    }
    pos_ += 6;
  }
  return "";
}

std::string Scanner::Literal(std::string_view word) {
  if (text_.substr(pos_, word.size()) != word) return At("invalid literal", pos_);
  pos_ += word.size();
  return "";
}

std::string Scanner::Number() {
  std::size_t end = pos_;
  while (end < text_.size() && (IsDigit(text_[end]) || text_[end] == '-' || text_[end] == '+' ||
                                text_[end] == '.' || text_[end] == 'e' || text_[end] == 'E')) {
    ++end;
  }
  bool integer = false;
  if (!IsJsonNumber(text_.substr(pos_, end - pos_), &integer)) {
    return At("invalid number", pos_);
  }
  pos_ = end;
  return "";
}

}  // namespace

bool IsJsonNumber(std::string_view tok, bool* integer) {
  std::size_t i = 0;
  if (i < tok.size() && tok[i] == '-') ++i;
  if (i >= tok.size() || !IsDigit(tok[i])) return false;
  if (tok[i] == '0') {
    ++i;
  } else {
    while (i < tok.size() && IsDigit(tok[i])) ++i;
  }
  *integer = true;
  if (i < tok.size() && tok[i] == '.') {
    *integer = false;
    ++i;
    if (i >= tok.size() || !IsDigit(tok[i])) return false;
    while (i < tok.size() && IsDigit(tok[i])) ++i;
  }
  if (i < tok.size() && (tok[i] == 'e' || tok[i] == 'E')) {
    *integer = false;
    ++i;
    if (i < tok.size() && (tok[i] == '+' || tok[i] == '-')) ++i;
    if (i >= tok.size() || !IsDigit(tok[i])) return false;
    while (i < tok.size() && IsDigit(tok[i])) ++i;
  }
  return i == tok.size();
}

std::string DescribeJsonSyntaxError(std::string_view text) { return Scanner(text).Run(); }

}  // namespace actlog::json_internal
