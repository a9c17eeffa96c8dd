// The parts of a run's report model that a run builds as it goes and that a
// past run's reports are rebuilt from later (stored_report.h). Both ways use
// these functions, and what a run records is exactly what they read back, so
// a report rendered again from the store is the report written at the time.
// A new piece of the report goes here once: recorded by the run, read back
// for the re-render.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "jobs/job_file.h"
#include "jobs/source_plan.h"
#include "reports/report_model.h"
#include "rules/evaluator.h"
#include "rules/rule_pack.h"
#include "store/store.h"

namespace vigil::jobs {

// The job settings that shape a run's output: the title, the output formats
// and options, every source with its plugin, on_reject, on_error, on_loss and
// settings, and this Vigil's version. Recorded with each run and covered by
// its fingerprint, so a change to any of them makes a new attempt.
nlohmann::json JobSettings(const JobSpec& job);

// The formats and per-value pages the recorded settings ask for.
std::vector<std::string> SettingsFormats(const nlohmann::json& settings);
std::string SettingsSplitBy(const nlohmann::json& settings);
// The names of the sources the recorded settings list, in the job's order.
std::vector<std::string> SettingsSources(const nlohmann::json& settings);

// The report's header: job, title, run, period and page options.
void DescribeRun(reports::RunReport& report, const std::string& job, const nlohmann::json& settings,
                 std::int64_t run_id, const std::string& as_of, const std::string& started_at);

// A pack's section before its entities (reports::DescribePack), with each
// indicator's file as the pack names it, whatever the current folder.
reports::PackReport DescribePack(const rules::RulePack& pack);

// A source's account as the run records it in its `inputs` (with the
// plugin's ABI and each file's size from `plan`, when there is one), and back.
nlohmann::json SourceJson(const reports::SourceReport& source, const SourcePlan* plan);
reports::SourceReport SourceFromJson(const nlohmann::json& json);

// What a result keeps beside its category for the report: the entity as the
// report showed it (name, attributes, report columns) and the override in
// force; and an outcome rebuilt from them, indicators in the pack's order.
std::string ShownJson(const rules::EntityOutcome& outcome);
std::string OverrideJson(const rules::EntityOutcome& outcome);
rules::EntityOutcome OutcomeFromStore(const store::StoredOutcome& stored, const reports::PackReport& pack);

}  // namespace vigil::jobs
