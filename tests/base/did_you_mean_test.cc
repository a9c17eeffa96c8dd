#include "base/did_you_mean.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(DidYouMean, SuggestsTheNameOneLetterAway) {
  std::vector<std::string> measures = {"absence_enrolments", "overall_absence", "persistent_absence"};
  EXPECT_EQ(DidYouMean("absence_enrolment", measures), " (did you mean absence_enrolments?)");
  EXPECT_EQ(DidYouMean("persitent_absence", measures), " (did you mean persistent_absence?)");
}

TEST(DidYouMean, CountsASwappedPairOfLettersAsOneMistake) {
  EXPECT_EQ(ClosestName("phsae", {"phase", "status"}), "phase");
  EXPECT_EQ(ClosestName("Intensive", {"intensive", "targeted"}), "intensive");
}

TEST(DidYouMean, SaysNothingWhenNoNameIsClose) {
  EXPECT_EQ(DidYouMean("pupil_premium", {"absence_enrolments", "ofsted_overall"}), "");
  EXPECT_EQ(DidYouMean("ab", {"xy"}), "");
  EXPECT_EQ(ClosestName("phase", {"phase"}), std::nullopt);  // the name itself is no suggestion
}

}  // namespace
}  // namespace vigil
