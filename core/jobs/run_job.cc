#include "jobs/run_job.h"

#include <unistd.h>

#include <filesystem>
#include <future>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/dates.h"
#include "base/last_words.h"
#include "base/log.h"
#include "base/text.h"
#include "jobs/report_history.h"
#include "jobs/report_output.h"
#include "jobs/run_lock.h"
#include "jobs/run_report.h"
#include "jobs/run_stages.h"
#include "jobs/run_support.h"
#include "jobs/source_plan.h"
#include "jobs/stored_pack.h"
#include "jobs/stored_report.h"
#include "plugin_host/plugin_registry.h"
#include "rules/rule_pack.h"
#include "store/store.h"

namespace vigil::jobs {
namespace fs = std::filesystem;

namespace {

std::string CountsLine(const reports::PackReport& pack) {
  std::string line = fmt::format("{}: {} {}", pack.name, pack.outcomes.size(),
                                 pack.outcomes.size() == 1 ? pack.noun : pack.nouns);
  for (const auto& c : pack.categories) line += fmt::format(", {} {}", pack.counts.at(c.id), c.label);
  return line;
}

// Rows with a rejected value, and rejections that name no row.
std::uint64_t RejectedRows(const reports::RunReport& report) {
  std::uint64_t rows = 0, values_in_rows = 0;
  for (const auto& s : report.sources)
    for (const auto& f : s.rows) rows += f.rejected;
  for (const auto& r : report.rejections) values_in_rows += r.line > 0 && !r.file.empty() ? 1 : 0;
  // Rejections without a file and line (e.g. a malformed record) count as rows.
  std::uint64_t without_row = report.rejections.size() - values_in_rows;
  return rows + without_row;
}

// "source ks2: 9 entities, 300 values stored, 5 values rejected; ks2.csv: 120 rows read: 100 stored,
// 15 skipped (15 filtered (filters)), 5 rejected".
std::string SourceSummary(const reports::SourceReport& s) {
  std::string line = fmt::format("source {}: {} entities, {} values stored, {} values rejected{}", s.name,
                                 s.entities, s.observations, s.rejections,
                                 s.skipped ? " (skipped: " + s.skip_reason + ")" : "");
  for (const auto& f : s.rows)
    if (f.counted) line += fmt::format("; {}: {}", f.file, reports::RowsText(f));
  return line + "\n";
}

// The most of a failure's message the run history keeps: a run that failed
// on thousands of entities says so in its first lines.
constexpr std::size_t kMaxRunMessageBytes = 16 * 1024;

void RecordFailure(store::Store& store, store::RunRecord record, const char* stage, const Error& error) {
  record.finished_at = NowIso();
  record.status = "failed";
  record.message = Truncate(fmt::format("{}: {}", stage, error.message), kMaxRunMessageBytes);
  Status recorded = store.RecordFailedRun(record);
  if (!recorded.ok()) Logger("run")->error("cannot record the failed run: {}", recorded.error().message);
}

bool Cancelled(const RunOptions& options) { return options.cancel != nullptr && options.cancel->load(); }

Error CancelledError() {
  return Error{ErrorCode::kIo, "the run was cancelled (SIGTERM or Ctrl-C) before it finished; nothing was written"};
}

// While a run holds its store, what the process says if it must end at once.
class LastWordsScope {
 public:
  LastWordsScope(const fs::path& store, const std::string& job, const std::string& as_of) {
    nlohmann::json context = {{"job", job}, {"as_of", as_of}, {"started_at", NowIso()},
                              {"pid", ::getpid()}, {"stage", "run"}};
    SetLastWordsFile(StoppedMarker(store), JsonLine(context));
  }
  ~LastWordsScope() { ClearLastWordsFile(); }
  LastWordsScope(const LastWordsScope&) = delete;
  LastWordsScope& operator=(const LastWordsScope&) = delete;
};

Result<RunOutcome> RunJobOnce(const JobSpec& job, const RunOptions& options, const std::string& as_of);

// Points `latest` at the newest period's latest succeeded run (rendering its
// reports from the store when `output` lacks them) and says so in `outcome`.
Status ShowNewestPeriod(store::Store& store, const std::string& job, const fs::path& output, RunOutcome& outcome) {
  VIGIL_ASSIGN_OR_RETURN(auto newest, store.LatestSucceededRun(job));
  if (!newest) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(auto run, store.GetRun(*newest));
  VIGIL_ASSIGN_OR_RETURN(ShownRun shown, ShowRunAsLatest(store, *newest, output));
  outcome.latest = output / "latest";
  outcome.latest_run = *newest;
  outcome.latest_as_of = run ? run->as_of : "";
  if (*newest == outcome.run_id) outcome.rendered_again = shown.rendered;
  return Status::Ok();
}

}  // namespace

rules::Limits RuleLimits(const JobSpec& job, const RunOptions& options) {
  rules::Limits limits = job.limits;
  if (options.memory_limit_mb) limits.max_memory_bytes = *options.memory_limit_mb << 20;
  if (options.instruction_limit) limits.max_instructions = *options.instruction_limit;
  return limits;
}

Result<RunOutcome> RunJob(const JobSpec& job, const RunOptions& options) {
  std::string as_of = options.as_of.value_or(job.as_of.value_or(Today().Iso()));
  if (!ParseIsoDate(as_of))
    return Fail(ErrorCode::kInvalidInput, fmt::format("--as-of \"{}\" is not a date like 2023-11-30", as_of));
  if (job.rule_packs.empty() && !options.dry_run)
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}: the job has no [[rules]] table with pack = \"folder\", so a run has nothing to "
                            "assess (`vigil sources check` reads its sources without one)", job.file.string()));
  std::string started_at = NowIso();
  try {
    return RunJobOnce(job, options, as_of);
  } catch (const std::exception& e) {
    // Whatever threw has unwound: the transaction rolled back and the lock
    // is free, so the failure is recorded on its own.
    Error error{ErrorCode::kInternal, fmt::format("internal error: {} (the run was stopped and nothing was "
                                                  "written; please report this)", e.what())};
    if (!options.dry_run) {
      store::RunRecord record;
      record.job = job.name;
      record.as_of = as_of;
      record.started_at = started_at;
      record.finished_at = NowIso();
      record.message = "run: " + error.message;
      Status recorded = RecordFailedRunLater(options.store.value_or(job.store), record);
      if (!recorded.ok()) Logger("run")->error("cannot record the failed run: {}", recorded.error().message);
    }
    return Unexpected(error);
  }
}

namespace {

Result<RunOutcome> RunJobOnce(const JobSpec& job, const RunOptions& options, const std::string& as_of) {
  auto log = Logger("run");
  fs::path store_path = options.dry_run ? fs::path(":memory:") : options.store.value_or(job.store);
  fs::path output = options.output.value_or(job.output);

  std::optional<RunLock> lock;
  if (!options.dry_run) {
    // Before anything is created: no lock file in a data folder, no data
    // file taken for a store.
    VIGIL_RETURN_IF_ERROR(CheckWritePlaces(job, store_path, output));
    VIGIL_RETURN_IF_ERROR(MakeFolder(store_path.parent_path()));
    VIGIL_ASSIGN_OR_RETURN(RunLock acquired, RunLock::Acquire(store_path));
    lock.emplace(std::move(acquired));
  }
  VIGIL_ASSIGN_OR_RETURN(store::Store store, store::Store::Open(store_path.string()));
  std::optional<LastWordsScope> last_words;
  if (!options.dry_run) {
    RecordEarlierCrash(store, store_path, job.name);
    last_words.emplace(store_path, job.name, as_of);
  }

  plugin_host::PluginRegistry registry;
  registry.Discover(plugin_host::DefaultPluginFolders(job.plugin_folders));
  for (const auto& [name, plugin] : registry.plugins())
    log->info("plugin={} version={} abi={} file={}", name, plugin->version(), plugin->abi(),
              plugin->path().string());
  // A broken library in a shared plugin folder is this run's business only
  // when it may be a plugin the job names; `vigil plugins` lists them all.
  for (const auto& source : job.sources)
    for (const auto& problem : registry.ProblemsFor(source.plugin))
      log->warn("source={} plugin problem: {}", source.name, problem.message);

  // A run that fails before its transaction begins is recorded all the same.
  auto fail_early = [&](const Error& error, const char* stage) -> Unexpected {
    if (!options.dry_run) {
      store::RunRecord early;
      early.job = job.name;
      early.as_of = as_of;
      early.started_at = NowIso();
      RecordFailure(store, early, stage, error);
    }
    return Unexpected(error);
  };

  // Rules load before any data moves, so a broken pack fails fast.
  std::vector<std::unique_ptr<rules::RulePack>> packs;
  nlohmann::json pack_info = nlohmann::json::array();
  if (!options.dry_run) {
    for (const auto& folder : job.rule_packs) {
      auto pack = rules::RulePack::Load(folder, RuleLimits(job, options));
      if (!pack) return fail_early(pack.error(), "rules");
      for (const auto& other : packs)
        if (other->name() == (*pack)->name())
          return fail_early(Error{ErrorCode::kInvalidInput,
                                  fmt::format("{}: rule packs {} and {} are both named '{}'; results are kept "
                                              "by pack name, so each needs its own", job.file.string(),
                                              other->folder().string(), folder.string(), other->name())},
                            "rules");
      log->info("rules={} indicators={} sha256={}", (*pack)->name(), (*pack)->indicators().size(), (*pack)->hash());
      pack_info.push_back({{"name", (*pack)->name()}, {"folder", folder.string()}, {"sha256", (*pack)->hash()}});
      (*pack)->sandbox().SetCancel(options.cancel);
      packs.push_back(std::move(pack).value());
    }
  }
  if (Cancelled(options)) return fail_early(CancelledError(), "rules");

  std::vector<SourcePlan> plans;
  for (const auto& source : job.sources) plans.push_back(PlanSource(job, registry, source));
  if (Cancelled(options)) return fail_early(CancelledError(), "ingest");
  nlohmann::json settings = JobSettings(job);
  std::string fingerprint = Fingerprint(as_of, JsonLine(settings), packs, plans);
  if (!options.dry_run && !options.rerun) {
    VIGIL_ASSIGN_OR_RETURN(auto done, store.FindSucceededRun(job.name, as_of, fingerprint));
    if (done) {
      // Nothing to do, and `latest` says so: it shows the run that covers
      // this period, rendered again from the store if this folder lacks it.
      RunOutcome outcome;
      outcome.as_of = as_of;
      outcome.unchanged = true;
      outcome.run_id = *done;
      VIGIL_RETURN_IF_ERROR(ShowNewestPeriod(store, job.name, output, outcome));
      if (outcome.latest_run == *done) {
        outcome.report_folder = output / LatestTarget(output);
      } else {
        VIGIL_ASSIGN_OR_RETURN(auto run, store.GetRun(*done));
        if (run) outcome.report_folder = FindRunFolder(output, *run).value_or(fs::path());
      }
      log->info("run={} unchanged=true as_of={} reports={} rendered_again={} latest_run={}", *done, as_of,
                outcome.report_folder.string(), outcome.rendered_again, outcome.latest_run);
      return outcome;
    }
  }

  store::RunRecord record;
  record.fingerprint = fingerprint;
  record.job = job.name;
  record.as_of = as_of;
  record.started_at = NowIso();
  record.rule_packs = JsonLine(pack_info);
  record.settings = JsonLine(settings);

  std::optional<RunFolder> folder;
  std::optional<store::Transaction> tx;
  auto fail = [&](const Error& error, const char* stage) -> Unexpected {
    tx.reset();  // roll back everything this run wrote
    folder.reset();  // and remove its unfinished reports
    if (!options.dry_run) RecordFailure(store, record, stage, error);
    return Unexpected(error);
  };

  RunOutcome outcome;
  outcome.as_of = as_of;
  Run run(job, options, store, as_of, packs);
  {
    VIGIL_ASSIGN_OR_RETURN(store::Transaction begun, store::Transaction::Begin(store.db()));
    tx.emplace(std::move(begun));
    VIGIL_ASSIGN_OR_RETURN(record.id, store.BeginRun(job.name, as_of, record.started_at, fingerprint));
    for (const auto& pack : packs) {
      Status kept = SaveRunPack(store, record.id, *pack);
      if (!kept.ok()) return fail(kept.error(), "record");
    }
    Stopwatch stopwatch;
    RunTimings& timings = outcome.timings;
    Status status = run.Ingest(record.id, plans);
    if (!status.ok()) return fail(status.error(), "ingest");
    timings.ingest = stopwatch.Lap();
    log->debug("stage=ingest peak_memory_mb={}", PeakMemoryMb());
    for (const auto& s : run.report().sources) timings.observations += s.observations;
    record.inputs = JsonLine(run.inputs());
    outcome.rejected_values = run.report().rejection_count;
    outcome.rejected_rows = RejectedRows(run.report());
    for (const auto& s : run.report().sources)
      for (const auto& w : s.warnings) outcome.warnings.push_back(fmt::format("source '{}': {}", s.name, w));
    if (options.dry_run) {
      for (const auto& r : run.report().rejections) {
        std::string where = reports::RowLocation(r.file, r.line);
        outcome.rejections_text += OneLine(fmt::format("{}{}source '{}' field '{}' value '{}': {}", where,
                                                       where.empty() ? "" : ": ", r.source, r.field, r.value,
                                                       r.reason)) + "\n";
      }
      for (const auto& s : run.report().sources)
        outcome.summary += SourceSummary(s);
      return outcome;  // the in-memory store vanishes; nothing was written
    }
    if (Cancelled(options)) return fail(CancelledError(), "ingest");
    status = run.Evaluate();
    if (!status.ok()) return fail(Cancelled(options) ? CancelledError() : status.error(), "evaluate");
    timings.evaluate = stopwatch.Lap();
    timings.evaluate_rules = run.rules_seconds();
    log->debug("stage=evaluate peak_memory_mb={}", PeakMemoryMb());
    for (const auto& pack : run.report().packs)
      for (const auto& o : pack.outcomes) timings.evaluations += o.indicators.size();
    reports::RunReport& report = run.report();
    DescribeRun(report, job.name, settings, record.id, as_of, record.started_at);
    auto previous = store.PreviousPeriodRun(job.name, as_of, record.id);
    if (!previous) return fail(previous.error(), "record");
    if (*previous) record.previous_run = (*previous)->id;
    status = run.CompareWithPrevious(*previous);
    if (!status.ok()) return fail(status.error(), "record");
    // The trend across periods and each entity's history, from the store
    // as this run found it (report_history.h: a re-render reads the same).
    status = AddHistory(store, record.id, job.SourceNames(), report);
    if (!status.ok()) return fail(status.error(), "report");

    auto begun_folder = RunFolder::Begin(output, record.id);
    if (!begun_folder) return fail(begun_folder.error(), "report");
    folder.emplace(std::move(begun_folder).value());
    // The results go into the store while the reports are rendered and
    // written on another thread: neither changes what the other reads.
    auto rendering = std::async(std::launch::async, [&] {
      return WriteReports(report, job.formats, job.split_by, folder->partial());
    });
    status = run.WriteResults(record.id);
    timings.record = stopwatch.Lap();
    auto outputs = rendering.get();
    if (!status.ok()) return fail(status.error(), "record");
    if (!outputs) return fail(outputs.error(), "report");
    if (Cancelled(options)) return fail(CancelledError(), "report");
    timings.reports = stopwatch.Lap();
    log->debug("stage=reports peak_memory_mb={}", PeakMemoryMb());

    record.finished_at = NowIso();
    record.status = "succeeded";
    record.outputs = JsonLine(*outputs);
    record.rule_warnings = JsonLine(nlohmann::json(report.rule_warnings));
    for (const auto& pack : report.packs) {
      outcome.entities_assessed += pack.outcomes.size();
      outcome.summary += (outcome.summary.empty() ? "" : "\n") + CountsLine(pack);
    }
    record.message = outcome.summary;
    status = store.FinishRun(record);
    if (!status.ok()) return fail(status.error(), "record");
    status = tx->Commit();
    if (!status.ok()) return fail(status.error(), "commit");
    timings.commit = stopwatch.Lap();

    outcome.run_id = record.id;
    if (auto stored = store.GetRun(record.id); stored && *stored) outcome.attempt = (*stored)->attempt;
    outcome.report_folder = folder->final_path();
    if (Status moved = folder->Publish(); !moved.ok())
      return Context(moved.error(), fmt::format("run {} is recorded but its reports are not in place", record.id));
    VIGIL_ASSIGN_OR_RETURN(auto newest, store.LatestSucceededRun(job.name));
    if (newest && *newest == record.id) {
      VIGIL_RETURN_IF_ERROR(UpdateLatest(output, outcome.report_folder));
      outcome.latest = output / "latest";
      outcome.latest_run = record.id;
      outcome.latest_as_of = as_of;
    } else {
      VIGIL_RETURN_IF_ERROR(ShowNewestPeriod(store, job.name, output, outcome));
    }
  }
  const RunTimings& t = outcome.timings;
  log->info("run={} ingest={:.2f}s observations={} evaluate={:.2f}s (rules {:.2f}s) evaluations={} "
            "record={:.2f}s reports={:.2f}s commit={:.2f}s", outcome.run_id, t.ingest, t.observations,
            t.evaluate, t.evaluate_rules, t.evaluations, t.record, t.reports, t.commit);
  log->info("run={} status=succeeded reports={}", outcome.run_id, outcome.report_folder.string());
  return outcome;
}

}  // namespace

}  // namespace vigil::jobs
