// The run ledger says exactly what happened: "nothing to do" shows the run it
// names, a past run's reports render again byte for byte from the store,
// changes compare with the previous period, and any change to what shapes
// the output makes a new attempt. Real plugins, store and Lua throughout.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "jobs/mini_job.h"
#include "jobs/run_job.h"
#include "jobs/stored_report.h"
#include "store/store.h"
#include "test_support.h"

namespace vigil::jobs {
namespace {

namespace fs = std::filesystem;
using vigil::testing::ReadText;
using vigil::testing::TempDir;
using vigil::testing::WriteText;

RunOptions AsOf(const std::string& as_of, bool rerun = false) {
  RunOptions options;
  options.as_of = as_of;
  options.rerun = rerun;
  return options;
}

// The run `latest` in `output` shows, by its report.
std::int64_t LatestRun(const fs::path& output) {
  auto doc = nlohmann::json::parse(ReadText(output / "latest" / "report.json"));
  return doc["run"]["id"].get<std::int64_t>();
}

nlohmann::json Pack(const fs::path& folder) {
  return nlohmann::json::parse(ReadText(folder / "report.json"))["packs"][0];
}

constexpr const char* kTables[] = {"results.csv", "indicators.csv", "rejections.csv", "report.json"};

TEST(RunLedger, NothingToDoShowsTheRunItNamesInLatest) {
  MiniJob mini;
  JobSpec job = mini.Load();
  auto first = RunJob(job, {});
  ASSERT_TRUE(first.has_value()) << first.error().message;
  // A changed input is a new attempt, and `latest` shows it...
  std::string inspections = ReadText(mini.folder() / "inspections.csv");
  WriteText(mini.folder() / "inspections.csv", inspections + "100005,01/01/2015,2\n");
  auto changed = RunJob(mini.Load(), {});
  ASSERT_TRUE(changed.has_value()) << changed.error().message;
  EXPECT_EQ(LatestRun(job.output), changed->run_id);
  // ...and with the input as it was, the period's latest attempt no longer
  // matches: only that attempt covers the period (the next period compares
  // with it), so the first run's inputs make a third attempt.
  WriteText(mini.folder() / "inspections.csv", inspections);
  auto third = RunJob(mini.Load(), {});
  ASSERT_TRUE(third.has_value()) << third.error().message;
  EXPECT_FALSE(third->unchanged);
  EXPECT_EQ(third->attempt, 3);
  for (const char* file : {"results.csv", "indicators.csv"})
    EXPECT_EQ(ReadText(third->report_folder / file), ReadText(first->report_folder / file)) << file;
  // Now there is nothing to do, and `latest` shows the run named.
  auto again = RunJob(mini.Load(), {});
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_TRUE(again->unchanged);
  EXPECT_EQ(again->run_id, third->run_id);
  EXPECT_FALSE(again->rendered_again);
  EXPECT_EQ(again->report_folder, third->report_folder);
  EXPECT_EQ(fs::read_symlink(job.output / "latest"), third->report_folder.filename());
  EXPECT_EQ(LatestRun(job.output), third->run_id);

  // A new --out has no reports of that run: they are rendered from the store.
  TempDir elsewhere;
  RunOptions other;
  other.output = elsewhere.path();
  auto moved = RunJob(mini.Load(), other);
  ASSERT_TRUE(moved.has_value()) << moved.error().message;
  EXPECT_TRUE(moved->unchanged);
  EXPECT_TRUE(moved->rendered_again);
  EXPECT_EQ(LatestRun(elsewhere.path()), third->run_id);
  for (const char* file : kTables)
    EXPECT_EQ(ReadText(elsewhere / "latest" / file), ReadText(third->report_folder / file)) << file;
}

// `latest` shows the newest period: a catch-up run of an earlier period
// leaves it, and says which run it shows; a folder named like a run's but
// holding another store's reports is not taken for it.
TEST(RunLedger, LatestShowsTheNewestPeriodWhateverRanLast) {
  MiniJob mini;
  JobSpec job = mini.Load();
  auto january = RunJob(job, AsOf("2024-01-31"));
  ASSERT_TRUE(january.has_value()) << january.error().message;
  auto october = RunJob(mini.Load(), AsOf("2023-10-31"));
  ASSERT_TRUE(october.has_value()) << october.error().message;
  EXPECT_EQ(october->latest_run, january->run_id);
  EXPECT_EQ(october->latest_as_of, "2024-01-31");
  EXPECT_EQ(LatestRun(job.output), january->run_id);
  EXPECT_TRUE(fs::exists(october->report_folder / "report.html"));

  // Another store's run 1 in the same output folder is not this store's run 1.
  TempDir other_store;
  RunOptions elsewhere = AsOf("2023-09-30");
  elsewhere.store = other_store.path() / "other.sqlite";
  auto foreign = RunJob(mini.Load(), elsewhere);
  ASSERT_TRUE(foreign.has_value()) << foreign.error().message;
  auto again = RunJob(mini.Load(), AsOf("2024-01-31"));
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_TRUE(again->unchanged);
  EXPECT_EQ(LatestRun(job.output), january->run_id);
  auto json = nlohmann::json::parse(ReadText(job.output / "latest" / "report.json"));
  EXPECT_EQ(json["as_of"], "2024-01-31");
}

TEST(RunLedger, APastRunsReportsRenderAgainByteForByteWhateverChangedSince) {
  MiniJob mini;
  mini.Edit("formats = [\"html\", \"csv\", \"json\"]", "formats = [\"html\", \"csv\", \"json\", \"markdown\"]\n"
                                                     "split_by = \"district\"");
  WriteText(mini.pack() / "overrides.lua",
            "overrides {\n  { key = \"100001\", category = \"intensive\", reason = \"New head\", by = \"A. Officer\",\n"
            "    expires = \"2024-06-30\" },\n}\n");
  ASSERT_TRUE(RunJob(mini.Load(), {}).has_value());
  // The second period, with a new threshold, so it has changes to report.
  std::string thresholds = ReadText(mini.pack() / "thresholds.lua");
  std::string lower = thresholds;
  lower.replace(lower.find("requires_improvement_points = 30"), 32, "requires_improvement_points = 10");
  WriteText(mini.pack() / "thresholds.lua", lower);
  auto second = RunJob(mini.Load(), AsOf("2023-12-31"));
  ASSERT_TRUE(second.has_value()) << second.error().message;
  ASSERT_EQ(Pack(second->report_folder)["changes_since_previous_run"].size(), 1u);

  // Then everything a re-render could wrongly read today changes: a school's
  // name and district in the register, the rule pack on disk, the job's output.
  WriteText(mini.pack() / "thresholds.lua", thresholds);
  std::string schools = ReadText(mini.folder() / "schools.csv");
  schools.replace(schools.find("Alpha Primary,Primary,North"), 27, "Alpha Academy,Primary,West");
  WriteText(mini.folder() / "schools.csv", schools);
  mini.Edit("split_by = \"district\"", "split_by = \"phase\"");
  ASSERT_TRUE(RunJob(mini.Load(), AsOf("2024-01-31")).has_value());

  JobSpec job = mini.Load();
  auto store = store::Store::Open(job.store.string());
  ASSERT_TRUE(store.has_value());
  TempDir elsewhere;
  auto rendered = RenderStoredRun(*store, second->run_id, elsewhere.path());
  ASSERT_TRUE(rendered.has_value()) << rendered.error().message;
  for (const char* file : kTables)
    EXPECT_EQ(ReadText(*rendered / file), ReadText(second->report_folder / file)) << file;
  EXPECT_TRUE(fs::exists(*rendered / "report.md"));
  EXPECT_TRUE(fs::exists(*rendered / "by-district" / "north.html"));  // the split the run had
  EXPECT_FALSE(fs::exists(elsewhere / "latest"));                     // left alone

  auto failed = RenderStoredRun(*store, 99, elsewhere.path());
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, ErrorCode::kNotFound);
}

TEST(RunLedger, ChangesCompareWithThePreviousPeriodNotTheRunThatExecutedLast) {
  MiniJob mini;
  // A catch-up run for 2026 first, under other rules, so that comparing
  // with it would list changes that never happened between 2023 periods.
  std::string thresholds = ReadText(mini.pack() / "thresholds.lua");
  std::string other = thresholds;
  other.replace(other.find("requires_improvement_points = 30"), 32, "requires_improvement_points = 10");
  WriteText(mini.pack() / "thresholds.lua", other);
  auto later = RunJob(mini.Load(), AsOf("2026-01-31"));
  ASSERT_TRUE(later.has_value()) << later.error().message;
  WriteText(mini.pack() / "thresholds.lua", thresholds);

  auto november = RunJob(mini.Load(), AsOf("2023-11-30"));
  ASSERT_TRUE(november.has_value()) << november.error().message;
  nlohmann::json pack = Pack(november->report_folder);
  EXPECT_TRUE(pack["previous_run"].is_null()) << pack["previous_run"];
  EXPECT_TRUE(pack["changes_since_previous_run"].is_null());
  EXPECT_NE(ReadText(november->report_folder / "report.html").find("No succeeded run of an earlier period"),
            std::string::npos);

  auto december = RunJob(mini.Load(), AsOf("2023-12-31"));
  ASSERT_TRUE(december.has_value()) << december.error().message;
  pack = Pack(december->report_folder);
  EXPECT_EQ(pack["previous_run"], (nlohmann::json{{"id", november->run_id}, {"as_of", "2023-11-30"}}));
  EXPECT_EQ(pack["changes_since_previous_run"], nlohmann::json::array());
  std::string december_html = ReadText(december->report_folder / "report.html");
  EXPECT_NE(december_html.find("Changes since run " + std::to_string(november->run_id) +
                               " (<span class=\"date\">2023-11-30</span>)"),
            std::string::npos);
  EXPECT_NE(december_html.find("No school changed category."), std::string::npos);

  // A second attempt at December compares with November, as the first did.
  auto again = RunJob(mini.Load(), AsOf("2023-12-31", /*rerun=*/true));
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(Pack(again->report_folder)["previous_run"]["id"], november->run_id);
  auto store = store::Store::Open(mini.Load().store.string());
  ASSERT_TRUE(store.has_value());
  auto record = store->GetRun(again->run_id);
  ASSERT_TRUE(record && *record);
  EXPECT_EQ((*record)->previous_run, november->run_id);
}

TEST(RunLedger, ChangingOnlyOnRejectOrTheOutputMakesANewAttempt) {
  MiniJob mini;
  auto first = RunJob(mini.Load(), {});
  ASSERT_TRUE(first.has_value()) << first.error().message;
  ASSERT_TRUE(RunJob(mini.Load(), {})->unchanged);
  // on_reject decides whether a rejected row fails the run: not the same run.
  mini.Edit("name = \"inspections\"\nplugin = \"csv\"", "name = \"inspections\"\nplugin = \"csv\"\non_reject = \"fail\"");
  auto on_reject = RunJob(mini.Load(), {});
  ASSERT_TRUE(on_reject.has_value()) << on_reject.error().message;
  EXPECT_FALSE(on_reject->unchanged);
  EXPECT_EQ(on_reject->attempt, 2);
  int attempt = 2;
  for (auto [from, to] : {std::pair<std::string, std::string>{"formats = [\"html\", \"csv\", \"json\"]",
                                                              "formats = [\"html\", \"csv\", \"json\", \"markdown\"]"},
                          {"folder = \"out/reports\"", "folder = \"out/reports\"\nlists = \"none\""},
                          {"folder = \"out/reports\"", "folder = \"out/reports\"\nsplit_by = \"district\""},
                          {"title = \"Mini authority\"", "title = \"Mini authority (pilot)\""},
                          {"on_reject = \"fail\"", "on_error = \"skip\""}}) {
    mini.Edit(from, to);
    auto run = RunJob(mini.Load(), {});
    ASSERT_TRUE(run.has_value()) << to << ": " << run.error().message;
    EXPECT_FALSE(run->unchanged) << to;
    EXPECT_EQ(run->attempt, ++attempt) << to;
  }
  ASSERT_TRUE(RunJob(mini.Load(), {})->unchanged);  // and the same settings again do nothing
}

TEST(RunLedger, AMissingDataFileIsAConfigurationErrorNamingSourceSettingAndFile) {
  MiniJob mini;
  mini.Edit("file = \"inspections.csv\"", "file = \"inspections-2023.csv\"");
  auto run = RunJob(mini.Load(), {});
  ASSERT_FALSE(run.has_value());
  EXPECT_EQ(run.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(run.error().message.find("source 'inspections' setting 'file': inspections-2023.csv does not exist"),
            std::string::npos) << run.error().message;
}

TEST(RunLedger, AJobWithoutRulesIsCheckedButNotRun) {
  MiniJob mini;
  std::string text = ReadText(mini.file());
  text.erase(text.find("[[rules]]"), std::string("[[rules]]\npack = \"../rules/mini\"\n").size());
  WriteText(mini.file(), text);
  RunOptions check;
  check.dry_run = true;
  auto checked = RunJob(mini.Load(), check);
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_EQ(checked->rejected_rows, 1u);
  auto run = RunJob(mini.Load(), {});
  ASSERT_FALSE(run.has_value());
  EXPECT_EQ(run.error().code, ErrorCode::kInvalidInput);
  EXPECT_NE(run.error().message.find("has no [[rules]] table"), std::string::npos) << run.error().message;
}

TEST(RunLedger, HostRefusedRecordsAreRejectedRowsWithTheirFileAndLine) {
  MiniJob mini("\n[[source]]\nname = \"visits\"\nplugin = \"malformed_records\"\n");
  RunOptions check;
  check.dry_run = true;
  auto checked = RunJob(mini.Load(), check);
  ASSERT_TRUE(checked.has_value()) << checked.error().message;
  const std::string& text = checked->rejections_text;
  EXPECT_NE(text.find("visits.csv:7: source 'visits' field 'date' value '2023-02-30': the date of 'pupils' for "
                      "school 900001, '2023-02-30', is not a valid YYYY-MM-DD date"), std::string::npos) << text;
  EXPECT_NE(text.find("visits.csv:9: source 'visits' field 'pupils' value 'nan'"), std::string::npos) << text;
  // Row 10 names a school no source registered: a loss (on_loss), not a rejected row.
  EXPECT_EQ(text.find("visits.csv:10:"), std::string::npos) << text;
  EXPECT_EQ(text.find(":0:"), std::string::npos) << text;
}

}  // namespace
}  // namespace vigil::jobs
