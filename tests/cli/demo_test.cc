// The demo authority through every real plugin: its report reproduces the
// profile taken from the council's papers (demo/data/PROFILE.md), its inputs
// check clean, and damaged copies get precise messages.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using testing::ReadText;
using testing::Run;
using testing::TempDir;
using testing::WriteText;

class Demo : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::CopyTree(fs::path(VIGIL_SOURCE_DIR) / "demo", dir_ / "demo");
    testing::CopyTree(fs::path(VIGIL_SOURCE_DIR) / "rules", dir_ / "rules");
  }
  testing::CommandResult Vigil(const std::string& args) {
    return testing::Run("cd '" + (dir_ / "demo").string() + "' && '" + VIGIL_BINARY + "' " + args);
  }
  nlohmann::json Report() { return nlohmann::json::parse(ReadText(dir_ / "out/demo/reports/latest/report.json")); }
  TempDir dir_;
};

std::string Summary(const nlohmann::json& pack, const std::string& title) {
  for (const auto& f : pack["summary"])
    if (f["title"] == title) return f["value"];
  return "(missing)";
}

TEST_F(Demo, TheReportReproducesTheAuthoritysProfile) {
  auto r = Vigil("run demo.toml");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto doc = Report();
  const auto& schools = doc["packs"][0];
  ASSERT_EQ(schools["name"], "schools");
  EXPECT_EQ(schools["entities"].size(), 444u);
  EXPECT_EQ(Summary(schools, "Pupils in open schools"), "215287");
  EXPECT_EQ(Summary(schools, "Maintained schools"), "212");
  EXPECT_EQ(Summary(schools, "Not yet inspected"), "7");
  EXPECT_EQ(std::stoi(Summary(schools, "Judged Outstanding")) + std::stoi(Summary(schools, "Judged Good")), 382);
  EXPECT_EQ(Summary(schools, "Inspection overdue (last one 5+ years ago)"), "133");
  int primary = 0, secondary = 0, outstanding_overdue = 0, good_overdue = 0, ri_or_inadequate_recent = 0;
  for (const auto& e : schools["entities"]) {
    std::string phase = e["attributes"]["phase"];
    primary += phase == "Primary";
    secondary += phase == "Secondary";
    std::string judgement = e["columns"]["Ofsted"], last = e["columns"]["Last inspected"];
    // The column always holds the date of the last inspection, then "(overdue)" when it is.
    bool overdue = last.size() == 20 && last.ends_with(" (overdue)");
    EXPECT_TRUE(last.empty() || ((last.size() == 10 || overdue) && last[4] == '-' && last[7] == '-')) << last;
    outstanding_overdue += judgement == "Outstanding" && overdue;
    good_overdue += judgement == "Good" && overdue;
    bool recent = last.size() == 10 && last >= "2018-11-30";
    ri_or_inadequate_recent += (judgement == "Requires improvement" || judgement == "Inadequate") && recent;
  }
  EXPECT_EQ(primary, 293);
  EXPECT_EQ(secondary, 82);
  EXPECT_EQ(outstanding_overdue, 59);
  EXPECT_EQ(good_overdue, 74);
  // The 49 of PROFILE.md judged within five years, and the 6 inadequate schools judged
  // earlier whose monitoring visits since are inspections too.
  EXPECT_EQ(ri_or_inadequate_recent, 55);
  EXPECT_EQ(doc["rejections"]["total"], 0);
}

// The README's steps on the unmodified demo: a run with no rule warnings (a fallback
// measure no source provides is no gap), and `vigil rules check` with no errors.
TEST_F(Demo, TheDefaultPacksRunAndCheckCleanOnTheDemo) {
  auto r = Vigil("run demo.toml");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("no source of job"), std::string::npos) << r.output;
  EXPECT_FALSE(Report().contains("rule_warnings")) << Report()["rule_warnings"];
  for (const char* pack : {"schools", "recommendations", "kpis"}) {
    auto check = Vigil(std::string("rules check ../rules/") + pack + " --job demo.toml");
    EXPECT_EQ(check.exit_code, 0) << pack << "\n" << check.output;
    EXPECT_NE(check.output.find("No errors."), std::string::npos) << check.output;
  }
}

// A headline figure never carries a category's label: the two would show different
// numbers under the same words.
TEST_F(Demo, HeadlineFiguresAreTitledApartFromTheCategories) {
  ASSERT_EQ(Vigil("run demo.toml").exit_code, 0);
  const nlohmann::json doc = Report();  // a loop over a temporary's member would dangle
  for (const auto& pack : doc["packs"])
    for (const auto& figure : pack["summary"])
      for (const auto& category : pack["categories"])
        EXPECT_NE(figure["title"], category["label"]) << pack["name"];
  const auto& recommendations = doc["packs"][1];
  ASSERT_EQ(recommendations["name"], "recommendations");
  // 4 of the 5 needing attention are still tracked and 1 is concluded, so the totals
  // differ from the categories' own counts (5, 1, 7).
  EXPECT_EQ(Summary(recommendations, "Not yet concluded (all, including those needing attention)"), "5");
  EXPECT_EQ(Summary(recommendations, "Achieved: tracking concluded (all, including those needing attention)"), "8");
}

TEST_F(Demo, TheReportRendersInAHeadlessBrowser) {
  if (!fs::exists("/usr/bin/chromium")) GTEST_SKIP() << "chromium is not installed (apt-get install chromium)";
  ASSERT_EQ(Vigil("run demo.toml").exit_code, 0);
  fs::path png = dir_ / "report.png";
  auto shot = testing::Run(std::string("'") + VIGIL_SOURCE_DIR + "/scripts/screenshot.sh' '" +
                           (dir_ / "out/demo/reports/latest/report.html").string() + "' '" + png.string() + "'");
  ASSERT_EQ(shot.exit_code, 0) << shot.output;
  EXPECT_GT(fs::file_size(png), 50000u);  // a rendered page, not a blank one
}

TEST_F(Demo, EverySourceChecksCleanThroughItsPlugin) {
  auto r = Vigil("sources check demo.toml");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("All sources read with no rejected rows."), std::string::npos) << r.output;
  for (const char* source : {"source register:", "source ofsted:", "source ks2_rwm:", "source exclusions:",
                             "source recommendations:", "source kpis:"})
    EXPECT_NE(r.output.find(source), std::string::npos) << source;
}

// Replaces the first occurrence of `from` in a demo data file.
void Damage(const fs::path& file, const std::string& from, const std::string& to) {
  std::string text = ReadText(file);
  auto at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  WriteText(file, text);
}

TEST_F(Demo, ADamagedCopyGetsPreciseMessages) {
  fs::path data = dir_ / "demo" / "data";
  std::string absence = ReadText(data / "school_absence.csv");
  // A persistent absence figure typed as text, and an inspection on 31 February.
  auto line_end = absence.find('\n', absence.find('\n') + 1);
  std::string second_line = absence.substr(absence.find('\n') + 1, line_end - absence.find('\n') - 1);
  std::string damaged_line = second_line.substr(0, second_line.rfind(',')) + ",twelve";
  Damage(data / "school_absence.csv", second_line, damaged_line);
  std::string inspections = ReadText(data / "ofsted_inspections.csv");
  auto date_at = inspections.find("/20", inspections.find('\n'));
  ASSERT_NE(date_at, std::string::npos);
  std::string date = inspections.substr(date_at - 5, 10);
  Damage(data / "ofsted_inspections.csv", date, "31/02/" + date.substr(6));
  auto r = Vigil("sources check demo.toml");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("school_absence.csv:2: source 'absence' field 'persistent_absence_percent' value 'twelve'"),
            std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ofsted_inspections.csv:2: source 'ofsted'"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("31/02/"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace vigil
