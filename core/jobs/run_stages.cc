#include "jobs/run_stages.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include <fmt/format.h>

#include "base/bounded_queue.h"
#include "base/files.h"
#include "base/log.h"
#include "jobs/report_history.h"
#include "jobs/data_losses.h"
#include "jobs/run_lock.h"
#include "jobs/run_report.h"
#include "jobs/run_support.h"
#include "plugin_host/source_session.h"
#include "rules/evaluator.h"

namespace vigil::jobs {
namespace fs = std::filesystem;

namespace {

// How many observations a run holds in memory before writing them to the
// store: VIGIL_INGEST_BATCH_ROWS, else 16 million (at most about 640 MB). Fewer rows
// use less memory; more mean fewer, larger sorted passes over the store.
std::size_t BatchRows() {
  const char* text = std::getenv("VIGIL_INGEST_BATCH_ROWS");
  if (text == nullptr || *text == '\0') return store::ObservationBatch::kDefaultMaxRows;
  char* end = nullptr;
  unsigned long long rows = std::strtoull(text, &end, 10);
  if (*end != '\0' || rows < 1000) {
    Logger("run")->warn("VIGIL_INGEST_BATCH_ROWS=\"{}\" is not a number of at least 1000; using {}", text,
                        store::ObservationBatch::kDefaultMaxRows);
    return store::ObservationBatch::kDefaultMaxRows;
  }
  return static_cast<std::size_t>(rows);
}

}  // namespace

Run::Run(const JobSpec& job, const RunOptions& options, store::Store& store, std::string as_of,
         std::vector<std::unique_ptr<rules::RulePack>>& packs)
    : job_(job), options_(options), store_(store), as_of_(std::move(as_of)), packs_(packs), batch_(BatchRows()) {}

Status Run::Ingest(std::int64_t run_id, const std::vector<SourcePlan>& plans) {
  auto log = Logger("run");
  accounts_.assign(job_.sources.size(), RowAccount{});
  for (std::size_t i = 0; i < job_.sources.size(); ++i) {
    const SourceSpec& source = job_.sources[i];
    reports::SourceReport report;
    report.name = source.name;
    report.plugin = source.plugin;
    std::size_t rejections_before = report_.rejections.size();
    std::uint64_t rejection_count_before = report_.rejection_count;
    Status status = plans[i].status.ok() ? IngestOne(run_id, plans[i], source, report, accounts_[i])
                                         : plans[i].status;
    if (!status.ok()) {
      if (source.on_error == OnError::kFail) return status;
      log->warn("source={} skipped=true reason=\"{}\"", source.name, status.error().message);
      report.skipped = true;
      report.skip_reason = status.error().message;
      // A skipped source leaves nothing behind: its rejected rows went with
      // its savepoint, so the report does not list them either.
      report_.rejections.resize(rejections_before);
      report_.rejection_count = rejection_count_before;
      accounts_[i] = RowAccount{};  // what it had read was rolled back
    }
    report_.sources.push_back(std::move(report));
  }
  VIGIL_RETURN_IF_ERROR(WriteObservations(run_id));
  // Every row's outcome is known once the last conflicts are found, and the
  // counts go with the run's recorded inputs so a later report shows them.
  for (std::size_t i = 0; i < report_.sources.size(); ++i) report_.sources[i].rows = accounts_[i].Rows();
  Status losses = CheckLosses(plans);
  for (std::size_t i = 0; i < report_.sources.size(); ++i) inputs_.push_back(SourceJson(report_.sources[i], &plans[i]));
  return losses;
}

Status Run::Evaluate() {
  auto log = Logger("run");
  for (auto& pack : packs_) {
    rules::Evaluator evaluator(*pack, store_.MeasureNames(), as_of_);
    VIGIL_RETURN_IF_ERROR(evaluator.Prepare());
    reports::PackReport report = DescribePack(*pack);
    std::vector<rules::RuleFailure> failures;
    bool fatal = false;
    std::vector<std::string> sources = job_.SourceNames();
    // Reading histories from the store and running the rules overlap: a
    // reader thread streams entities through a short queue while this
    // thread evaluates them. Only the reader uses the store meanwhile.
    BoundedQueue<store::EntityWithHistory> queue(64);
    Status read_status;
    std::thread reader([&] {
      try {  // nothing may escape a thread: it would end the process without a word
        read_status = store_.ForEachEntity(pack->kind(), [&](store::EntityWithHistory& e) -> Status {
          return queue.Push(std::move(e)) ? Status::Ok() : Fail(ErrorCode::kRuleFailure, "stopped");
        }, &sources);
      } catch (const std::exception& e) {
        read_status = Fail(ErrorCode::kInternal, fmt::format("reading the store: {}", e.what()));
      }
      queue.Close();
    });
    // However this scope ends (even by an exception), the reader stops and is joined.
    struct StopReader {
      BoundedQueue<store::EntityWithHistory>& queue;
      std::thread& thread;
      ~StopReader() {
        if (!thread.joinable()) return;
        queue.Cancel();
        thread.join();
      }
    } stop_reader{queue, reader};
    Status status;
    // The pack's whole evaluation has a time budget ([limits] pack_seconds):
    // rules that each stay under the per-call limit cannot add up to hours.
    pack->sandbox().StartBudget(job_.pack_seconds);
    struct EndBudget {
      rules::Sandbox& sandbox;
      ~EndBudget() { sandbox.StartBudget(0); }
    } end_budget{pack->sandbox()};
    Stopwatch pack_time;
    std::size_t evaluated = 0;
    while (auto e = queue.Pop()) {
      Stopwatch rules_time;
      auto outcome = evaluator.Evaluate(*e, failures);
      rules_seconds_ += rules_time.Lap();
      if (outcome && *outcome) report.outcomes.push_back(std::move(**outcome));
      ++evaluated;
      fatal = fatal || (!failures.empty() && failures.back().fatal);
      // Keep going after an ordinary rule error to report all of them at
      // once, but stop at a budget or memory overrun or after many errors.
      if (fatal || failures.size() >= 1000) {
        status = Fail(ErrorCode::kRuleFailure, "stopped");
        queue.Cancel();
        break;
      }
    }
    reader.join();
    if (status.ok()) status = read_status;
    if (!failures.empty()) {
      std::string budget;
      if (pack->sandbox().stopped() == rules::StopReason::kBudget)
        budget = fmt::format(": its time budget ([limits] pack_seconds = {} in the job) ran out after {:.0f} s "
                             "and {} entities (`vigil rules check PACK --job JOB` names the slowest rules)",
                             job_.pack_seconds, pack_time.Lap(), evaluated);
      return Fail(ErrorCode::kRuleFailure,
                  fmt::format("rule pack '{}' failed{}:\n  {}", pack->name(), budget,
                              rules::SummariseFailures(failures)));
    }
    VIGIL_RETURN_IF_ERROR(status);
    // A misspelt measure or attribute makes a rule quietly score nobody: say so.
    for (auto& gap : evaluator.DataGaps(fmt::format("job '{}'", job_.name))) {
      log->warn("{}", gap);
      report_.rule_warnings.push_back(std::move(gap));
    }
    reports::Finalise(report);
    log->info("pack={} entities={}", pack->name(), report.outcomes.size());
    report_.packs.push_back(std::move(report));
  }
  return Status::Ok();
}

Status Run::CompareWithPrevious(const std::optional<store::PeriodRun>& previous) {
  if (!previous) return Status::Ok();
  return CompareWithRun(store_, report_.run_id, previous->id, report_);
}

Status Run::WriteResults(std::int64_t run_id) const {
  for (const auto& pack : report_.packs) {
    for (const auto& o : pack.outcomes) {
      VIGIL_RETURN_IF_ERROR(store_.AddResult(run_id, pack.name, o.entity.id, o.score, o.category,
                                             o.forced_by, o.computed_category, OverrideJson(o), ShownJson(o)));
      for (const auto& i : o.indicators) {
        VIGIL_RETURN_IF_ERROR(store_.AddIndicatorResult(run_id, pack.name, o.entity.id, i.id, i.level,
                                                        i.points, i.reason, JsonLine(nlohmann::json(i.evidence)),
                                                        JsonLine(nlohmann::json(i.thresholds))));
      }
    }
  }
  return Status::Ok();
}

Status Run::WriteObservations(std::int64_t run_id, std::size_t from) {
  auto log = Logger("run");
  std::size_t total = batch_.size() - std::min(from, batch_.size());
  Stopwatch stopwatch;
  auto conflicts = batch_.WriteTo(store_, run_id, from, [&](std::size_t done, std::size_t all) {
    log->info("storing observations progress={:.0f}%", 100.0 * static_cast<double>(done) / static_cast<double>(all));
  });
  if (!conflicts) return Unexpected(conflicts.error());
  log->info("stored observations={} seconds={:.2f} conflicts={}", total, stopwatch.Lap(), conflicts->size());
  for (const auto& c : *conflicts) {
    const SourceSpec* source = nullptr;
    for (const auto& s : job_.sources)
      if (s.name == c.source) source = &s;
    if (source == nullptr) return Fail(ErrorCode::kInternal, "conflict from an unknown source " + c.source);
    VIGIL_ASSIGN_OR_RETURN(auto key, store_.EntityKey(c.entity_id));
    VIGIL_RETURN_IF_ERROR(RecordRejection(
        store_, run_id, *source,
        {c.source, c.file, c.line, c.measure, c.value,
         fmt::format("a second, different value for {} on {} in this source ({} was read first "
                     "and is kept)", key, c.as_of, c.kept)},
        report_.rejections, report_.rejection_count));
    for (std::size_t i = 0; i < report_.sources.size(); ++i) {
      if (report_.sources[i].name != c.source) continue;
      ++report_.sources[i].rejections;
      accounts_[i].Rejected(c.file, c.line);
    }
  }
  return Status::Ok();
}

Status Run::IngestOne(std::int64_t run_id, const SourcePlan& plan, const SourceSpec& source,
                 reports::SourceReport& report, RowAccount& rows) {
  auto log = Logger("run");
  const auto& plugin = plan.plugin;
  const auto settings = plan.PluginSettings();
  report.plugin_version = plugin->version();
  for (const auto& file : plan.files) report.files.emplace_back(file.path, file.sha256);
  // A batch three-quarters full is written before the next source, so that
  // a batch that fills up during a source holds mostly that source's rows.
  if (batch_.size() >= batch_.max_rows() / 4 * 3) VIGIL_RETURN_IF_ERROR(WriteObservations(run_id));
  // A savepoint per source, so a skipped source leaves nothing behind: its
  // rows still in the batch are dropped, those written early are rolled
  // back (only this source's rows are written inside the savepoint).
  VIGIL_RETURN_IF_ERROR(store_.db().Exec("SAVEPOINT source"));
  fs::path marker = options_.dry_run ? fs::path() : CallingMarker(store_.path());
  if (!marker.empty()) {
    nlohmann::json calling = {{"job", job_.name},          {"as_of", as_of_},
                              {"source", source.name},     {"plugin", plugin->name()},
                              {"pid", ::getpid()},         {"started_at", NowIso()}};
    VIGIL_RETURN_IF_ERROR(WriteFileAtomically(marker, JsonLine(calling)));
  }
  std::uint64_t rejections_before = report_.rejection_count;
  std::size_t batch_before = batch_.size();
  auto write_this_source = [&]() -> Status { return WriteObservations(run_id, batch_before); };
  StoreSink sink(store_, batch_, entity_ids_, write_this_source, run_id, source, job_.folder, report_.rejections,
                 report_.rejection_count, rows, options_.cancel);
  sink.UseRegisters(&registers_);
  auto counts = plugin_host::RunSource(*plugin, source.name, settings, sink, plan.PathAliases());
  if (!marker.empty()) {
    std::error_code ec;
    fs::remove(marker, ec);
  }
  // The checksums recorded must describe what the plugin read.
  Status unchanged = counts ? plan.CheckInputsUnchanged() : Status::Ok();
  if (!counts || !unchanged.ok()) {
    (void)store_.db().Exec("ROLLBACK TO source; RELEASE source");
    batch_.Truncate(batch_before);
    entity_ids_.clear();  // entities this source added are gone
    if (options_.cancel && options_.cancel->load())
      return Fail(ErrorCode::kIo, "the run was cancelled");
    return counts ? unchanged : Status(Unexpected(counts.error()));
  }
  VIGIL_RETURN_IF_ERROR(store_.db().Exec("RELEASE source"));
  report.entities = counts->entities;
  report.observations = counts->observations - sink.lost_values();  // those stored
  report.first_date = sink.first_date();
  report.last_date = sink.last_date();
  report.rejections = report_.rejection_count - rejections_before;
  report.lost_values = sink.lost_values();
  if (report.lost_values > 0)
    report.warnings.push_back(LostValuesWarning(source, *plugin, report.lost_values, sink.lost_kind(),
                                                sink.lost_examples()));
  log->info("source={} plugin={} version={} entities={} observations={} rejected={}", source.name,
            plugin->name(), plugin->version(), report.entities, report.observations, report.rejections);
  return Status::Ok();
}

Status Run::CheckLosses(const std::vector<SourcePlan>& plans) {
  std::vector<std::string> kinds;
  for (const auto& pack : packs_) kinds.push_back(pack->kind());
  std::string failures;
  for (std::size_t i = 0; i < report_.sources.size(); ++i) {
    reports::SourceReport& report = report_.sources[i];
    const SourceSpec& source = job_.sources[i];
    if (report.skipped || !plans[i].plugin) continue;
    // (Values lost for want of an entity already have their own warning.)
    if (report.entities == 0 && report.observations == 0 && report.lost_values == 0) {
      const std::string kind = SettingValue(plans[i].settings, "kind");
      bool assessed = kinds.empty() || kind.empty() ||
                      std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
      if (assessed)
        report.warnings.push_back(NothingStoredWarning(kind, report.rows, source.on_loss == OnLoss::kWarn));
    }
    for (const auto& warning : report.warnings) {
      if (source.on_loss == OnLoss::kFail && !options_.dry_run) {
        failures += fmt::format("{}source '{}': {}", failures.empty() ? "" : "\n", source.name, warning);
      } else {
        Logger("run")->warn("source={} {}", source.name, warning);
      }
    }
  }
  if (failures.empty()) return Status::Ok();
  return Fail(ErrorCode::kDataRejected, failures);
}

}  // namespace vigil::jobs
