// vigil/values.hpp: parsing of the values found in published school data
// (numbers as DfE, Ofsted and Excel write them, suppression and missing
// codes, dates and EES time periods), shared by plugins. Header-only, C++17,
// locale-independent, no exceptions (only std::bad_alloc can escape).
//
// Contract in short:
//  - ParseNumber("1,234.5") is 1234.5; "12.5%" is 12.5 (not 0.125); "£1,200"
//    is 1200; "1.00063E+11" and "-0.45" are numbers. Anything else is an
//    error with a reason an officer can act on ("'abc' is not a number").
//  - A suppression or missing code (x, c, z, low, u, :, ., .., ~, SUPP, NP,
//    NE, NA, LOWCOV, NEW, NULL, empty) is a missing value with a kept reason, never zero:
//    check MissingReason() before ParseNumber().
//  - ParseDate() returns an ISO date "YYYY-MM-DD" or an error with a reason;
//    it never guesses a century and checks the calendar (leap years).
#ifndef VIGIL_VALUES_HPP_
#define VIGIL_VALUES_HPP_

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace vigil::sdk {

// A parsed number, or the reason the text is not one.
struct NumberResult {
  std::optional<double> value;
  std::string error;  // empty when value is set

  bool ok() const noexcept { return value.has_value(); }
};

// Accepts surrounding whitespace, a sign, a leading '£', thousands
// separators in groups of three ("1,234,567.5"), a decimal point, an
// exponent ("1.00063E+11") and a trailing '%' (the number is kept as
// written: "12.5%" is 12.5). Rejects everything else, including "(123)",
// "inf", "nan", hexadecimal and out-of-range values.
NumberResult ParseNumber(std::string_view text);

// The reason a value is missing, as kept in an observation's text (e.g.
// "c: confidential"), or nullopt when `text` is not a missing code. Codes are
// matched after trimming, ignoring case:
//   x: not available, c: confidential, z: not applicable, low: rounds to
//   zero, u: low reliability, ':' / '.' / '..' / '~': not available (older
//   DfE files), SUPP: suppressed, NP: not published, NE: no entries, NA: not
//   applicable, LOWCOV: low coverage, NEW: new school (the performance
//   tables), NULL: empty (Ofsted), "": empty.
std::optional<std::string_view> MissingReason(std::string_view text);

// True for the statistical suppression codes (every code MissingReason()
// knows except the empty cell and NULL).
bool IsSuppressed(std::string_view text);

// True when MissingReason() knows `text`.
inline bool IsMissing(std::string_view text) { return MissingReason(text).has_value(); }

// A parsed date as ISO "YYYY-MM-DD", or the reason the text is not one.
struct DateResult {
  std::optional<std::string> value;
  std::string error;  // empty when value is set

  bool ok() const noexcept { return value.has_value(); }
};

// Accepts, after trimming:
//   YYYY-MM-DD, optionally followed by "Thh:mm[:ss[.fff]][Z|+hh:mm]" or
//     " hh:mm[:ss]" (the time is dropped);
//   DD/MM/YYYY, DD-MM-YYYY, D/M/YYYY (day first, as in UK files), optionally
//     followed by " hh:mm[:ss]" (Excel);
//   an EES time_period: "202223" is the academic year 2022/23 and gives its
//     last day, "2023-08-31"; "2023" (a calendar year) gives "2023-12-31".
// Rejects two-digit years ("18/01/18": the century would be a guess) and
// impossible dates ("31/02/2023"), saying why.
DateResult ParseDate(std::string_view text);

// The last day of the period an EES (time_period, time_identifier) pair
// names, as ISO "YYYY-MM-DD", or the reason it cannot be dated. time_period
// has 4 digits (a year) or 6 (a two-year period, "202223": the year from
// 2022); time_identifier is compared ignoring case and repeated spaces:
//   Academic year (6 digits): 31 Aug of the second year; Academic year Q1-Q4
//     (August to October, November to January, February to April, May to
//     July): the quarter's last day;
//   Calendar year, Reporting year (4): 31 Dec; Calendar year Q1-Q4 (4);
//   Financial year (4 or 6: "2023" is the year from April 2023): 31 Mar;
//     Financial year Q1-Q4 (Q1 April to June); Part 1 (April to September),
//     Part 2 (October to March);
//   Tax year (4 or 6): 5 Apr; Tax year Q1-Q4 (Q1 ends 5 July);
//   Autumn term (6): 31 Dec of the first year; Spring term, Autumn and
//     spring term: 31 Mar of the second; Summer term, Spring and summer
//     term: 31 Aug of the second;
//   January ... December: the month's last day (with 6 digits, September to
//     December in the first year and January to August in the second);
//   Week 1 ... Week 53 (4 digits): the Sunday ending that ISO 8601 week of
//     the year (Week 30 of 2025 ends on 2025-07-27).
// Quarter ranges such as "Academic year Q1-Q2" end with their last quarter.
// `identifier_error` says whether the reason is about time_identifier.
struct PeriodResult {
  std::optional<std::string> value;
  std::string error;
  bool identifier_error = false;

  bool ok() const noexcept { return value.has_value(); }
};
PeriodResult EesPeriodEnd(std::string_view time_period, std::string_view time_identifier);

// An Excel day serial as an ISO date: in the 1900 system 1 is 1900-01-01 and
// 60 the 29 February 1900 that never was (returned as "1900-02-29", so a
// date check names it); in the 1904 system 0 is 1904-01-01. The time of day
// (the fraction) is dropped.
std::string ExcelSerialDate(double serial, bool date1904);

// Whitespace (space, tab, CR, LF, VT, FF) trimmed from both ends.
std::string_view Trim(std::string_view text) noexcept;

// "Reading, writing and maths" -> "reading_writing_and_maths": ASCII
// lowercase, every run of other characters becomes one '_', no '_' at
// either end. Empty when `text` has no letter or digit.
std::string ToSnakeCase(std::string_view text);

// True for a non-empty name of lowercase ASCII letters, digits and '_' that
// starts with a letter (the shape of measure and attribute names).
bool IsSnakeCase(std::string_view name) noexcept;

// --- Implementation -------------------------------------------------------

namespace values_detail {

inline bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }

inline char Lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != Lower(b[i])) return false;
  return true;
}

// The text as shown inside an error message: quoted, and cut short if long.
inline std::string Quote(std::string_view text) {
  constexpr std::size_t kMax = 40;
  std::string out = "'";
  if (text.size() <= kMax) {
    out.append(text);
  } else {
    std::size_t cut = kMax;
    // Do not cut a UTF-8 sequence in half.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    out.append(text.substr(0, cut));
    out.append("...");
  }
  out.push_back('\'');
  return out;
}

// Reads exactly `count` digits at `pos` as a number; -1 if they are not all
// digits.
inline int Digits(std::string_view s, std::size_t pos, std::size_t count) noexcept {
  if (pos + count > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!IsDigit(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

inline std::size_t CountDigits(std::string_view s, std::size_t pos) noexcept {
  std::size_t n = 0;
  while (pos + n < s.size() && IsDigit(s[pos + n])) ++n;
  return n;
}

inline bool IsLeapYear(int y) noexcept {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

inline int DaysInMonth(int y, int m) noexcept {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

inline const char* MonthName(int m) noexcept {
  static constexpr const char* kNames[12] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  return kNames[m - 1];
}

inline void AppendPadded(std::string& out, int value, int width) {
  char digits[8];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0 && n < 8);
  for (int i = n; i < width; ++i) out.push_back('0');
  while (n > 0) out.push_back(digits[--n]);
}

inline std::string Iso(int y, int m, int d) {
  std::string out;
  out.reserve(10);
  AppendPadded(out, y, 4);
  out.push_back('-');
  AppendPadded(out, m, 2);
  out.push_back('-');
  AppendPadded(out, d, 2);
  return out;
}

// "hh:mm", "hh:mm:ss", "hh:mm:ss.fff", each optionally followed (when
// `zone` is true) by "Z", "+hh:mm", "-hh:mm" or "+hhmm".
inline bool IsTime(std::string_view t, bool zone) noexcept {
  const int h = Digits(t, 0, 2), m = Digits(t, 3, 2);
  if (h < 0 || h > 23 || t.size() < 5 || t[2] != ':' || m < 0 || m > 59) return false;
  std::size_t i = 5;
  if (i < t.size() && t[i] == ':') {
    const int s = Digits(t, i + 1, 2);
    if (s < 0 || s > 60) return false;
    i += 3;
    if (i < t.size() && (t[i] == '.' || t[i] == ',')) {
      const std::size_t n = CountDigits(t, i + 1);
      if (n == 0) return false;
      i += 1 + n;
    }
  }
  if (i == t.size()) return true;
  if (!zone) return false;
  if (t[i] == 'Z' || t[i] == 'z') return i + 1 == t.size();
  if (t[i] != '+' && t[i] != '-') return false;
  const std::string_view z = t.substr(i + 1);
  if (z.size() == 5) return Digits(z, 0, 2) >= 0 && z[2] == ':' && Digits(z, 3, 2) >= 0;
  return z.size() == 4 && Digits(z, 0, 4) >= 0;
}

inline DateResult DateError(std::string_view text, std::string reason) {
  DateResult r;
  r.error = Quote(text) + " " + reason;
  return r;
}

inline DateResult CheckedDate(std::string_view text, int y, int m, int d) {
  if (y < 1)
    return DateError(text, "is not a valid date: there is no year 0");
  if (m < 1 || m > 12)
    return DateError(text, "is not a valid date: there is no month " + std::to_string(m));
  if (d < 1 || d > DaysInMonth(y, m)) {
    std::string reason = "is not a valid date: ";
    if (d < 1)
      reason += "there is no day 0";
    else
      reason += std::string(MonthName(m)) + " " + std::to_string(y) + " has " +
                std::to_string(DaysInMonth(y, m)) + " days";
    return DateError(text, reason);
  }
  DateResult r;
  r.value = Iso(y, m, d);
  return r;
}

}  // namespace values_detail

inline std::string_view Trim(std::string_view text) noexcept {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const std::size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

inline NumberResult ParseNumber(std::string_view text) {
  using values_detail::IsDigit;
  NumberResult result;
  const std::string_view original = Trim(text);
  auto fail = [&](const char* detail) {
    result.error = values_detail::Quote(original) + " is not a number";
    if (detail != nullptr) result.error.append(" (").append(detail).append(")");
    return result;
  };
  if (original.empty()) {
    result.error = "the value is empty";
    return result;
  }

  std::string_view s = original;
  bool negative = false, signed_ = false;
  auto take_sign = [&] {
    if (!signed_ && !s.empty() && (s.front() == '-' || s.front() == '+')) {
      negative = s.front() == '-';
      signed_ = true;
      s.remove_prefix(1);
    }
  };
  take_sign();
  if (s.substr(0, 2) == "\xC2\xA3") s.remove_prefix(2);  // '£' in UTF-8
  take_sign();
  if (!s.empty() && s.back() == '%') {
    s.remove_suffix(1);
    s = Trim(s);
  }
  if (!s.empty() && s.front() == '(' && s.back() == ')')
    return fail("negatives in brackets are not supported; write -123");

  // Copies the digits without separators, checking the shape as it goes:
  // [digits with ',' every three][.digits][e[+-]digits].
  char clean[80];
  std::size_t n = 0;
  if (s.size() >= sizeof clean - 2) return fail("too long");
  std::size_t i = 0;
  std::size_t int_digits = 0, group = 0;
  bool grouped = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (IsDigit(c)) {
      clean[n++] = c;
      ++int_digits;
      ++group;
    } else if (c == ',') {
      if (group == 0 || (grouped ? group != 3 : group > 3))
        return fail("misplaced thousands separator");
      grouped = true;
      group = 0;
    } else {
      break;
    }
  }
  if (grouped && group != 3) return fail("misplaced thousands separator");
  if (int_digits == 0) clean[n++] = '0';  // ".5"
  std::size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    clean[n++] = '.';
    for (++i; i < s.size() && IsDigit(s[i]); ++i) {
      clean[n++] = s[i];
      ++frac_digits;
    }
  }
  if (int_digits == 0 && frac_digits == 0) return fail(nullptr);
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    clean[n++] = 'e';
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) clean[n++] = s[i++];
    std::size_t exp_digits = 0;
    for (; i < s.size() && IsDigit(s[i]); ++i) {
      clean[n++] = s[i];
      ++exp_digits;
    }
    if (exp_digits == 0) return fail(nullptr);
  }
  if (i != s.size()) return fail(nullptr);

  double value = 0;
  const auto [end, ec] = std::from_chars(clean, clean + n, value, std::chars_format::general);
  if (ec == std::errc::result_out_of_range) return fail("out of range");
  if (ec != std::errc() || end != clean + n) return fail(nullptr);
  result.value = negative ? -value : value;
  return result;
}

inline std::optional<std::string_view> MissingReason(std::string_view text) {
  struct Code {
    std::string_view code;
    std::string_view reason;
  };
  static constexpr Code kCodes[] = {
      {"x", "x: not available"},      {"c", "c: confidential"},
      {"z", "z: not applicable"},     {"low", "low: rounds to zero"},
      {"u", "u: low reliability"},    {":", "':': not available"},
      {".", "'.': not available"},    {"..", "'..': not available"},
      {"~", "'~': not available"},    {"supp", "SUPP: suppressed"},
      {"np", "NP: not published"},    {"ne", "NE: no entries"},
      {"na", "NA: not applicable"},   {"lowcov", "LOWCOV: low coverage"},
      {"new", "NEW: new school"},     {"null", "NULL: empty"},
  };
  const std::string_view t = Trim(text);
  if (t.empty()) return std::string_view("empty");
  for (const Code& c : kCodes)
    if (values_detail::EqualsIgnoreCase(t, c.code)) return c.reason;
  return std::nullopt;
}

inline bool IsSuppressed(std::string_view text) {
  const std::string_view t = Trim(text);
  return !t.empty() && !values_detail::EqualsIgnoreCase(t, "null") &&
         MissingReason(t).has_value();
}

inline DateResult ParseDate(std::string_view text) {
  using namespace values_detail;
  const std::string_view s = Trim(text);
  if (s.empty()) {
    DateResult r;
    r.error = "the date is empty";
    return r;
  }
  const char* const kExpected =
      "is not a date (expected YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY or an EES "
      "time period such as 2023 or 202223)";
  const std::size_t lead = CountDigits(s, 0);

  if (lead == s.size() && (lead == 4 || lead == 6)) {  // EES time_period
    const int year = Digits(s, 0, 4);
    if (lead == 4) return CheckedDate(s, year, 12, 31);
    const int next = Digits(s, 4, 2);
    if ((year + 1) % 100 != next)
      return DateError(s, "is not an academic year: " + std::string(s.substr(4, 2)) +
                              " does not follow " + std::string(s.substr(0, 4)));
    return CheckedDate(s, year + 1, 8, 31);
  }

  if (lead == 4) {  // YYYY-MM-DD[Thh:mm...]
    const std::size_t month_digits = CountDigits(s, 5);
    const std::size_t day_pos = 5 + month_digits + 1;
    const std::size_t day_digits = CountDigits(s, day_pos);
    if (s.size() < 8 || s[4] != '-' || month_digits < 1 || month_digits > 2 ||
        day_pos > s.size() || s[day_pos - 1] != '-' || day_digits < 1 || day_digits > 2)
      return DateError(s, kExpected);
    const std::size_t end = day_pos + day_digits;
    if (end < s.size()) {
      const char sep = s[end];
      const std::string_view time = s.substr(end + 1);
      if (!((sep == 'T' || sep == 't') ? IsTime(time, true)
                                       : sep == ' ' && IsTime(Trim(time), false)))
        return DateError(s, "has a time part that is not hh:mm[:ss]");
    }
    return CheckedDate(s, Digits(s, 0, 4), Digits(s, 5, month_digits),
                       Digits(s, day_pos, day_digits));
  }

  if (lead == 1 || lead == 2) {  // D/M/YYYY or D-M-YYYY
    const char sep = lead < s.size() ? s[lead] : '\0';
    const std::size_t month_pos = lead + 1;
    const std::size_t month_digits = CountDigits(s, month_pos);
    const std::size_t year_pos = month_pos + month_digits + 1;
    if ((sep != '/' && sep != '-') || month_digits < 1 || month_digits > 2 ||
        year_pos > s.size() || s[year_pos - 1] != sep)
      return DateError(s, kExpected);
    const std::size_t year_digits = CountDigits(s, year_pos);
    const std::size_t end = year_pos + year_digits;
    if (end < s.size() && !(s[end] == ' ' && IsTime(Trim(s.substr(end + 1)), false)))
      return DateError(s, year_digits == 4 ? "has a time part that is not hh:mm[:ss]"
                                           : kExpected);
    if (year_digits == 2)
      return DateError(s, "has a two-digit year, so its century is unknown; "
                          "write the year in full (DD/MM/YYYY)");
    if (year_digits != 4) return DateError(s, kExpected);
    return CheckedDate(s, Digits(s, year_pos, 4), Digits(s, month_pos, month_digits),
                       Digits(s, 0, lead));
  }
  return DateError(s, kExpected);
}

inline std::string ToSnakeCase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool gap = false;
  for (char c : text) {
    const char l = values_detail::Lower(c);
    if ((l >= 'a' && l <= 'z') || values_detail::IsDigit(l)) {
      if (gap && !out.empty()) out.push_back('_');
      gap = false;
      out.push_back(l);
    } else {
      gap = true;
    }
  }
  return out;
}

inline bool IsSnakeCase(std::string_view name) noexcept {
  if (name.empty() || !(name.front() >= 'a' && name.front() <= 'z')) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || values_detail::IsDigit(c) || c == '_')) return false;
  return true;
}

namespace values_detail {

// Days since 1970-01-01 of a civil date, and back (proleptic Gregorian).
inline long DaysFromCivil(int y, int m, int d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

inline std::string CivilFromDays(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  return Iso(y, m, d);
}

// 1 Monday ... 7 Sunday.
inline int IsoWeekday(long days) noexcept { return static_cast<int>(((days % 7) + 7 + 3) % 7) + 1; }

inline int IsoWeeksInYear(int y) noexcept {
  const int jan1 = IsoWeekday(DaysFromCivil(y, 1, 1));
  return (jan1 == 4 || (jan1 == 3 && IsLeapYear(y))) ? 53 : 52;
}

inline std::string MonthEnd(int y, int m) { return Iso(y, m, DaysInMonth(y, m)); }

inline std::string Loose(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : Trim(s)) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(Lower(c));
  }
  return out;
}

// "q3" -> 3, "q1-q4" -> 4 (the last quarter of a range); 0 if neither.
inline int LastQuarter(std::string_view q) noexcept {
  auto one = [](std::string_view t) { return t.size() == 2 && t[0] == 'q' && t[1] >= '1' && t[1] <= '4' ? t[1] - '0' : 0; };
  if (q.size() == 5 && q[2] == '-') {
    const int a = one(q.substr(0, 2)), b = one(q.substr(3, 2));
    return a > 0 && b >= a ? b : 0;
  }
  return one(q);
}

}  // namespace values_detail

inline std::string ExcelSerialDate(double serial, bool date1904) {
  const long days = static_cast<long>(serial >= 0 ? serial : serial - 1);  // floor
  if (!date1904 && days == 60) return "1900-02-29";
  // Days since 1970-01-01: the 1900 system counts its phantom leap day from March 1900.
  return values_detail::CivilFromDays(date1904 ? days - 24107 : (days < 60 ? days - 25568 : days - 25569));
}

inline PeriodResult EesPeriodEnd(std::string_view time_period, std::string_view time_identifier) {
  using namespace values_detail;
  PeriodResult r;
  const std::string_view period = Trim(time_period);
  const std::string id = Loose(time_identifier);
  auto fail = [&](std::string reason, bool identifier) {
    r.error = std::move(reason);
    r.identifier_error = identifier;
    return r;
  };
  auto dated = [&](std::string iso) {
    r.value = std::move(iso);
    return r;
  };
  const std::size_t digits = CountDigits(period, 0);
  if (digits != period.size() || (digits != 4 && digits != 6))
    return fail(Quote(period) + " is not an EES time period (four digits such as 2023, or six such as 202223)",
                false);
  const int year = Digits(period, 0, 4);
  const bool two_year = digits == 6;
  if (two_year && (year + 1) % 100 != Digits(period, 4, 2))
    return fail(Quote(period) + " is not a two-year period: " + std::string(period.substr(4, 2)) +
                    " does not follow " + std::string(period.substr(0, 4)),
                false);
  if (year < 1000 || year > 9000) return fail(Quote(period) + " is not a plausible year", false);
  const std::string shown = Quote(Trim(time_identifier));
  auto needs = [&](const char* what) {
    return fail(Quote(period) + " cannot go with " + shown + ": " + what, false);
  };
  const char* kSix = "it needs a two-year period of six digits, e.g. 202223";
  const char* kFour = "it needs a year of four digits, e.g. 2023";
  auto starts = [&](std::string_view prefix) { return id.compare(0, prefix.size(), prefix) == 0; };

  if (id == "academic year") return two_year ? dated(Iso(year + 1, 8, 31)) : needs(kSix);
  if (starts("academic year q")) {
    const int q = LastQuarter(std::string_view(id).substr(14));
    if (q == 0) return fail(shown + " is not a quarter (Academic year Q1 to Q4)", true);
    if (!two_year) return needs(kSix);
    static constexpr int kMonth[4] = {10, 1, 4, 7};  // August to July, three months each
    return dated(MonthEnd(q == 1 ? year : year + 1, kMonth[q - 1]));
  }
  if (id == "calendar year" || id == "reporting year")
    return two_year ? needs(kFour) : dated(Iso(year, 12, 31));
  if (starts("calendar year q")) {
    const int q = LastQuarter(std::string_view(id).substr(14));
    if (q == 0) return fail(shown + " is not a quarter (Calendar year Q1 to Q4)", true);
    return two_year ? needs(kFour) : dated(MonthEnd(year, q * 3));
  }
  // "Financial year 2023" (four digits) is the year from April 2023, as
  // HMRC names financial years; 202324 is the same year.
  if (id == "financial year") return dated(Iso(year + 1, 3, 31));
  if (starts("financial year q")) {
    const int q = LastQuarter(std::string_view(id).substr(15));
    if (q == 0) return fail(shown + " is not a quarter (Financial year Q1 to Q4)", true);
    return dated(q == 4 ? MonthEnd(year + 1, 3) : MonthEnd(year, 3 + q * 3));
  }
  if (starts("part 1")) return dated(Iso(year, 9, 30));       // April to September
  if (starts("part 2")) return dated(Iso(year + 1, 3, 31));   // October to March
  if (id == "tax year") return dated(Iso(year + 1, 4, 5));
  if (starts("tax year q")) {
    const int q = LastQuarter(std::string_view(id).substr(9));
    if (q == 0) return fail(shown + " is not a quarter (Tax year Q1 to Q4)", true);
    static constexpr int kMonth[4] = {7, 10, 1, 4};
    return dated(Iso(q >= 3 ? year + 1 : year, kMonth[q - 1], 5));
  }
  if (id == "autumn term") return two_year ? dated(Iso(year, 12, 31)) : needs(kSix);
  if (id == "spring term" || id == "autumn and spring term")
    return two_year ? dated(Iso(year + 1, 3, 31)) : needs(kSix);
  if (id == "summer term" || id == "spring and summer term")
    return two_year ? dated(Iso(year + 1, 8, 31)) : needs(kSix);
  for (int m = 1; m <= 12; ++m) {
    if (Loose(MonthName(m)) != id) continue;
    // In an academic year September to December fall in its first year.
    return dated(MonthEnd(two_year && m < 9 ? year + 1 : year, m));
  }
  if (starts("week ")) {
    const std::string_view n = std::string_view(id).substr(5);
    const std::size_t n_digits = CountDigits(n, 0);
    const int week = n_digits == n.size() && n_digits >= 1 && n_digits <= 2 ? Digits(n, 0, n_digits) : -1;
    if (week < 1 || week > 53) return fail(shown + " is not a week (Week 1 to Week 53)", true);
    if (two_year) return needs(kFour);
    if (week > IsoWeeksInYear(year))
      return fail(shown + ": " + std::to_string(year) + " has " + std::to_string(IsoWeeksInYear(year)) +
                      " ISO weeks",
                  true);
    const long jan4 = DaysFromCivil(year, 1, 4);
    const long week1_monday = jan4 - (IsoWeekday(jan4) - 1);
    return dated(CivilFromDays(week1_monday + 7L * week - 1));
  }
  return fail(shown +
                  " is not an EES time_identifier (Academic year, Calendar year, Financial year, "
                  "Tax year, Reporting year, their quarters Q1-Q4, Part 1/Part 2, a term, a month or "
                  "Week 1-53)",
              true);
}

}  // namespace vigil::sdk

#endif  // VIGIL_VALUES_HPP_
