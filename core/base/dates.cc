#include "base/dates.h"

#include <charconv>
#include <chrono>
#include <ctime>

#include <fmt/format.h>

namespace vigil {
namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

std::optional<int> Digits(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

long Date::DaysSinceEpoch() const {
  // Howard Hinnant's days_from_civil.
  const int y = month <= 2 ? year - 1 : year;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = static_cast<unsigned>(month > 2 ? month - 3 : month + 9);
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<long>(era) * 146097 + static_cast<long>(doe) - 719468;
}

std::string Date::Iso() const { return fmt::format("{:04}-{:02}-{:02}", year, month, day); }

std::optional<Date> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = Digits(text.substr(0, 4));
  auto m = Digits(text.substr(5, 2));
  auto d = Digits(text.substr(8, 2));
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > DaysInMonth(*y, *m))
    return std::nullopt;
  return Date{*y, *m, *d};
}

Date Today() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return Date{local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
}

double DaysBetween(const Date& a, const Date& b) {
  return static_cast<double>(b.DaysSinceEpoch() - a.DaysSinceEpoch());
}
// Average Gregorian year and month, so "6.2 years ago" reads as people expect.
double YearsBetween(const Date& a, const Date& b) { return DaysBetween(a, b) / 365.2425; }
double MonthsBetween(const Date& a, const Date& b) { return DaysBetween(a, b) / (365.2425 / 12.0); }

}  // namespace vigil
