// Crash safety: `vigil run` killed with SIGKILL at any moment (reading,
// evaluating, writing reports, committing, renaming) leaves a store that
// opens and passes PRAGMA integrity_check, with exactly what the last good
// run stored, and a `latest` link that still points at a complete report;
// the next run succeeds. Two runs of one job at once: one waits or is
// refused with exit code 3 and "another run is using the store", never a
// corrupt store.
//
// The register source is a generated 4,000-school file so a run lasts long
// enough (hundreds of milliseconds) to be killed at different stages; the
// kill delays come from a fixed-seed PRNG spread over a measured run.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <random>

#include "reliability/reliability_support.h"

namespace vigil::reliability {
namespace {

constexpr int kSchools = 4000;

void WriteRegister(const JobFolder& job) {
  std::string text = "URN,Name,Status,Pupils,Census date\n";
  char row[128];
  for (int k = 0; k < kSchools; ++k) {
    int n = std::snprintf(row, sizeof row, "%d,School %d,%s,%d,19/01/2023\n", 200000 + k, k,
                          k % 50 == 0 ? "Closed" : "Open", 100 + k % 800);
    text.append(row, static_cast<std::size_t>(n));
  }
  WriteText(job.folder() / "register.csv", text);
  // A second source, so a kill can also land between sources.
  WriteText(job.folder() / "inspections.csv",
            "URN,Inspection date,Overall effectiveness\n200001,14/09/2017,2\n200002,10/10/2022,3\n"
            "200003,05/05/2021,4\n");
  job.WriteJob("register.csv", JobFolder::kSchoolSettings, "",
               "\n[[source]]\nname = \"inspections\"\nplugin = \"csv\"\n[source.settings]\n"
               "file = \"inspections.csv\"\nkind = \"school\"\nkey_column = \"URN\"\n"
               "measures = [\"ofsted_overall = Overall effectiveness\"]\ndate_column = \"Inspection date\"\n");
}

// Report folders a killed run left unfinished (".run-N-TIME.partial"): hidden, never `latest`.
std::vector<fs::path> PartialFolders(const JobFolder& job) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(job.reports(), ec))
    if (entry.path().filename().string().find(".partial") != std::string::npos) found.push_back(entry.path());
  return found;
}

// Runs the store records as succeeded whose report folder does not exist
// (killed after the commit, before the rename: the reports stay hidden).
int SucceededWithoutReports(const JobFolder& job) {
  StoreReader db(job.store());
  int missing = 0;
  for (const auto& row : db.Rows("SELECT id FROM runs WHERE status = 'succeeded'")) {
    bool found = false;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(job.reports(), ec))
      found = found || entry.path().filename().string().rfind("run-" + row[0] + "-", 0) == 0;
    missing += found ? 0 : 1;
  }
  return missing;
}

struct StoreState {
  std::int64_t entities = -1, observations = -1, succeeded = -1, last_succeeded = -1;
};

// Checks everything a kill must not break; returns what the store holds.
StoreState CheckIntact(const JobFolder& job, const std::string& when) {
  StoreState state;
  StoreReader db(job.store());
  EXPECT_TRUE(db.ok()) << when << ": " << db.error();
  if (!db.ok()) return state;
  EXPECT_EQ(db.One("PRAGMA integrity_check"), "ok") << when;
  EXPECT_EQ(db.One("PRAGMA foreign_key_check"), "") << when;
  state.entities = db.Count("SELECT count(*) FROM entities");
  state.observations = db.Count("SELECT count(*) FROM observations");
  state.succeeded = db.Count("SELECT count(*) FROM runs WHERE status = 'succeeded'");
  state.last_succeeded = db.Count("SELECT coalesce(max(id), 0) FROM runs WHERE status = 'succeeded'");
  // A killed run leaves no run 'running' and no results without a succeeded run.
  EXPECT_EQ(db.Count("SELECT count(*) FROM runs WHERE status NOT IN ('succeeded', 'failed')"), 0) << when;
  EXPECT_EQ(db.Count("SELECT count(*) FROM results r LEFT JOIN runs u ON u.id = r.run_id "
                     "WHERE u.status IS NOT 'succeeded'"), 0) << when;

  // `latest` names a complete, visible run folder whose report parses.
  std::error_code ec;
  fs::path target = fs::read_symlink(job.latest(), ec);
  EXPECT_FALSE(ec) << when << ": latest is not a link: " << ec.message();
  if (ec) return state;
  const std::string name = target.filename().string();
  EXPECT_EQ(name.rfind("run-", 0), 0u) << when << ": latest -> " << name;
  EXPECT_EQ(name.find(".partial"), std::string::npos) << when << ": latest -> " << name;
  for (const char* file : {"report.html", "report.json", "results.csv", "indicators.csv", "rejections.csv"})
    EXPECT_TRUE(fs::is_regular_file(job.latest() / file)) << when << ": " << file;
  auto doc = nlohmann::json::parse(ReadText(job.latest() / "report.json"), nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << when << ": latest/report.json does not parse";
  if (!doc.is_discarded()) {
    // The report is one the store recorded as succeeded.
    const auto run_id = doc["run"]["id"].get<std::int64_t>();
    EXPECT_EQ(db.Count("SELECT count(*) FROM runs WHERE status = 'succeeded' AND id = " +
                       std::to_string(run_id)), 1) << when;
    EXPECT_EQ(doc["packs"][0]["entities"].size(), static_cast<std::size_t>(kSchools - kSchools / 50)) << when;
  }
  return state;
}

TEST(KillSafety, ARunKilledAtAnyMomentLeavesTheStoreAndTheLatestReportIntact) {
  JobFolder job;
  WriteRegister(job);
  auto good = RunVigil(job.folder(), {"run", "job.toml"});
  ASSERT_EQ(good.exit_code, 0) << good.output;
  const StoreState baseline = CheckIntact(job, "after the first run");
  ASSERT_EQ(baseline.entities, kSchools);
  // How long a run takes here. --rerun: the same inputs again are
  // otherwise "nothing to do", and every run below must do the whole work.
  auto timed = RunVigil(job.folder(), {"run", "--rerun", "job.toml"});
  ASSERT_EQ(timed.exit_code, 0) << timed.output;
  const double run_seconds = timed.seconds;

  std::mt19937 rng(20240229);  // fixed seed: the same delays every time
  std::uniform_real_distribution<double> fraction(0.0, 1.3);
  const auto start = std::chrono::steady_clock::now();
  int iterations = 0, killed = 0;
  // Where the kills landed, told from what each one left behind.
  int in_plugin = 0, in_reports = 0, after_commit = 0, elsewhere = 0;
  std::int64_t succeeded = baseline.succeeded + 1;  // the timed run
  for (; iterations < 40; ++iterations) {
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds(20) && iterations >= 10) break;
    const double delay = fraction(rng) * run_seconds;
    const std::size_t partial_before = PartialFolders(job).size();
    VigilProcess run(job.folder(), {"run", "--rerun", "job.toml"});
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    run.Kill();
    Finished f = run.Wait();
    if (f.signal == SIGKILL) ++killed;
    const std::string when = "iteration " + std::to_string(iterations) + " (killed after " +
                             std::to_string(delay) + " s of a " + std::to_string(run_seconds) + " s run)";
    const bool marker = fs::exists(job.store().string() + ".calling");
    StoreState state = CheckIntact(job, when);
    if (state.succeeded > succeeded) ++after_commit;
    else if (PartialFolders(job).size() > partial_before) ++in_reports;
    else if (marker) ++in_plugin;
    else ++elsewhere;
    succeeded = state.succeeded;
    // Nothing half-ingested: the same files always give the same store.
    EXPECT_EQ(state.entities, baseline.entities) << when;
    EXPECT_EQ(state.observations, baseline.observations) << when;
    if (::testing::Test::HasFailure()) break;  // one broken state says enough
  }
  std::cout << "killed " << killed << " of " << iterations << " runs (a run takes " << run_seconds
            << " s): " << in_plugin << " while a plugin was reading, " << in_reports
            << " while writing reports, " << after_commit << " after the commit, " << elsewhere
            << " elsewhere (starting, evaluating, between sources); " << PartialFolders(job).size()
            << " unfinished report folders left behind; " << SucceededWithoutReports(job)
            << " runs recorded as succeeded whose report folder never appeared\n";
  EXPECT_GE(killed, iterations / 2) << "most runs should be killed before they end";
  EXPECT_GE((in_plugin > 0) + (in_reports > 0) + (after_commit > 0) + (elsewhere > 0), 2)
      << "the kills should land in different stages of a run";

  auto after = RunVigil(job.folder(), {"run", "--rerun", "job.toml"});
  EXPECT_EQ(after.exit_code, 0) << after.output;
  StoreState final_state = CheckIntact(job, "after the kills");
  EXPECT_EQ(final_state.entities, baseline.entities);
  EXPECT_EQ(final_state.observations, baseline.observations);
  auto doc = nlohmann::json::parse(ReadText(job.latest() / "report.json"));
  EXPECT_EQ(doc["run"]["id"].get<std::int64_t>(), final_state.last_succeeded);
}

TEST(KillSafety, TwoRunsOfOneJobAtOnceNeverCorruptTheStore) {
  JobFolder job;
  WriteRegister(job);
  ASSERT_EQ(RunVigil(job.folder(), {"run", "job.toml"}).exit_code, 0);
  int refused = 0;
  for (int round = 0; round < 3; ++round) {
    VigilProcess a(job.folder(), {"run", "--rerun", "job.toml"});
    VigilProcess b(job.folder(), {"run", "--rerun", "job.toml"});
    Finished fa = a.Wait(), fb = b.Wait();
    for (const Finished* f : {&fa, &fb}) {
      EXPECT_TRUE(f->exit_code == 0 || f->exit_code == 3) << f->exit_code << ": " << f->output;
      if (f->exit_code == 3) {
        ++refused;
        EXPECT_TRUE(Contains(f->output, "another run is using the store")) << f->output;
      }
    }
    EXPECT_TRUE(fa.exit_code == 0 || fb.exit_code == 0) << "neither run succeeded:\n"
                                                         << fa.output << "\n" << fb.output;
    CheckIntact(job, "round " + std::to_string(round));
  }
  std::cout << refused << " of 6 concurrent runs were refused (the others waited or did not overlap)\n";
}

}  // namespace
}  // namespace vigil::reliability
