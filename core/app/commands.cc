// run, schedule and sources check: the commands that drive jobs.
#include "app/commands.h"

#include <unistd.h>

#include <iostream>

#include <fmt/format.h>

#include "base/files.h"
#include "base/text.h"
#include "jobs/job_file.h"
#include "jobs/run_job.h"
#include "jobs/scheduler.h"
#include "store/store.h"

namespace vigil::app {

int ReportError(const Error& error) {
  // The message may quote data, rules or paths: escaped, whatever the stream.
  std::cerr << "vigil: " << Printable(error.message, true) << "\n";
  switch (error.code) {
    case ErrorCode::kInvalidInput:
    case ErrorCode::kNotFound:
      return kExitUsage;
    default:
      return kExitFailure;
  }
}

Result<store::Store> OpenExistingStore(const jobs::JobSpec& job, const std::optional<std::string>& path) {
  std::string file = path.value_or(job.store.string());
  if (!std::filesystem::exists(file))
    return Fail(ErrorCode::kNotFound, fmt::format("store {} does not exist: run job '{}' first", file, job.name));
  return store::Store::Open(file);
}

int RunCommand(const RunArgs& args, const std::atomic<bool>& cancel) {
  auto job = jobs::LoadJob(args.job);
  if (!job) return ReportError(job.error());
  jobs::RunOptions options;
  options.as_of = args.as_of;
  if (args.out) options.output = WithoutTrailingSlash(std::filesystem::absolute(*args.out));
  if (args.store) options.store = std::filesystem::absolute(*args.store);
  options.cancel = &cancel;
  options.rerun = args.rerun;
  options.memory_limit_mb = args.memory_limit_mb;
  options.instruction_limit = args.instruction_limit;
  auto outcome = jobs::RunJob(*job, options);
  if (!outcome) return ReportError(outcome.error());
  // What `latest` shows is said plainly: the run it names. It shows the
  // newest period, so a run of an earlier period (a catch-up) leaves it.
  auto latest_line = [&]() {
    if (outcome->latest_run == outcome->run_id || outcome->latest_run == 0) return std::string();
    return fmt::format("latest shows run {} (as of {}), the newest period: {}\n", outcome->latest_run,
                       outcome->latest_as_of, (outcome->latest / "report.html").string());
  };
  if (outcome->unchanged) {
    std::cout << fmt::format("Nothing to do: run {} of job '{}' already covers {} with the same inputs, rules "
                             "and settings (use --rerun to run it again).\n",
                             outcome->run_id, job->name, outcome->as_of);
    if (outcome->latest_run == outcome->run_id)
      std::cout << fmt::format("Reports: {} (run {}, {} {})\n", (outcome->latest / "report.html").string(),
                               outcome->run_id, outcome->rendered_again ? "rendered again from the store into" : "in",
                               outcome->report_folder.filename().string());
    else if (!outcome->report_folder.empty())
      std::cout << fmt::format("Its reports: {}\n{}", (outcome->report_folder / "report.html").string(), latest_line());
    else
      std::cout << fmt::format("Its reports: vigil report {} --run {}\n{}", args.job, outcome->run_id, latest_line());
    return kExitOk;
  }
  std::cout << fmt::format("Run {} of job '{}' succeeded{}.\n{}\n", outcome->run_id, job->name,
                           outcome->attempt > 1 ? fmt::format(" (attempt {} for this period)", outcome->attempt) : "",
                           outcome->summary);
  for (const auto& warning : outcome->warnings) std::cout << "Warning: " << warning << "\n";
  if (outcome->rejected_values > 0)
    std::cout << fmt::format("{} input {} rejected ({} {}): see the report's data quality section.\n",
                             outcome->rejected_rows, outcome->rejected_rows == 1 ? "row was" : "rows were",
                             outcome->rejected_values, outcome->rejected_values == 1 ? "value" : "values");
  if (outcome->latest_run == outcome->run_id)
    std::cout << fmt::format("Reports: {}\n", (outcome->latest / "report.html").string());
  else
    std::cout << fmt::format("Reports: {}\n{}", (outcome->report_folder / "report.html").string(), latest_line());
  return kExitOk;
}

int ScheduleCommand(const std::vector<std::string>& files, int max_runs, const std::atomic<bool>& stop) {
  std::vector<jobs::ScheduledJob> scheduled;
  for (const auto& file : files) {
    auto job = jobs::LoadScheduledJob(file);
    if (!job) return ReportError(job.error());
    scheduled.push_back(std::move(job).value());
  }
  jobs::SystemClock clock;
  jobs::ProcessLauncher launcher;
  jobs::RunSchedule(scheduled, clock, launcher, stop, max_runs, std::cout, std::cerr);
  return kExitOk;
}

int SourcesCheckCommand(const std::string& job_file) {
  auto job = jobs::LoadJob(job_file);
  if (!job) return ReportError(job.error());
  jobs::RunOptions options;
  options.dry_run = true;
  auto outcome = jobs::RunJob(*job, options);
  if (!outcome) return ReportError(outcome.error());
  std::cout << outcome->summary << outcome->rejections_text;
  for (const auto& warning : outcome->warnings) std::cout << "Warning: " << warning << "\n";
  if (outcome->rejected_values > 0)
    std::cout << fmt::format("{} {} rejected ({} {}).\n", outcome->rejected_rows,
                             outcome->rejected_rows == 1 ? "row" : "rows", outcome->rejected_values,
                             outcome->rejected_values == 1 ? "value" : "values");
  if (outcome->rejected_values > 0 || !outcome->warnings.empty()) return kExitFindings;
  std::cout << "All sources read with no rejected rows.\n";
  return kExitOk;
}

}  // namespace vigil::app
