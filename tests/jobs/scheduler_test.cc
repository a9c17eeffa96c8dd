// Cron schedules and the scheduler loop, on an injected clock: no real waiting.
#include <gtest/gtest.h>

#include <sstream>

#include "jobs/cron.h"
#include "jobs/scheduler.h"

namespace vigil::jobs {
namespace {

std::time_t At(int year, int month, int day, int hour, int minute) {
  std::tm t{};
  t.tm_year = year - 1900;
  t.tm_mon = month - 1;
  t.tm_mday = day;
  t.tm_hour = hour;
  t.tm_min = minute;
  t.tm_isdst = -1;
  return std::mktime(&t);
}

TEST(Cron, FindsTheNextAndLastMatchingTimes) {
  auto weekly = CronSchedule::Parse("0 6 * * 1");  // Mondays at 06:00
  ASSERT_TRUE(weekly.has_value());
  EXPECT_EQ(weekly->NextAfter(At(2023, 11, 29, 12, 0)), At(2023, 12, 4, 6, 0));
  EXPECT_EQ(weekly->LastAtOrBefore(At(2023, 11, 29, 12, 0)), At(2023, 11, 27, 6, 0));
  auto monthly = CronSchedule::Parse("@monthly");
  ASSERT_TRUE(monthly.has_value());
  EXPECT_EQ(monthly->NextAfter(At(2023, 11, 29, 12, 0)), At(2023, 12, 1, 0, 0));
  auto steps = CronSchedule::Parse("*/15 8-17 * * 1-5");
  ASSERT_TRUE(steps.has_value());
  EXPECT_EQ(steps->NextAfter(At(2023, 11, 24, 17, 50)), At(2023, 11, 27, 8, 0));  // Friday evening -> Monday
  EXPECT_EQ(steps->NextAfter(At(2023, 11, 27, 8, 0)), At(2023, 11, 27, 8, 15));
}

TEST(Cron, ABadScheduleSaysWhatIsWrong) {
  auto bad = CronSchedule::Parse("0 25 * * *");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("hour field '25': values must be 0-23"), std::string::npos)
      << bad.error().message;
  EXPECT_FALSE(CronSchedule::Parse("every monday").has_value());
}

class FakeClock : public Clock {
 public:
  explicit FakeClock(std::time_t now) : now_(now) {}
  std::time_t Now() override { return now_; }
  void SleepUntil(std::time_t t, const std::atomic<bool>&) override { now_ = std::max(now_, t); }
  std::time_t now_;
};

class FakeLauncher : public Launcher {
 public:
  Attempt Run(const ScheduledJob&, const std::string& as_of) override {
    runs.push_back(as_of);
    bool fail = failures_left > 0;
    if (fail) --failures_left;
    ++run_ids;
    return fail ? Attempt{3, "plugin failed"} : Attempt{0, "", run_ids, unchanged};
  }
  bool Succeeded(const ScheduledJob&, const std::string& as_of) override {
    return std::find(succeeded.begin(), succeeded.end(), as_of) != succeeded.end();
  }
  void OnFailure(const ScheduledJob&, const std::string& as_of, const Attempt& a) override {
    failure_reports.push_back(as_of + ": " + a.message);
  }
  std::vector<std::string> runs, succeeded, failure_reports;
  int failures_left = 0;
  std::int64_t run_ids = 0;
  bool unchanged = false;  // each run answers "nothing to do"
};

ScheduledJob Weekly(int retries) {
  ScheduledJob job{JobSpec{}, *CronSchedule::Parse("0 6 * * 1")};
  job.spec.name = "weekly";
  job.spec.retries = retries;
  job.spec.retry_delay_seconds = 60;
  return job;
}

TEST(Scheduler, CatchesUpAMissedRunOnceThenRunsOnSchedule) {
  FakeClock clock(At(2023, 11, 29, 12, 0));  // Wednesday; Monday's run was missed
  FakeLauncher launcher;
  std::atomic<bool> stop{false};
  std::ostringstream out;
  int runs = RunSchedule({Weekly(0)}, clock, launcher, stop, 3, out, out);
  EXPECT_EQ(runs, 3);
  EXPECT_EQ(launcher.runs, (std::vector<std::string>{"2023-11-27", "2023-12-04", "2023-12-11"}));
}

TEST(Scheduler, DoesNotCatchUpAPeriodTheLedgerAlreadyHas) {
  FakeClock clock(At(2023, 11, 29, 12, 0));
  FakeLauncher launcher;
  launcher.succeeded = {"2023-11-27"};
  std::atomic<bool> stop{false};
  std::ostringstream out;
  RunSchedule({Weekly(0)}, clock, launcher, stop, 1, out, out);
  EXPECT_EQ(launcher.runs, (std::vector<std::string>{"2023-12-04"}));
}

TEST(Scheduler, RetriesAFailureReportsTheFinalOneAndKeepsGoing) {
  FakeClock clock(At(2023, 11, 29, 12, 0));
  FakeLauncher launcher;
  launcher.succeeded = {"2023-11-27"};
  launcher.failures_left = 3;  // the first run fails on both attempts, the next one on its first
  std::atomic<bool> stop{false};
  std::ostringstream out;
  RunSchedule({Weekly(1)}, clock, launcher, stop, 2, out, out);
  EXPECT_EQ(launcher.runs, (std::vector<std::string>{"2023-12-04", "2023-12-04", "2023-12-11", "2023-12-11"}));
  EXPECT_EQ(launcher.failure_reports, (std::vector<std::string>{"2023-12-04: plugin failed"}));
}

TEST(Scheduler, SaysEachNextRunTimeTheCatchUpAndOneLinePerRun) {
  FakeClock clock(At(2023, 11, 29, 12, 0));  // Wednesday; Monday's run was missed
  FakeLauncher launcher;
  std::atomic<bool> stop{false};
  std::ostringstream out, warnings;
  RunSchedule({Weekly(0)}, clock, launcher, stop, 2, out, warnings);
  EXPECT_EQ(out.str(),
            "2023-11-29 12:00 job=weekly catching up the run due at 2023-11-27 06:00 (as of 2023-11-27), "
            "missed while the scheduler was not running\n"
            "2023-11-29 12:00 job=weekly as_of=2023-11-27 status=succeeded run=1\n"
            "2023-11-29 12:00 job=weekly schedule=\"0 6 * * 1\" next run 2023-12-04 06:00\n"
            "2023-12-04 06:00 job=weekly as_of=2023-12-04 status=succeeded run=2\n"
            "2023-12-04 06:00 job=weekly schedule=\"0 6 * * 1\" next run 2023-12-11 06:00\n"
            "2023-12-04 06:00 stopping after 2 runs (--max-runs)\n");
  EXPECT_EQ(warnings.str(), "");
}

TEST(Scheduler, SaysWhenARunHadNothingToDoAndWhenOneFailedAfterItsRetries) {
  FakeClock clock(At(2023, 11, 29, 12, 0));
  FakeLauncher launcher;
  launcher.succeeded = {"2023-11-27"};
  launcher.unchanged = true;
  std::atomic<bool> stop{false};
  std::ostringstream out;
  RunSchedule({Weekly(0)}, clock, launcher, stop, 1, out, out);
  EXPECT_NE(out.str().find("2023-12-04 06:00 job=weekly as_of=2023-12-04 status=unchanged run=1\n"),
            std::string::npos) << out.str();

  // Started again at 06:00 that Monday with that run not in the ledger: it
  // is caught up, and fails on both of its attempts.
  launcher.failures_left = 2;
  std::ostringstream failed;
  RunSchedule({Weekly(1)}, clock, launcher, stop, 1, failed, failed);
  EXPECT_EQ(failed.str(),
            "2023-12-04 06:00 job=weekly catching up the run due at 2023-12-04 06:00 (as of 2023-12-04), "
            "missed while the scheduler was not running\n"
            "2023-12-04 06:01 job=weekly as_of=2023-12-04 status=failed exit=3 attempts=2 message=\"plugin failed\"\n"
            "2023-12-04 06:01 job=weekly schedule=\"0 6 * * 1\" next run 2023-12-11 06:00\n"
            "2023-12-04 06:01 stopping after 1 run (--max-runs)\n");
}

TEST(Scheduler, WarnsAtStartAboutASharedNameOrStoreAndAFixedAsOf) {
  ScheduledJob a = Weekly(0), b = Weekly(0), c = Weekly(0);
  a.spec.file = "/jobs/a.toml";
  a.spec.store = "/data/shared.sqlite";
  b.spec.file = "/jobs/b.toml";  // named "weekly" too
  b.spec.store = "/data/shared.sqlite";
  c.spec.file = "/jobs/c.toml";
  c.spec.name = "monthly";
  c.spec.store = "/data/c.sqlite";
  c.spec.as_of = "2023-11-30";
  FakeClock clock(At(2023, 11, 29, 12, 0));
  FakeLauncher launcher;
  launcher.succeeded = {"2023-11-27"};
  std::atomic<bool> stop{false};
  std::ostringstream out, warnings;
  RunSchedule({a, b, c}, clock, launcher, stop, 0, out, warnings);
  const std::string w = warnings.str();
  EXPECT_NE(w.find("warning: /jobs/a.toml and /jobs/b.toml are both named 'weekly': their runs share one ledger"),
            std::string::npos) << w;
  EXPECT_NE(w.find("warning: /jobs/a.toml and /jobs/b.toml share the store /data/shared.sqlite"), std::string::npos)
      << w;
  EXPECT_NE(w.find("warning: /jobs/c.toml fixes as_of = \"2023-11-30\": the scheduler assesses each run as of its "
                   "due date instead"), std::string::npos) << w;
  EXPECT_EQ(w.find("/jobs/c.toml and"), std::string::npos) << w;  // c shares neither
  EXPECT_TRUE(launcher.runs.empty());  // --max-runs 0: warnings only
}

}  // namespace
}  // namespace vigil::jobs
