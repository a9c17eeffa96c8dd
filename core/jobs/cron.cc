#include "jobs/cron.h"

#include <charconv>
#include <sstream>
#include <vector>

#include <fmt/format.h>

namespace vigil::jobs {
namespace {

// Parses one field into a bitset of [low, high]; `star` reports a plain '*'.
template <std::size_t N>
Status ParseField(const std::string& field, int low, int high, std::bitset<N>& bits, bool& star,
                  const char* name) {
  star = field == "*";
  std::stringstream items(field);
  std::string item;
  auto number = [&](std::string_view s, int& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
  };
  while (std::getline(items, item, ',')) {
    int step = 1;
    std::string range = item;
    if (auto slash = item.find('/'); slash != std::string::npos) {
      if (!number(std::string_view(item).substr(slash + 1), step) || step < 1)
        return Fail(ErrorCode::kInvalidInput, fmt::format("{} field '{}': bad step", name, field));
      range = item.substr(0, slash);
    }
    int first = low, last = high;
    if (range != "*") {
      auto dash = range.find('-');
      if (dash == std::string::npos) {
        if (!number(range, first))
          return Fail(ErrorCode::kInvalidInput, fmt::format("{} field '{}': '{}' is not a number", name, field, range));
        last = item.find('/') != std::string::npos ? high : first;
      } else if (!number(std::string_view(range).substr(0, dash), first) ||
                 !number(std::string_view(range).substr(dash + 1), last)) {
        return Fail(ErrorCode::kInvalidInput, fmt::format("{} field '{}': bad range", name, field));
      }
    }
    if (name == std::string("day-of-week") && last == 7 && first <= 7) {  // 7 is Sunday too
      bits.set(0);
      last = 6;
    }
    if (first < low || last > high || first > last)
      return Fail(ErrorCode::kInvalidInput,
                  fmt::format("{} field '{}': values must be {}-{}", name, field, low, high));
    for (int v = first; v <= last; v += step) bits.set(static_cast<std::size_t>(v));
  }
  return Status::Ok();
}

}  // namespace

Result<CronSchedule> CronSchedule::Parse(const std::string& given) {
  std::string text = given;
  if (text == "@hourly") text = "0 * * * *";
  else if (text == "@daily" || text == "@midnight") text = "0 0 * * *";
  else if (text == "@weekly") text = "0 0 * * 0";
  else if (text == "@monthly") text = "0 0 1 * *";
  else if (text == "@yearly" || text == "@annually") text = "0 0 1 1 *";
  std::stringstream in(text);
  std::vector<std::string> fields;
  for (std::string f; in >> f;) fields.push_back(f);
  if (fields.size() != 5)
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("schedule \"{}\": expected 5 fields (minute hour day month weekday) or "
                            "@daily and the like", given));
  CronSchedule s;
  s.text_ = given;
  bool star = false;
  std::string where = fmt::format("schedule \"{}\": ", given);
  auto check = [&](Status st) -> Status {
    return st.ok() ? st : Status(Fail(st.error().code, where + st.error().message));
  };
  VIGIL_RETURN_IF_ERROR(check(ParseField(fields[0], 0, 59, s.minutes_, star, "minute")));
  VIGIL_RETURN_IF_ERROR(check(ParseField(fields[1], 0, 23, s.hours_, star, "hour")));
  VIGIL_RETURN_IF_ERROR(check(ParseField(fields[2], 1, 31, s.days_, s.any_day_, "day-of-month")));
  VIGIL_RETURN_IF_ERROR(check(ParseField(fields[3], 1, 12, s.months_, star, "month")));
  VIGIL_RETURN_IF_ERROR(check(ParseField(fields[4], 0, 7, s.weekdays_, s.any_weekday_, "day-of-week")));
  return s;
}

bool CronSchedule::Matches(const std::tm& t) const {
  if (!minutes_[static_cast<std::size_t>(t.tm_min)] || !hours_[static_cast<std::size_t>(t.tm_hour)] ||
      !months_[static_cast<std::size_t>(t.tm_mon + 1)])
    return false;
  bool day = days_[static_cast<std::size_t>(t.tm_mday)];
  bool weekday = weekdays_[static_cast<std::size_t>(t.tm_wday)];
  // As in cron: when both day fields are restricted, either may match.
  if (any_day_ && any_weekday_) return true;
  if (any_day_) return weekday;
  if (any_weekday_) return day;
  return day || weekday;
}

bool CronSchedule::DatePossible(const std::tm& t) const {
  if (!months_[static_cast<std::size_t>(t.tm_mon + 1)]) return false;
  if (any_day_ && any_weekday_) return true;
  bool day = days_[static_cast<std::size_t>(t.tm_mday)];
  bool weekday = weekdays_[static_cast<std::size_t>(t.tm_wday)];
  return any_day_ ? weekday : any_weekday_ ? day : (day || weekday);
}

// Both searches step a minute at a time within a matching date and skip
// whole days that cannot match, so a year's search is a few thousand steps.
std::time_t CronSchedule::NextAfter(std::time_t after) const {
  std::time_t t = after - (after % 60) + 60;
  for (int guard = 0; guard < 600000; ++guard) {
    std::tm local{};
    localtime_r(&t, &local);
    if (Matches(local)) return t;
    if (DatePossible(local)) {
      t += 60;
      continue;
    }
    local.tm_mday += 1;  // the next midnight
    local.tm_hour = local.tm_min = local.tm_sec = 0;
    local.tm_isdst = -1;
    t = std::mktime(&local);
  }
  return -1;
}

std::time_t CronSchedule::LastAtOrBefore(std::time_t at) const {
  std::time_t t = at - (at % 60);
  for (int guard = 0; guard < 600000; ++guard) {
    std::tm local{};
    localtime_r(&t, &local);
    if (Matches(local)) return t;
    if (DatePossible(local)) {
      t -= 60;
      continue;
    }
    local.tm_hour = local.tm_min = local.tm_sec = 0;  // the minute before this midnight
    local.tm_isdst = -1;
    t = std::mktime(&local) - 60;
  }
  return -1;
}

}  // namespace vigil::jobs
