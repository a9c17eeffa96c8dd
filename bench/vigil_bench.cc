// Vigil's benchmarks at England scale, each against a baseline measured in the
// same run on the same data (see bench/README.md and the README's Benchmarks):
//
//   ingest      observations per second through the real plugins into the store,
//               against the same rows inserted into the same schema by a minimal
//               loop (one prepared statement, one transaction), in the order the
//               files give them and, as the floor, already sorted by key;
//   evaluate    rule evaluations per second of the schools pack as `vigil run`
//               does them, against the same rules run by Lua over the same
//               entities already built as Lua tables (no store, no hook, no view);
//   end_to_end  `vigil run` as a child process: wall time and peak memory (max RSS).
//
// Usage: vigil_bench --data DIR [--sizes S,M,L] [--vigil PATH] [benchmark flags]
// DIR/<size>/england.toml must exist (bench/run.sh generates the data and jobs).
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/log.h"
#include "jobs/job_file.h"
#include "jobs/run_job.h"
#include "lua_baseline.h"
#include "rules/evaluator.h"
#include "rules/rule_pack.h"
#include "sqlite_baseline.h"
#include "store/store.h"

namespace fs = std::filesystem;

namespace vigil::bench {
namespace {

struct Options {
  fs::path data;
  std::vector<std::string> sizes = {"S", "M", "L"};
  fs::path vigil;  // the CLI, for the end-to-end runs
};

// What each size measured, for the table printed at the end.
struct Figures {
  std::uint64_t observations = 0, evaluations = 0, entities = 0;
  double ingest_s = 0, evaluate_s = 0, rules_s = 0, reports_s = 0, run_s = 0;
  double baseline_file_order_s = 0, baseline_sorted_s = 0, baseline_lua_s = 0;
  std::uint64_t baseline_lua_evaluations = 0;
  double end_to_end_s = 0;
  long max_rss_kb = 0;
};
std::map<std::string, Figures> figures;

Options options;

fs::path Scratch(const std::string& size) { return options.data / size / "bench-scratch"; }

Result<jobs::JobSpec> Job(const std::string& size) {
  return jobs::LoadJob(options.data / size / "england.toml");
}

void Stop(benchmark::State& state, const std::string& message) {
  state.SkipWithError(message.c_str());
  for (auto _ : state) {
  }
}

// One in-process `vigil run` into a fresh store: its stage timings are the
// ingest and evaluate figures, and its store feeds the baselines.
void VigilRun(benchmark::State& state, const std::string& size) {
  auto job = Job(size);
  if (!job) return Stop(state, job.error().message);
  for (auto _ : state) {
    fs::remove_all(Scratch(size));
    fs::create_directories(Scratch(size));
    jobs::RunOptions run;
    run.store = Scratch(size) / "vigil.sqlite";
    run.output = Scratch(size) / "reports";
    auto start = std::chrono::steady_clock::now();
    auto outcome = jobs::RunJob(*job, run);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!outcome) return Stop(state, outcome.error().message);
    state.SetIterationTime(seconds);
    Figures& f = figures[size];
    f.observations = outcome->timings.observations;
    f.evaluations = outcome->timings.evaluations;
    f.entities = outcome->entities_assessed;
    f.ingest_s = outcome->timings.ingest;
    f.evaluate_s = outcome->timings.evaluate;
    f.rules_s = outcome->timings.evaluate_rules;
    f.reports_s = outcome->timings.reports;
    f.run_s = seconds;
  }
  const Figures& f = figures[size];
  state.counters["observations"] = static_cast<double>(f.observations);
  state.counters["ingest_obs_per_s"] = static_cast<double>(f.observations) / f.ingest_s;
  state.counters["evaluations_per_s"] = static_cast<double>(f.evaluations) / f.evaluate_s;
}

void IngestBaseline(benchmark::State& state, const std::string& size, bool sorted) {
  auto rows = ReadObservations(Scratch(size) / "vigil.sqlite", sorted);
  if (!rows) return Stop(state, rows.error().message);
  for (auto _ : state) {
    auto seconds = InsertMinimalLoop(*rows, Scratch(size) / (sorted ? "sorted.sqlite" : "file-order.sqlite"));
    if (!seconds) return Stop(state, seconds.error().message);
    state.SetIterationTime(*seconds);
    (sorted ? figures[size].baseline_sorted_s : figures[size].baseline_file_order_s) = *seconds;
  }
  state.counters["rows_per_s"] = static_cast<double>(rows->size()) /
                                 (sorted ? figures[size].baseline_sorted_s : figures[size].baseline_file_order_s);
}

void EvaluateBaseline(benchmark::State& state, const std::string& size) {
  auto job = Job(size);
  if (!job) return Stop(state, job.error().message);
  for (auto _ : state) {
    auto result = RunRulesOverLuaTables(*job, Scratch(size) / "vigil.sqlite");
    if (!result) return Stop(state, result.error().message);
    state.SetIterationTime(result->seconds);
    figures[size].baseline_lua_s = result->seconds;
    figures[size].baseline_lua_evaluations = result->evaluations;
  }
  state.counters["evaluations_per_s"] =
      static_cast<double>(figures[size].baseline_lua_evaluations) / figures[size].baseline_lua_s;
}

// `vigil run` as a scheduler would start it, into a fresh store.
void EndToEnd(benchmark::State& state, const std::string& size) {
  for (auto _ : state) {
    fs::path scratch = Scratch(size) / "end-to-end";
    fs::remove_all(scratch);
    fs::create_directories(scratch);
    std::vector<std::string> args = {options.vigil.string(), "--quiet", "run",
                                     (options.data / size / "england.toml").string(),
                                     "--store", (scratch / "vigil.sqlite").string(),
                                     "--out", (scratch / "reports").string()};
    auto start = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid == 0) {
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      int devnull = ::open("/dev/null", O_WRONLY);
      if (devnull >= 0) ::dup2(devnull, STDOUT_FILENO);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    int status = 0;
    struct rusage usage {};
    ::wait4(pid, &status, 0, &usage);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
      return Stop(state, fmt::format("{} exited with status {}", options.vigil.string(), status));
    state.SetIterationTime(seconds);
    figures[size].end_to_end_s = seconds;
    figures[size].max_rss_kb = usage.ru_maxrss;
  }
  state.counters["max_rss_MB"] = static_cast<double>(figures[size].max_rss_kb) / 1024.0;
}

std::string Rate(double per_second) {
  if (per_second >= 1e6) return fmt::format("{:.2f} M/s", per_second / 1e6);
  return fmt::format("{:.0f} k/s", per_second / 1e3);
}

// The table the README quotes: rates, ratios to the baselines, and growth.
void PrintSummary() {
  std::cout << "\n| size | observations | ingest | baseline (file order) | ratio | baseline (sorted) | ratio "
               "| evaluate | baseline (Lua tables) | time ratio | rules alone: time ratio | end to end | max RSS |\n"
               "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  const Figures* first = nullptr;
  std::string first_size;
  std::string growth;
  for (const auto& size : options.sizes) {
    auto it = figures.find(size);
    if (it == figures.end()) continue;
    const Figures& f = it->second;
    double ingest = static_cast<double>(f.observations) / f.ingest_s;
    double file_order = static_cast<double>(f.observations) / f.baseline_file_order_s;
    double sorted = static_cast<double>(f.observations) / f.baseline_sorted_s;
    double per_eval = f.evaluate_s / static_cast<double>(std::max<std::uint64_t>(1, f.evaluations));
    double per_eval_lua = f.baseline_lua_s / static_cast<double>(std::max<std::uint64_t>(1, f.baseline_lua_evaluations));
    double per_eval_rules = f.rules_s / static_cast<double>(std::max<std::uint64_t>(1, f.evaluations));
    std::cout << fmt::format("| {} | {} | {} | {} | {:.0f}% | {} | {:.0f}% | {} | {} | {:.1f}x | {:.1f}x | {:.2f} s | {} MB |\n",
                             size, f.observations, Rate(ingest), Rate(file_order), 100 * ingest / file_order,
                             Rate(sorted), 100 * ingest / sorted, Rate(1 / per_eval), Rate(1 / per_eval_lua),
                             per_eval / per_eval_lua, per_eval_rules / per_eval_lua, f.end_to_end_s,
                             f.max_rss_kb / 1024);
    if (first == nullptr) {
      first = &f;
      first_size = size;
    } else {
      double data = static_cast<double>(f.observations) / static_cast<double>(first->observations);
      double time = f.end_to_end_s / first->end_to_end_s;
      growth += fmt::format("{}{} / {}: {:.1f}x the observations took {:.1f}x the time ({:.2f} per unit of data)",
                            growth.empty() ? "" : "; ", size, first_size, data, time, time / data);
    }
  }
  if (!growth.empty()) std::cout << "\nGrowth (end to end): " << growth << "\n";
  for (const auto& size : options.sizes) {
    auto it = figures.find(size);
    if (it == figures.end()) continue;
    const Figures& f = it->second;
    std::cout << fmt::format("{}: in-process run {:.2f} s = ingest {:.2f} + evaluate {:.2f} (rules {:.2f}, "
                             "overlapping the store reads) + reports {:.2f} + rest; {} evaluations of {} schools "
                             "(baseline counted {})\n",
                             size, f.run_s, f.ingest_s, f.evaluate_s, f.rules_s, f.reports_s, f.evaluations,
                             f.entities, f.baseline_lua_evaluations);
  }
}

bool ParseOptions(int& argc, char** argv) {
  std::vector<char*> rest = {argv[0]};
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--data") options.data = value();
    else if (a == "--vigil") options.vigil = value();
    else if (a == "--sizes") {
      options.sizes.clear();
      std::string list = value();
      for (std::size_t start = 0; start <= list.size();) {
        auto comma = list.find(',', start);
        if (comma == std::string::npos) comma = list.size();
        if (comma > start) options.sizes.push_back(list.substr(start, comma - start));
        start = comma + 1;
      }
    } else rest.push_back(argv[i]);
  }
  for (std::size_t i = 0; i < rest.size(); ++i) argv[i] = rest[i];
  argc = static_cast<int>(rest.size());
  if (options.data.empty()) {
    std::cerr << "usage: vigil_bench --data DIR [--sizes S,M,L] [--vigil PATH] [benchmark flags]\n";
    return false;
  }
  if (options.vigil.empty()) {
    std::error_code ec;
    options.vigil = fs::read_symlink("/proc/self/exe", ec).parent_path() / "vigil";
  }
  return true;
}

}  // namespace
}  // namespace vigil::bench

int main(int argc, char** argv) {
  using namespace vigil::bench;
  if (!ParseOptions(argc, argv)) return 2;
  vigil::ConfigureLogging(spdlog::level::warn, vigil::LogFormat::kText);
  for (const auto& size : options.sizes) {
    auto once = [](benchmark::internal::Benchmark* b) {
      b->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);
    };
    once(benchmark::RegisterBenchmark(("vigil_run/" + size).c_str(), VigilRun, size));
    once(benchmark::RegisterBenchmark(("ingest_baseline_file_order/" + size).c_str(), IngestBaseline, size, false));
    once(benchmark::RegisterBenchmark(("ingest_baseline_sorted/" + size).c_str(), IngestBaseline, size, true));
    once(benchmark::RegisterBenchmark(("evaluate_baseline_lua/" + size).c_str(), EvaluateBaseline, size));
    once(benchmark::RegisterBenchmark(("end_to_end/" + size).c_str(), EndToEnd, size));
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  PrintSummary();
  return 0;
}
