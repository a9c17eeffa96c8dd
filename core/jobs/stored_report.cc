#include "jobs/stored_report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "jobs/report_history.h"
#include "jobs/report_output.h"
#include "jobs/run_report.h"
#include "jobs/store_sink.h"
#include "jobs/stored_pack.h"

namespace vigil::jobs {
namespace fs = std::filesystem;

Result<StoredReport> LoadRunReport(store::Store& store, std::int64_t run_id) {
  VIGIL_ASSIGN_OR_RETURN(auto run, store.GetRun(run_id));
  if (!run) return Fail(ErrorCode::kNotFound, fmt::format("the store {} has no run {}", store.path(), run_id));
  if (run->status != "succeeded")
    return Fail(ErrorCode::kNotFound,
                fmt::format("run {} of job '{}' {}: it has no reports to render", run_id, run->job, run->status));
  auto settings = nlohmann::json::parse(run->settings, nullptr, false);
  if (!settings.is_object())
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("run {} of job '{}' was made by an older Vigil, which did not keep everything its "
                            "reports need; run its period again (vigil run JOB --as-of {} --rerun)",
                            run_id, run->job, run->as_of));
  StoredReport stored;
  reports::RunReport& report = stored.report;
  DescribeRun(report, run->job, settings, run->id, run->as_of, run->started_at);
  stored.formats = SettingsFormats(settings);

  auto warnings = nlohmann::json::parse(run->rule_warnings, nullptr, false);
  if (warnings.is_array())
    for (const auto& w : warnings)
      if (w.is_string()) report.rule_warnings.push_back(w.get<std::string>());
  auto inputs = nlohmann::json::parse(run->inputs, nullptr, false);
  if (inputs.is_array())
    for (const auto& entry : inputs) report.sources.push_back(SourceFromJson(entry));
  VIGIL_ASSIGN_OR_RETURN(report.rejections, store.LoadRejections(run_id, kRejectionsInReport));
  VIGIL_ASSIGN_OR_RETURN(report.rejection_count, store.CountRejections(run_id));

  std::optional<store::PeriodRun> previous;
  if (run->previous_run > 0) {
    VIGIL_ASSIGN_OR_RETURN(auto compared, store.GetRun(run->previous_run));
    if (compared) previous = store::PeriodRun{compared->id, compared->as_of};
  }
  auto packs = nlohmann::json::parse(run->rule_packs, nullptr, false);
  if (packs.is_array()) {
    for (const auto& p : packs) {
      std::string name = p.is_object() ? p.value("name", std::string()) : std::string();
      VIGIL_ASSIGN_OR_RETURN(auto pack, LoadRunPack(store, run_id, name));
      reports::PackReport section = DescribePack(*pack);
      VIGIL_ASSIGN_OR_RETURN(auto outcomes, store.LoadOutcomes(run_id, name));
      for (const auto& o : outcomes) section.outcomes.push_back(OutcomeFromStore(o, section));
      reports::Finalise(section);
      report.packs.push_back(std::move(section));
    }
  }
  // The same comparison and history as the run made (report_history.h).
  if (previous) VIGIL_RETURN_IF_ERROR(CompareWithRun(store, run_id, previous->id, report));
  VIGIL_RETURN_IF_ERROR(AddHistory(store, run_id, SettingsSources(settings), report));
  return stored;
}

Result<fs::path> RenderStoredRun(store::Store& store, std::int64_t run_id, const fs::path& output) {
  VIGIL_ASSIGN_OR_RETURN(StoredReport stored, LoadRunReport(store, run_id));
  VIGIL_ASSIGN_OR_RETURN(RunFolder folder, RunFolder::Begin(output, run_id));
  VIGIL_RETURN_IF_ERROR(WriteReports(stored.report, stored.formats, stored.report.split_by, folder.partial()));
  VIGIL_RETURN_IF_ERROR(folder.Publish());
  return folder.final_path();
}

Result<ShownRun> ShowRunAsLatest(store::Store& store, std::int64_t run_id, const fs::path& output) {
  VIGIL_ASSIGN_OR_RETURN(auto run, store.GetRun(run_id));
  if (!run) return Fail(ErrorCode::kNotFound, fmt::format("the store {} has no run {}", store.path(), run_id));
  ShownRun shown;
  std::string current = LatestTarget(output);
  std::error_code ec;
  if (current.rfind(fmt::format("run-{}-", run_id), 0) == 0 && fs::is_directory(output / current, ec) &&
      FolderHoldsRun(output / current, *run)) {
    shown.folder = output / current;  // latest already shows it
    return shown;
  }
  if (auto existing = FindRunFolder(output, *run)) {
    shown.folder = *existing;
  } else {
    VIGIL_ASSIGN_OR_RETURN(shown.folder, RenderStoredRun(store, run_id, output));
    shown.rendered = true;
  }
  VIGIL_RETURN_IF_ERROR(UpdateLatest(output, shown.folder));
  return shown;
}

}  // namespace vigil::jobs
