// A run's stages once its transaction has begun: ingest every source into the
// store, evaluate every rule pack, compare with the previous run and store the
// results. Any error is returned and the caller rolls the transaction back.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "jobs/job_file.h"
#include "jobs/row_account.h"
#include "jobs/run_job.h"
#include "jobs/source_plan.h"
#include "jobs/store_sink.h"
#include "reports/report_model.h"
#include "rules/rule_pack.h"
#include "store/observation_batch.h"
#include "store/store.h"

namespace vigil::jobs {

class Run {
 public:
  Run(const JobSpec& job, const RunOptions& options, store::Store& store, std::string as_of,
      std::vector<std::unique_ptr<rules::RulePack>>& packs);

  // Reads every source through its plugin into the store (a source that
  // fails is skipped when its on_error says so, and named in the report).
  Status Ingest(std::int64_t run_id, const std::vector<SourcePlan>& plans);
  // Runs every rule pack over the entities of its kind.
  Status Evaluate();
  // Compares each pack's results with `previous` (the previous period's
  // latest succeeded run): counts before, per split_by value too, and which
  // entities changed category and why (CompareWithRun in report_history.h).
  // Reads only; needs the report's run, job, as_of and split_by set.
  Status CompareWithPrevious(const std::optional<store::PeriodRun>& previous);
  // Stores every result with its indicators. Reads the report, writes only
  // the store, so the reports can be rendered meanwhile.
  Status WriteResults(std::int64_t run_id) const;

  reports::RunReport& report() { return report_; }
  // Each source's account as the run records it (run_report.h: SourceJson).
  const nlohmann::json& inputs() const { return inputs_; }
  // Of the evaluate stage, the seconds spent inside the rules; reading the
  // store overlaps them on another thread.
  double rules_seconds() const { return rules_seconds_; }

 private:
  // Writes what every source read into the store in one sorted pass, and
  // reports the values that contradict an earlier one for the same key.
  Status WriteObservations(std::int64_t run_id, std::size_t from = 0);
  Status IngestOne(std::int64_t run_id, const SourcePlan& plan, const SourceSpec& source,
                   reports::SourceReport& report, RowAccount& rows);
  // Sources whose data went nowhere (see OnLoss): a warning in the report,
  // and an error for those whose on_loss is "fail" (not in a dry run).
  Status CheckLosses(const std::vector<SourcePlan>& plans);

  const JobSpec& job_;
  const RunOptions& options_;
  store::Store& store_;
  std::string as_of_;
  std::vector<std::unique_ptr<rules::RulePack>>& packs_;
  reports::RunReport report_;
  nlohmann::json inputs_ = nlohmann::json::array();
  std::vector<RowAccount> accounts_;  // per source of the job
  store::ObservationBatch batch_;
  StoreSink::EntityIds entity_ids_;
  StoreSink::Registers registers_;  // each kind's register in this run
  double rules_seconds_ = 0;  // of the evaluate stage, the time inside the rules
};

}  // namespace vigil::jobs
