// vigil: the command-line entry point. Parses arguments, configures logging
// (the only place that does) and dispatches to a command.
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <exception>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/commands.h"
#include "base/last_words.h"
#include "base/log.h"
#include "base/printable_stream.h"
#include "base/text.h"

namespace {

std::atomic<bool> g_cancel{false};

// How long a cancelled run has to stop and record itself before the
// process ends regardless.
constexpr int kStopGraceSeconds = 30;

// Ends the process at once, saying why on stderr and in the run's last
// words (the next start records the run as failed).
[[noreturn]] void EndNow(const std::string& reason) {
  std::string text = vigil::Printable(reason);
  vigil::WriteLastWords(text);
  std::string line = "vigil: " + text + "\n";
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
  ::_exit(vigil::app::kExitFailure);
}

// SIGINT and SIGTERM are taken by a thread of their own (sigwait), so what
// they start is ordinary code, not a signal handler. For `run` and
// `schedule` the first asks the work to stop (a run stops at the next step,
// rolls back and is recorded as failed); a second signal, or a run still
// going kStopGraceSeconds later, ends the process at once. Other commands
// only read, and end at once.
void HandleSignals(bool cooperative, bool grace) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  std::thread([set, cooperative, grace] {
    int signal = 0;
    if (sigwait(&set, &signal) != 0) return;
    const char* name = signal == SIGINT ? "SIGINT" : "SIGTERM";
    if (!cooperative) EndNow(fmt::format("stopped by {}", name));
    g_cancel.store(true);
    if (grace) {
      std::thread([name] {
        std::this_thread::sleep_for(std::chrono::seconds(kStopGraceSeconds));
        EndNow(fmt::format("stopped by {}: the run did not stop within {} s and was ended; nothing was "
                           "written", name, kStopGraceSeconds));
      }).detach();
    }
    if (sigwait(&set, &signal) != 0) return;
    EndNow(fmt::format("stopped by a second {} before the run could finish stopping; nothing was written",
                       signal == SIGINT ? "SIGINT" : "SIGTERM"));
  }).detach();
}

// An exception nobody caught (on any thread): a message, the run's last
// words, and exit code 3, never an abort.
[[noreturn]] void OnTerminate() {
  std::string what = "an unknown exception";
  if (auto current = std::current_exception()) {
    try {
      std::rethrow_exception(current);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
  }
  EndNow(fmt::format("internal error: {} (the run was stopped and nothing was written; please report this)", what));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace vigil::app;
  std::set_terminate(&OnTerminate);
  // Block the stop signals before any thread starts, so that only the
  // signal thread (HandleSignals) ever receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  vigil::PrintableStream clean_out(std::cout), clean_err(std::cerr);
  CLI::App cli{"Vigil: which schools need help, and why.\n"
               "Reads data through plugins, applies Lua rule packs, writes reports."};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", VIGIL_VERSION);
  bool quiet = false;
  int verbose = 0;
  std::string log_format = "text";
  cli.add_flag("-q,--quiet", quiet, "Only warnings and errors (the default when not on a terminal)");
  cli.add_flag("-v,--verbose", verbose, "More detail; -vv for trace");
  cli.add_option("--log-format", log_format, "text or json")->check(CLI::IsMember({"text", "json"}));

  RunArgs run_args;
  auto* run = cli.add_subcommand("run", "Run a job once: ingest, evaluate, report, record");
  run->add_option("job", run_args.job, "The job file (TOML)")->required();
  run->add_option("--as-of", run_args.as_of, "Assess as of this date (YYYY-MM-DD); default the job's, else today");
  run->add_option("--out", run_args.out, "Write reports into this folder instead of the job's");
  run->add_option("--store", run_args.store, "Use this SQLite store instead of the job's");
  run->add_flag("--rerun", run_args.rerun,
                "Run even if this period already succeeded with the same inputs and rules (a new attempt)");
  run->add_option("--memory-limit-mb", run_args.memory_limit_mb,
                  "Ceiling for a rule pack's memory_limit_mb (default: the job's [limits], else 1024)")
      ->check(CLI::Range(16, 65536));
  run->add_option("--instruction-limit", run_args.instruction_limit,
                  "Ceiling for a rule pack's instruction_limit (default: the job's [limits], else 100000000)")
      ->check(CLI::Range(1000.0, 1e11));

  auto* schedule = cli.add_subcommand("schedule", "Stay up and run jobs when their schedule says (cron syntax)");
  std::vector<std::string> schedule_jobs;
  int max_runs = -1;
  bool schedule_once = false;
  schedule->add_option("jobs", schedule_jobs, "Job files with schedule = \"…\"")->required();
  auto* max_runs_option = schedule->add_option(
      "--max-runs", max_runs, "Stop after this many runs, caught up or scheduled (default: run until stopped)");
  schedule->add_flag("--once", schedule_once,
                     "Stop after one run (the same as --max-runs 1): to try a schedule out")
      ->excludes(max_runs_option);

  auto* sources = cli.add_subcommand("sources", "Data sources");
  sources->require_subcommand(1);
  std::string check_job;
  auto* sources_check = sources->add_subcommand("check", "Read every source of a job and report rejected rows, writing nothing");
  sources_check->add_option("job", check_job, "The job file")->required();

  auto* plugins = cli.add_subcommand("plugins", "List the plugins found, or describe one");
  std::string plugins_job;
  plugins->add_option("--job", plugins_job, "Also search the plugin folders this job names");
  std::optional<std::string> plugin_name;
  auto* plugins_info = plugins->add_subcommand("info", "A plugin's version, ABI and settings");
  plugins_info->add_option("name", plugin_name, "The plugin's name")->required();
  plugins_info->add_option("--job", plugins_job, "Also search the plugin folders this job names");

  auto* rules = cli.add_subcommand("rules", "Rule packs");
  rules->require_subcommand(1);
  std::string pack;
  std::string rules_job;
  auto* rules_check = rules->add_subcommand("check", "Load a rule pack and report errors with file:line");
  rules_check->add_option("pack", pack, "The rule pack folder")->required();
  rules_check->add_option("--job", rules_job,
                          "Also evaluate on this job's stored data: unknown measures, rules near their budget");
  auto* rules_test = rules->add_subcommand("test", "Run the pack's own tests (tests/*.lua)");
  rules_test->add_option("pack", pack, "The rule pack folder")->required();
  std::string test_pattern;
  bool test_coverage = false;
  rules_test->add_option("-r,--run", test_pattern, "Run only the tests whose name matches this pattern");
  rules_test->add_flag("--coverage", test_coverage,
                       "Also list the indicators, and the levels of each, that no test reaches");

  auto* diff = cli.add_subcommand("diff", "What would change if the rules changed: categories, scores, indicators");
  DiffArgs diff_args;
  diff->add_option("job", diff_args.job, "The job file (its store holds the data)")->required();
  diff->add_option("--rules", diff_args.packs,
                   "OLD then NEW rule pack folders; one: NEW against the last run's rules; "
                   "none: the job's packs on disk against the last run's rules")
      ->expected(1, 2)->take_all();
  diff->add_option("--as-of", diff_args.as_of, "Assess as of this date (YYYY-MM-DD); default the last run's");
  diff->add_option("--store", diff_args.store, "Read this store instead of the job's");
  diff->add_option("--csv", diff_args.csv, "Also write every change to this CSV file");
  diff->add_option("--html", diff_args.html, "Also write the comparison as a self-contained HTML page");

  auto* runs = cli.add_subcommand("runs", "Run history of a job's store");
  std::string runs_job;
  std::optional<std::string> runs_store;
  int runs_limit = 20;
  runs->add_option("job", runs_job, "The job file")->required();
  runs->add_option("--store", runs_store, "Read this store instead of the job's");
  runs->add_option("--limit", runs_limit, "How many runs to list")->check(CLI::PositiveNumber);
  std::optional<long long> show_id;
  bool show_json = false;
  auto* runs_show = runs->add_subcommand("show", "One run in full: inputs, what changed, rule packs, outputs");
  runs_show->add_option("id", show_id, "The run id")->required();
  runs_show->add_flag("--json", show_json, "As JSON, for machines");

  ReportArgs report_args;
  auto* report = cli.add_subcommand("report", "Render a past run's reports again from the store");
  report->add_option("job", report_args.job, "The job file")->required();
  report->add_option("--run", report_args.run, "The run id (default: the job's latest succeeded run)");
  report->add_option("--out", report_args.out, "Write into this folder instead of the job's [output] folder");
  report->add_option("--store", report_args.store, "Read this store instead of the job's");

  auto* explain = cli.add_subcommand("explain", "Why an entity has its category, indicator by indicator");
  ExplainArgs explain_args;
  explain->add_option("job", explain_args.job, "The job file")->required();
  explain->add_option("entity", explain_args.entity, "The entity's key (e.g. a URN) or part of its name")->required();
  explain->add_option("--as-of", explain_args.as_of, "Assess as of this date (YYYY-MM-DD); default the run's");
  explain->add_option("--store", explain_args.store, "Read this store instead of the job's");
  explain->add_option("--rules", explain_args.rules,
                      "Explain with this rule pack folder on disk (default: the rules of the run in `latest`), "
                      "and say how its result differs from the run's");
  explain->add_option("--html", explain_args.html,
                      "Also write the entity's page (indicators, thresholds used, charts, history) to this file");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = cli.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }

  // Quiet unless a person is watching: a scheduled run logs warnings only.
  auto level = isatty(STDERR_FILENO) ? spdlog::level::info : spdlog::level::warn;
  if (quiet) level = spdlog::level::warn;
  if (verbose == 1) level = spdlog::level::debug;
  if (verbose >= 2) level = spdlog::level::trace;
  vigil::ConfigureLogging(level, log_format == "json" ? vigil::LogFormat::kJson : vigil::LogFormat::kText);

  // Whatever umask cron or a unit gives us, never make the store, reports or
  // their folders writable by other users.
  ::umask(::umask(0) | 022);

  HandleSignals(run->parsed() || schedule->parsed(), run->parsed());

  // Nothing escapes main without a message and the right exit code (a run
  // records its own failures, exceptions included).
  try {
    if (*run) return RunCommand(run_args, g_cancel);
    if (*schedule) return ScheduleCommand(schedule_jobs, schedule_once ? 1 : max_runs, g_cancel);
    if (*sources_check) return SourcesCheckCommand(check_job);
    if (*plugins) return PluginsCommand(plugin_name, plugins_job);
    if (*rules_check) return RulesCheckCommand(pack, rules_job);
    if (*rules_test) return RulesTestCommand(pack, test_pattern, test_coverage);
    if (*diff) return DiffCommand(diff_args);
    if (*runs) return RunsCommand(runs_job, runs_store, show_id, show_json, runs_limit);
    if (*report) return ReportCommand(report_args);
    if (*explain) {
      explain_args.show_attributes = verbose > 0;
      return ExplainCommand(explain_args);
    }
  } catch (const std::exception& e) {
    std::cerr << "vigil: internal error: " << e.what() << " (please report this)\n";
    return kExitFailure;
  }
  return kExitUsage;
}
