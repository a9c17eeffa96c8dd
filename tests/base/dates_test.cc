#include "base/dates.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(Dates, ParsesIsoDatesAndChecksTheCalendar) {
  ASSERT_TRUE(ParseIsoDate("2024-02-29"));
  EXPECT_FALSE(ParseIsoDate("2023-02-29"));
  EXPECT_FALSE(ParseIsoDate("2023-13-01"));
  EXPECT_FALSE(ParseIsoDate("30/11/2023"));
  EXPECT_EQ(ParseIsoDate("2023-11-30")->Iso(), "2023-11-30");
}

TEST(Dates, YearsBetweenReadsAsPeopleExpect) {
  auto a = *ParseIsoDate("2017-09-14");
  auto b = *ParseIsoDate("2023-11-30");
  EXPECT_NEAR(YearsBetween(a, b), 6.21, 0.01);
  EXPECT_EQ(DaysBetween(*ParseIsoDate("1970-01-01"), *ParseIsoDate("1970-01-02")), 1);
  EXPECT_EQ(ParseIsoDate("1970-01-01")->DaysSinceEpoch(), 0);
}

}  // namespace
}  // namespace vigil
