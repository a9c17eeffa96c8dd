// The sandbox's promises, each tried the way a careless or hostile rule would.
#include <gtest/gtest.h>

#include "rules/pack_fixture.h"

namespace vigil::rules {
namespace {

using testing::SchoolFixture;
using testing::WritePack;
using vigil::testing::TempDir;

// Evaluates `body` as the evaluate function of one indicator on the fixture
// school and returns the error message (empty on success).
std::string EvaluateError(const std::string& body, Limits limits = {}) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"probe\", evaluate = function(e)\n" + body + "\nend }\n");
  auto pack = RulePack::Load(folder, limits);
  if (!pack) return "load: " + pack.error().message;
  SchoolFixture f;
  Evaluator evaluator(**pack, f.names, "2023-11-30");
  if (!evaluator.Prepare().ok()) return "prepare failed";
  std::vector<RuleFailure> failures;
  auto outcome = evaluator.Evaluate(f.school, failures);
  return outcome ? "" : failures.back().message;
}

TEST(Sandbox, BlockedFunctionsNameThemselves) {
  EXPECT_NE(EvaluateError("os.execute('touch /tmp/vigil-pwned')").find("os.execute is not available in rules"),
            std::string::npos);
  EXPECT_NE(EvaluateError("io.open('/etc/passwd')").find("io.open is not available in rules"),
            std::string::npos);
  EXPECT_NE(EvaluateError("require('socket')").find("require is not available"), std::string::npos);
  EXPECT_NE(EvaluateError("dofile('/etc/passwd')").find("dofile is not available"), std::string::npos);
  EXPECT_NE(EvaluateError("print('x')").find("print is not available"), std::string::npos);
  EXPECT_NE(EvaluateError("debug.getinfo(1)").find("debug.getinfo is not available"), std::string::npos);
  EXPECT_NE(EvaluateError("collectgarbage()").find("collectgarbage is not available"), std::string::npos);
  EXPECT_NE(EvaluateError("math.random()").find("math.random is not available"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists("/tmp/vigil-pwned"));
}

TEST(Sandbox, BytecodeCannotBeMadeOrLoaded) {
  EXPECT_NE(EvaluateError("string.dump(function() end)").find("string.dump is not available"),
            std::string::npos);
  // Through the shared string metatable, too.
  EXPECT_NE(EvaluateError("local s = 'x'; s.dump(function() end)").find("string.dump is not available"),
            std::string::npos);
  EXPECT_NE(EvaluateError("load('\\27Lua')").find("load is not available"), std::string::npos);
}

TEST(Sandbox, ABytecodeRuleFileIsRefused) {
  TempDir dir;
  auto folder = WritePack(dir, "\x1bLua\x54\x00 binary chunk");
  auto pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("attempt to load a binary chunk"), std::string::npos)
      << pack.error().message;
}

TEST(Sandbox, TheHostGlobalsAreOutOfReach) {
  EXPECT_NE(EvaluateError("return _G.os").find("unknown name '_G'"), std::string::npos);
  EXPECT_NE(EvaluateError("return getmetatable(_ENV).__index").find("attempt to index a boolean"),
            std::string::npos);
  EXPECT_NE(EvaluateError("rawset(_ENV, 'x', 1)").find("rawset is not available"), std::string::npos);
}

TEST(Sandbox, TheSharedStringMetatableIsLocked) {
  std::string error = EvaluateError("getmetatable('').__index.upper = function() return 'pwned' end");
  EXPECT_NE(error.find("attempt to index a boolean"), std::string::npos) << error;
  EXPECT_NE(EvaluateError("setmetatable('', {})").find("bad argument"), std::string::npos);
}

TEST(Sandbox, ReadingAnUnknownGlobalIsAnErrorNamingIt) {
  std::string error = EvaluateError("return serius(10, 'typo')");
  EXPECT_NE(error.find("unknown name 'serius'"), std::string::npos) << error;
  EXPECT_NE(error.find("indicators/test.lua:2:"), std::string::npos) << error;
}

TEST(Sandbox, RulesCannotKeepStateInGlobalsBetweenEntities) {
  std::string error = EvaluateError("counter = 1");
  EXPECT_NE(error.find("cannot set global 'counter' during evaluation"), std::string::npos) << error;
}

TEST(Sandbox, AnEndlessLoopStopsAtTheInstructionBudget) {
  Limits limits;
  limits.instructions = 100000;
  std::string error = EvaluateError("while true do end", limits);
  EXPECT_NE(error.find("instruction budget of 100000 exceeded"), std::string::npos) << error;
  EXPECT_NE(error.find("test.lua:2"), std::string::npos) << error;
}

TEST(Sandbox, PcallCannotSwallowTheInstructionBudget) {
  Limits limits;
  limits.instructions = 100000;
  std::string error = EvaluateError(
      "while true do pcall(function() while true do end end) end", limits);
  EXPECT_NE(error.find("instruction budget"), std::string::npos) << error;
  error = EvaluateError("pcall(function() while true do end end) return none('escaped')", limits);
  EXPECT_NE(error.find("instruction budget"), std::string::npos) << error;
}

TEST(Sandbox, AMemoryBombStopsAtTheMemoryCap) {
  Limits limits;
  limits.memory_bytes = 32u << 20;
  std::string error = EvaluateError("local s = 'x' while true do s = s .. s end", limits);
  EXPECT_NE(error.find("memory"), std::string::npos) << error;
  error = EvaluateError("local t = {} for i = 1, 1e9 do t[i] = i end", limits);
  EXPECT_NE(error.find("memory"), std::string::npos) << error;
  error = EvaluateError("pcall(string.rep, 'x', 1 << 30) return none('survived')", limits);
  EXPECT_NE(error.find("memory"), std::string::npos) << error;
}

TEST(Sandbox, LibraryChangesStayInsideTheFileThatMadeThem) {
  TempDir dir;
  auto folder = WritePack(dir, R"(
string.upper = function() return "pwned" end
indicator { id = "a", evaluate = function(e) return none(string.upper("x")) end }
)");
  vigil::testing::WriteText(folder / "indicators" / "z.lua",
                     "indicator { id = \"b\", evaluate = function(e) return none(string.upper('x')) end }\n");
  auto pack = RulePack::Load(folder);
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  SchoolFixture f;
  Evaluator evaluator(**pack, f.names, "2023-11-30");
  ASSERT_TRUE(evaluator.Prepare().ok());
  std::vector<RuleFailure> failures;
  auto outcome = evaluator.Evaluate(f.school, failures);
  ASSERT_TRUE(outcome && *outcome);
  EXPECT_EQ((*outcome)->indicators[0].reason, "pwned");
  EXPECT_EQ((*outcome)->indicators[1].reason, "X");
}

}  // namespace
}  // namespace vigil::rules
