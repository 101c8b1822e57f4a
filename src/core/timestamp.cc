// RFC 3339 timestamps <-> microseconds since the Unix epoch (UTC).
//
// Accepted: YYYY-MM-DD('T'|'t')HH:MM:SS[.F{1,9}]('Z'|'z'|(+|-)HH:MM), years 1970..9999,
// real calendar days, seconds 00..59 (a leap second "60" is rejected: microsecond
// timestamps cannot name it without lying), and a result not before the epoch.
// Fraction digits past the sixth are dropped (truncation keeps the instant inside the
// second the producer wrote). Hand-rolled rather than strptime: it is on the ingest hot
// path, locale-free and must reject anything loose.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "actlog/event.h"

namespace actlog {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;

Status BadTimestamp(std::string_view text, const char* why) {
  std::string msg = "\"";
  msg.append(text.substr(0, 64));
  msg += "\" is not an RFC 3339 timestamp: ";
  msg += why;
  return InvalidArgument("invalid_timestamp", std::move(msg));
}

// Reads exactly `n` ASCII digits at `*pos`; false if any is not a digit.
bool ReadDigits(std::string_view s, std::size_t* pos, int n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, std::size_t* pos, char a, char b = '\0') {
  if (*pos >= s.size()) return false;
  char c = s[*pos];
  if (c != a && (b == '\0' || c != b)) return false;
  ++*pos;
  return true;
}

int64_t DaysFromCivil(int y, int m, int d) {
  using namespace std::chrono;
  return sys_days(year{y} / month{static_cast<unsigned>(m)} / day{static_cast<unsigned>(d)})
      .time_since_epoch()
      .count();
}

bool IsValidDate(int y, int m, int d) {
  using namespace std::chrono;
  return year_month_day(year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)})
      .ok();
}

void AppendPadded(int64_t v, int width, std::string* out) {
  char buf[16];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out->append(buf, width);
}

}  // namespace

StatusOr<int64_t> ParseTimestamp(std::string_view s) {
  std::size_t pos = 0;
  int year = 0, mon = 0, day = 0, hour = 0, min = 0, sec = 0;
  if (!ReadDigits(s, &pos, 4, &year) || !Expect(s, &pos, '-') || !ReadDigits(s, &pos, 2, &mon) ||
      !Expect(s, &pos, '-') || !ReadDigits(s, &pos, 2, &day)) {
    return BadTimestamp(s, "expected a date YYYY-MM-DD");
  }
  if (!Expect(s, &pos, 'T', 't')) return BadTimestamp(s, "expected 'T' after the date");
  if (!ReadDigits(s, &pos, 2, &hour) || !Expect(s, &pos, ':') || !ReadDigits(s, &pos, 2, &min) ||
      !Expect(s, &pos, ':') || !ReadDigits(s, &pos, 2, &sec)) {
    return BadTimestamp(s, "expected a time HH:MM:SS");
  }
  if (year < 1970) return BadTimestamp(s, "years before 1970 are not accepted");
  if (!IsValidDate(year, mon, day)) return BadTimestamp(s, "no such date");
  if (hour > 23 || min > 59 || sec > 59) return BadTimestamp(s, "no such time of day");

  int64_t frac_us = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 6) frac_us = frac_us * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return BadTimestamp(s, "expected digits after '.'");
    if (digits > 9) return BadTimestamp(s, "more than 9 fractional digits");
    for (int i = digits; i < 6; ++i) frac_us *= 10;
  }

  int64_t offset_s = 0;
  if (Expect(s, &pos, 'Z', 'z')) {
    // UTC.
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int oh = 0, om = 0;
    if (!ReadDigits(s, &pos, 2, &oh) || !Expect(s, &pos, ':') || !ReadDigits(s, &pos, 2, &om) ||
        oh > 23 || om > 59) {
      return BadTimestamp(s, "bad UTC offset");
    }
    offset_s = sign * (oh * 3600 + om * 60);
  } else {
    return BadTimestamp(s, "expected 'Z' or a UTC offset such as +02:00");
  }
  if (pos != s.size()) return BadTimestamp(s, "trailing characters");

  int64_t secs = DaysFromCivil(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec - offset_s;
  if (secs < 0) return BadTimestamp(s, "before 1970-01-01T00:00:00Z");
  return secs * kMicrosPerSecond + frac_us;
}

std::string FormatTimestamp(int64_t micros) {
  using namespace std::chrono;
  int64_t secs = micros / kMicrosPerSecond;
  int64_t frac = micros % kMicrosPerSecond;
  if (frac < 0) {  // floor division for instants before the epoch
    frac += kMicrosPerSecond;
    --secs;
  }
  int64_t days = secs / 86400;
  int64_t sod = secs % 86400;
  if (sod < 0) {
    sod += 86400;
    --days;
  }
  year_month_day ymd{sys_days{std::chrono::days{days}}};
  std::string out;
  out.reserve(27);
  AppendPadded(static_cast<int>(ymd.year()), 4, &out);
  out.push_back('-');
  AppendPadded(static_cast<unsigned>(ymd.month()), 2, &out);
  out.push_back('-');
  AppendPadded(static_cast<unsigned>(ymd.day()), 2, &out);
  out.push_back('T');
  AppendPadded(sod / 3600, 2, &out);
  out.push_back(':');
  AppendPadded(sod / 60 % 60, 2, &out);
  out.push_back(':');
  AppendPadded(sod % 60, 2, &out);
  out.push_back('.');
  if (frac % 1000 == 0) {
    AppendPadded(frac / 1000, 3, &out);
  } else {
    AppendPadded(frac, 6, &out);
  }
  out.push_back('Z');
  return out;
}

}  // namespace actlog
