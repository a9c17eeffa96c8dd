// What a report says about earlier runs, through real runs of the mini job:
// a district's page compares the district with itself, "changes since the
// previous run" always says why in the reader's words, the trend and each
// school's history come from the ledger as it was when the run was made,
// and every school gets its own page.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "jobs/job_file.h"
#include "jobs/run_job.h"
#include "store/store.h"
#include "test_support.h"

namespace vigil::jobs {
namespace {

namespace fs = std::filesystem;
using vigil::testing::ReadText;
using vigil::testing::TempDir;
using vigil::testing::WriteText;

class History : public ::testing::Test {
 protected:
  void SetUp() override {
    vigil::testing::CopyTree(fs::path(VIGIL_TEST_DATA) / "mini", dir_ / "mini");
    vigil::testing::CopyTree(fs::path(VIGIL_TEST_DATA) / "rules", dir_ / "rules");
    std::string job = ReadText(Job());
    job = "plugin_folders = [\"" + std::string(VIGIL_PLUGIN_DIR) + "\"]\n" + job;
    job.replace(job.find("formats = [\"html\", \"csv\", \"json\"]"), 34,
                "formats = [\"html\", \"csv\", \"json\", \"markdown\"]\nsplit_by = \"district\"");
    WriteText(Job(), job);
  }
  fs::path Job() const { return dir_ / "mini" / "job.toml"; }
  fs::path Pack() const { return dir_ / "rules" / "mini"; }
  fs::path Inspections() const { return dir_ / "mini" / "inspections.csv"; }

  RunOutcome Run(const std::string& as_of, bool rerun = false) {
    auto job = LoadJob(Job());
    EXPECT_TRUE(job.has_value()) << job.error().message;
    RunOptions options;
    options.as_of = as_of;
    options.rerun = rerun;
    auto outcome = RunJob(*job, options);
    EXPECT_TRUE(outcome.has_value()) << outcome.error().message;
    return outcome.has_value() ? *outcome : RunOutcome{};
  }

  TempDir dir_;
};

// Cuts the HTML of the card of `label` out of a page: its count and its change.
std::string Card(const std::string& html, const std::string& label) {
  auto at = html.find(">" + label + "</a>", html.find("<div class=\"cards\">"));
  if (at == std::string::npos) return "(no card " + label + ")";
  auto start = html.rfind("<div class=\"card\"", at);
  return html.substr(start, html.find("</div></div>", at) - start);
}

TEST_F(History, ADistrictPageComparesTheDistrictWithItsOwnPreviousRun) {
  Run("2023-11-30");
  // Alpha Primary (North) is judged Inadequate: North gains one school in
  // intensive support; South and the authority's other figures stay.
  WriteText(Inspections(), ReadText(Inspections()) + "100001,10/01/2024,4\n");
  auto second = Run("2024-02-29");
  std::string north = ReadText(second.latest / "by-district" / "north.html");
  std::string south = ReadText(second.latest / "by-district" / "south.html");
  std::string city = ReadText(second.latest / "report.html");
  EXPECT_NE(Card(north, "Intensive support").find("+1 since run 1"), std::string::npos) << Card(north, "Intensive support");
  EXPECT_NE(Card(north, "Universal support").find("−1 since run 1"), std::string::npos) << Card(north, "Universal support");
  EXPECT_NE(Card(south, "Intensive support").find("no change since run 1"), std::string::npos)
      << Card(south, "Intensive support");
  EXPECT_NE(Card(south, "Targeted support").find("no change since run 1"), std::string::npos);
  EXPECT_NE(Card(city, "Intensive support").find("+1 since run 1"), std::string::npos);
  // Each page lists its own changes only.
  EXPECT_NE(north.find("Alpha Primary"), std::string::npos);
  EXPECT_NE(south.find("No school changed category."), std::string::npos);
}

TEST_F(History, TheSchoolsWithoutADistrictAreComparedWithThemselves) {
  // Zeta has no district: its page "(no district)" compares it with its own
  // previous run, not with nothing.
  fs::path schools = dir_ / "mini" / "schools.csv";
  WriteText(schools, ReadText(schools) + "100006,Zeta Primary,Primary,,Open,300,19/01/2023\n");
  Run("2023-11-30");
  auto second = Run("2024-02-29");
  std::string page = ReadText(second.latest / "by-district" / "no-district.html");
  EXPECT_NE(page.find("Zeta Primary"), std::string::npos);
  for (const char* label : {"Intensive support", "Targeted support", "Universal support"})
    EXPECT_NE(Card(page, label).find("no change since run 1"), std::string::npos) << Card(page, label);
  EXPECT_NE(page.find("No school changed category."), std::string::npos);
}

TEST_F(History, ChangesSayWhyWithTitlesLabelsArrowsPointsOverridesAndRules) {
  Run("2023-11-30");
  // A level change (Alpha: a new Requires improvement judgement), a points
  // change (Beta: Requires improvement is now worth 60 points) and an
  // override (the =HYPERLINK academy, 100004), in one new period.
  WriteText(Inspections(), ReadText(Inspections()) + "100001,10/01/2024,3\n");
  std::string thresholds = ReadText(Pack() / "thresholds.lua");
  thresholds.replace(thresholds.find("requires_improvement_points = 30"), 32, "requires_improvement_points = 60");
  WriteText(Pack() / "thresholds.lua", thresholds);
  WriteText(Pack() / "overrides.lua",
            "overrides {\n  { key = \"100004\", category = \"targeted\", reason = \"New head, no governors\",\n"
            "    by = \"A. Officer\", expires = \"2024-12-31\" },\n}\n");
  auto second = Run("2024-02-29");
  auto doc = nlohmann::json::parse(ReadText(second.latest / "report.json"));
  std::map<std::string, std::string> why;
  for (const auto& c : doc["packs"][0]["changes_since_previous_run"]) why[c["key"]] = c["why"];
  ASSERT_EQ(why.size(), 3u) << doc["packs"][0]["changes_since_previous_run"].dump(2);
  EXPECT_EQ(why["100001"],
            "Latest Ofsted judgement: none → concern (60 points): Judged Requires improvement on 2024-01-10; "
            "Time since last inspection: watch (10 points) → none");
  EXPECT_EQ(why["100002"], "Latest Ofsted judgement: 30 → 60 points (concern)");
  EXPECT_EQ(why["100004"], "Override by A. Officer until 2024-12-31: New head, no governors (the rules give "
                           "Universal support)");
  std::string html = ReadText(second.latest / "report.html");
  EXPECT_NE(html.find("The rules of this pack changed since run 1 (thresholds.lua, overrides.lua)"), std::string::npos);
  EXPECT_NE(html.find("<li>Latest Ofsted judgement: 30 → 60 points (concern)</li>"), std::string::npos);
  EXPECT_EQ(html.find("->"), std::string::npos);
  std::string md = ReadText(second.latest / "report.md");
  EXPECT_NE(md.find("Latest Ofsted judgement: none → concern (60 points)"), std::string::npos);
  EXPECT_EQ(md.find("-&gt;"), std::string::npos);
  EXPECT_EQ(md.find("->"), std::string::npos);

  // The override ends: that is said too, with who made it.
  fs::remove(Pack() / "overrides.lua");
  auto third = Run("2024-05-31");
  doc = nlohmann::json::parse(ReadText(third.latest / "report.json"));
  bool ended = false;
  for (const auto& c : doc["packs"][0]["changes_since_previous_run"])
    if (c["key"] == "100004") {
      ended = true;
      EXPECT_EQ(c["why"], "Override by A. Officer until 2024-12-31 no longer applies (it set Targeted support)");
      EXPECT_EQ(c["reasons"].size(), 1u);
    }
  EXPECT_TRUE(ended);
}

TEST_F(History, ACategoryThatMovesOnlyBecauseTheRulesChangedSaysSo) {
  Run("2023-11-30");
  // Targeted support now starts at 35 points: Beta (30 points) drops a
  // category though none of its indicators moved.
  std::string categories = ReadText(Pack() / "categories.lua");
  categories.replace(categories.find("min_score = 25"), 14, "min_score = 35");
  WriteText(Pack() / "categories.lua", categories);
  auto second = Run("2024-02-29");
  auto doc = nlohmann::json::parse(ReadText(second.latest / "report.json"));
  const auto& changes = doc["packs"][0]["changes_since_previous_run"];
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0]["key"], "100002");
  EXPECT_EQ(changes[0]["why"], "The rules changed since run 1: categories.lua");
}

TEST_F(History, TheTrendAndEachSchoolsPastCategoriesAreWhatTheLedgerHeldWhenTheRunWasMade) {
  Run("2023-11-30");
  WriteText(Inspections(), ReadText(Inspections()) + "100001,10/01/2024,4\n");
  Run("2024-02-29");
  auto third = Run("2024-05-31");
  std::string html = ReadText(third.latest / "report.html");
  EXPECT_NE(html.find("<title id=\"mini-trend-t\">Schools in each category, by period</title>"), std::string::npos);
  EXPECT_NE(html.find("Intensive support: 2023-11-30 1, 2024-02-29 2, 2024-05-31 2."), std::string::npos) << html;
  // Alpha's own page: its category in each period, and the page is linked from the list.
  std::string page = ReadText(third.latest / "mini" / "100001.html");
  EXPECT_NE(page.find("Category in each period"), std::string::npos);
  auto first_row = page.find("2023-11-30</th><td>1</td>");
  auto second_row = page.find("2024-02-29</th><td>2</td>");
  ASSERT_NE(first_row, std::string::npos) << page;
  ASSERT_NE(second_row, std::string::npos);
  EXPECT_NE(page.find("Universal support", first_row), std::string::npos);
  EXPECT_NE(page.find("2024-05-31</th><td>3 (this run)</td>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"mini/100001.html\">Alpha Primary</a>"), std::string::npos);
  EXPECT_NE(ReadText(third.latest / "by-district" / "north.html").find("<a href=\"../mini/100001.html\">"),
            std::string::npos);
  // A district's trend is its own.
  EXPECT_NE(ReadText(third.latest / "by-district" / "south.html").find("Intensive support: 2023-11-30 0, 2024-02-29 0"),
            std::string::npos);

  // The first period run again now: its report knows nothing of the later periods.
  // (`latest` stays on the newest period; the run's own folder has its reports.)
  auto again = Run("2023-11-30", /*rerun=*/true);
  EXPECT_EQ(again.latest_run, third.run_id);
  html = ReadText(again.report_folder / "report.html");
  EXPECT_EQ(html.find("2024-02-29"), std::string::npos);
  EXPECT_EQ(html.find("mini-trend-t"), std::string::npos);  // one period so far: no trend yet
  page = ReadText(again.report_folder / "mini" / "100001.html");
  EXPECT_EQ(page.find("2024-"), std::string::npos) << "a page of 2023-11-30 shows nothing from 2024";
}

TEST_F(History, EachSchoolsPageShowsTheThresholdsItsRulesUsed) {
  auto run = Run("2023-11-30");
  std::string beta = ReadText(run.latest / "mini" / "100002.html");
  EXPECT_NE(beta.find("<code>requires_improvement_points</code>&nbsp;=&nbsp;30"), std::string::npos);
  EXPECT_EQ(beta.find("<code>inadequate_points</code>"), std::string::npos) << "a threshold its rules did not read";
  auto doc = nlohmann::json::parse(ReadText(run.latest / "report.json"));
  for (const auto& e : doc["packs"][0]["entities"]) {
    if (e["key"] != "100002") continue;
    EXPECT_EQ(e["indicators"][0]["thresholds"], nlohmann::json::array({"requires_improvement_points"}));
  }
  // The run lists the pages as one folder with a checksum, not a line per page.
  auto store = store::Store::Open((dir_ / "mini" / "out" / "mini.sqlite").string());
  ASSERT_TRUE(store.has_value());
  auto record = store->GetRun(run.run_id);
  ASSERT_TRUE(record && *record);
  bool listed = false;
  for (const auto& out : nlohmann::json::parse((*record)->outputs))
    if (out["path"] == "mini/") {
      listed = true;
      EXPECT_EQ(out["pages"], 4);
      EXPECT_EQ(out["sha256"].get<std::string>().size(), 64u);
    }
  EXPECT_TRUE(listed) << (*record)->outputs;
  EXPECT_FALSE(fs::exists(run.latest / "mini" / "100005.html")) << "a closed school is not assessed: no page";
}

}  // namespace
}  // namespace vigil::jobs
