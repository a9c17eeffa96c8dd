// `vigil schedule`: stays up and runs jobs when their cron schedule says.
//
// Each run is a child process (`vigil run JOB --as-of DATE`), so a crashing
// plugin cannot take the scheduler down. A due time that passed while the
// scheduler was not running is caught up once at start (like systemd's
// Persistent=true) unless the ledger already has a succeeded run for that
// period. Failures are retried as the job says, then reported through the
// job's on_failure command; the next scheduled run still happens.
#pragma once

#include <atomic>
#include <cstdint>
#include <ctime>
#include <ostream>
#include <string>
#include <vector>

#include "base/status.h"
#include "jobs/cron.h"
#include "jobs/job_file.h"

namespace vigil::jobs {

struct ScheduledJob {
  JobSpec spec;
  CronSchedule schedule;
};

// Time, injectable so tests need not wait for real minutes.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::time_t Now() = 0;
  // Returns at `t`, or earlier when `stop` is set.
  virtual void SleepUntil(std::time_t t, const std::atomic<bool>& stop) = 0;
};

struct Attempt {
  int exit_code = 0;
  std::string message;     // the failure's whole reason: from its last "vigil: " line on (bounded)
  std::int64_t run_id = 0; // the run that succeeded, or the one that already covered the period
  bool unchanged = false;  // nothing to do: run_id already covered the period
};

// Starts one run of a job for a period and waits for it.
class Launcher {
 public:
  virtual ~Launcher() = default;
  virtual Attempt Run(const ScheduledJob& job, const std::string& as_of) = 0;
  // Has this job a succeeded run for this period in its store?
  virtual bool Succeeded(const ScheduledJob& job, const std::string& as_of) = 0;
  virtual void OnFailure(const ScheduledJob& job, const std::string& as_of, const Attempt& attempt) = 0;
};

Result<ScheduledJob> LoadScheduledJob(const std::string& file);

// Runs until `stop` is set or `max_runs` runs (scheduled or caught up) have
// happened (a negative max_runs: no limit). Returns the number of runs.
//
// Says what it does on `out`, one line each, whatever the log level: each
// job's next run time at start and after each of its runs, "catching up the
// run due at …" for a period missed while it was stopped, and one line per
// run (succeeded or failed, with the attempts). Warns on `warnings` at start
// about jobs that share a name or a store, and about a fixed as_of.
int RunSchedule(const std::vector<ScheduledJob>& jobs, Clock& clock, Launcher& launcher,
                const std::atomic<bool>& stop, int max_runs, std::ostream& out, std::ostream& warnings);

// The real clock and the real launcher (child processes of this binary).
class SystemClock : public Clock {
 public:
  std::time_t Now() override;
  void SleepUntil(std::time_t t, const std::atomic<bool>& stop) override;
};

class ProcessLauncher : public Launcher {
 public:
  Attempt Run(const ScheduledJob& job, const std::string& as_of) override;
  bool Succeeded(const ScheduledJob& job, const std::string& as_of) override;
  void OnFailure(const ScheduledJob& job, const std::string& as_of, const Attempt& attempt) override;
};

std::string LocalDate(std::time_t t);

}  // namespace vigil::jobs
