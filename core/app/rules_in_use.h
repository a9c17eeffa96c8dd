// Which rules `vigil explain` and `vigil diff` evaluate with: by default
// those of the run whose reports `latest` shows (the store keeps each run's
// exact pack files), or a pack folder on disk; and evaluating a pack over the
// job's stored data.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "jobs/job_file.h"
#include "rules/evaluator.h"
#include "rules/rule_pack.h"
#include "store/store.h"

namespace vigil::app {

struct PackInUse {
  std::unique_ptr<rules::RulePack> pack;
  std::string source;  // "the rules of run 12" or "rules/schools on disk", for messages
};

// Every pack `run` used, as it used it. A pack the run kept no copy of (a run
// made by an older Vigil) is loaded from the job's folder, and `source` says so.
Result<std::vector<PackInUse>> PacksOfRun(store::Store& store, const jobs::JobSpec& job,
                                          const store::RunRecord& run);

// A pack folder as it is on disk now.
Result<PackInUse> PackOnDisk(const std::string& folder);

// Each assessed entity of the pack's kind, by key. A rule that fails is an
// error naming the pack, the rule's file:line and the entities.
Result<std::map<std::string, rules::EntityOutcome>> EvaluateAll(rules::RulePack& pack, store::Store& store,
                                                                const std::string& as_of,
                                                                const std::vector<std::string>& sources);

// "Intensive support", or "(not assessed)" for an empty id.
std::string Label(const rules::RulePack& pack, const std::string& category);

}  // namespace vigil::app
