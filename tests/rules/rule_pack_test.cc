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

}  // namespace
}  // namespace vigil::rules
