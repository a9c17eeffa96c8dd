// Calendar dates as the rules and stores see them: ISO "YYYY-MM-DD" strings,
// with day arithmetic for "years since last inspection" and the like.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil {

struct Date {
  int year = 0;
  int month = 0;
  int day = 0;

  // Days since 1970-01-01 (proleptic Gregorian); negative before it.
  long DaysSinceEpoch() const;
  std::string Iso() const;
  auto operator<=>(const Date&) const = default;
};

// Parses strict ISO "YYYY-MM-DD" and checks the calendar (leap years).
std::optional<Date> ParseIsoDate(std::string_view text);

// Today in the local time zone.
Date Today();

// Fractional years and months between two dates (positive when b is later).
double DaysBetween(const Date& a, const Date& b);
double YearsBetween(const Date& a, const Date& b);
double MonthsBetween(const Date& a, const Date& b);

}  // namespace vigil
