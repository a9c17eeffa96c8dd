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
#include <ctime>
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
  std::string message;  // the failure's whole reason: from its last "vigil: " line on (bounded)
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
int RunSchedule(const std::vector<ScheduledJob>& jobs, Clock& clock, Launcher& launcher,
                const std::atomic<bool>& stop, int max_runs);

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
