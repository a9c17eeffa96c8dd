// End to end, as a user meets them: what `run`, `report`, `runs`,
// `schedule`, `plugins`, `sources check` and `rules check` say about runs,
// and the exit code of every case the README lists.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/mini_job.h"
#include "test_support.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using testing::ReadText;
using testing::TempDir;
using testing::WriteText;

using Cli = testing::MiniJob;

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::size_t Occurrences(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

std::int64_t RunShown(const fs::path& folder) {
  return nlohmann::json::parse(ReadText(folder / "report.json"))["run"]["id"].get<std::int64_t>();
}

TEST_F(Cli, NothingToDoSaysWhichRunLatestShowsAndItDoes) {
  ASSERT_EQ(Vigil("run job.toml").exit_code, 0);
  fs::path inspections = dir_ / "mini" / "inspections.csv";
  std::string original = ReadText(inspections);
  WriteText(inspections, original + "100005,01/01/2015,2\n");
  auto changed = Vigil("run job.toml");
  ASSERT_EQ(changed.exit_code, 0) << changed.output;
  EXPECT_TRUE(Has(changed.output, "Run 2 of job 'mini' succeeded (attempt 2 for this period).")) << changed.output;
  auto again = Vigil("run job.toml");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_TRUE(Has(again.output, "Nothing to do: run 2 of job 'mini' already covers 2023-11-30 with the same inputs, "
                                "rules and settings")) << again.output;
  EXPECT_TRUE(Has(again.output, "latest/report.html (run 2, in run-2-")) << again.output;
  EXPECT_EQ(RunShown(Latest()), 2);

  auto moved = Vigil("run job.toml --out ../elsewhere");
  ASSERT_EQ(moved.exit_code, 0) << moved.output;
  EXPECT_TRUE(Has(moved.output, "elsewhere/latest/report.html (run 2, rendered again from the store into run-2-"))
      << moved.output;
  EXPECT_EQ(RunShown(dir_ / "elsewhere" / "latest"), 2);

  // A catch-up run of an earlier period leaves `latest` on the newest and says so.
  auto october = Vigil("run job.toml --as-of 2023-10-31");
  ASSERT_EQ(october.exit_code, 0) << october.output;
  EXPECT_TRUE(Has(october.output, "latest shows run 2 (as of 2023-11-30), the newest period: ")) << october.output;
  EXPECT_EQ(RunShown(Latest()), 2);
  EXPECT_EQ(ReadText(dir_ / "elsewhere" / "latest" / "results.csv"), ReadText(Latest() / "results.csv"));
}

TEST_F(Cli, ReportRendersAPastRunAgainByteForByte) {
  ASSERT_EQ(Vigil("run job.toml").exit_code, 0);
  fs::path first = fs::canonical(Latest());
  ASSERT_EQ(Vigil("run job.toml --as-of 2023-12-31").exit_code, 0);
  fs::path second = fs::canonical(Latest());
  // The pack on disk changes after the run; the report uses the copy the run kept.
  WriteText(Pack() / "thresholds.lua", ReadText(Pack() / "thresholds.lua") + "\n-- edited later\n");

  auto r = Vigil("report job.toml --run 1 --out ../again");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(Has(r.output, "Reports of run 1 of job 'mini' (as of 2023-11-30) rendered again from the store: "))
      << r.output;
  fs::path folder;
  for (const auto& entry : fs::directory_iterator(dir_ / "again")) folder = entry.path();
  ASSERT_EQ(folder.filename().string().rfind("run-1-", 0), 0u) << folder;
  for (const char* file : {"results.csv", "indicators.csv", "rejections.csv", "report.json"})
    EXPECT_EQ(ReadText(folder / file), ReadText(first / file)) << file;

  auto latest = Vigil("report job.toml --out ../again");  // the job's latest succeeded run
  ASSERT_EQ(latest.exit_code, 0) << latest.output;
  EXPECT_TRUE(Has(latest.output, "Reports of run 2 of job 'mini' (as of 2023-12-31)")) << latest.output;
  EXPECT_EQ(fs::canonical(Latest()), second);  // the job's own `latest` is left alone

  auto missing = Vigil("report job.toml --run 9");
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_TRUE(Has(missing.output, "has no run 9")) << missing.output;

  // Where a run may not write, a re-render may not either: not into a rule pack.
  auto into_pack = Vigil("report job.toml --run 1 --out ../rules/mini");
  EXPECT_EQ(into_pack.exit_code, 2) << into_pack.output;
  EXPECT_FALSE(fs::exists(Pack() / "latest"));
  for (const auto& entry : fs::directory_iterator(Pack()))
    EXPECT_NE(entry.path().filename().string().rfind("run-", 0), 0u) << entry.path();
}

TEST_F(Cli, RunsShowIsReadableTextOrJsonAndNamesWhatChangedSinceTheRunBefore) {
  ASSERT_EQ(Vigil("run job.toml").exit_code, 0);
  WriteText(dir_ / "mini" / "schools.csv", ReadText(dir_ / "mini" / "schools.csv") + "\n");
  EditJob("name = \"inspections\"\nplugin = \"csv\"", "name = \"inspections\"\nplugin = \"csv\"\non_reject = \"fail\"");
  ASSERT_EQ(Vigil("run job.toml").exit_code, 0);
  auto show = Vigil("runs job.toml show 2");
  ASSERT_EQ(show.exit_code, 0) << show.output;
  EXPECT_TRUE(Has(show.output, "Run 2 of job 'mini': succeeded\n  as of:     2023-11-30 (attempt 2)")) << show.output;
  EXPECT_TRUE(Has(show.output, "  register (plugin csv 1.0.0, ABI 1.2): read 5 entities, 4 observations, "
                               "1 rejected row\n    schools.csv  ")) << show.output;
  auto size = fs::file_size(dir_ / "mini" / "schools.csv");
  EXPECT_TRUE(Has(show.output, "schools.csv  " + std::to_string(size) + " bytes  sha256 ")) << show.output;
  EXPECT_TRUE(Has(show.output, "Changed since run 1 (succeeded, as of 2023-11-30): source inspections (on_reject); "
                               "source register (schools.csv)")) << show.output;
  EXPECT_TRUE(Has(show.output, "Rule packs:\n  mini  sha256 ")) << show.output;
  EXPECT_TRUE(Has(show.output, "Outputs:\n  report.html  sha256 ")) << show.output;

  auto json = Vigil("runs job.toml show 2 --json");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  auto doc = nlohmann::json::parse(json.output);
  EXPECT_EQ(doc["id"], 2);
  EXPECT_EQ(doc["inputs"][0]["files"][0]["size"], size);
  EXPECT_EQ(doc["changed_since"]["run"], 1);
  EXPECT_EQ(doc["settings"]["sources"][1]["on_reject"], "fail");
}

TEST_F(Cli, AFailedRunsWholeReasonIsInRunsShowAndItsFirstLineInTheList) {
  WriteText(Pack() / "indicators" / "broken.lua",
            "indicator { id = \"broken\", evaluate = function(e)\n  if e:value('pupils') > 100 then return watch(1, 'big') end\nend }\n");
  auto run = Vigil("run job.toml");
  ASSERT_EQ(run.exit_code, 3) << run.output;
  auto list = Vigil("runs job.toml");
  EXPECT_TRUE(Has(list.output, "failed      evaluate: rule pack 'mini' failed:\n")) << list.output;
  auto show = Vigil("runs job.toml show 1");
  EXPECT_TRUE(Has(show.output, "Run 1 of job 'mini': failed")) << show.output;
  EXPECT_TRUE(Has(show.output, "  reason:    evaluate: rule pack 'mini' failed:\n")) << show.output;
  EXPECT_TRUE(Has(show.output, "indicators/broken.lua:2: attempt to compare")) << show.output;
  EXPECT_TRUE(Has(show.output, "for 1 entity: 100002 (Beta Secondary)")) << show.output;
}

TEST_F(Cli, ScheduleOnceSaysTheCatchUpTheRunAndTheNextRunAndWarnsAboutAFixedAsOf) {
  EditJob("as_of = \"2023-11-30\"\n", "as_of = \"2023-11-30\"\nschedule = \"@daily\"\n");
  auto r = Vigil("schedule job.toml --once");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(Has(r.output, "fixes as_of = \"2023-11-30\": the scheduler assesses each run as of its due date")) << r.output;
  EXPECT_TRUE(Has(r.output, " job=mini catching up the run due at ")) << r.output;
  EXPECT_TRUE(Has(r.output, " status=succeeded run=1\n")) << r.output;
  EXPECT_TRUE(Has(r.output, " job=mini schedule=\"@daily\" next run ")) << r.output;
  EXPECT_TRUE(Has(r.output, "stopping after 1 run (--max-runs)")) << r.output;
  EXPECT_FALSE(Has(r.output, "Reports:")) << r.output;  // the run's own report stays out: one line per run
  EXPECT_EQ(Vigil("schedule job.toml --once --max-runs 2").exit_code, 2);
}

// --- Exit codes, one test per code, each case the README lists -------------

TEST_F(Cli, ExitCode0WhenACommandSucceeds) {
  for (const char* command : {"run job.toml", "run job.toml", "runs job.toml", "runs job.toml show 1",
                              "report job.toml", "explain job.toml 100001", "rules check ../rules/mini --job job.toml",
                              "plugins info csv"}) {
    auto r = Vigil(command);
    EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.output;
  }
}

TEST_F(Cli, ExitCode1ForFindings) {
  auto rejected = Vigil("sources check job.toml");  // schools.csv has a bad Pupils cell
  EXPECT_EQ(rejected.exit_code, 1) << rejected.output;
  WriteText(Pack() / "indicators" / "broken.lua", "indicator {\n  id = \"x\"\n  evaluate = 1\n}\n");
  auto check = Vigil("rules check ../rules/mini");
  EXPECT_EQ(check.exit_code, 1) << check.output;
  auto plugins = Vigil(std::string("plugins --job job.toml"));
  EXPECT_EQ(plugins.exit_code, 0) << plugins.output;  // no broken library on this job's path
  auto broken = testing::Run("cd '" + (dir_ / "mini").string() + "' && VIGIL_PLUGIN_PATH='" + VIGIL_TEST_PLUGIN_DIR +
                             "' '" + VIGIL_BINARY + "' plugins");
  EXPECT_EQ(broken.exit_code, 1) << broken.output;
}

TEST_F(Cli, ExitCode2ForUsageAndConfigurationErrors) {
  EXPECT_EQ(Vigil("run --no-such-flag job.toml").exit_code, 2);
  WriteText(dir_ / "mini" / "bad.toml", "name = \"bad\"\n[[source]\n");
  auto bad_job = Vigil("run bad.toml");
  EXPECT_EQ(bad_job.exit_code, 2) << bad_job.output;
  EXPECT_TRUE(Has(bad_job.output, "bad.toml:2:")) << bad_job.output;

  fs::path job = Job();
  std::string original = ReadText(job);
  EditJob("key_column = \"URN\"\nname_column", "key_colum = \"URN\"\nname_column");
  auto setting = Vigil("run job.toml");
  EXPECT_EQ(setting.exit_code, 2) << setting.output;
  EXPECT_TRUE(Has(setting.output, "setting 'key_colum': plugin 'csv' has no such setting")) << setting.output;

  // A missing data file, whichever plugin would have read it.
  WriteText(job, original);
  EditJob("file = \"inspections.csv\"", "file = \"inspections-2023.csv\"");
  auto missing = Vigil("run job.toml");
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_TRUE(Has(missing.output, "source 'inspections' setting 'file': inspections-2023.csv does not exist"))
      << missing.output;
  WriteText(job, original + "\n[[source]]\nname = \"gias\"\nplugin = \"gias\"\n[source.settings]\n"
                            "file = \"edubasealldata.csv\"\n");
  auto gias = Vigil("sources check job.toml");
  EXPECT_EQ(gias.exit_code, 2) << gias.output;
  EXPECT_TRUE(Has(gias.output, "source 'gias' setting 'file': edubasealldata.csv does not exist")) << gias.output;

  WriteText(job, original);
  WriteText(Pack() / "indicators" / "broken.lua", "indicator {\n  id = \"x\"\n  evaluate = 1\n}\n");
  auto syntax = Vigil("run job.toml");
  EXPECT_EQ(syntax.exit_code, 2) << syntax.output;
  EXPECT_TRUE(Has(syntax.output, "broken.lua:3:")) << syntax.output;
}

TEST_F(Cli, ExitCode3ForRuntimeFailures) {
  std::string original = ReadText(Job());
  // A plugin that fails while reading.
  WriteText(Job(), "plugin_folders = [\"" + std::string(VIGIL_TEST_PLUGIN_DIR) + "\"]\n" + original +
                       "\n[[source]]\nname = \"broken\"\nplugin = \"midstream_error\"\n");
  auto plugin = Vigil("run job.toml");
  EXPECT_EQ(plugin.exit_code, 3) << plugin.output;
  EXPECT_TRUE(Has(plugin.output, "source 'broken' (plugin midstream_error 0.1.0)")) << plugin.output;
  WriteText(Job(), original);

  // Rows rejected under on_reject = "fail".
  EditJob("name = \"register\"\nplugin = \"csv\"", "name = \"register\"\nplugin = \"csv\"\non_reject = \"fail\"");
  auto rejected = Vigil("run job.toml");
  EXPECT_EQ(rejected.exit_code, 3) << rejected.output;
  EXPECT_TRUE(Has(rejected.output, "schools.csv:3: field 'Pupils' value 'not-a-number'")) << rejected.output;
  WriteText(Job(), original);

  // The store locked by another run.
  fs::create_directories(dir_ / "mini" / "out");
  int fd = ::open((dir_ / "mini" / "out" / "mini.sqlite.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  auto locked = Vigil("run job.toml");
  ::close(fd);
  EXPECT_EQ(locked.exit_code, 3) << locked.output;
  EXPECT_TRUE(Has(locked.output, "another run is using the store")) << locked.output;

  // A rule that fails on the data.
  WriteText(Pack() / "indicators" / "broken.lua",
            "indicator { id = \"broken\", evaluate = function(e)\n  if e:value('pupils') > 100 then return watch(1, 'big') end\nend }\n");
  auto rule = Vigil("run job.toml");
  EXPECT_EQ(rule.exit_code, 3) << rule.output;
  EXPECT_TRUE(Has(rule.output, "broken.lua:2: attempt to compare")) << rule.output;
}

// --- Plugins, sources and rules checks ---------------------------------------

TEST_F(Cli, PluginsInfoWithAJobSearchesTheJobsPluginFolders) {
  EXPECT_EQ(Vigil("plugins info midstream_error").exit_code, 3);
  std::string original = ReadText(Job());
  WriteText(Job(), "plugin_folders = [\"" + std::string(VIGIL_TEST_PLUGIN_DIR) + "\"]\n" + original);
  auto info = Vigil("plugins info midstream_error --job job.toml");
  EXPECT_EQ(info.exit_code, 0) << info.output;
  EXPECT_TRUE(Has(info.output, "midstream_error 0.1.0 (plugin ABI 1.2)")) << info.output;
  EXPECT_TRUE(Has(info.output, "How many schools to emit before failing.")) << info.output;
}

TEST_F(Cli, ABrokenPluginInASharedFolderIsListedOnceAndNamedInARunOnlyWhenTheJobUsesIt) {
  std::string with_env = "cd '" + (dir_ / "mini").string() + "' && VIGIL_PLUGIN_PATH='" + VIGIL_TEST_PLUGIN_DIR +
                         ":" + VIGIL_TEST_PLUGIN_DIR + "' '" + VIGIL_BINARY + "' ";
  std::string original = ReadText(Job());
  WriteText(Job(), "plugin_folders = [\"" + std::string(VIGIL_TEST_PLUGIN_DIR) + "\"]\n" + original);
  auto list = testing::Run(with_env + "plugins --job job.toml");
  EXPECT_EQ(list.exit_code, 1) << list.output;
  EXPECT_EQ(Occurrences(list.output, "libvigil_bad_major.so:"), 1u) << list.output;
  EXPECT_EQ(Occurrences(list.output, "libvigil_missing_entry.so:"), 1u) << list.output;

  auto run = testing::Run(with_env + "run job.toml");  // csv only: the broken libraries are not its business
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_FALSE(Has(run.output, "plugin problem")) << run.output;
  EXPECT_FALSE(Has(run.output, "bad_major")) << run.output;

  WriteText(Job(), ReadText(Job()) + "\n[[source]]\nname = \"odd\"\nplugin = \"bad_major\"\n");
  auto named = testing::Run(with_env + "run job.toml");
  EXPECT_EQ(named.exit_code, 3) << named.output;
  EXPECT_TRUE(Has(named.output, "built for plugin ABI 2.3, this Vigil expects ABI 1.x")) << named.output;
}

TEST_F(Cli, SourcesCheckWorksForAJobWithoutRulesAndRunSaysWhatIsMissing) {
  EditJob("[[rules]]\npack = \"../rules/mini\"\n", "");
  auto check = Vigil("sources check job.toml");
  EXPECT_EQ(check.exit_code, 1) << check.output;  // the one bad cell
  EXPECT_TRUE(Has(check.output, "source register: 5 entities")) << check.output;
  auto run = Vigil("run job.toml");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_TRUE(Has(run.output, "the job has no [[rules]] table")) << run.output;
}

TEST_F(Cli, RulesCheckWithAJobNeverRunChecksThePackAndSaysWhatWaitsForData) {
  auto r = Vigil("rules check ../rules/mini --job job.toml");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(Has(r.output, "Rule pack 'mini'")) << r.output;
  EXPECT_TRUE(Has(r.output, "Job 'mini' has not run yet")) << r.output;
  EXPECT_TRUE(Has(r.output, "measures no source provides")) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "mini" / "out" / "mini.sqlite"));  // checking creates no store
}

TEST_F(Cli, SourcesCheckNamesTheFileAndLineOfRecordsTheHostRefuses) {
  std::string original = ReadText(Job());
  WriteText(Job(), "plugin_folders = [\"" + std::string(VIGIL_TEST_PLUGIN_DIR) + "\"]\n" + original +
                       "\n[[source]]\nname = \"visits\"\nplugin = \"malformed_records\"\n");
  auto r = Vigil("sources check job.toml");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(Has(r.output, "visits.csv:7: source 'visits' field 'date' value '2023-02-30'")) << r.output;
  EXPECT_TRUE(Has(r.output, "visits.csv:8: source 'visits' field 'measure'")) << r.output;
  EXPECT_FALSE(Has(r.output, ":0:")) << r.output;
}

}  // namespace
}  // namespace vigil
