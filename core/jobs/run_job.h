// One run of a job: ingest every source through its plugin, evaluate every
// rule pack, write the reports and record the run, all or nothing.
//
// Guarantees: the store changes in one transaction that commits only after
// the reports are written (to a temporary folder); the reports appear by
// rename; a failed run changes nothing but adds a 'failed' line to the run
// history. A lock file stops two runs on one store at once.
//
// Runs form a ledger by job and period (as_of): a repeat of a period that
// already succeeded with the same inputs and rules does nothing (unless
// rerun), so a scheduler or cron can call it freely; a changed input or rule
// makes a new, numbered attempt. When nothing is done, `latest` is pointed
// at the run that covers the period (rendered again from the store if the
// output folder lacks its reports), so what the run says is what it shows.
#pragma once

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "jobs/job_file.h"
#include "rules/sandbox.h"

namespace vigil::jobs {

struct RunOptions {
  std::optional<std::string> as_of;               // overrides the job's
  std::optional<std::filesystem::path> output;    // overrides [output] folder
  std::optional<std::filesystem::path> store;     // overrides store
  const std::atomic<bool>* cancel = nullptr;      // set by SIGINT/SIGTERM
  bool dry_run = false;  // `sources check`: ingest into a throwaway store, no rules, no reports
  bool rerun = false;    // run even if this period already succeeded with the same inputs and rules
  // Override the job's [limits] ceilings (--memory-limit-mb, --instruction-limit).
  std::optional<std::size_t> memory_limit_mb;
  std::optional<std::uint64_t> instruction_limit;
};

// Where a run's time went, in seconds (wall clock), and how much work each stage did.
struct RunTimings {
  double ingest = 0;
  double evaluate = 0;
  double evaluate_rules = 0;  // of which inside the rules; reading the store overlaps it
  double record = 0;   // results and changes into the store
  double reports = 0;  // every format, written and renamed into place
  double commit = 0;
  std::uint64_t observations = 0;  // read from the sources
  std::uint64_t evaluations = 0;   // indicator evaluations (entity x indicator that applied)
};

struct RunOutcome {
  std::int64_t run_id = 0;
  std::string as_of;                    // the period assessed
  std::filesystem::path report_folder;  // the run's own folder
  std::filesystem::path latest;         // the stable `latest` link
  std::uint64_t entities_assessed = 0;
  std::uint64_t rejected_rows = 0;      // rows with at least one rejected value
  std::uint64_t rejected_values = 0;    // every rejection (a row may have several)
  std::vector<std::string> warnings;    // data lost or unused (on_loss = "warn", dry runs)
  std::string summary;                  // one line per pack: counts by category
  std::string rejections_text;          // dry runs: every rejected row, one per line
  bool unchanged = false;               // nothing ran: run_id already covers these inputs
  bool rendered_again = false;          // unchanged, and its reports were rendered again from the store
  // The run `latest` shows: the newest period's latest succeeded run, which
  // is not this one when this run is of an earlier period (a catch-up).
  std::int64_t latest_run = 0;
  std::string latest_as_of;
  std::int64_t attempt = 1;
  RunTimings timings;
};

// Any failure, an exception included, is returned and recorded as a failed
// run with its reason (except a dry run's, which records nothing).
Result<RunOutcome> RunJob(const JobSpec& job, const RunOptions& options);

// The job's limits for rules, with the options' overrides.
rules::Limits RuleLimits(const JobSpec& job, const RunOptions& options);

}  // namespace vigil::jobs
