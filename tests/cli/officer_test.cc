// An officer who edits a rule pack cannot make a silent mistake: each test
// makes one through the real `vigil` binary on the mini job and reads the
// message, its file:line and the exit code.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/mini_job.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using testing::ReadText;
using testing::TempDir;
using testing::WriteText;

class Officer : public testing::MiniJob {
 protected:
  void Replace(const fs::path& file, const std::string& from, const std::string& to) {
    std::string text = ReadText(file);
    auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    WriteText(file, text);
  }
};

#define EXPECT_HAS(output, text) EXPECT_NE((output).find(text), std::string::npos) << (output)

TEST_F(Officer, ARunWarnsOfAMeasureNoSourceProvidesOnStderrAndInTheReport) {
  WriteText(Pack() / "indicators" / "roll.lua", "indicator { id = \"roll\", evaluate = function(e)\n"
                                                "  local before = e:previous(\"pupil\")\nend }\n");
  auto run = VigilErr("run job.toml");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  const std::string warning = "rules/mini/indicators/roll.lua:2: indicator 'roll' reads measure 'pupil', which no "
                              "source of job 'mini' provides (did you mean pupils?)";
  EXPECT_HAS(run.output, "warn");
  EXPECT_HAS(run.output, warning);
  auto doc = nlohmann::json::parse(ReadText(Latest() / "report.json"));
  ASSERT_EQ(doc["rule_warnings"].size(), 1u);
  EXPECT_HAS(doc["rule_warnings"][0].get<std::string>(), warning);
  EXPECT_HAS(ReadText(Latest() / "report.html"), "What the rules read but the data lacks");
  EXPECT_HAS(ReadText(Latest() / "report.html"), "reads measure &#39;pupil&#39;");

  auto check = Vigil("rules check ../rules/mini --job job.toml");
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_HAS(check.output, "rules/mini/indicators/roll.lua:2: indicator 'roll' reads measure 'pupil', which no "
                           "source of job 'mini' provides (did you mean pupils?)");
}

TEST_F(Officer, ARunWarnsOfAnAttributeNoSchoolHasAndRulesCheckWithTheJobNamesIt) {
  WriteText(Pack() / "indicators" / "phase.lua", "indicator { id = \"phase\", evaluate = function(e)\n"
                                                 "  if e.attr.phsae == \"Primary\" then return watch(5, \"x\") end\nend }\n");
  auto run = VigilErr("run job.toml");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_HAS(run.output, "rules/mini/indicators/phase.lua:2: indicator 'phase' reads attribute 'phsae', which no "
                         "school of job 'mini' has (did you mean phase?)");
  auto check = Vigil("rules check ../rules/mini --job job.toml");
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_HAS(check.output, "rules/mini/indicators/phase.lua:2: indicator 'phase' reads attribute 'phsae', which no "
                           "school of job 'mini' has (did you mean phase?)\nEvaluated 5 schools");  // said once
  EXPECT_HAS(check.output, "\n1 error.");
}

TEST_F(Officer, RulesCheckWithoutAJobNamesAMisspeltMeasureWhenThePackListsItsMeasures) {
  Replace(Pack() / "pack.lua", "kind = \"school\",", "kind = \"school\",\n  measures = { \"pupils\", \"ofsted_overall\" },");
  WriteText(Pack() / "indicators" / "roll.lua", "indicator { id = \"roll\", evaluate = function(e)\n"
                                                "  local before = e:previous(\"pupil\")\nend }\n");
  auto check = Vigil("rules check ../rules/mini");
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_HAS(check.output, "rules/mini/indicators/roll.lua:2: indicator 'roll' reads measure 'pupil', which "
                           "pack.lua's measures = { ... } does not list");
  EXPECT_HAS(check.output, "(did you mean pupils?)");
  EXPECT_HAS(check.output, "1 error.");
}

TEST_F(Officer, RulesCheckWithoutAJobFindsEveryThresholdAndTypeMistake) {
  struct Mistake {
    const char* file;
    const char* from;
    const char* to;
    const char* message;
  };
  const Mistake mistakes[] = {
      {"indicators/ofsted.lua", "threshold.overdue_points", "threshold.overdue_point",
       "rules/mini/indicators/ofsted.lua:31: threshold 'overdue_point' is not in thresholds.lua (did you mean "
       "overdue_points?)"},
      {"thresholds.lua", "overdue_points = 10", "overdue_points = \"10\"",
       "rules/mini/thresholds.lua:5: threshold 'overdue_points' is \"10\" in quotes, which is text, not a number: "
       "write overdue_points = 10"},
      {"thresholds.lua", "overdue_points = 10", "overdue_points = 10%",
       "rules/mini/thresholds.lua line 5: a number cannot have a % sign"},
      {"indicators/ofsted.lua", "return none(format(\"Judged %s on %s\", words, j.date))",
       "return threshold.requires_improvement_points",
       "rules/mini/indicators/ofsted.lua:18: indicator 'ofsted_judgement': evaluate returns "
       "threshold.requires_improvement_points (a value, not a level)"},
      {"indicators/ofsted.lua", "return concern(threshold.requires_improvement_points, format(\"Judged %s on %s\", words, j.date))",
       "return concern(format(\"Judged %s on %s\", words, j.date), threshold.requires_improvement_points)",
       "rules/mini/indicators/ofsted.lua:16: concern(points, reason) is given a text first"},
  };
  for (const auto& m : mistakes) {
    testing::CopyTree(fs::path(VIGIL_TEST_DATA) / "rules", dir_ / "rules");  // start clean
    Replace(Pack() / m.file, m.from, m.to);
    auto check = Vigil("rules check ../rules/mini");
    EXPECT_EQ(check.exit_code, 1) << m.to << "\n" << check.output;
    EXPECT_HAS(check.output, m.message);
    EXPECT_EQ(check.output.find("No errors."), std::string::npos) << check.output;
  }
  testing::CopyTree(fs::path(VIGIL_TEST_DATA) / "rules", dir_ / "rules");
  auto clean = Vigil("rules check ../rules/mini");
  EXPECT_EQ(clean.exit_code, 0) << clean.output;
  EXPECT_HAS(clean.output, "No errors.");
}

TEST_F(Officer, AWrongReturnTheFileDoesNotShowIsFoundOnAMadeUpSchoolAtItsReturnLine) {
  WriteText(Pack() / "indicators" / "roll.lua", R"(local LEVEL = "watch"
indicator {
  id = "roll",
  evaluate = function(e)
    local n = e:value("pupils")
    if n then
      return LEVEL
    end
  end,
}
)");
  auto check = Vigil("rules check ../rules/mini");
  EXPECT_EQ(check.exit_code, 1) << check.output;
  EXPECT_HAS(check.output, "rules/mini/indicators/roll.lua:7: indicator 'roll': evaluate returned a string; expected "
                           "none(...), watch(...), concern(...) or serious(...)");
  EXPECT_HAS(check.output, "(on a made-up school whose figures");
  // And in a run, on real data, the same line.
  Replace(Pack() / "indicators" / "roll.lua", "e:value(\"pupils\")", "e:value(\"ofsted_overall\")");
  auto run = Vigil("run job.toml");
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_HAS(run.output, "rules/mini/indicators/roll.lua:7: indicator 'roll': evaluate returned a string");
}

TEST_F(Officer, FoldersWorkWithOrWithoutATrailingSlash) {
  testing::CopyTree(fs::path(VIGIL_SOURCE_DIR) / "rules" / "actions", dir_ / "rules" / "actions");
  testing::CopyTree(fs::path(VIGIL_SOURCE_DIR) / "rules" / "kpis", dir_ / "rules" / "kpis");
  auto check = Vigil("rules check ../rules/actions/");
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_HAS(check.output, "No errors.");
  auto test = Vigil("rules test ../rules/kpis/");
  EXPECT_EQ(test.exit_code, 0) << test.output;
  EXPECT_HAS(test.output, " passed, 0 failed");

  fs::path job = dir_ / "mini" / "job.toml";
  Replace(job, "pack = \"../rules/mini\"", "pack = \"../rules/mini/\"");
  Replace(job, "data_folders = [\".\"]", "data_folders = [\"./\"]");
  Replace(job, "folder = \"out/reports\"", "folder = \"out/reports/\"");
  auto run = Vigil("run job.toml");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(fs::exists(Latest() / "report.html"));
  EXPECT_EQ(Vigil("rules check ../rules/mini/ --job job.toml").exit_code, 0);
  EXPECT_EQ(Vigil("diff job.toml --rules ../rules/mini/").exit_code, 0);
  EXPECT_EQ(Vigil("run job.toml --rerun --out other/").exit_code, 0);
  EXPECT_TRUE(fs::exists(dir_ / "mini" / "other" / "latest" / "report.html"));
}

TEST_F(Officer, PackTestsWithAMisspeltKeyIdOrCategoryFailNamingTheLine) {
  WriteText(Pack() / "tests" / "mini_test.lua", R"(test {
  name = "inadequate is intensive",
  entity = { key = "1", observations = { ofsted_overall = { { date = "2022-01-01", value = 4 } } } },
  expect = {
    level = { ofsted_judgement = "serious" },
  },
}
test {
  name = "requires improvement is a concern",
  entity = { key = "2", observations = { ofsted_overall = { { date = "2022-01-01", value = 3 } } } },
  expect = {
    category = "targetted",
    levels = { ofsted_judgment = "concern" },
  },
}
test {
  name = "the score of a good school inspected long ago",
  as_of = "2023-11-30",
  entity = { key = "3", observations = { ofsted_overall = { { date = "2015-01-01", value = 2 } } } },
  expect = { score = 10, levels = { inspection_overdue = "watch" } },
}
)");
  auto r = Vigil("rules test ../rules/mini");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_HAS(r.output, "FAIL rules/mini/tests/mini_test.lua:1: inadequate is intensive");
  EXPECT_HAS(r.output, "rules/mini/tests/mini_test.lua:5: unknown key 'level' in expect (did you mean levels?)");
  EXPECT_HAS(r.output, "rules/mini/tests/mini_test.lua:12: expect.category is 'targetted', which categories.lua does "
                       "not define (did you mean targeted?)");
  EXPECT_HAS(r.output, "rules/mini/tests/mini_test.lua:13: expect.levels names indicator 'ofsted_judgment', which the "
                       "pack does not define (did you mean ofsted_judgement?)");
  EXPECT_HAS(r.output, "PASS the score of a good school inspected long ago");
  EXPECT_HAS(r.output, "1 passed, 2 failed");

  auto one = Vigil("rules test ../rules/mini -r 'score of a good'");
  EXPECT_EQ(one.exit_code, 0) << one.output;
  EXPECT_HAS(one.output, "1 passed, 0 failed");
  auto none = Vigil("rules test ../rules/mini -r 'nothing like this'");
  EXPECT_EQ(none.exit_code, 1) << none.output;
  EXPECT_HAS(none.output, "No test of rule pack 'mini' has a name matching \"nothing like this\"");

  auto coverage = Vigil("rules test ../rules/mini -r 'score of a good' --coverage");
  EXPECT_EQ(coverage.exit_code, 0) << coverage.output;
  EXPECT_HAS(coverage.output, "Coverage: what no test run here reaches");
  EXPECT_HAS(coverage.output, "ofsted_judgement: no test reaches serious, concern, watch");
  EXPECT_HAS(coverage.output, "inspection_overdue: no test reaches none");

  Replace(Pack() / "tests" / "mini_test.lua", "score = 10", "score = 15");
  auto score = Vigil("rules test ../rules/mini -r 'score of a good'");
  EXPECT_EQ(score.exit_code, 1);
  EXPECT_HAS(score.output, "expected score 15, got 10 (inspection_overdue watch 10)");
}

TEST_F(Officer, OverridesAreJudgedOnTheJobsDateAtTheirOwnLineWithLabels) {
  WriteText(Pack() / "overrides.lua", R"(overrides {
  -- Valid on the job's date (2023-11-30), though long past today.
  { key = "100001", category = "targeted", reason = "New head", by = "A. Officer", expires = "2024-03-31" },
  -- Lapsed before the job's date.
  { key = "100004", category = "intensive", reason = "Safeguarding referral", by = "B. Officer",
    expires = "2023-10-31" },
})");
  ASSERT_EQ(Vigil("run job.toml").exit_code, 0);
  auto check = Vigil("rules check ../rules/mini --job job.toml");
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(check.output.find("100001 to Targeted support expired"), std::string::npos) << check.output;
  EXPECT_HAS(check.output, "note: rules/mini/overrides.lua:5: the override of 100004 to Intensive support expired on "
                           "2023-10-31, before 2023-11-30 (the date job 'mini' assesses): it no longer applies");

  auto explain = VigilOut("explain job.toml 100004");
  EXPECT_EQ(explain.exit_code, 0) << explain.output;
  EXPECT_HAS(explain.output, "The override to Intensive support by B. Officer lapsed on 2023-10-31 "
                             "(rules/mini/overrides.lua:5): the rules' category applies.");
  auto doc = nlohmann::json::parse(ReadText(Latest() / "report.json"));
  for (const auto& e : doc["packs"][0]["entities"])
    if (e["key"] == "100004") {
      EXPECT_EQ(e["lapsed_override"]["expired"], "2023-10-31");
    }
  EXPECT_HAS(ReadText(Latest() / "report.html"), "Override by B. Officer (Safeguarding referral) lapsed on <span class=\"date\">2023-10-31</span>");

  Replace(Pack() / "overrides.lua", "key = \"100004\"", "key = \"10004\"");
  auto typo = Vigil("rules check ../rules/mini --job job.toml");
  EXPECT_EQ(typo.exit_code, 1) << typo.output;
  EXPECT_HAS(typo.output, "rules/mini/overrides.lua:5: the override names school '10004', which job 'mini' does not "
                          "have: it would never apply");
}

TEST_F(Officer, LuaSyntaxErrorsAreExplainedInOfficerTerms) {
  Replace(Pack() / "thresholds.lua", "overdue_points = 10,", "overdue_points = 10");
  auto check = Vigil("rules check ../rules/mini");
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_HAS(check.output, "rules/mini/thresholds.lua line 5: a comma is missing at the end of the line\n"
                           "  (Lua: rules/mini/thresholds.lua:7: '}' expected (to close '{' at line 1) near "
                           "'requires_improvement_points')");
  EXPECT_EQ(Vigil("run job.toml").exit_code, 2);

  testing::CopyTree(fs::path(VIGIL_TEST_DATA) / "rules", dir_ / "rules");
  WriteText(Pack() / "indicators" / "roll.lua", "indicator {\n  id = \"roll\",\n  evaluate = function(e)\n"
                                                "    if e:value(\"pupils\") then\n      return none(\"x\")\n"
                                                "  end,\n}\n");
  check = Vigil("rules check ../rules/mini");
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_HAS(check.output, "rules/mini/indicators/roll.lua: the `if` on line 4 has no matching `end`\n"
                           "  (Lua: rules/mini/indicators/roll.lua:6: unexpected symbol near ',')");
}

TEST_F(Officer, AThresholdSetTwiceIsAnErrorNamingBothLinesAndTheRunRefusesIt) {
  // Appended at the end while line 7 still sets it: Lua alone keeps the last, silently.
  Replace(Pack() / "thresholds.lua", "  inadequate_points = 60,\n}",
          "  inadequate_points = 60,\n  requires_improvement_points = 40,\n}");
  auto check = Vigil("rules check ../rules/mini");
  EXPECT_EQ(check.exit_code, 1) << check.output;
  EXPECT_HAS(check.output, "rules/mini/thresholds.lua:10: 'requires_improvement_points' is set twice (lines 7 and "
                           "10): Lua would keep the second value and ignore the first without a word");
  EXPECT_EQ(check.output.find("No errors."), std::string::npos) << check.output;
  EXPECT_EQ(Vigil("run job.toml").exit_code, 2);

  // The same for a key given twice in one category.
  testing::CopyTree(fs::path(VIGIL_TEST_DATA) / "rules", dir_ / "rules");
  Replace(Pack() / "categories.lua", "min_score = 25 }", "min_score = 25, label = \"Targeted\" }");
  check = Vigil("rules check ../rules/mini");
  EXPECT_EQ(check.exit_code, 1) << check.output;
  EXPECT_HAS(check.output, "rules/mini/categories.lua:3: 'label' is set twice (lines 3 and 3)");
}

TEST_F(Officer, CategoriesOutOfOrderAreAnErrorNamingTheFileAndBothLines) {
  Replace(Pack() / "categories.lua", "min_score = 25 }", "min_score = 70 }");
  auto check = Vigil("rules check ../rules/mini");
  EXPECT_EQ(check.exit_code, 1) << check.output;
  EXPECT_HAS(check.output, "rules/mini/categories.lua:3: category 'targeted' (min_score = 70) is listed below "
                           "'intensive' (line 2, min_score = 60), but a category's min_score must not be higher "
                           "than the one above it");
  EXPECT_EQ(Vigil("run job.toml").exit_code, 2);
}

TEST_F(Officer, PackTestsWithADayFirstDateAnImpossibleDateOrAMeasureNoIndicatorReadsFailNamingTheLine) {
  WriteText(Pack() / "tests" / "mini_test.lua", R"(test {
  name = "a UK date",
  entity = { key = "1", observations = { ofsted_overall = { { date = "31/08/2022", value = 4 } } } },
  expect = { category = "intensive" },
}
test {
  name = "an impossible date",
  as_of = "2023-11-31",
  entity = { key = "2", observations = { ofsted_overall = { { date = "2022-08-31", value = 4 } } } },
  expect = { category = "intensive" },
}
test {
  name = "a measure one letter short",
  entity = { key = "3", observations = {
    ofsted_overal = { { date = "2022-08-31", value = 4 } },
  } },
  expect = { category = "universal" },
}
test {
  name = "all well",
  entity = { key = "4", observations = { ofsted_overall = { { date = "2022-08-31", value = 4 } } } },
  expect = { category = "intensive" },
}
)");
  auto r = Vigil("rules test ../rules/mini");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_HAS(r.output, "rules/mini/tests/mini_test.lua:3: the date '31/08/2022' of an observation of 'ofsted_overall' "
                       "is written day first: tests write dates as YYYY-MM-DD (2022-08-31)");
  EXPECT_HAS(r.output, "rules/mini/tests/mini_test.lua:8: as_of '2023-11-31' is not a day of the calendar");
  EXPECT_HAS(r.output, "rules/mini/tests/mini_test.lua:15: the entity has observations of measure 'ofsted_overal', "
                       "which no indicator reads (did you mean ofsted_overall?)");
  EXPECT_HAS(r.output, "PASS all well");
  EXPECT_HAS(r.output, "1 passed, 3 failed");
}

TEST_F(Officer, ALuaFileSavedAsUtf8WithABomIsRead) {
  WriteText(Pack() / "thresholds.lua", "\xEF\xBB\xBF" + ReadText(Pack() / "thresholds.lua"));
  WriteText(Pack() / "indicators" / "ofsted.lua", "\xEF\xBB\xBF" + ReadText(Pack() / "indicators" / "ofsted.lua"));
  auto check = Vigil("rules check ../rules/mini");
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_HAS(check.output, "No errors.");
  EXPECT_EQ(Vigil("run job.toml").exit_code, 0);
  auto explain = VigilOut("explain job.toml 100002");
  EXPECT_HAS(explain.output, "30 points (requires_improvement_points)");
}

TEST_F(Officer, AnEndTooManyIsNamedAsSuchNotAsAMissingComma) {
  WriteText(Pack() / "indicators" / "roll.lua", "indicator {\n  id = \"roll\",\n  evaluate = function(e)\n"
                                                "    if e:latest(\"pupils\") then\n      return none(\"x\")\n"
                                                "    end end\n  end,\n}\n");
  auto check = Vigil("rules check ../rules/mini");
  EXPECT_EQ(check.exit_code, 1) << check.output;
  EXPECT_HAS(check.output, "rules/mini/indicators/roll.lua line 7: there is an `end` too many: no block is left open "
                           "for this `end` to close (the `end` on line 6 already closes the `function` of line 3); "
                           "delete the `end` that is extra");
  EXPECT_EQ(check.output.find("comma"), std::string::npos) << check.output;
}

TEST_F(Officer, ExplainFindsANameWhateverApostropheOrCaseTheRegisterAndTheOfficerUse) {
  // The register is Windows-1252, as GIAS publishes it: byte 0x92 is ’.
  const fs::path schools = dir_ / "mini" / "schools.csv";
  std::string text = ReadText(schools);
  text.replace(text.find("Beta Secondary"), 14, "St Bede\x92s Secondary");
  WriteText(schools, text);
  ASSERT_EQ(Vigil("run job.toml").exit_code, 0);
  for (const char* typed : {"\"st bede's\"", "\"ST BEDE\xE2\x80\x98S\"", "'bede`s  secondary'"}) {
    auto explain = VigilOut(std::string("explain job.toml ") + typed);
    EXPECT_EQ(explain.exit_code, 0) << typed << "\n" << explain.output;
    EXPECT_EQ(explain.output.rfind("school 100002 \xE2\x80\x94 St Bede\xE2\x80\x99s Secondary\n", 0), 0u)
        << typed << "\n" << explain.output;
  }
}

TEST_F(Officer, RulesCheckSaysHowManyFailedAndHowManyWereEvaluated) {
  ASSERT_EQ(Vigil("run job.toml").exit_code, 0);
  WriteText(Pack() / "indicators" / "fragile.lua", "indicator { id = \"fragile\", evaluate = function(e)\n"
                                                   "  if e.key ~= \"100001\" then error(\"no data for \" .. e.key) end\n"
                                                   "end }\n");
  auto check = Vigil("rules check ../rules/mini --job job.toml");
  EXPECT_EQ(check.exit_code, 1) << check.output;
  EXPECT_HAS(check.output, "rules/mini/indicators/fragile.lua:2: no data for");
  EXPECT_HAS(check.output, "Of 5 schools of job 'mini' as of 2023-11-30, 3 failed and 1 was evaluated without error "
                           "(1 left out by pack.lua's applies).");
}

TEST_F(Officer, ExplainGivesTheVerdictFirstNamesThePointsThresholdAndFindsANamePart) {
  ASSERT_EQ(Vigil("run job.toml").exit_code, 0);
  auto explain = VigilOut("explain job.toml 'beta'");
  EXPECT_EQ(explain.exit_code, 0) << explain.output;
  EXPECT_EQ(explain.output.rfind("school 100002 — Beta Secondary\nTargeted support: score 30 (Targeted support from "
                                 "25)\nRules: the rules of run 1 (pack 'mini'), as of 2023-11-30.\n", 0), 0u)
      << explain.output;
  EXPECT_HAS(explain.output, "Scored, highest first:\n  30 points (requires_improvement_points)  concern  Latest Ofsted "
                             "judgement (ofsted_judgement)\n      Judged Requires improvement on 2022-10-10\n"
                             "        ofsted_overall: 3 on 2022-10-10, 3 on 2019-03-01");
  EXPECT_HAS(explain.output, "No points:\n  none  Time since last inspection (inspection_overdue)\n      (no reason given)");
  EXPECT_EQ(explain.output.find("district: South"), std::string::npos);  // attributes only with -v
  EXPECT_HAS(VigilOut("-v explain job.toml 100002").output, "Attributes:\n  district: South");

  auto ambiguous = Vigil("explain job.toml 'a'");
  EXPECT_EQ(ambiguous.exit_code, 2);
  EXPECT_HAS(ambiguous.output, "names match 'a'; give the key or more of the name:\n  100001  Alpha Primary");
  auto unknown = Vigil("explain job.toml 'zeta'");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_HAS(unknown.output, "nothing in");
}

TEST_F(Officer, ExplainUsesTheRulesOfTheRunAndComparesThePackOnDiskWhenAsked) {
  ASSERT_EQ(Vigil("run job.toml").exit_code, 0);
  Replace(Pack() / "thresholds.lua", "requires_improvement_points = 30", "requires_improvement_points = 60");
  auto as_run = VigilOut("explain job.toml 100002");
  EXPECT_HAS(as_run.output, "Targeted support: score 30");  // the run's rules, not the edited pack
  auto edited = VigilOut("explain job.toml 100002 --rules ../rules/mini");
  EXPECT_EQ(edited.exit_code, 0) << edited.output;
  EXPECT_HAS(edited.output, "Intensive support: score 60");
  EXPECT_HAS(edited.output, "Rules: rules/mini on disk (pack 'mini')");
  EXPECT_HAS(edited.output, "Compared with the rules of run 1:\n  Targeted support → Intensive support, score 30 → 60\n"
                            "  Latest Ofsted judgement (ofsted_judgement): concern 30 → concern 60 points");
  // The next period, with the edit: explain says what the school was in the
  // period before, the run the report's changes compare with.
  ASSERT_EQ(Vigil("run job.toml --as-of 2023-12-31").exit_code, 0);
  EXPECT_HAS(VigilOut("explain job.toml 100002").output,
             "Intensive support: score 60 (Intensive support from 60)\n  In run 1 (as of 2023-11-30, the period "
             "before) it was Targeted support, score 30.\nRules: the rules of run 2");
}

TEST_F(Officer, DiffComparesThePackOnDiskWithTheLastRunsRulesAndWritesFilesToShare) {
  ASSERT_EQ(Vigil("run job.toml").exit_code, 0);
  Replace(Pack() / "thresholds.lua", "requires_improvement_points = 30", "requires_improvement_points = 60");
  Replace(Pack() / "thresholds.lua", "overdue_points = 10", "overdue_points = 15");
  auto diff = VigilOut("diff job.toml --csv changes.csv --html changes.html");
  EXPECT_EQ(diff.exit_code, 0) << diff.output;
  EXPECT_HAS(diff.output, "Rule pack 'mini': the rules of run 1 (old) → rules/mini on disk (new), job 'mini' as of "
                          "2023-11-30.\n1 of 4 schools change category; 2 more change score within their category.\n"
                          "     1  Targeted support → Intensive support\n");
  EXPECT_HAS(diff.output, "  ofsted_judgement             flags 2 schools, as before\n");
  EXPECT_HAS(diff.output, "Category changes:\n  100002 Beta Secondary: Targeted support → Intensive support (score 30 → "
                          "60)\n      Latest Ofsted judgement: concern 30 → concern 60 points: Judged Requires "
                          "improvement on 2022-10-10\n");
  EXPECT_HAS(diff.output, "Score changes within a category:\n  100001 Alpha Primary: Universal support, score 10 → 15\n"
                          "      Time since last inspection: watch 10 → watch 15 points");
  EXPECT_EQ(diff.output.find("->"), std::string::npos);
  std::string csv = ReadText(dir_ / "mini" / "changes.csv");
  EXPECT_HAS(csv, "mini,100002,Beta Secondary,category,Targeted support,Intensive support,30,60,ofsted_judgement,"
                  "concern,concern,30,60,Judged Requires improvement on 2022-10-10\r\n");
  EXPECT_HAS(csv, "mini,100004,\"'=HYPERLINK(\"\"\"\"http://x\"\"\"\") Academy\",score,");  // no formula runs
  std::string html = ReadText(dir_ / "mini" / "changes.html");
  EXPECT_HAS(html, "Targeted support → Intensive support");
  EXPECT_EQ(html.find("<script>"), std::string::npos);

  // A new indicator shows how many schools it flags.
  WriteText(Pack() / "indicators" / "old.lua", "indicator { id = \"old_inspection\", title = \"Inspected before 2015\",\n"
                                               "  evaluate = function(e)\n    local j = e:latest(\"ofsted_overall\")\n"
                                               "    if j and j.date < \"2015-01-01\" then return watch(0, \"Old\") end\n"
                                               "  end }\n");
  diff = VigilOut("diff job.toml");
  EXPECT_HAS(diff.output, "  old_inspection               flags 1 school (a new indicator)");
}

}  // namespace
}  // namespace vigil
