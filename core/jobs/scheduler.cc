#include "jobs/scheduler.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "base/log.h"
#include "base/text.h"
#include "store/store.h"

namespace vigil::jobs {
namespace fs = std::filesystem;

std::string LocalDate(std::time_t t) {
  std::tm local{};
  localtime_r(&t, &local);
  return fmt::format("{:04}-{:02}-{:02}", local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

namespace {

// What a failed run's message may hold at most, for the log and on_failure.
constexpr std::size_t kMaxMessageBytes = 8 * 1024;

// The app blocks SIGINT and SIGTERM in every thread (a signal thread takes
// them); a child must start with them unblocked, or it could not be stopped.
void UnblockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
}

std::string LocalTime(std::time_t t) {
  std::tm local{};
  localtime_r(&t, &local);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M", &local);
  return buffer;
}

// What the first line a run prints says: "Run 12 of job 'x' succeeded…" or
// "Nothing to do: run 9 of job 'x' already covers…".
void ReadRunReport(std::string_view line, Attempt& attempt) {
  auto number_after = [&](std::string_view prefix) -> std::int64_t {
    if (line.rfind(prefix, 0) != 0) return 0;
    std::int64_t id = 0;
    for (char c : line.substr(prefix.size())) {
      if (c < '0' || c > '9') break;
      id = id * 10 + (c - '0');
    }
    return id;
  };
  if (auto id = number_after("Run ")) attempt.run_id = id;
  if (auto id = number_after("Nothing to do: run ")) {
    attempt.run_id = id;
    attempt.unchanged = true;
  }
}

// One due run with the job's retries; returns whether it succeeded. One
// line for the run, whatever the number of attempts.
bool RunWithRetries(const ScheduledJob& job, const std::string& as_of, Clock& clock, Launcher& launcher,
                    const std::atomic<bool>& stop, std::ostream& out) {
  auto log = Logger("schedule");
  Attempt attempt;
  int attempts = 0;
  for (int n = 0; n <= job.spec.retries && !stop.load(); ++n) {
    if (n > 0) {
      log->warn("job={} as_of={} retry={} of={} in_seconds={}", job.spec.name, as_of, n, job.spec.retries,
                job.spec.retry_delay_seconds);
      clock.SleepUntil(clock.Now() + job.spec.retry_delay_seconds, stop);
      if (stop.load()) break;
    }
    log->info("job={} as_of={} start attempt={}", job.spec.name, as_of, n + 1);
    attempt = launcher.Run(job, as_of);
    ++attempts;
    if (attempt.exit_code == 0) {
      // "unchanged": nothing to do, the ledger has this period with the same inputs.
      out << fmt::format("{} job={} as_of={} status={}{}{}\n", LocalTime(clock.Now()), job.spec.name, as_of,
                         attempt.unchanged ? "unchanged" : "succeeded",
                         attempt.run_id ? fmt::format(" run={}", attempt.run_id) : "",
                         attempts > 1 ? fmt::format(" attempts={}", attempts) : "")
          << std::flush;
      return true;
    }
    log->error("job={} as_of={} status=failed exit={} message=\"{}\"", job.spec.name, as_of, attempt.exit_code,
               OneLine(attempt.message));
  }
  // One line per run, with the whole reason (its lines joined by " | ").
  out << fmt::format("{} job={} as_of={} status=failed exit={} attempts={} message=\"{}\"\n", LocalTime(clock.Now()),
                     job.spec.name, as_of, attempt.exit_code, attempts, OneLine(attempt.message))
      << std::flush;
  launcher.OnFailure(job, as_of, attempt);
  return false;
}

// What a person starting the scheduler should know before the first run:
// jobs that share a ledger or a store, and a fixed as_of the scheduler
// overrides with each due date.
void WarnAboutJobs(const std::vector<ScheduledJob>& jobs, std::ostream& warnings) {
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const JobSpec& a = jobs[i].spec;
    for (std::size_t j = i + 1; j < jobs.size(); ++j) {
      const JobSpec& b = jobs[j].spec;
      if (a.name == b.name)
        warnings << fmt::format("warning: {} and {} are both named '{}': their runs share one ledger, so a run "
                                "of one can answer \"nothing to do\" for the other and each compares with the "
                                "other's results; give each job its own name\n",
                                a.file.string(), b.file.string(), a.name);
      if (a.store == b.store)
        warnings << fmt::format("warning: {} and {} share the store {}: their runs take turns and `vigil runs` "
                                "lists both; give each job its own store unless that is what you want\n",
                                a.file.string(), b.file.string(), a.store.string());
    }
    if (a.as_of)
      warnings << fmt::format("warning: {} fixes as_of = \"{}\": the scheduler assesses each run as of its due "
                              "date instead (--as-of), so that setting is ignored here; remove it to silence "
                              "this\n", a.file.string(), *a.as_of);
  }
  warnings << std::flush;
}

}  // namespace

Result<ScheduledJob> LoadScheduledJob(const std::string& file) {
  VIGIL_ASSIGN_OR_RETURN(JobSpec spec, LoadJob(file));
  if (spec.schedule.empty())
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}: no schedule = \"…\" (cron syntax, e.g. \"0 6 * * 1\") in the job", spec.file.string()));
  auto schedule = CronSchedule::Parse(spec.schedule);
  if (!schedule) return Fail(ErrorCode::kInvalidInput, fmt::format("{}: {}", spec.file.string(), schedule.error().message));
  return ScheduledJob{std::move(spec), std::move(schedule).value()};
}

int RunSchedule(const std::vector<ScheduledJob>& jobs, Clock& clock, Launcher& launcher,
                const std::atomic<bool>& stop, int max_runs, std::ostream& out, std::ostream& warnings) {
  auto log = Logger("schedule");
  int runs = 0;
  auto done = [&] { return stop.load() || (max_runs >= 0 && runs >= max_runs); };
  WarnAboutJobs(jobs, warnings);
  std::vector<std::time_t> next(jobs.size(), -1);
  auto say_next = [&](std::size_t i) {
    next[i] = jobs[i].schedule.NextAfter(std::max(next[i], clock.Now()));
    out << fmt::format("{} job={} schedule=\"{}\" next run {}\n", LocalTime(clock.Now()), jobs[i].spec.name,
                       jobs[i].schedule.text(), next[i] == -1 ? "never (no matching time)" : LocalTime(next[i]))
        << std::flush;
  };
  for (std::size_t i = 0; i < jobs.size() && !done(); ++i) {
    // Catch up: a due time missed while we were not running runs once now.
    std::time_t last = jobs[i].schedule.LastAtOrBefore(clock.Now());
    if (last != -1 && !launcher.Succeeded(jobs[i], LocalDate(last))) {
      out << fmt::format("{} job={} catching up the run due at {} (as of {}), missed while the scheduler was "
                         "not running\n", LocalTime(clock.Now()), jobs[i].spec.name, LocalTime(last), LocalDate(last))
          << std::flush;
      RunWithRetries(jobs[i], LocalDate(last), clock, launcher, stop, out);
      ++runs;
    }
    say_next(i);
  }
  while (!done()) {
    std::size_t i = 0;  // the job due first; -1 is never
    for (std::size_t j = 1; j < next.size(); ++j)
      if (next[j] != -1 && (next[i] == -1 || next[j] < next[i])) i = j;
    if (next.empty() || next[i] == -1) {
      log->error("no job has a future due time");
      break;
    }
    clock.SleepUntil(next[i], stop);
    if (stop.load()) break;
    RunWithRetries(jobs[i], LocalDate(next[i]), clock, launcher, stop, out);
    ++runs;
    // If the run (or a suspend) outlasted later due times, they collapse
    // into the next one instead of running back to back.
    say_next(i);
  }
  if (max_runs >= 0 && runs >= max_runs)
    out << fmt::format("{} stopping after {} run{} (--max-runs)\n", LocalTime(clock.Now()), runs,
                       runs == 1 ? "" : "s") << std::flush;
  return runs;
}

std::time_t SystemClock::Now() { return std::time(nullptr); }

void SystemClock::SleepUntil(std::time_t t, const std::atomic<bool>& stop) {
  // Short naps: a signal or a changed wall clock is noticed within a second.
  while (!stop.load() && std::time(nullptr) < t) std::this_thread::sleep_for(std::chrono::seconds(1));
}

Attempt ProcessLauncher::Run(const ScheduledJob& job, const std::string& as_of) {
  Attempt attempt;
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return {3, "cannot create a pipe"};
  // The run's own report ("Run 12 of job … succeeded", a summary line per
  // pack) is read back, so the scheduler says it in its one line per run.
  std::unique_ptr<FILE, int (*)(FILE*)> report(std::tmpfile(), &std::fclose);
  pid_t pid = ::fork();
  if (pid < 0) return {3, "cannot start a run (fork failed)"};
  if (pid == 0) {
    UnblockStopSignals();
    ::dup2(pipe_fds[1], STDERR_FILENO);
    if (report) ::dup2(::fileno(report.get()), STDOUT_FILENO);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    std::string file = job.spec.file.string();
    const char* argv[] = {"vigil", "run", file.c_str(), "--as-of", as_of.c_str(), nullptr};
    ::execv("/proc/self/exe", const_cast<char* const*>(argv));
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  std::string output;
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0) {
    output.append(buffer, static_cast<std::size_t>(n));
    std::cerr.write(buffer, n);  // the run's own log goes where ours goes
  }
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  attempt.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (report) {
    std::rewind(report.get());
    char line[512];
    if (std::fgets(line, sizeof line, report.get()) != nullptr) ReadRunReport(line, attempt);
  }
  if (attempt.exit_code != 0) {
    // The whole reason: from the run's last "vigil: " line to the end of
    // what it printed (a rule pack's failure names file:line, rule and
    // schools on the lines after it), bounded.
    auto at = output.rfind("\nvigil: ");
    at = at == std::string::npos ? (output.rfind("vigil: ", 0) == 0 ? 0 : std::string::npos) : at + 1;
    std::string reason;
    if (at != std::string::npos) {
      reason = output.substr(at + 7);
      while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    }
    if (WIFSIGNALED(status))
      reason += fmt::format("{}killed by signal {} ({})", reason.empty() ? "" : "; ", WTERMSIG(status),
                            strsignal(WTERMSIG(status)));
    attempt.message = Truncate(reason.empty() ? "failed without a message" : reason, kMaxMessageBytes);
  }
  return attempt;
}

bool ProcessLauncher::Succeeded(const ScheduledJob& job, const std::string& as_of) {
  std::error_code ec;
  if (!fs::exists(job.spec.store, ec)) return false;
  auto store = store::Store::Open(job.spec.store.string());
  if (!store) return false;
  auto stmt = store->db().Prepare("SELECT count(*) FROM runs WHERE job = ? AND as_of = ? AND status = 'succeeded'");
  if (!stmt) return false;
  stmt->Bind(1, job.spec.name).Bind(2, as_of);
  auto row = stmt->Step();
  return row && *row && stmt->Int(0) > 0;
}

void ProcessLauncher::OnFailure(const ScheduledJob& job, const std::string& as_of, const Attempt& attempt) {
  if (job.spec.on_failure.empty()) return;
  // The details go in the environment, never spliced into the command.
  std::string message = Printable(attempt.message, true);
  pid_t pid = ::fork();
  if (pid == 0) {
    UnblockStopSignals();
    ::setenv("VIGIL_JOB", job.spec.name.c_str(), 1);
    ::setenv("VIGIL_JOB_FILE", job.spec.file.c_str(), 1);
    ::setenv("VIGIL_AS_OF", as_of.c_str(), 1);
    ::setenv("VIGIL_EXIT_CODE", std::to_string(attempt.exit_code).c_str(), 1);
    ::setenv("VIGIL_MESSAGE", message.c_str(), 1);
    ::execl("/bin/sh", "sh", "-c", job.spec.on_failure.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  if (pid > 0) ::waitpid(pid, &status, 0);
  if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    Logger("schedule")->error("job={} on_failure command failed", job.spec.name);
}

}  // namespace vigil::jobs
