// The sandbox's promises, each tried the way a careless or hostile rule would.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

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

// Evaluates `body` on the fixture school and returns its outcome's first
// indicator (the test fails when evaluation does).
IndicatorOutcome EvaluateOutcome(const std::string& body) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"probe\", evaluate = function(e)\n" + body + "\nend }\n");
  auto pack = RulePack::Load(folder);
  EXPECT_TRUE(pack.has_value()) << pack.error().message;
  if (!pack) return {};
  SchoolFixture f;
  Evaluator evaluator(**pack, f.names, "2023-11-30");
  EXPECT_TRUE(evaluator.Prepare().ok());
  std::vector<RuleFailure> failures;
  auto outcome = evaluator.Evaluate(f.school, failures);
  EXPECT_TRUE(outcome && *outcome) << (failures.empty() ? "" : failures.back().message);
  if (!outcome || !*outcome || (*outcome)->indicators.empty()) return {};
  return (*outcome)->indicators[0];
}

std::string LoadError(const std::string& indicators, Limits limits = {}) {
  TempDir dir;
  auto pack = RulePack::Load(WritePack(dir, indicators), limits);
  return pack ? "" : pack.error().message;
}

TEST(Sandbox, RulesCannotSetFinalizers) {
  // A __gc runs inside the collector, where no hook reaches, and when the
  // state closes: refused, wherever a rule tries it.
  std::string error = LoadError("local t = setmetatable({}, { __gc = function() while true do end end })\n");
  EXPECT_NE(error.find("test.lua:1: setmetatable: finalizers (__gc) are not available"), std::string::npos) << error;
  EXPECT_NE(EvaluateError("setmetatable({}, { __gc = false })").find("finalizers (__gc) are not available"),
            std::string::npos);
  // A __gc added after setmetatable does not mark the table (Lua's rule):
  // it never runs, and the pack closes at once.
  EXPECT_EQ(LoadError("local mt = {}\nlocal t = setmetatable({}, mt)\nmt.__gc = function() while true do end end\n"
                      "indicator { id = \"a\", evaluate = function(e) return none('x') end }\n"),
            "");
}

TEST(Sandbox, ErrorObjectsThatAreNotTextAreDescribedWithoutRunningThem) {
  std::string error = EvaluateError("error({ code = 1 })");
  EXPECT_NE(error.find("test.lua:2: error() was given a table instead of a message"), std::string::npos) << error;
  // Its __tostring is never run: it could loop or raise again.
  error = EvaluateError("error(setmetatable({}, { __tostring = function() while true do end end }))");
  EXPECT_NE(error.find("error() was given a table"), std::string::npos) << error;
  error = EvaluateError("error(42)");
  EXPECT_NE(error.find("error() was given a number (42)"), std::string::npos) << error;
  error = EvaluateError("error(nil)");
  EXPECT_NE(error.find("error() was given a nil"), std::string::npos) << error;
}

TEST(Sandbox, LoopsOfMetamethodsAndDeepRecursionEndWithAnError) {
  Limits limits;
  limits.memory_bytes = 64u << 20;
  EXPECT_NE(EvaluateError("local t = {} setmetatable(t, { __index = t }) return none(t.x)", limits)
                .find("'__index' chain too long"),
            std::string::npos);
  EXPECT_NE(EvaluateError("local t = setmetatable({}, { __index = function(t, k) return t[k] end }) "
                          "return none(t.x)", limits)
                .find("stack overflow"),
            std::string::npos);
  std::string error = EvaluateError("local function f(n) return 1 + f(n + 1) end return none(f(1))", limits);
  EXPECT_TRUE(error.find("stack overflow") != std::string::npos || error.find("memory") != std::string::npos)
      << error;
  EXPECT_NE(EvaluateError("local t = setmetatable({}, { __close = function() error('closing') end }) "
                          "do local x <close> = t end return none('x')")
                .find("closing"),
            std::string::npos);
  EXPECT_NE(EvaluateError("return none(coroutine.wrap(function() end))").find("coroutine.wrap is not available"),
            std::string::npos);
}

TEST(Sandbox, StringBlowUpsStopAtTheMemoryCap) {
  Limits limits;
  limits.memory_bytes = 32u << 20;
  for (const char* body : {"return none(string.rep('x', 1 << 40))", "return none(string.rep('x', 1 << 26, ','))",
                           "local s = string.rep('ab', 1 << 20) return none(s:gsub('a', string.rep('y', 100)))",
                           "local t = {} for i = 1, 1 << 22 do t[i] = 'x' end return none(table.concat(t, 'yyyy'))",
                           "return none(string.format('%s%s', string.rep('x', 1 << 24), string.rep('y', 1 << 24)))"}) {
    std::string error = EvaluateError(body, limits);
    EXPECT_TRUE(error.find("memory") != std::string::npos || error.find("too large") != std::string::npos)
        << body << ": " << error;
  }
}

TEST(Sandbox, ThresholdsAreReadOnlyInEveryWay) {
  const std::string thresholds = "return { points = 30, bands = { 10, 20 }, nested = { deep = { x = 1 } } }\n";
  auto error = [&](const std::string& body) {
    TempDir dir;
    auto pack = RulePack::Load(WritePack(dir, "indicator { id = \"probe\", evaluate = function(e)\n" + body +
                                                  "\nend }\n", thresholds));
    if (!pack) return "load: " + pack.error().message;
    SchoolFixture f;
    Evaluator evaluator(**pack, f.names, "2023-11-30");
    (void)evaluator.Prepare();
    std::vector<RuleFailure> failures;
    auto outcome = evaluator.Evaluate(f.school, failures);
    return outcome ? std::string() : failures.back().message;
  };
  // pairs() and next() walk the thresholds but never hand out the table.
  EXPECT_NE(error("local _, s = pairs(threshold) s.points = 0").find("threshold 'points' cannot be changed"),
            std::string::npos);
  EXPECT_NE(error("for k, v in pairs(threshold) do if type(v) == 'table' then v[1] = 0 end end")
                .find("cannot be set"),
            std::string::npos);
  EXPECT_NE(error("local k, v = next(threshold, 'points') v = threshold.bands v[1] = 0").find("cannot be set"),
            std::string::npos);
  EXPECT_NE(error("threshold.nested.deep.x = 2").find("cannot be set"), std::string::npos);
  EXPECT_NE(error("table.insert(threshold.bands, 30)").find("cannot be set"), std::string::npos);
  EXPECT_NE(error("table.sort(threshold.bands, function(a, b) return a > b end)").find("cannot be set"),
            std::string::npos);
  EXPECT_NE(error("setmetatable(threshold, {})").find("protected metatable"), std::string::npos);
  EXPECT_NE(error("rawset(threshold, 'points', 0)").find("rawset is not available"), std::string::npos);
  // Reading still works as on a table.
  EXPECT_EQ(error("local n, sum = 0, 0 for k, v in pairs(threshold) do n = n + 1 end\n"
                  "for _, b in ipairs(threshold.bands) do sum = sum + b end\n"
                  "assert(n == 3 and sum == 30 and #threshold.bands == 2 and threshold.nested.deep.x == 1)\n"
                  "assert(table.concat(threshold.bands, ',') == '10,20' and next(threshold) ~= nil)\n"
                  "assert(rawget(threshold, 'points') == nil) return none('ok')"),
            "");
}

TEST(Sandbox, LibrariesAndDeclarationsCannotBeChangedDuringEvaluation) {
  EXPECT_NE(EvaluateError("string.format = function() return 'x' end").find("cannot be set"), std::string::npos);
  EXPECT_NE(EvaluateError("math.floor = nil").find("cannot be set"), std::string::npos);
  EXPECT_NE(EvaluateError("indicator { id = 'late', evaluate = function() end }")
                .find("indicator{} can only be used at the top level"),
            std::string::npos);
  EXPECT_NE(EvaluateError("overrides { }").find("overrides{} can only be used at the top level"), std::string::npos);
}

TEST(Sandbox, FormatShowsAFractionGivenToAWholeNumberConversion) {
  EXPECT_EQ(EvaluateOutcome("return none(format('%d pupils, %.1f%%, %d', 12.5, 3, 4))").reason,
            "12.5 pupils, 3.0%, 4");
  std::string error = EvaluateError("return none(format('%d', nil))");
  EXPECT_NE(error.find("test.lua:2: format: argument 1 after the format text (number expected, got nil)"),
            std::string::npos)
      << error;
}

TEST(Sandbox, TextFromRulesIsCleanedAndBoundedAtTheBoundary) {
  // Invalid UTF-8 and control characters become U+FFFD (line breaks spaces).
  IndicatorOutcome o = EvaluateOutcome(
      "return watch(1, 'bad \\xff \\27[2J\\nnext', { show = string.char(0xa3) .. '\\0' })");
  EXPECT_EQ(o.reason, "bad \xEF\xBF\xBD \xEF\xBF\xBD[2J next");
  EXPECT_EQ(o.show, "\xEF\xBF\xBD\xEF\xBF\xBD");
  // Too long: an error, not 20 MiB per school in the reports.
  EXPECT_NE(EvaluateError("return none('x', { show = string.rep('x', 20 << 20) })")
                .find("the show value is 20971520 bytes long"),
            std::string::npos);
  EXPECT_NE(EvaluateError("return none(string.rep('x', 5000))").find("the reason is 5000 bytes long"),
            std::string::npos);
  // A measure name is bounded before the host copies or keeps it.
  EXPECT_NE(EvaluateError("e:latest(string.rep('m', 1 << 20))").find("a measure name is at most 200 bytes"),
            std::string::npos);
  // An error message is cut, not copied whole.
  std::string error = EvaluateError("error(string.rep('x', 50 << 20))");
  EXPECT_LT(error.size(), 2100u);
  EXPECT_NE(error.find("test.lua:2: xxxx"), std::string::npos);
}

TEST(Sandbox, UnknownMeasuresAndAttributesRememberedForChecksAreBounded) {
  TempDir dir;
  auto pack = RulePack::Load(WritePack(dir, "indicator { id = \"probe\", evaluate = function(e)\n"
                                            "for i = 1, 100000 do e:latest('made_up_' .. i) end\n"
                                            "for i = 1, 100000 do local _ = e.attr['made_up_' .. i] end\n"
                                            "local _ = e.attr[string.rep('a', 64 << 20)]\n"
                                            "return none('x') end }\n"));
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  SchoolFixture f;
  Evaluator evaluator(**pack, f.names, "2023-11-30");
  ASSERT_TRUE(evaluator.Prepare().ok());
  std::vector<RuleFailure> failures;
  ASSERT_TRUE(evaluator.Evaluate(f.school, failures)) << (failures.empty() ? "" : failures.back().message);
  EXPECT_EQ(evaluator.unknown_measures().size(), Evaluator::kMaxNotedNames);
  EXPECT_EQ(evaluator.UnknownAttributes().size(), Evaluator::kMaxNotedNames);
  for (const auto& [name, users] : evaluator.UnknownAttributes()) EXPECT_LE(name.size(), 200u);
}

TEST(Sandbox, APackCannotRaiseItsLimitsPastTheHostsCeilings) {
  TempDir dir;
  auto folder = WritePack(dir, "indicator { id = \"a\", evaluate = function(e) return none('x') end }\n");
  vigil::testing::WriteText(folder / "pack.lua", "pack { name = \"test\", kind = \"school\", memory_limit_mb = 1000000 }\n");
  auto pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("memory_limit_mb = 1000000 is above the ceiling of 1024"), std::string::npos)
      << pack.error().message;
  vigil::testing::WriteText(folder / "pack.lua",
                            "pack { name = \"test\", kind = \"school\", instruction_limit = 1000000000000 }\n");
  pack = RulePack::Load(folder);
  ASSERT_FALSE(pack.has_value());
  EXPECT_NE(pack.error().message.find("instruction_limit = 1000000000000 is above the ceiling of 100000000"),
            std::string::npos);
  // Within a higher ceiling the host sets, the pack's own value holds.
  vigil::testing::WriteText(folder / "pack.lua", "pack { name = \"test\", kind = \"school\", memory_limit_mb = 1500 }\n");
  Limits generous;
  generous.max_memory_bytes = 2048u << 20;
  pack = RulePack::Load(folder, generous);
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  EXPECT_EQ((*pack)->sandbox().limits().memory_bytes, std::size_t{1500} << 20);
  vigil::testing::WriteText(folder / "pack.lua", "pack { name = \"test\", kind = \"school\", memory_limit_mb = 0.5 }\n");
  EXPECT_NE(RulePack::Load(folder).error().message.find("memory_limit_mb must be a whole number above 0"),
            std::string::npos);
}

TEST(Sandbox, SlowLuaCodeStopsAtItsLineWhenTheCallOrThePackRunsOutOfTime) {
  // The watchdog asks, the count hook stops the rule at its line: no exit.
  Limits limits;
  limits.seconds = 1;
  limits.instructions = 100'000'000'000;
  limits.max_instructions = limits.instructions;
  std::string error = EvaluateError("while true do end", limits);
  EXPECT_NE(error.find("test.lua:2: the rule ran past its time limit of 1 s for one call"), std::string::npos)
      << error;
  error = EvaluateError("while true do pcall(function() while true do end end) end", limits);
  EXPECT_NE(error.find("ran past its time limit"), std::string::npos) << error;

  TempDir dir;
  auto pack = RulePack::Load(WritePack(dir, "indicator { id = \"slow\", evaluate = function(e)\n"
                                            "while true do end end }\n"), [] {
    Limits l;
    l.seconds = 60;
    l.instructions = l.max_instructions = 100'000'000'000;
    return l;
  }());
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  (*pack)->sandbox().StartBudget(1);
  SchoolFixture f;
  Evaluator evaluator(**pack, f.names, "2023-11-30");
  ASSERT_TRUE(evaluator.Prepare().ok());
  std::vector<RuleFailure> failures;
  EXPECT_FALSE(evaluator.Evaluate(f.school, failures));
  ASSERT_FALSE(failures.empty());
  EXPECT_TRUE(failures.back().fatal);
  EXPECT_NE(failures.back().message.find("test.lua:2: the rule ran past the pack's time budget of 1 s"),
            std::string::npos)
      << failures.back().message;
  // Once the budget is spent, nothing more runs.
  failures.clear();
  EXPECT_FALSE(evaluator.Evaluate(f.school, failures));
  EXPECT_NE(failures.back().message.find("time budget of 1 s ran out"), std::string::npos)
      << failures.back().message;
}

TEST(Sandbox, ACancelledRunStopsTheRuleRunningNow) {
  Limits limits;
  limits.instructions = limits.max_instructions = 100'000'000'000;
  TempDir dir;
  auto pack = RulePack::Load(WritePack(dir, "indicator { id = \"slow\", evaluate = function(e)\n"
                                            "while true do end end }\n"), limits);
  ASSERT_TRUE(pack.has_value()) << pack.error().message;
  std::atomic<bool> cancel{false};
  (*pack)->sandbox().SetCancel(&cancel);
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel.store(true);
  });
  SchoolFixture f;
  Evaluator evaluator(**pack, f.names, "2023-11-30");
  ASSERT_TRUE(evaluator.Prepare().ok());
  std::vector<RuleFailure> failures;
  EXPECT_FALSE(evaluator.Evaluate(f.school, failures));
  stopper.join();
  ASSERT_FALSE(failures.empty());
  EXPECT_TRUE(failures.back().fatal);
  EXPECT_NE(failures.back().message.find("test.lua:2: the rule was stopped because the run was cancelled"),
            std::string::npos)
      << failures.back().message;
  (*pack)->sandbox().SetCancel(nullptr);
}

}  // namespace
}  // namespace vigil::rules
