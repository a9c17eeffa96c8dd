// The checks an officer gets before any data: reading the pack's files,
// running its indicators on made-up entities, and Lua's own errors
// explained. Each test makes the mistake and reads the message.
#include <gtest/gtest.h>

#include "rules/lua_messages.h"
#include "rules/lua_scan.h"
#include "rules/pack_check.h"
#include "rules/pack_fixture.h"

namespace vigil::rules {
namespace {

using testing::WritePack;
using vigil::testing::TempDir;
using vigil::testing::WriteText;

// Every finding, "error: " or "warning: " first, with paths as from the temp folder.
std::string All(const std::vector<Finding>& findings, const TempDir& dir) {
  std::string text;
  for (const auto& f : findings) text += (f.error ? "error: " : "warning: ") + f.message + "\n";
  const std::string prefix = dir.path().filename().string() + "/";
  for (auto at = text.find(prefix); at != std::string::npos; at = text.find(prefix)) text.erase(at, prefix.size());
  return text;
}

std::vector<Finding> CheckAll(RulePack& pack, const KnownNames& known = {}) {
  auto found = CheckPackText(pack, known);
  auto made_up = CheckOnMadeUpEntities(pack, known, "2023-11-30", {{{"status", "Open"}}}, found);
  found.insert(found.end(), made_up.begin(), made_up.end());
  return found;
}

TEST(LuaScan, ReadsThresholdsMeasuresAndAttributesWithTheirLinesButNotInCommentsOrText) {
  auto tokens = TokenizeLua("-- threshold.in_a_comment\nlocal x = threshold.a + threshold[\"b\"]\n"
                            "local s = \"threshold.in_text\"\n--[[ e:latest(\"hidden\") ]]\n"
                            "local o = e:previous(\"pupils\") or e.attr.phase\n");
  auto thresholds = ThresholdUses(tokens);
  ASSERT_EQ(thresholds.size(), 2u);
  EXPECT_EQ(thresholds[0].name, "a");
  EXPECT_EQ(thresholds[0].line, 2);
  EXPECT_EQ(thresholds[1].name, "b");
  auto measures = MeasureUses(tokens);
  ASSERT_EQ(measures.size(), 1u);
  EXPECT_EQ(measures[0].name, "pupils");
  EXPECT_EQ(measures[0].line, 5);
  auto attributes = AttributeUses(tokens);
  ASSERT_EQ(attributes.size(), 1u);
  EXPECT_EQ(attributes[0].name, "phase");
}

TEST(LuaScan, FindsWhatEvaluateReturnsButNotWhatAFunctionInsideItReturns) {
  auto blocks = IndicatorBlocks(TokenizeLua(R"(indicator {
  id = "x",
  evaluate = function(e)
    local function pct(v) return 100 end
    if e.key == "1" then
      return "watch"
    end
    for i = 1, 2 do end
    return threshold.points
  end,
}
)"));
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].id, "x");
  ASSERT_EQ(blocks[0].bad_returns.size(), 2u);
  EXPECT_EQ(blocks[0].bad_returns[0].line, 6);
  EXPECT_EQ(blocks[0].bad_returns[0].name, "a text");
  EXPECT_EQ(blocks[0].bad_returns[1].line, 9);
}

TEST(LuaScan, FindsEachOverrideEntrysOwnLine) {
  auto lines = CallEntryLines(TokenizeLua("overrides {\n  { key = \"1\" },\n\n  {\n    key = \"2\" },\n}\n"),
                              "overrides");
  EXPECT_EQ(lines, (std::vector<int>{2, 4}));
}

TEST(LuaScan, FindsAKeyGivenTwiceInOneTableButNotInNestedTablesOrFunctions) {
  auto repeated = RepeatedKeys(TokenizeLua(R"(return {
  a = 1,
  b = { a = 2, c = 3 },
  f = function(e) local x = 1; x = 2; if x then x = 3 end; return { x = x } end,
  ["c"] = 4,
  c = 5,
  a = 6,
}
)"));
  ASSERT_EQ(repeated.size(), 2u);
  EXPECT_EQ(repeated[0].name, "c");
  EXPECT_EQ(repeated[0].first_line, 5);
  EXPECT_EQ(repeated[0].line, 6);
  EXPECT_EQ(repeated[1].name, "a");
  EXPECT_EQ(repeated[1].first_line, 2);
  EXPECT_EQ(repeated[1].line, 7);
}

TEST(LuaMessages, AnEndTooManyAtTheTopOfAFileIsNamed) {
  std::string source = "local function f()\n  return 1\nend\nend\n";
  std::string raw = "x/lib.lua:4: '<eof>' expected near 'end'";
  EXPECT_EQ(ExplainSyntaxError(raw, source, "x/lib.lua"),
            "x/lib.lua line 4: there is an `end` too many: no block is left open for this `end` to close (the `end` "
            "on line 3 already closes the `function` of line 1); delete the `end` that is extra\n  (Lua: " + raw + ")");
}

TEST(LuaMessages, AMissingCommaIsNamedAtTheEndOfItsLine) {
  std::string source = "return {\n  -- a comment\n  a = 1,\n  b = 2\n\n  -- why c\n  c = 3,\n}\n";
  std::string raw = "t/thresholds.lua:7: '}' expected (to close '{' at line 1) near 'c'";
  std::string plain = ExplainSyntaxError(raw, source, "t/thresholds.lua");
  EXPECT_EQ(plain, "t/thresholds.lua line 4: a comma is missing at the end of the line\n  (Lua: " + raw + ")");
}

TEST(LuaMessages, AMissingEndNamesTheBlockAndItsLine) {
  std::string raw = "r/roll.lua:20: 'end' expected (to close 'if' at line 9) near <eof>";
  EXPECT_EQ(ExplainSyntaxError(raw, "", "r/roll.lua"),
            "r/roll.lua: the `if` on line 9 has no matching `end`\n  (Lua: " + raw + ")");
}

TEST(LuaMessages, AnEntryAddedAfterTheClosingBraceIsNamed) {
  std::string source = "return {\n  a = 1,\n}\n  b = 2,\n";
  std::string raw = "t/thresholds.lua:4: '<eof>' expected near 'b'";
  EXPECT_EQ(ExplainSyntaxError(raw, source, "t/thresholds.lua"),
            "t/thresholds.lua line 4: 'b' comes after the end of what the file defines: new entries go inside the "
            "{ … }, before its closing }\n  (Lua: " + raw + ")");
}

TEST(LuaMessages, AnUnclearMessageIsLeftAsLuaWroteIt) {
  std::string raw = "x.lua:3: something Lua says";
  EXPECT_EQ(ExplainSyntaxError(raw, "a\nb\nc\n", "x.lua"), raw);
}

TEST(PackCheck, ASyntaxErrorInThresholdsIsExplainedWithLuasMessageUnderneath) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"x\", evaluate = function(e) end }\n",
                          "return {\n  -- Points.\n  points = 30\n  -- More points.\n  more = 5,\n}\n");
  auto pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  const std::string& m = pack.error().message;
  EXPECT_NE(m.find("pack/thresholds.lua line 3: a comma is missing at the end of the line\n  (Lua: "), std::string::npos)
      << m;
  EXPECT_NE(m.find("'}' expected (to close '{' at line 1) near 'more'"), std::string::npos) << m;
}

TEST(PackCheck, AQuotedNumberOrPercentInThresholdsIsRefusedAtItsLine) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"x\", evaluate = function(e) end }\n",
                          "return {\n  points = 30,\n  share = \"0.10\",\n}\n");
  auto pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("pack/thresholds.lua:3: threshold 'share' is \"0.10\" in quotes, which is "
                                      "text, not a number: write share = 0.10"),
            std::string::npos) << pack.error().message;
  WriteText(folder / "thresholds.lua", "return {\n  points = 30,\n  share = 10%,\n}\n");
  pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("pack/thresholds.lua line 3: a number cannot have a % sign"), std::string::npos)
      << pack.error().message;
}

TEST(PackCheck, AMisspeltThresholdIsFoundWithoutDataAndSuggested) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"x\", evaluate = function(e)\n"
                               "  if e.key == \"never\" then return watch(threshold.point, \"x\") end\nend }\n");
  auto pack = RulePack::Load(folder);
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  std::string text = All(CheckAll(**pack), dir);
  EXPECT_NE(text.find("error: pack/indicators/test.lua:2: threshold 'point' is not in thresholds.lua (did you mean "
                      "points?)"), std::string::npos) << text;
}

TEST(PackCheck, SwappedArgumentsAndAWrongReturnAreFoundAtTheirLines) {
  TempDir dir;
  auto folder = WritePack(dir, R"(indicator { id = "swapped", evaluate = function(e)
  return watch(format("Fell by %d", 3), threshold.points)
end }
indicator { id = "returns_a_number", evaluate = function(e)
  local v = e:value("pupils")
  if v then
    return threshold.points
  end
end }
)");
  auto pack = RulePack::Load(folder);
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  std::string text = All(CheckAll(**pack), dir);
  EXPECT_NE(text.find("error: pack/indicators/test.lua:2: watch(points, reason) is given a text first"),
            std::string::npos) << text;
  EXPECT_NE(text.find("error: pack/indicators/test.lua:7: indicator 'returns_a_number': evaluate returns "
                      "threshold.points (a value, not a level)"), std::string::npos) << text;
}

TEST(PackCheck, MistakesThatReadingCannotSeeAreFoundOnAMadeUpEntityAtTheReturnLine) {
  TempDir dir;
  auto folder = WritePack(dir, R"(local LEVEL = "watch"
local function why() return "Fell" end
indicator { id = "swapped", evaluate = function(e)
  local now = e:latest("pupils")
  if now and now.value < 50 then
    return watch(why(), threshold.points)
  end
end }
indicator { id = "returns_text", evaluate = function(e)
  if e:value("pupils") then
    return LEVEL
  end
end }
)", "return { points = 30, share = \"ten\" }\n");
  auto pack = RulePack::Load(folder);
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  std::string text = All(CheckAll(**pack), dir);
  EXPECT_NE(text.find("error: pack/indicators/test.lua:6: indicator 'swapped': watch(points, reason): points must "
                      "be a number, got string"), std::string::npos) << text;
  EXPECT_NE(text.find("error: pack/indicators/test.lua:11: indicator 'returns_text': evaluate returned a string"),
            std::string::npos) << text;
  EXPECT_NE(text.find("(on a made-up school whose figures fell from 90 to 60 to 30 (status = Open))"),
            std::string::npos) << text;
}

TEST(PackCheck, AComparisonWithTextFailsOnAMadeUpEntityAndAMissingGuardIsAWarning) {
  TempDir dir;
  auto folder = WritePack(dir, R"(indicator { id = "compare", evaluate = function(e)
  local o = e:latest("pupils")
  if o and o.value > threshold.share then return watch(threshold.points, "x") end
end }
indicator { id = "unguarded", evaluate = function(e)
  if e:value("pupils") > 5 then return watch(threshold.points, "x") end
end }
)", "return { points = 30, share = \"many\" }\n");
  auto pack = RulePack::Load(folder);
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  std::string text = All(CheckAll(**pack), dir);
  EXPECT_NE(text.find("error: pack/indicators/test.lua:3: attempt to compare string with number"), std::string::npos)
      << text;
  EXPECT_NE(text.find("warning: pack/indicators/test.lua:6: attempt to compare number with nil"), std::string::npos)
      << text;
}

TEST(PackCheck, AMeasureThePackDoesNotDeclareIsNamedWithASuggestion) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"roll\", evaluate = function(e)\n"
                               "  local before = e:previous(\"absence_enrolment\")\nend }\n");
  WriteText(folder / "pack.lua",
            "pack { name = \"test\", kind = \"school\", measures = { \"absence_enrolments\", \"pupils\" } }\n");
  auto pack = RulePack::Load(folder);
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  KnownNames known;
  known.measures = (*pack)->declared_measures();
  known.measures_missing = "pack.lua's measures do not list";
  std::string text = All(CheckAll(**pack, known), dir);
  EXPECT_NE(text.find("error: pack/indicators/test.lua:2: indicator 'roll' reads measure 'absence_enrolment', which "
                      "pack.lua's measures do not list (did you mean absence_enrolments?)"),
            std::string::npos) << text;
}

TEST(PackCheck, TheShippedPacksCheckClean) {
  for (const char* name : {"schools", "recommendations", "kpis", "risks", "actions", "contract"}) {
    auto pack = RulePack::Load(std::filesystem::path(VIGIL_SOURCE_DIR) / "rules" / name);
    ASSERT_TRUE(pack.has_value()) << name << ": " << pack.error().message;
    KnownNames known;
    if (!(*pack)->declared_measures().empty()) known.measures = (*pack)->declared_measures();
    auto found = CheckPackText(**pack, known);
    auto made_up = CheckOnMadeUpEntities(**pack, known, "2023-11-30", {}, found);
    found.insert(found.end(), made_up.begin(), made_up.end());
    std::string errors;
    for (const auto& f : found)
      if (f.error) errors += f.message + "\n";
    EXPECT_EQ(errors, "") << name;
  }
}

TEST(PackLib, ALibFileIsSharedByEveryIndicatorFileAndCoveredByTheHash) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"a\", evaluate = function(e) return watch(double(2), \"a\") end }\n");
  WriteText(folder / "indicators" / "other.lua",
            "indicator { id = \"b\", evaluate = function(e) return watch(double(3), \"b\") end }\n");
  WriteText(folder / "lib" / "numbers.lua", "-- Shared.\nfunction double(x) return 2 * x end\n");
  auto pack = RulePack::Load(folder);
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  bool kept = false;
  for (const auto& s : (*pack)->sources()) kept = kept || s.path == "lib/numbers.lua";
  EXPECT_TRUE(kept);
  auto r = testing::EvaluateSchool(**pack);
  ASSERT_TRUE(r.outcome) << (r.failures.empty() ? "" : r.failures[0].message);
  EXPECT_EQ(r.outcome->score, 10);

  std::string hash = (*pack)->hash();
  WriteText(folder / "lib" / "numbers.lua", "-- Shared.\nfunction double(x) return 3 * x end\n");
  auto changed = RulePack::Load(folder);
  ASSERT_TRUE(changed.has_value());
  EXPECT_NE((*changed)->hash(), hash);
}

TEST(PackLib, ALibNameThatClashesIsRefusedNamingBothFiles) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"a\", evaluate = function(e) end }\n");
  WriteText(folder / "lib" / "a.lua", "function helper() end\n");
  WriteText(folder / "lib" / "b.lua", "function helper() end\n");
  auto pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("pack/lib/b.lua: 'helper' is already defined in "),
            std::string::npos) << pack.error().message;
  EXPECT_NE(pack.error().message.find("pack/lib/a.lua; choose another name"),
            std::string::npos) << pack.error().message;
  WriteText(folder / "lib" / "b.lua", "function watch() end\n");
  pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("'watch' is already defined by Vigil"), std::string::npos)
      << pack.error().message;
}

TEST(PackLib, AnIndicatorCannotChangeWhatALibDefines) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"a\", evaluate = function(e) double = nil end }\n");
  WriteText(folder / "lib" / "numbers.lua", "function double(x) return 2 * x end\n");
  auto pack = RulePack::Load(folder);
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  auto r = testing::EvaluateSchool(**pack);
  EXPECT_FALSE(r.outcome);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_NE(r.failures[0].message.find("test.lua:1: cannot set global 'double'"), std::string::npos)
      << r.failures[0].message;
}

TEST(Overrides, EachEntryIsNamedAtItsOwnLineWithTheCategorysLabel) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"a\", evaluate = function(e) end }\n");
  WriteText(folder / "overrides.lua", "overrides {\n  { key = \"1\", category = \"targeted\", reason = \"r\", by = \"A\",\n"
                                      "    expires = \"2024-01-31\" },\n  { key = \"2\", category = \"intensve\", "
                                      "reason = \"r\", by = \"A\", expires = \"2024-01-31\" },\n}\n");
  auto pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("pack/overrides.lua:4: override for '2' names category 'intensve', which "
                                      "categories.lua does not define (did you mean intensive (Intensive support)?)"),
            std::string::npos) << pack.error().message;
}

TEST(Overrides, ALapsedOverrideIsKeptForTheReportButNoLongerApplies) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"a\", evaluate = function(e) end }\n");
  WriteText(folder / "overrides.lua", "overrides {\n  { key = \"103456\", category = \"intensive\", reason = \"New head\", "
                                      "by = \"A. Officer\", expires = \"2023-10-31\" },\n}\n");
  auto pack = RulePack::Load(folder);
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  auto r = testing::EvaluateSchool(**pack);
  ASSERT_TRUE(r.outcome);
  EXPECT_EQ(r.outcome->category, "universal");
  EXPECT_FALSE(r.outcome->override_applied);
  ASSERT_TRUE(r.outcome->override_lapsed);
  EXPECT_EQ(r.outcome->override_lapsed->expires, "2023-10-31");
  EXPECT_EQ(r.outcome->override_lapsed->line, 2);
}

TEST(Messages, AnUnknownThresholdOrNameAtRunTimeSuggestsTheNearestOne) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"a\", evaluate = function(e)\n  return watch(threshold.pints, \"x\")\n"
                               "end }\nindicator { id = \"b\", evaluate = function(e)\n  return concern(30, formatt(\"x\"))\n"
                               "end }\n");
  auto pack = RulePack::Load(folder);
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  auto failures = testing::EvaluateSchool(**pack).failures;
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_NE(failures[0].message.find("test.lua:2: unknown threshold 'pints' (thresholds.lua has no such entry) "
                                     "(did you mean points?)"), std::string::npos) << failures[0].message;
  EXPECT_NE(failures[1].message.find("test.lua:5: unknown name 'formatt' (did you mean format?)"), std::string::npos)
      << failures[1].message;
}

TEST(Messages, AMisspeltForcedCategoryIsNamedAtTheReturnLineWithASuggestion) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"a\", evaluate = function(e)\n"
                               "  return serious(60, \"x\", { force = \"intensve\" })\nend }\n");
  auto pack = RulePack::Load(folder);
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  auto failures = testing::EvaluateSchool(**pack).failures;
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_NE(failures[0].message.find("test.lua:2: indicator 'a': force = 'intensve' is not a category (categories: "
                                     "intensive, targeted, universal) (did you mean intensive?)"),
            std::string::npos) << failures[0].message;
}

TEST(Messages, AnIndicatorWithAMisspeltKeyIsRefusedWithASuggestion) {
  TempDir dir;
  auto folder = WritePack(dir, "\nindicator { id = \"a\", tittle = \"A\", evaluate = function(e) end }\n");
  auto pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("test.lua:2: indicator 'a': unknown key 'tittle' (did you mean title?)"),
            std::string::npos) << pack.error().message;
}

}  // namespace
}  // namespace vigil::rules
