// Writes small rule packs into a temp folder for the rules tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "rules/evaluator.h"
#include "rules/rule_pack.h"
#include "test_support.h"

namespace vigil::rules::testing {

inline constexpr const char* kCategories = R"(categories {
  { id = "intensive", label = "Intensive support", min_score = 60 },
  { id = "targeted", label = "Targeted support", min_score = 25 },
  { id = "universal", label = "Universal support", min_score = 0 },
}
)";

// A pack with one indicators/test.lua holding `indicators`.
inline std::filesystem::path WritePack(const vigil::testing::TempDir& dir, const std::string& indicators,
                                       const std::string& thresholds = "return { points = 30 }\n") {
  auto folder = dir / "pack";
  vigil::testing::WriteText(folder / "pack.lua", "pack { name = \"test\", kind = \"school\" }\n");
  vigil::testing::WriteText(folder / "thresholds.lua", thresholds);
  vigil::testing::WriteText(folder / "categories.lua", kCategories);
  vigil::testing::WriteText(folder / "indicators" / "test.lua", indicators);
  return folder;
}

// One school with a few observations; measure ids index `names`.
struct SchoolFixture {
  std::vector<std::string> names = {"", "ofsted_overall", "ks2_rwm"};
  store::EntityWithHistory school;
  SchoolFixture() {
    school.entity = {1, "school", "103456", "Example Primary", {{"phase", "Primary"}, {"status", "Open"}}};
    school.observations = {
        {1, "2013-05-01", 2.0, ""},
        {1, "2017-09-14", 3.0, ""},
        {2, "2022-08-31", std::nullopt, "c: confidential"},
    };
  }
};

// What evaluating the fixture school gave: its outcome (none when it failed
// or was left out) and every rule failure.
struct Evaluated {
  std::optional<EntityOutcome> outcome;
  std::vector<RuleFailure> failures;
};

inline Evaluated EvaluateSchool(RulePack& pack, const std::string& as_of = "2023-11-30") {
  SchoolFixture f;
  Evaluator evaluator(pack, f.names, as_of);
  Evaluated result;
  EXPECT_TRUE(evaluator.Prepare().ok());
  auto outcome = evaluator.Evaluate(f.school, result.failures);
  if (outcome && *outcome) result.outcome = std::move(**outcome);
  return result;
}

}  // namespace vigil::rules::testing
