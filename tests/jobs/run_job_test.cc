// Runs through the real plugin host, the real store and real Lua: a run is
// all or nothing, and a failed one leaves the store and reports as they were.
#include <fcntl.h>
#include <sys/file.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "jobs/job_file.h"
#include "jobs/run_job.h"
#include "jobs/mini_job.h"
#include "jobs/stored_pack.h"
#include "store/store.h"
#include "test_support.h"

namespace vigil::jobs {
namespace {

namespace fs = std::filesystem;
using vigil::testing::ReadText;
using vigil::testing::TempDir;
using vigil::testing::WriteText;

TEST(RunJob, IngestsEvaluatesReportsAndRecordsTheRun) {
  MiniJob mini;
  JobSpec job = mini.Load();
  auto outcome = RunJob(job, {});
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(outcome->entities_assessed, 4u);  // the closed school is left out by pack.lua
  EXPECT_EQ(outcome->rejected_rows, 1u);
  for (const char* name : {"report.html", "report.json", "results.csv", "indicators.csv", "rejections.csv"})
    EXPECT_TRUE(fs::exists(outcome->latest / name)) << name;
  EXPECT_EQ(Count(job.store, "SELECT count(*) FROM runs WHERE status = 'succeeded'"), 1);
  EXPECT_EQ(Count(job.store, "SELECT count(*) FROM results"), 4);
  EXPECT_EQ(Count(job.store, "SELECT count(*) FROM rejections WHERE line = 3 AND field = 'Pupils'"), 1);
}

// A local spreadsheet keyed by URN names a school the register does not
// have (a mistyped URN) and gives a known school another name: the school is
// not created, its values are lost and said so, and the register's name stands.
TEST(RunJob, ALaterSourceNeitherCreatesSchoolsTheRegisterLacksNorRenamesThem) {
  MiniJob mini("\n[[source]]\nname = \"governance\"\nplugin = \"csv\"\n[source.settings]\nfile = \"gov.csv\"\n"
               "kind = \"school\"\nkey_column = \"URN\"\nname_column = \"School\"\ndate_column = \"Review date\"\n"
               "text_measures = [\"governance_risk = Governance risk rating\"]\n");
  WriteText(mini.folder() / "gov.csv", "URN,School,Review date,Governance risk rating\n"
                                       "100001,Alpha,01/10/2023,High\n123456,Unknown Academy,01/10/2023,High\n");
  auto failed = RunJob(mini.Load(), {});
  ASSERT_FALSE(failed.has_value());
  EXPECT_NE(failed.error().message.find("source 'governance': 1 value named schools that no source registered "
                                        "(e.g. 123456)"),
            std::string::npos) << failed.error().message;

  mini.Edit("name = \"governance\"\nplugin = \"csv\"\n", "name = \"governance\"\nplugin = \"csv\"\non_loss = \"warn\"\n");
  JobSpec job = mini.Load();
  auto outcome = RunJob(job, {});
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(Count(job.store, "SELECT count(*) FROM entities WHERE key = '123456'"), 0);
  EXPECT_EQ(Count(job.store, "SELECT count(*) FROM entities WHERE key = '100001' AND name = 'Alpha Primary'"), 1);
  std::string results = ReadText(outcome->latest / "results.csv");
  EXPECT_EQ(results.find("123456"), std::string::npos) << results;
  EXPECT_NE(results.find("Alpha Primary"), std::string::npos) << results;
}

TEST(RunJob, KeepsTheRulePackFilesItRanWithSoALaterEditDoesNotChangeThem) {
  MiniJob mini;
  JobSpec job = mini.Load();
  auto outcome = RunJob(job, {});
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  fs::path thresholds = mini.folder().parent_path() / "rules" / "mini" / "thresholds.lua";
  std::string before = ReadText(thresholds);
  WriteText(thresholds, before + "\n-- edited after the run\n");

  auto store = store::Store::Open(job.store.string());
  ASSERT_TRUE(store.has_value());
  auto kept = LoadRunPack(*store, outcome->run_id, "mini");
  ASSERT_TRUE(kept.has_value()) << kept.error().message;
  auto run = store->GetRun(outcome->run_id);
  ASSERT_TRUE(run.has_value() && *run);
  EXPECT_NE((*run)->rule_packs.find((*kept)->hash()), std::string::npos);
  bool found = false;
  for (const auto& source : (*kept)->sources())
    if (source.path == "thresholds.lua") {
      found = true;
      EXPECT_EQ(source.text, before);
    }
  EXPECT_TRUE(found);
  auto missing = LoadRunPack(*store, outcome->run_id, "no_such_pack");
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("did not use a rule pack named 'no_such_pack'"), std::string::npos);
}

RunOptions Rerun() {
  RunOptions options;
  options.rerun = true;
  return options;
}

TEST(RunJob, ASecondRunOfAnUnchangedPeriodDoesNothingUnlessRerun) {
  MiniJob mini;
  JobSpec job = mini.Load();
  auto first = RunJob(job, {});
  ASSERT_TRUE(first.has_value());
  auto again = RunJob(job, {});
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->unchanged);
  EXPECT_EQ(again->run_id, first->run_id);
  EXPECT_EQ(Count(job.store, "SELECT count(*) FROM runs"), 1);
  auto rerun = RunJob(job, Rerun());
  ASSERT_TRUE(rerun.has_value());
  EXPECT_FALSE(rerun->unchanged);
  EXPECT_EQ(rerun->attempt, 2);
  // A changed input is a new attempt without --rerun.
  WriteText(mini.folder() / "inspections.csv", ReadText(mini.folder() / "inspections.csv") + "100005,01/01/2015,2\n");
  auto changed = RunJob(mini.Load(), {});
  ASSERT_TRUE(changed.has_value());
  EXPECT_FALSE(changed->unchanged);
  EXPECT_EQ(changed->attempt, 3);
  EXPECT_EQ(Count(job.store, "SELECT max(attempt) FROM runs WHERE as_of = '2023-11-30'"), 3);
}

TEST(RunJob, ReingestingTheSameFilesAddsNoObservationsAndReportsNoChanges) {
  MiniJob mini;
  JobSpec job = mini.Load();
  ASSERT_TRUE(RunJob(job, {}).has_value());
  auto observations = Count(job.store, "SELECT count(*) FROM observations");
  RunOptions next_period;
  next_period.as_of = "2023-12-01";
  auto second = RunJob(job, next_period);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(Count(job.store, "SELECT count(*) FROM observations"), observations);
  std::string html = ReadText(second->latest / "report.html");
  EXPECT_NE(html.find("Changes since run 1 (<span class=\"date\">2023-11-30</span>)"), std::string::npos);
  EXPECT_NE(html.find("No school changed category."), std::string::npos);
}

TEST(RunJob, SameInputsGiveTheSameJsonApartFromTheRunObject) {
  MiniJob mini;
  JobSpec job = mini.Load();
  auto first = RunJob(job, {});
  auto second = RunJob(job, Rerun());
  ASSERT_TRUE(first && second);
  auto a = nlohmann::json::parse(ReadText(first->report_folder / "report.json"));
  auto b = nlohmann::json::parse(ReadText(second->report_folder / "report.json"));
  EXPECT_NE(a["run"], b["run"]);
  a.erase("run");
  b.erase("run");
  for (auto& pack : b["packs"]) pack["changes_since_previous_run"] = nullptr;
  EXPECT_EQ(a, b);
  EXPECT_EQ(ReadText(first->report_folder / "results.csv"), ReadText(second->report_folder / "results.csv"));
}

TEST(RunJob, AFailingSourceLeavesTheStoreAndThePreviousReportsUntouched) {
  MiniJob mini("\n[[source]]\nname = \"broken\"\nplugin = \"midstream_error\"\n");
  JobSpec job = mini.Load();
  // A good run first, with the broken source left out.
  JobSpec good = job;
  good.sources.pop_back();
  auto first = RunJob(good, {});
  ASSERT_TRUE(first.has_value()) << first.error().message;
  auto entities = Count(job.store, "SELECT count(*) FROM entities");
  auto observations = Count(job.store, "SELECT count(*) FROM observations");
  std::string report_before = ReadText(first->latest / "report.html");

  auto failed = RunJob(job, {});
  ASSERT_FALSE(failed.has_value());
  EXPECT_NE(failed.error().message.find("source 'broken' (plugin midstream_error 0.1.0)"), std::string::npos)
      << failed.error().message;
  EXPECT_EQ(Count(job.store, "SELECT count(*) FROM entities"), entities);
  EXPECT_EQ(Count(job.store, "SELECT count(*) FROM observations"), observations);
  EXPECT_EQ(Count(job.store, "SELECT count(*) FROM runs WHERE status = 'failed' AND message LIKE 'ingest:%'"), 1);
  EXPECT_EQ(ReadText(first->latest / "report.html"), report_before);
  for (const auto& entry : fs::directory_iterator(job.output))
    EXPECT_EQ(entry.path().filename().string().find(".partial"), std::string::npos) << entry.path();
}

TEST(RunJob, ASourceWithOnErrorSkipIsLeftOutAndNamed) {
  MiniJob mini("\n[[source]]\nname = \"broken\"\nplugin = \"midstream_error\"\non_error = \"skip\"\n");
  JobSpec job = mini.Load();
  auto outcome = RunJob(job, {});
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(Count(job.store, "SELECT count(*) FROM entities WHERE name = 'Midstream School'"), 0);
  auto doc = nlohmann::json::parse(ReadText(outcome->latest / "report.json"));
  EXPECT_NE(doc["sources"][2]["skipped"].get<std::string>().find("truncated"), std::string::npos);
}

TEST(RunJob, OnRejectFailStopsTheRunAtTheFirstBadRow) {
  MiniJob mini;
  std::string text = ReadText(mini.file());
  text.replace(text.find("plugin = \"csv\""), 14, "plugin = \"csv\"\non_reject = \"fail\"");
  WriteText(mini.file(), text);
  JobSpec job = mini.Load();
  auto outcome = RunJob(job, {});
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code, ErrorCode::kDataRejected);
  EXPECT_NE(outcome.error().message.find("schools.csv:3: field 'Pupils' value 'not-a-number'"),
            std::string::npos) << outcome.error().message;
  EXPECT_EQ(Count(job.store, "SELECT count(*) FROM entities"), 0);
}

TEST(RunJob, ARuleErrorFailsTheRunNamingRuleFileAndSchools) {
  MiniJob mini;
  JobSpec job = mini.Load();
  WriteText(job.rule_packs[0] / "indicators" / "broken.lua",
            "indicator { id = \"broken\", evaluate = function(e)\n  if e:value('pupils') > 100 then return watch(1, 'big') end\nend }\n");
  auto outcome = RunJob(job, {});
  ASSERT_FALSE(outcome.has_value());
  const std::string& m = outcome.error().message;
  EXPECT_NE(m.find("indicators/broken.lua:2: attempt to compare"), std::string::npos) << m;
  EXPECT_NE(m.find("for 1 entity: 100002 (Beta Secondary)"), std::string::npos) << m;
  EXPECT_EQ(Count(job.store, "SELECT count(*) FROM results"), 0);
}

TEST(RunJob, ASecondRunOnTheSameStoreIsRefusedWhileTheFirstHoldsTheLock) {
  MiniJob mini;
  JobSpec job = mini.Load();
  fs::create_directories(job.store.parent_path());
  int fd = ::open((job.store.string() + ".lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  auto outcome = RunJob(job, {});
  ::close(fd);
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code, ErrorCode::kBusy);
  EXPECT_NE(outcome.error().message.find("another run is using the store"), std::string::npos);
}

TEST(RunJob, SourcesCheckReadsEverythingAndWritesNothing) {
  MiniJob mini;
  JobSpec job = mini.Load();
  RunOptions options;
  options.dry_run = true;
  auto outcome = RunJob(job, options);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(outcome->rejected_rows, 1u);
  EXPECT_NE(outcome->rejections_text.find("schools.csv:3: source 'register' field 'Pupils' value 'not-a-number'"),
            std::string::npos) << outcome->rejections_text;
  EXPECT_FALSE(fs::exists(job.store));
  EXPECT_FALSE(fs::exists(job.output));
}

}  // namespace
}  // namespace vigil::jobs
