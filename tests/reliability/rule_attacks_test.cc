// Attacks through rule packs: text a report cannot hold, finalizers, strings
// that make the host allocate, limits a pack raises for itself, rules slow
// enough to stay under every per-call limit, state smuggled between schools,
// and a run stopped by a signal. Each runs the real `vigil` on the real csv
// plugin and store, and asserts a clean end (attack_support.h).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <signal.h>

#include "base/text.h"
#include "reliability/attack_support.h"

namespace vigil::reliability {
namespace {

// A hang guard only (a hang fails the test instead of blocking the suite);
// nothing here asserts how fast anything is.
Finished RunGuarded(const fs::path& cwd, const std::vector<std::string>& args) {
  VigilProcess p(cwd, args);
  return p.Wait(std::chrono::seconds(90));
}

// Lets rules run long: a per-call instruction budget far above the default,
// with the job's ceiling raised to allow it.
void AllowLongRules(const JobFolder& job, const std::string& more_limits = "") {
  std::string pack_lua = ReadText(Pack(job) / "pack.lua");
  pack_lua.replace(pack_lua.find("kind = \"school\","), 16, "kind = \"school\", instruction_limit = 10000000000,");
  WriteText(Pack(job) / "pack.lua", pack_lua);
  AppendToJob(job, "[limits]\ninstruction_limit = 10000000000\n" + more_limits);
}

// --- Text a report cannot hold ------------------------------------------------------

TEST(RuleText, ABytesNotUtf8InAnyPackFileIsFoundByCheckAndStopsTheRunNamingFileLineAndColumn) {
  // An officer saves overrides.lua in Windows "ANSI": the £ is the byte 0xA3.
  JobFolder job;
  StandardJob(job);
  ASSERT_EQ(RunVigil(job.folder(), {"run", "job.toml"}).exit_code, 0);
  const std::string before = ReadText(job.latest() / "report.json");
  WriteText(Pack(job) / "overrides.lua",
            "overrides {\n  { key = \"100001\", category = \"intensive\", reason = \"Deficit of \xA3" "40k\",\n"
            "    by = \"A. Officer\", expires = \"2030-03-31\" },\n}\n");
  Finished check = RunVigil(job.folder(), {"rules", "check", Pack(job).string()});
  EXPECT_EQ(check.exit_code, 1) << check.output;
  EXPECT_TRUE(Contains(check.output, "overrides.lua:2:66: byte 0xA3 is not UTF-8")) << check.output;
  Finished run = RunVigil(job.folder(), {"run", "--rerun", "job.toml"});
  ExpectCleanFailure(job, run, 2, "overrides.lua:2:66: byte 0xA3 is not UTF-8");
  EXPECT_EQ(ReadText(job.latest() / "report.json"), before);
  // The same in a threshold's comment and in an indicator.
  fs::remove(Pack(job) / "overrides.lua");
  WriteText(Pack(job) / "thresholds.lua", "return {\n  -- \x93quoted\x94\n  overdue_points = 10 }\n");
  check = RunVigil(job.folder(), {"rules", "check", Pack(job).string()});
  EXPECT_TRUE(Contains(check.output, "thresholds.lua:2:6: byte 0x93 is not UTF-8")) << check.output;
}

TEST(RuleText, TextAPackDeclaresMustBeCleanAndIsRefusedAtItsLine) {
  JobFolder job;
  StandardJob(job);
  // Valid UTF-8 files whose escapes make bytes that are not.
  AddRule(job, "escape", "indicator { id = \"escape\",\n  title = \"Deficit \\xA3\",\n"
                         "  evaluate = function(e) return none('x') end }\n");
  Finished run = RunVigil(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 2, "escape.lua:1: indicator 'escape': title is not valid UTF-8 (byte 9)");
  AddRule(job, "escape", "indicator { id = \"escape\",\n  title = \"Fine\\27[2J\",\n"
                         "  evaluate = function(e) return none('x') end }\n");
  run = RunVigil(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 2, "indicator 'escape': title holds a control character");
  AddRule(job, "escape", "indicator { id = \"../../escape\", evaluate = function(e) return none('x') end }\n");
  run = RunVigil(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 2, "must be 1 to 64 letters, digits");
}

TEST(RuleText, APackFileLinkingOutsideThePackIsRefused) {
  // A copied pack with a link to a private file: never read, stored or shown.
  JobFolder job;
  StandardJob(job);
  WriteText(job.root() / "secret.txt", "password = hunter2\n");
  fs::create_symlink(job.root() / "secret.txt", Pack(job) / "indicators" / "copied.lua");
  Finished run = RunVigil(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 2, "copied.lua: is a link to a file outside");
  EXPECT_FALSE(Contains(run.output, "hunter2"));
  fs::remove(Pack(job) / "indicators" / "copied.lua");
  fs::create_directories(Pack(job) / "tests");
  fs::create_symlink(job.root() / "secret.txt", Pack(job) / "tests" / "copied.lua");
  Finished test = RunVigil(job.folder(), {"rules", "test", Pack(job).string()});
  EXPECT_EQ(test.exit_code, 1) << test.output;
  EXPECT_TRUE(Contains(test.output, "is a link to a file outside")) << test.output;
  EXPECT_FALSE(Contains(test.output, "hunter2"));
}

TEST(RuleText, TextARuleMakesIsCleanedSoEveryReportStaysValid) {
  JobFolder job;
  StandardJob(job);
  AddEvaluate(job, "garbled",
              "return watch(1, 'Deficit \\xA3' .. '40k \\27[31mRED\\0 <b>' .. string.char(0xff, 0xfe),\n"
              "  { show = e.name:sub(1, 1) .. '\\xC3' })");
  Finished run = RunVigil(job.folder(), {"run", "job.toml"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  auto doc = nlohmann::json::parse(ReadText(job.latest() / "report.json"), nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  bool seen = false;
  for (const auto& e : doc["packs"][0]["entities"])
    for (const auto& i : e["indicators"])
      if (i["id"] == "garbled") {
        seen = true;
        EXPECT_EQ(i["reason"], "Deficit \xEF\xBF\xBD" "40k \xEF\xBF\xBD[31mRED\xEF\xBF\xBD <b>\xEF\xBF\xBD\xEF\xBF\xBD");
      }
  EXPECT_TRUE(seen);
  for (const char* file : {"report.html", "report.json", "results.csv", "indicators.csv"}) {
    std::string text = ReadText(job.latest() / file);
    EXPECT_TRUE(IsValidUtf8(text)) << file;
    // Line ends (CRLF in CSV) and tabs are the writers' own; nothing else.
    EXPECT_EQ(text.find_first_of(std::string("\0\x1b\x7f\x01\x08\x0b\x0c", 7)), std::string::npos) << file;
  }
}

// --- Finalizers ------------------------------------------------------------------------

TEST(RuleFinalizers, AFinalizerIsRefusedSoItCannotHangARunACheckOrTheNextRun) {
  JobFolder job;
  StandardJob(job);
  AddRule(job, "finalizer",
          "local keep = setmetatable({}, { __gc = function()\n"
          "  string.find(string.rep('a', 40), string.rep('a*', 40) .. 'b') end })\n"
          "indicator { id = \"finalizer\", evaluate = function(e) return none('x') end }\n");
  Finished run = RunGuarded(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 2, "finalizer.lua:1: setmetatable: finalizers (__gc) are not available in rules");
  Finished check = RunGuarded(job.folder(), {"rules", "check", Pack(job).string()});
  EXPECT_EQ(check.exit_code, 1) << check.output;
  EXPECT_TRUE(Contains(check.output, "finalizers (__gc) are not available")) << check.output;
  // One made during evaluation, on an object handed back to the host.
  AddEvaluate(job, "finalizer", "return none('x', { show = setmetatable({}, { __gc = function() while true do end end }) })");
  run = RunGuarded(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 3, "finalizers (__gc) are not available");
  fs::remove(Pack(job) / "indicators" / "finalizer.lua");
  EXPECT_EQ(RunGuarded(job.folder(), {"run", "job.toml"}).exit_code, 0);
}

// --- What a rule makes the host allocate -------------------------------------------------

TEST(RuleMemory, EveryStringCrossingFromLuaIsBoundedSoTheHostNeverHoldsMore) {
  JobFolder job;
  StandardJob(job);
  // 48 lookups of a 64 MiB measure name once reached 3 GB against a 256 MiB
  // cap. (One school is enough: each attack fails the run the same way.)
  const std::string one = "if e.key ~= '100001' then return none('x') end\n";
  AddEvaluate(job, "names", one + "local name = string.rep('m', 64 << 20)\nfor i = 1, 48 do e:latest(name) end");
  Finished run = RunGuarded(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 3, "names.lua:4: a measure name is at most 200 bytes; this one is 67108864");
#if !defined(__SANITIZE_ADDRESS__)
  // The pack's cap (256 MiB) plus the host's own: far below the 3 GB of the attack.
  EXPECT_LT(run.max_rss_kb, 600L * 1024) << "peak memory " << run.max_rss_kb << " kB";
#endif
  // A show value of 20 MiB per school, and an error() of 50 MB.
  AddEvaluate(job, "names", one + "return none('x', { show = string.rep('s', 20 << 20) })");
  run = RunGuarded(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 3, "the show value is 20971520 bytes long");
  AddEvaluate(job, "names", one + "error(string.rep('e', 50 << 20))");
  run = RunGuarded(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 3, "names.lua:3: eeee");
  EXPECT_LT(run.output.size(), 16u * 1024);
  EXPECT_LT(LastFailure(job).size(), 16u * 1024 + 1);
}

// --- Limits a pack sets for itself ---------------------------------------------------------

TEST(RuleCeilings, APackCannotRaiseItsLimitsPastTheHostsCeilings) {
  JobFolder job;
  StandardJob(job);
  const std::string pack_lua = ReadText(Pack(job) / "pack.lua");
  auto with = [&](const std::string& keys) {
    std::string text = pack_lua;
    text.replace(text.find("kind = \"school\","), 16, "kind = \"school\", " + keys);
    WriteText(Pack(job) / "pack.lua", text);
  };
  with("memory_limit_mb = 1000000,");
  Finished run = RunVigil(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 2, "memory_limit_mb = 1000000 is above the ceiling of 1024");
  with("instruction_limit = 1000000000000,");
  run = RunVigil(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 2, "instruction_limit = 1000000000000 is above the ceiling of 100000000");
  // The host may raise its ceiling in the job; the command line may lower it.
  with("memory_limit_mb = 1500,");
  AppendToJob(job, "[limits]\nmemory_limit_mb = 2048\n");
  EXPECT_EQ(RunVigil(job.folder(), {"run", "job.toml"}).exit_code, 0);
  run = RunVigil(job.folder(), {"run", "--rerun", "--memory-limit-mb", "512", "job.toml"});
  ExpectCleanFailure(job, run, 2, "memory_limit_mb = 1500 is above the ceiling of 512");
}

// --- Time ----------------------------------------------------------------------------------

TEST(RuleTime, APacksWholeEvaluationHasATimeBudget) {
  // Each call stays under the per-call limits; together they would run for
  // ever without the pack's budget.
  JobFolder job;
  StandardJob(job);
  AllowLongRules(job, "pack_seconds = 1\n");
  AddEvaluate(job, "slow", "local x = 0\nfor i = 1, 5e7 do x = x + i end\nreturn none('x')");
  Finished run = RunGuarded(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 3, "its time budget ([limits] pack_seconds = 1 in the job) ran out");
  EXPECT_TRUE(Contains(run.output, "slow.lua:3: the rule ran past the pack's time budget of 1 s")) << run.output;
}

TEST(RuleTime, RulesCheckWarnsOfARuleThatIsSlowOnOneEntity) {
  JobFolder job;
  StandardJob(job);
  ASSERT_EQ(RunVigil(job.folder(), {"run", "job.toml"}).exit_code, 0);
  AllowLongRules(job);
  AddEvaluate(job, "slow", "if e.key ~= '100001' then return none('x') end\n"
                           "local x = 0\nfor i = 1, 1e7 do x = x + i end\nreturn none('x')");
  Finished check = RunGuarded(job.folder(), {"rules", "check", Pack(job).string(), "--job", "job.toml"});
  EXPECT_TRUE(Contains(check.output, "warning: indicator 'slow' took")) << check.output;
}

TEST(RuleTime, TheWatchdogNamesTheRuleItsFileAndTheLineRunning) {
  JobFolder job;
  StandardJob(job);
  AddEvaluate(job, "pattern", "local r = string.find(string.rep('a', 40), string.rep('a*', 40) .. 'b')\nreturn none('x')");
  AllowLongRules(job, "call_seconds = 1\n");
  Finished run = RunGuarded(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 3, "pattern.lua:1: indicator 'pattern' on school 100001 ran past its time limit of 1 s");
  EXPECT_TRUE(Contains(run.output, "inside 'find' (at rules/mini/indicators/pattern.lua:2)")) << run.output;
  EXPECT_FALSE(fs::exists(job.latest()));
  // Slow Lua code (not a C function) is stopped at its line, without ending the process.
  AddEvaluate(job, "pattern", "local x = 0\nwhile true do x = x + 1 end");
  run = RunGuarded(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 3, "pattern.lua:3: the rule ran past its time limit of 1 s for one call");
}

// --- State between schools -------------------------------------------------------------------

TEST(RuleState, AThresholdCannotBeChangedForLaterSchoolsByAnyRoute) {
  JobFolder job;
  StandardJob(job);
  for (const char* attack : {"local _, t = pairs(threshold) t.overdue_points = 0",
                             "local k, v = next(threshold) threshold[k] = 0",
                             "for k in pairs(threshold) do rawset(threshold, k, 0) end",
                             "setmetatable(threshold, nil)",
                             "string.format = function() return 'forged' end"}) {
    // The rule swallows the error: later schools must still see the real value.
    AddEvaluate(job, "tamper", std::string("pcall(function() ") + attack + " end)\n"
                               "return none(format('%d', threshold.overdue_points) .. string.format('%s', '!'))");
    Finished run = RunVigil(job.folder(), {"run", "--rerun", "job.toml"});
    ASSERT_EQ(run.exit_code, 0) << attack << ": " << run.output;
    auto doc = nlohmann::json::parse(ReadText(job.latest() / "report.json"));
    for (const auto& e : doc["packs"][0]["entities"])
      for (const auto& i : e["indicators"]) {
        if (i["id"] == "tamper") {
          EXPECT_EQ(i["reason"], "10!") << attack << " for " << e["key"];
        }
      }
  }
}

// --- Signals -----------------------------------------------------------------------------------

// A run whose rules take a second or more per school, stopped by `signal`
// once it is into them.
Finished StopWith(JobFolder& job, int signal, int count, const std::string& rule_body) {
  AddEvaluate(job, "slow", rule_body);
  VigilProcess run(job.folder(), {"run", "--rerun", "job.toml"});
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  for (int i = 0; i < count; ++i) {
    ::kill(run.pid(), signal);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return run.Wait(std::chrono::seconds(90));
}

TEST(RuleSignals, SigtermOrSigintStopsARunCleanlyAndItIsRecordedAsFailed) {
  JobFolder job;
  StandardJob(job);
  ASSERT_EQ(RunVigil(job.folder(), {"run", "job.toml"}).exit_code, 0);
  const std::string before = ReadText(job.latest() / "report.json");
  AllowLongRules(job);
  const std::string slow_lua = "local x = 0\nfor i = 1, 9e7 do x = x + i end\nreturn none('x')";
  Finished f = StopWith(job, SIGTERM, 1, slow_lua);
  ExpectCleanFailure(job, f, 3, "the run was cancelled (SIGTERM or Ctrl-C) before it finished");
  f = StopWith(job, SIGINT, 1, slow_lua);
  ExpectCleanFailure(job, f, 3, "the run was cancelled (SIGTERM or Ctrl-C) before it finished");
  // Inside a C function, which cannot be interrupted: the process ends
  // after a grace period, its reason recorded.
  f = StopWith(job, SIGTERM, 1, "string.find(string.rep('a', 40), string.rep('a*', 40) .. 'b')");
  ExpectCleanFailure(job, f, 3, "was stopped because the run was cancelled (SIGTERM or Ctrl-C) inside 'find'");
  // A second signal does not wait.
  f = StopWith(job, SIGTERM, 2, "string.find(string.rep('a', 40), string.rep('a*', 40) .. 'b')");
  ExpectCleanFailure(job, f, 3, "stopped by a second SIGTERM");
  EXPECT_EQ(ReadText(job.latest() / "report.json"), before);
  StoreReader db(job.store());
  EXPECT_EQ(db.One("PRAGMA integrity_check"), "ok");
}

// --- Smaller -----------------------------------------------------------------------------------

TEST(RuleMessages, ErrorObjectsAndFormatMistakesReadWell) {
  JobFolder job;
  StandardJob(job);
  AddEvaluate(job, "table_error", "error({ code = 7 })");
  Finished run = RunVigil(job.folder(), {"run", "job.toml"});
  ExpectCleanFailure(job, run, 3, "table_error.lua:2: error() was given a table instead of a message");
  AddEvaluate(job, "table_error", "return none(format('%d pupils', 12.5))");
  run = RunVigil(job.folder(), {"run", "job.toml"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(Contains(ReadText(job.latest() / "report.json"), "\"12.5 pupils\""));
}

}  // namespace
}  // namespace vigil::reliability
