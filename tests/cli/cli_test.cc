// End to end: the built `vigil` binary on fixture files, as a user runs it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/mini_job.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using testing::ReadText;
using testing::Run;
using testing::TempDir;
using testing::WriteText;

using Cli = testing::MiniJob;

TEST_F(Cli, RunWritesHtmlCsvAndJsonAndSaysWhereTheyAre) {
  auto r = Vigil("run job.toml");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Run 1 of job 'mini' succeeded."), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("mini: 4 schools, 1 Intensive support, 1 Targeted support, 2 Universal support"),
            std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Reports: "), std::string::npos);

  auto doc = nlohmann::json::parse(ReadText(Latest() / "report.json"));
  const auto& pack = doc["packs"][0];
  EXPECT_EQ(pack["counts"]["intensive"], 1);
  ASSERT_EQ(pack["entities"].size(), 4u);
  const auto& top = pack["entities"][0];
  EXPECT_EQ(top["key"], "100003");
  EXPECT_EQ(top["kind"], "school");
  EXPECT_EQ(top["name"], "Gamma <script>alert(1)</script> School");
  EXPECT_EQ(top["attributes"]["district"], "North");
  EXPECT_EQ(top["category"], "intensive");
  EXPECT_EQ(top["score"], 60);
  EXPECT_EQ(top["indicators"][0]["id"], "ofsted_judgement");
  EXPECT_EQ(top["indicators"][0]["level"], "serious");
  EXPECT_EQ(top["indicators"][0]["reason"], "Judged Inadequate on 2021-05-05");

  std::string html = ReadText(Latest() / "report.html");
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("Gamma &lt;script&gt;alert(1)&lt;/script&gt; School"), std::string::npos);
  EXPECT_NE(html.find("Last inspected 6.2 years ago (2017-09-14), judged Good"), std::string::npos);
  EXPECT_NE(ReadText(Latest() / "results.csv").find("100002,Beta Secondary,targeted"), std::string::npos);
}

TEST_F(Cli, ANonNumericValueIsReportedWithFileLineAndFieldAndTheRunContinues) {
  auto r = Vigil("run job.toml");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("1 input row was rejected (1 value)"), std::string::npos) << r.output;
  EXPECT_NE(ReadText(Latest() / "rejections.csv")
                .find("register,schools.csv,3,Pupils,not-a-number,'not-a-number' is not a number"),
            std::string::npos);
  auto check = Vigil("sources check job.toml");
  EXPECT_EQ(check.exit_code, 1) << check.output;
  EXPECT_NE(check.output.find("schools.csv:3: source 'register' field 'Pupils' value 'not-a-number'"),
            std::string::npos) << check.output;
}

TEST_F(Cli, ChangingAThresholdChangesTheCategoryOnTheNextRunWithoutARebuild) {
  ASSERT_EQ(Vigil("run job.toml").exit_code, 0);
  auto before = nlohmann::json::parse(ReadText(Latest() / "report.json"));
  EXPECT_EQ(before["packs"][0]["counts"]["targeted"], 1);
  std::string thresholds = ReadText(Pack() / "thresholds.lua");
  thresholds.replace(thresholds.find("requires_improvement_points = 30"), 32, "requires_improvement_points = 10");
  WriteText(Pack() / "thresholds.lua", thresholds);
  auto r = Vigil("run job.toml");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto after = nlohmann::json::parse(ReadText(Latest() / "report.json"));
  EXPECT_EQ(after["packs"][0]["counts"]["targeted"], 0);
  auto changes = after["packs"][0]["changes_since_previous_run"];
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0]["key"], "100002");
  EXPECT_EQ(changes[0]["from"], "targeted");
  EXPECT_EQ(changes[0]["to"], "universal");
}

TEST_F(Cli, ARuleSyntaxErrorIsReportedWithFileAndLine) {
  WriteText(Pack() / "indicators" / "broken.lua", "indicator {\n  id = \"x\"\n  evaluate = 1\n}\n");
  auto check = Vigil("rules check ../rules/mini");
  EXPECT_EQ(check.exit_code, 1) << check.output;
  EXPECT_NE(check.output.find("rules/mini/indicators/broken.lua:3:"), std::string::npos) << check.output;
  auto run = Vigil("run job.toml");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("broken.lua:3:"), std::string::npos) << run.output;
}

TEST_F(Cli, ARuleThatTriesToReachTheSystemIsRefused) {
  WriteText(Pack() / "indicators" / "evil.lua",
            "indicator { id = \"evil\", evaluate = function(e)\n  os.execute('touch pwned')\nend }\n");
  auto run = Vigil("run job.toml");
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("evil.lua:2: os.execute is not available in rules"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(dir_ / "mini" / "pwned"));

  WriteText(Pack() / "indicators" / "evil.lua",
            "indicator { id = \"evil\", evaluate = function(e)\n  local f = io.open('/etc/passwd')\nend }\n");
  run = Vigil("run job.toml");
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("evil.lua:2: io.open is not available in rules"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(Latest()));  // no report from a failed run
}

TEST_F(Cli, PluginsListsTheCsvPluginAndDescribesItsSettings) {
  auto list = Vigil("plugins");
  EXPECT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("csv"), std::string::npos);
  auto info = Vigil("plugins info csv");
  EXPECT_EQ(info.exit_code, 0) << info.output;
  EXPECT_NE(info.output.find("key_column"), std::string::npos);
  EXPECT_NE(info.output.find("required"), std::string::npos);
  EXPECT_EQ(Vigil("plugins info nosuch").exit_code, 3);
}

TEST_F(Cli, RunsAndExplainShowHistoryAndEvidence) {
  ASSERT_EQ(Vigil("run job.toml").exit_code, 0);
  auto runs = Vigil("runs job.toml");
  EXPECT_EQ(runs.exit_code, 0);
  EXPECT_NE(runs.output.find("succeeded"), std::string::npos) << runs.output;
  auto show = Vigil("runs job.toml show 1");
  EXPECT_EQ(show.exit_code, 0);
  EXPECT_NE(show.output.find("sha256"), std::string::npos) << show.output;
  auto explain = Vigil("explain job.toml 100001");
  EXPECT_EQ(explain.exit_code, 0) << explain.output;
  EXPECT_NE(explain.output.find("ofsted_overall: 2 on 2017-09-14"), std::string::npos) << explain.output;
  EXPECT_NE(explain.output.find("Universal support: score 10 (Universal support from 0)"), std::string::npos)
      << explain.output;
}

TEST_F(Cli, APluginThatCrashesTheProcessIsNamedByTheNextRun) {
  fs::path job = dir_ / "mini" / "job.toml";
  std::string original = ReadText(job);
  WriteText(job, "plugin_folders = [\"" + std::string(VIGIL_TEST_PLUGIN_DIR) + "\"]\n" + original +
                     "\n[[source]]\nname = \"crashing\"\nplugin = \"crash\"\n");
  auto crashed = Vigil("run job.toml");
  EXPECT_NE(crashed.exit_code, 0) << crashed.output;
  WriteText(job, original);
  auto next = Vigil("run job.toml");
  EXPECT_EQ(next.exit_code, 0) << next.output;
  EXPECT_NE(next.output.find("the process stopped while plugin 'crash' was reading source 'crashing'"),
            std::string::npos) << next.output;
  auto runs = Vigil("runs job.toml");
  EXPECT_NE(runs.output.find("failed"), std::string::npos) << runs.output;
  auto doc = nlohmann::json::parse(ReadText(Latest() / "report.json"));
  EXPECT_EQ(doc["packs"][0]["entities"].size(), 4u);  // nothing from the crashed run was kept
}

TEST_F(Cli, RulesTestRunsThePacksOwnTestsAndFailsOnAWrongExpectation) {
  WriteText(Pack() / "tests" / "mini_test.lua", R"lua(
test { name = "inadequate is intensive", as_of = "2023-11-30",
  entity = { key = "1", attr = { status = "Open" },
             observations = { ofsted_overall = { { date = "2022-01-01", value = 4 } } } },
  expect = { category = "intensive", levels = { ofsted_judgement = "serious" } } }
test { name = "good is targeted (wrong on purpose)", as_of = "2023-11-30",
  entity = { key = "2", attr = { status = "Open" },
             observations = { ofsted_overall = { { date = "2022-01-01", value = 2 } } } },
  expect = { category = "targeted" } }
)lua");
  auto r = Vigil("rules test ../rules/mini");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("PASS inadequate is intensive"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("mini_test.lua:6: good is targeted (wrong on purpose)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("expected category targeted, got universal"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("1 passed, 1 failed"), std::string::npos) << r.output;
}

TEST_F(Cli, TheDefaultPacksOwnTestsPass) {
  for (const char* pack : {"schools", "recommendations", "kpis", "risks", "actions", "contract"}) {
    auto r = Vigil(std::string("rules test '") + VIGIL_SOURCE_DIR + "/rules/" + pack + "'");
    EXPECT_EQ(r.exit_code, 0) << pack << "\n" << r.output;
    EXPECT_NE(r.output.find(" passed, 0 failed"), std::string::npos) << pack << "\n" << r.output;
  }
}

TEST_F(Cli, DiffListsTheSchoolsWhoseCategoryWouldChangeWithBothReasons) {
  ASSERT_EQ(Vigil("run job.toml").exit_code, 0);
  testing::CopyTree(Pack(), dir_ / "rules" / "mini-new");
  fs::path thresholds = dir_ / "rules" / "mini-new" / "thresholds.lua";
  std::string text = ReadText(thresholds);
  text.replace(text.find("requires_improvement_points = 30"), 32, "requires_improvement_points = 60");
  WriteText(thresholds, text);
  auto r = Vigil("diff job.toml --rules ../rules/mini --rules ../rules/mini-new");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("1 of 4 schools change category"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("100002 Beta Secondary: Targeted support → Intensive support (score 30 → 60)\n"
                          "      Latest Ofsted judgement: concern 30 → concern 60 points: Judged Requires improvement "
                          "on 2022-10-10"), std::string::npos) << r.output;
}

TEST_F(Cli, RulesCheckWithAJobFindsAMisspeltMeasure) {
  ASSERT_EQ(Vigil("run job.toml").exit_code, 0);
  WriteText(Pack() / "indicators" / "typo.lua",
            "indicator { id = \"typo\", evaluate = function(e)\n  if e:value('pupil') then return watch(1, 'x') end\nend }\n");
  auto r = Vigil("rules check ../rules/mini --job job.toml");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("indicator 'typo' reads measure 'pupil', which no source of job 'mini' provides"),
            std::string::npos) << r.output;
}

TEST_F(Cli, AnOverrideShowsInTheReportAndExpiresByItself) {
  WriteText(Pack() / "overrides.lua", R"(overrides {
  { key = "100001", category = "intensive", reason = "Head resigned; safeguarding referral", by = "A. Officer",
    expires = "2023-12-31" },
})");
  ASSERT_EQ(Vigil("run job.toml").exit_code, 0);
  auto doc = nlohmann::json::parse(ReadText(Latest() / "report.json"));
  bool found = false;
  for (const auto& e : doc["packs"][0]["entities"]) {
    if (e["key"] != "100001") continue;
    found = true;
    EXPECT_EQ(e["category"], "intensive");
    EXPECT_EQ(e["override"]["computed_category"], "universal");
    EXPECT_EQ(e["override"]["by"], "A. Officer");
  }
  EXPECT_TRUE(found);
  EXPECT_NE(ReadText(Latest() / "report.html").find("<strong>Override</strong> by A. Officer until 2023-12-31"),
            std::string::npos);
  ASSERT_EQ(Vigil("run job.toml --as-of 2024-01-15").exit_code, 0);  // a new period
  doc = nlohmann::json::parse(ReadText(Latest() / "report.json"));
  for (const auto& e : doc["packs"][0]["entities"])
    if (e["key"] == "100001") {
      EXPECT_FALSE(e.contains("override"));
    }
}

TEST_F(Cli, MarkdownAndPerDistrictReportsAreWritten) {
  fs::path job = dir_ / "mini" / "job.toml";
  std::string text = ReadText(job);
  text.replace(text.find("formats = [\"html\", \"csv\", \"json\"]"), 33,
               "formats = [\"html\", \"markdown\"]\nsplit_by = \"district\"");
  WriteText(job, text);
  auto r = Vigil("run job.toml");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::string md = ReadText(Latest() / "report.md");
  EXPECT_NE(md.find("| Intensive support | 1 |"), std::string::npos) << md;
  EXPECT_NE(md.find("Gamma &lt;script&gt;alert(1)&lt;/script&gt; School"), std::string::npos) << md;
  std::string north = ReadText(Latest() / "by-district" / "north.html");
  EXPECT_NE(north.find("Alpha Primary"), std::string::npos);
  EXPECT_EQ(north.find("Beta Secondary"), std::string::npos);  // a South school
  EXPECT_TRUE(fs::exists(Latest() / "by-district" / "south.html"));
}

TEST_F(Cli, TheSchedulerCatchesUpAMissedRunAndTheLedgerPreventsADuplicate) {
  fs::path job = dir_ / "mini" / "job.toml";
  std::string text = ReadText(job);
  text.replace(text.find("as_of = \"2023-11-30\"\n"), 20, "schedule = \"@daily\"\n");
  WriteText(job, text);
  auto first = Vigil("schedule job.toml --max-runs 1");
  EXPECT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("job=mini as_of="), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("status=succeeded"), std::string::npos) << first.output;
  auto runs = Vigil("runs job.toml");
  EXPECT_NE(runs.output.find("succeeded"), std::string::npos) << runs.output;
  // Today's run is in the ledger: a plain run for the same day does nothing.
  auto again = Vigil("run job.toml");
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("Nothing to do"), std::string::npos) << again.output;
}

TEST_F(Cli, UsageErrorsExitWithTwoAndHelpWithZero) {
  EXPECT_EQ(Vigil("run").exit_code, 2);
  EXPECT_EQ(Vigil("run missing.toml").exit_code, 2);
  EXPECT_EQ(Vigil("--help").exit_code, 0);
  for (const char* command : {"run", "sources check", "plugins", "rules check", "rules test", "runs",
                              "explain", "diff", "schedule"}) {
    auto help = Vigil(std::string(command) + " --help");
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_NE(help.output.find("Usage"), std::string::npos) << command;
  }
}

}  // namespace
}  // namespace vigil
