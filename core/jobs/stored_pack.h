// The rule packs of past runs: each run keeps the exact files of every pack
// it used (in the store), so `explain`, `diff` and re-rendered reports can use
// the rules a run really had, not whatever the folder holds today.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "jobs/job_file.h"
#include "rules/rule_pack.h"
#include "store/store.h"

namespace vigil::jobs {

// Keeps `pack`'s files with run `run_id` (inside the run's transaction).
Status SaveRunPack(store::Store& store, std::int64_t run_id, const rules::RulePack& pack);

// Loads pack `pack_name` as run `run_id` had it. The copy is checked against
// the hash the run recorded. Fails (kNotFound) when the run kept no copy.
Result<std::unique_ptr<rules::RulePack>> LoadRunPack(store::Store& store, std::int64_t run_id,
                                                     const std::string& pack_name);

// The run `vigil explain` and `vigil diff` read by default: the one whose
// reports <output>/latest shows, else the job's newest succeeded run;
// nullopt before the job's first run.
Result<std::optional<store::RunRecord>> RunShownInLatest(store::Store& store, const JobSpec& job);

// The names of the rule packs `run` used, in the job's order.
std::vector<std::string> RunPackNames(const store::RunRecord& run);

}  // namespace vigil::jobs
