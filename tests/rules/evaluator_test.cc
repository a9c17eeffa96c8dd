// Evaluation: levels, points, categories, forced categories and the errors a
// rule can make, each named with the rule and the entity.
#include <cmath>

#include <gtest/gtest.h>

#include "rules/pack_fixture.h"

namespace vigil::rules {
namespace {

using testing::SchoolFixture;
using testing::WritePack;
using vigil::testing::TempDir;

using testing::Evaluated;

Evaluated EvaluatePack(const std::string& indicators, const std::string& thresholds = "return { points = 30 }\n") {
  TempDir dir;
  auto folder = WritePack(dir, indicators, thresholds);
  auto pack = RulePack::Load(folder);
  EXPECT_TRUE(pack.has_value()) << pack.error().message;
  if (!pack) return {};
  return testing::EvaluateSchool(**pack);
}

TEST(Evaluator, AnIndicatorSeesHistoryAttributesAndTheRunDate) {
  auto r = EvaluatePack(R"(
indicator { id = "history", evaluate = function(e)
  local latest, previous = e:latest("ofsted_overall"), e:previous("ofsted_overall")
  local ks2 = e:latest("ks2_rwm")
  return concern(threshold.points, format("%s %s: %d on %s after %d; %d inspections; ks2 %s (%s); %.1f years; as of %s; none %s",
    e.key, e.attr.phase, latest.value, latest.date, previous.value, #e:history("ofsted_overall"),
    tostring(ks2.value), ks2.text, years_since(latest.date), as_of, tostring(e:value("nothing"))))
end }
)");
  ASSERT_TRUE(r.outcome.has_value()) << (r.failures.empty() ? "" : r.failures[0].message);
  ASSERT_EQ(r.outcome->indicators.size(), 1u);
  const auto& i = r.outcome->indicators[0];
  EXPECT_EQ(i.level, "concern");
  EXPECT_EQ(i.points, 30);
  EXPECT_EQ(i.reason, "103456 Primary: 3 on 2017-09-14 after 2; 2 inspections; ks2 nil (c: confidential); "
                      "6.2 years; as of 2023-11-30; none nil");
  EXPECT_EQ(i.evidence, (std::vector<std::string>{"ofsted_overall", "ks2_rwm"}));
  EXPECT_EQ(r.outcome->score, 30);
  EXPECT_EQ(r.outcome->category, "targeted");
}

// The thresholds an indicator read (its own, not another's) go with its
// result: a school's page shows them and draws them on its charts.
TEST(Evaluator, EachIndicatorRecordsTheThresholdsItRead) {
  auto r = EvaluatePack(R"(
local function helper() return threshold.shared end
indicator { id = "first", evaluate = function(e)
  if helper() > 0 and threshold.points > 0 then return watch(threshold.points, "x") end
end }
indicator { id = "second", evaluate = function(e) return none("nothing read") end }
indicator { id = "third", evaluate = function(e)
  local key = "points"
  for i = 1, 100 do local _ = threshold[key] end
  return none(format("%d", threshold.other))
end }
)", "return { points = 30, shared = 1, other = 2, unused = 3 }\n");
  ASSERT_TRUE(r.outcome.has_value()) << (r.failures.empty() ? "" : r.failures[0].message);
  ASSERT_EQ(r.outcome->indicators.size(), 3u);
  EXPECT_EQ(r.outcome->indicators[0].thresholds, (std::vector<std::string>{"points", "shared"}));
  EXPECT_TRUE(r.outcome->indicators[1].thresholds.empty());
  EXPECT_EQ(r.outcome->indicators[2].thresholds, (std::vector<std::string>{"other", "points"}));
}

TEST(Evaluator, ObservationsAfterTheAssessmentDateAreInvisible) {
  TempDir dir;
  auto folder = WritePack(dir, R"(
indicator { id = "latest", evaluate = function(e)
  local j = e:latest("ofsted_overall")
  return none(format("%s %d", j.date, #e:history("ofsted_overall")))
end }
)");
  auto pack = RulePack::Load(folder);
  ASSERT_TRUE(pack.has_value());
  SchoolFixture f;
  Evaluator evaluator(**pack, f.names, "2015-01-01");
  ASSERT_TRUE(evaluator.Prepare().ok());
  std::vector<RuleFailure> failures;
  auto outcome = evaluator.Evaluate(f.school, failures);
  ASSERT_TRUE(outcome && *outcome);
  EXPECT_EQ((*outcome)->indicators[0].reason, "2013-05-01 1");
}

TEST(Evaluator, ACategoryCanBeForcedWhateverTheScore) {
  auto r = EvaluatePack(R"(
indicator { id = "safeguarding", evaluate = function(e)
  return serious(1, "Safeguarding not effective", { force = "intensive" })
end }
)");
  ASSERT_TRUE(r.outcome.has_value());
  EXPECT_EQ(r.outcome->score, 1);
  EXPECT_EQ(r.outcome->category, "intensive");
  EXPECT_EQ(r.outcome->forced_by, "safeguarding");
}

TEST(Evaluator, AThresholdChangeMovesTheCategory) {
  const char* rule = "indicator { id = \"x\", evaluate = function(e) return concern(threshold.points, 'x') end }\n";
  EXPECT_EQ(EvaluatePack(rule, "return { points = 30 }\n").outcome->category, "targeted");
  EXPECT_EQ(EvaluatePack(rule, "return { points = 70 }\n").outcome->category, "intensive");
}

TEST(Evaluator, AppliesLeavesIndicatorsOut) {
  auto r = EvaluatePack(R"(
indicator { id = "secondary_only", applies = function(e) return e.attr.phase == "Secondary" end,
            evaluate = function(e) return serious(100, "x") end }
)");
  ASSERT_TRUE(r.outcome.has_value());
  EXPECT_TRUE(r.outcome->indicators.empty());
  EXPECT_EQ(r.outcome->category, "universal");
}

TEST(Evaluator, WrongReturnValuesAreClearErrorsNamingRuleAndEntity) {
  auto r = EvaluatePack("indicator { id = \"bad\", evaluate = function(e) return 42 end }\n");
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].indicator, "bad");
  EXPECT_EQ(r.failures[0].entity_key, "103456");
  EXPECT_NE(r.failures[0].message.find("test.lua:1: indicator 'bad': evaluate returned a number"),
            std::string::npos) << r.failures[0].message;

  r = EvaluatePack("indicator { id = \"nan\", evaluate = function(e) return watch(0/0, 'x') end }\n");
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_NE(r.failures[0].message.find("points must be a finite number"), std::string::npos);

  r = EvaluatePack("indicator { id = \"inf\", evaluate = function(e) return watch(math.huge, 'x') end }\n");
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_NE(r.failures[0].message.find("points must be a finite number"), std::string::npos);

  r = EvaluatePack("indicator { id = \"huge\", evaluate = function(e) return watch(1, string.rep('x', 10 << 20)) end }\n");
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_NE(r.failures[0].message.find("the reason is 10485760 bytes long"), std::string::npos);

  r = EvaluatePack("indicator { id = \"cat\", evaluate = function(e) return watch(1, 'x', { force = 'panic' }) end }\n");
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_NE(r.failures[0].message.find("force = 'panic' is not a category"), std::string::npos);

  r = EvaluatePack("indicator { id = \"args\", evaluate = function(e) return watch('ten', 'x') end }\n");
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_NE(r.failures[0].message.find("test.lua:1: indicator 'args': watch(points, reason): points must be a number"),
            std::string::npos) << r.failures[0].message;
}

TEST(Evaluator, ComparingAMissingValueGetsAnOfficerFriendlyHint) {
  auto r = EvaluatePack("indicator { id = \"ks2\", evaluate = function(e)\n  if e:value('ks2_rwm') < 65 then return watch(1, 'low') end\nend }\n");
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_NE(r.failures[0].message.find("test.lua:2: attempt to compare nil with number"),
            std::string::npos) << r.failures[0].message;
  EXPECT_NE(r.failures[0].message.find("guard it with 'if v then"), std::string::npos);
}

TEST(Evaluator, RecursiveMetatablesAndYieldsFailCleanly) {
  auto r = EvaluatePack(R"(
indicator { id = "loop", evaluate = function(e)
  local t = setmetatable({}, {})
  getmetatable(t).__index = t
  return none(t.missing)
end }
)");
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_NE(r.failures[0].message.find("loop"), std::string::npos) << r.failures[0].message;
  r = EvaluatePack("indicator { id = \"yield\", evaluate = function(e) coroutine.yield() end }\n");
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_NE(r.failures[0].message.find("coroutine.yield is not available"), std::string::npos);
}

TEST(Evaluator, AnOverrideSetsTheCategoryUntilItExpires) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"x\", evaluate = function(e) return concern(30, 'RI') end }\n");
  vigil::testing::WriteText(folder / "overrides.lua", R"(overrides {
  { key = "103456", category = "intensive", reason = "New head; diocese concerned", by = "A. Officer",
    expires = "2023-12-31" },
})");
  auto pack = RulePack::Load(folder);
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  SchoolFixture f;
  for (const auto& [as_of, category] : {std::pair<std::string, std::string>{"2023-11-30", "intensive"},
                                        {"2024-01-01", "targeted"}}) {
    Evaluator evaluator(**pack, f.names, as_of);
    ASSERT_TRUE(evaluator.Prepare().ok());
    std::vector<RuleFailure> failures;
    auto outcome = evaluator.Evaluate(f.school, failures);
    ASSERT_TRUE(outcome && *outcome);
    EXPECT_EQ((*outcome)->category, category) << as_of;
    EXPECT_EQ((*outcome)->computed_category, "targeted");
    EXPECT_EQ((*outcome)->override_applied.has_value(), category == "intensive");
  }
}

TEST(Evaluator, AnOverrideNamingAnUnknownCategoryIsRefusedWithItsLine) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"x\", evaluate = function(e) end }\n");
  vigil::testing::WriteText(folder / "overrides.lua",
      "overrides {\n  { key = \"1\", category = \"urgent\", reason = \"r\", by = \"b\", expires = \"2024-01-01\" },\n}\n");
  auto pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  // The entry's own line, not the line of `overrides {`.
  EXPECT_NE(pack.error().message.find("overrides.lua:2: override for '1' names category 'urgent'"),
            std::string::npos) << pack.error().message;
}

TEST(Evaluator, RepeatedFailuresAreSummarisedOnceWithACount) {
  std::vector<RuleFailure> failures;
  for (int i = 0; i < 5; ++i)
    failures.push_back({"ks2", "a.lua:3: boom", std::to_string(100 + i), "School " + std::to_string(i), false});
  std::string text = SummariseFailures(failures, 2);
  EXPECT_NE(text.find("a.lua:3: boom\n    for 5 entities: 100 (School 0), 101 (School 1), …"),
            std::string::npos) << text;
}

TEST(Evaluator, ASummaryOfManyDifferentFailuresIsBoundedAndShowsDataEscaped) {
  std::vector<RuleFailure> failures;
  for (int i = 0; i < 1000; ++i)
    failures.push_back({"ks2", "a.lua:3: boom " + std::to_string(i), "10" + std::to_string(i),
                        "School\n\x1b[2J" + std::to_string(i), false});
  std::string text = SummariseFailures(failures);
  EXPECT_NE(text.find("… and 980 more different problems"), std::string::npos) << text;
  EXPECT_EQ(text.find("boom 20\n"), std::string::npos);
  EXPECT_NE(text.find("100 (School\\x0a\\x1b[2J0)"), std::string::npos) << text;
  EXPECT_LT(text.size(), 4000u);
}

}  // namespace
}  // namespace vigil::rules
