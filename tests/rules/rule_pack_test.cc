// Loading packs: what an officer sees when a file is wrong.
#include <gtest/gtest.h>

#include "rules/pack_fixture.h"

namespace vigil::rules {
namespace {

using testing::WritePack;
using vigil::testing::TempDir;
using vigil::testing::WriteText;

TEST(RulePack, LoadsTheDefaultSchoolsPack) {
  auto pack = RulePack::Load(std::filesystem::path(VIGIL_SOURCE_DIR) / "rules" / "schools");
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  EXPECT_EQ((*pack)->kind(), "school");
  EXPECT_GE((*pack)->indicators().size(), 8u);
  EXPECT_EQ((*pack)->hash().size(), 64u);
}

TEST(RulePack, ASyntaxErrorNamesTheFileAndLine) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator {\n  id = \"x\",\n  evaluate = function(e)\n    if then\n  end,\n}\n");
  auto pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("pack/indicators/test.lua:4:"), std::string::npos)
      << pack.error().message;
}

TEST(RulePack, AMissingFileIsNamed) {
  TempDir dir;
  auto folder = WritePack(dir, "");
  std::filesystem::remove(folder / "categories.lua");
  auto pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("missing categories.lua"), std::string::npos);
}

TEST(RulePack, AnIndicatorDefinedTwiceNamesBothPlaces) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"a\", evaluate = function(e) end }\n"
                               "indicator { id = \"a\", evaluate = function(e) end }\n");
  auto pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  const std::string& m = pack.error().message;
  EXPECT_NE(m.find("test.lua:2: indicator 'a' is already defined at"), std::string::npos) << m;
  EXPECT_NE(m.find("test.lua:1"), std::string::npos) << m;
}

TEST(RulePack, ANameThatWouldShareAFolderWithTheReportsPagesPerValueIsRefused) {
  TempDir dir;
  auto folder = WritePack(dir, "");
  std::string pack_lua = vigil::testing::ReadText(folder / "pack.lua");
  auto at = pack_lua.find("name = \"");
  ASSERT_NE(at, std::string::npos) << pack_lua;
  pack_lua.insert(at + 8, "by-");
  WriteText(folder / "pack.lua", pack_lua);
  auto pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("is taken by the report's pages per value"), std::string::npos)
      << pack.error().message;
}

TEST(RulePack, AnIndicatorWithoutEvaluateIsRefusedWithItsLine) {
  TempDir dir;
  auto folder = WritePack(dir, "\n\nindicator { id = \"a\", evaluat = function(e) end }\n");
  auto pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("test.lua:3: indicator 'a': unknown key 'evaluat' (did you mean evaluate?)"),
            std::string::npos)
      << pack.error().message;
}

TEST(RulePack, ThresholdsMustBeATableAndAreReadOnly) {
  TempDir dir;
  auto folder = WritePack(dir, "", "x = 5\n");
  auto pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("thresholds.lua: must end with 'return {"), std::string::npos)
      << pack.error().message;

  TempDir dir2;
  folder = WritePack(dir2, "threshold.points = 0\n");
  pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("threshold 'points' cannot be changed by a rule"),
            std::string::npos)
      << pack.error().message;

  TempDir dir3;
  folder = WritePack(dir3, "local x = threshold.pionts\n");
  pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("test.lua:1: unknown threshold 'pionts'"), std::string::npos)
      << pack.error().message;
}

TEST(RulePack, ChangingTheRulesChangesTheHash) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"a\", evaluate = function(e) end }\n");
  auto first = RulePack::Load(folder);
  ASSERT_TRUE(first.has_value());
  WriteText(folder / "thresholds.lua", "return { points = 31 }\n");
  auto second = RulePack::Load(folder);
  ASSERT_TRUE(second.has_value());
  EXPECT_NE((*first)->hash(), (*second)->hash());
}

// What a pack tells the report: names, printable and wide columns, charts
// with their threshold lines, the timeline, and every threshold's value.
TEST(RulePack, DeclaresHowTheReportNamesAndDrawsIt) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"a\", evaluate = function(e) end }\n",
                          "return { points = 30, watch_at = 25, twice = 2, label = \"x\" }\n");
  WriteText(folder / "pack.lua", R"(pack { name = "test", kind = "contract_kpi", noun = "contract KPI", key_title = "KPI",
  columns = { { "Owner", attr = "owner", print = false }, { "Evidence", latest = "evidence", wide = true } },
  charts = { { "Rate", measure = "rate", unit = "%", compare = { "national" },
               lines = { { "watch", threshold = "watch_at" }, { "concern", threshold = "watch_at", scale = "twice" },
                         { "zero", value = 0 }, { "target", attr = "target", scale = 2 } } } },
  timeline = { "Visits", measure = "visit", values = { "good", "bad" } } }
)");
  auto pack = RulePack::Load(folder);
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  const RulePack& p = **pack;
  EXPECT_EQ(p.Noun(1), "contract KPI");
  EXPECT_EQ(p.Noun(12), "contract KPIs");
  EXPECT_EQ(p.key_title(), "KPI");
  ASSERT_EQ(p.columns().size(), 2u);
  EXPECT_FALSE(p.columns()[0].print);
  EXPECT_TRUE(p.columns()[1].wide);
  ASSERT_EQ(p.charts().size(), 1u);
  const Chart& chart = p.charts()[0];
  EXPECT_EQ(chart.measure, "rate");
  EXPECT_EQ(chart.compare, std::vector<std::string>{"national"});
  ASSERT_EQ(chart.lines.size(), 4u);
  EXPECT_EQ(chart.lines[1].scale_threshold, "twice");
  EXPECT_EQ(chart.lines[2].value, 0.0);
  EXPECT_EQ(chart.lines[3].attr, "target");
  EXPECT_EQ(chart.lines[3].scale, 2);
  ASSERT_TRUE(p.timeline().has_value());
  EXPECT_EQ(p.timeline()->values, (std::vector<std::string>{"good", "bad"}));
  EXPECT_EQ(p.thresholds().at("watch_at").number, 25.0);
  EXPECT_EQ(p.thresholds().at("label").text, "x");

  // Without a noun, the kind in words.
  WriteText(folder / "pack.lua", "pack { name = \"test\", kind = \"monitoring_visit\" }\n");
  EXPECT_EQ((*RulePack::Load(folder))->Noun(3), "monitoring visits");
}

TEST(RulePack, AChartLineNamingAnUnknownThresholdIsRefused) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"a\", evaluate = function(e) end }\n");
  WriteText(folder / "pack.lua", R"(pack { name = "test", kind = "school",
  charts = { { "Rate", measure = "rate", lines = { { "watch", threshold = "wach_at" } } } } }
)");
  auto pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("chart 'Rate' line 'watch' names threshold 'wach_at', which thresholds.lua "
                                      "does not define as a number"),
            std::string::npos)
      << pack.error().message;
  WriteText(folder / "pack.lua", R"(pack { name = "test", kind = "school",
  charts = { { "Rate", measure = "rate", lines = { { "watch", threshold = "points", value = 3 } } } } }
)");
  pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("pack.lua:1:"), std::string::npos) << pack.error().message;
  EXPECT_NE(pack.error().message.find("needs a label and one of threshold"), std::string::npos);
}

}  // namespace
}  // namespace vigil::rules
