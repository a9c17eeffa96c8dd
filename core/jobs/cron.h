// Cron schedules ("0 6 * * 1", "@daily") for jobs, in local time.
#pragma once

#include <bitset>
#include <ctime>
#include <string>

#include "base/status.h"

namespace vigil::jobs {

class CronSchedule {
 public:
  // Five fields (minute hour day-of-month month day-of-week) with *, lists,
  // ranges and steps, or @hourly, @daily, @weekly, @monthly, @yearly.
  static Result<CronSchedule> Parse(const std::string& text);

  // The first time strictly after `after` that matches (minute resolution).
  std::time_t NextAfter(std::time_t after) const;
  // The last matching time at or before `at` (-1 if none within a year).
  std::time_t LastAtOrBefore(std::time_t at) const;
  const std::string& text() const { return text_; }

 private:
  bool Matches(const std::tm& t) const;
  bool DatePossible(const std::tm& t) const;

  std::string text_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;    // 1..31
  std::bitset<13> months_;  // 1..12
  std::bitset<7> weekdays_; // 0 = Sunday
  bool any_day_ = true;     // day-of-month was '*'
  bool any_weekday_ = true; // day-of-week was '*'
};

}  // namespace vigil::jobs
