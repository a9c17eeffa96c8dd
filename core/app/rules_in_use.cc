#include "app/rules_in_use.h"

#include <fmt/format.h>

#include "jobs/stored_pack.h"

namespace vigil::app {

Result<std::vector<PackInUse>> PacksOfRun(store::Store& store, const jobs::JobSpec& job,
                                          const store::RunRecord& run) {
  std::vector<PackInUse> packs;
  for (const auto& name : jobs::RunPackNames(run)) {
    auto kept = jobs::LoadRunPack(store, run.id, name);
    if (kept) {
      packs.push_back({std::move(*kept), fmt::format("the rules of run {}", run.id)});
      continue;
    }
    if (kept.error().code != ErrorCode::kNotFound) return Unexpected(kept.error());
    // No copy: the job's folder of the same name, saying that it may have changed since.
    for (const auto& folder : job.rule_packs) {
      auto on_disk = rules::RulePack::Load(folder);
      if (on_disk && (*on_disk)->name() == name) {
        packs.push_back({std::move(*on_disk),
                         fmt::format("{} on disk (run {} kept no copy of its rules)",
                                     rules::DisplayPath(folder), run.id)});
        break;
      }
    }
  }
  return packs;
}

Result<PackInUse> PackOnDisk(const std::string& folder) {
  VIGIL_ASSIGN_OR_RETURN(auto pack, rules::RulePack::Load(folder));
  std::string shown = rules::DisplayPath(pack->folder(), pack->folder());
  return PackInUse{std::move(pack), shown + " on disk"};
}

Result<std::map<std::string, rules::EntityOutcome>> EvaluateAll(rules::RulePack& pack, store::Store& store,
                                                                const std::string& as_of,
                                                                const std::vector<std::string>& sources) {
  std::map<std::string, rules::EntityOutcome> outcomes;
  rules::Evaluator evaluator(pack, store.MeasureNames(), as_of);
  VIGIL_RETURN_IF_ERROR(evaluator.Prepare());
  std::vector<rules::RuleFailure> failures;
  Status status = store.ForEachEntity(pack.kind(), [&](const store::EntityWithHistory& e) -> Status {
    auto outcome = evaluator.Evaluate(e, failures);
    if (outcome && *outcome) outcomes.emplace((*outcome)->entity.key, std::move(**outcome));
    if (!failures.empty() && failures.back().fatal) return Fail(ErrorCode::kRuleFailure, "stopped");
    return Status::Ok();
  }, &sources);
  if (!status.ok() && failures.empty()) return Unexpected(status.error());
  if (!failures.empty())
    return Fail(ErrorCode::kRuleFailure, fmt::format("rule pack {} failed:\n  {}", rules::DisplayPath(pack.folder()),
                                                     rules::SummariseFailures(failures)));
  return outcomes;
}

std::string Label(const rules::RulePack& pack, const std::string& category) {
  return category.empty() ? "(not assessed)" : pack.CategoryLabel(category);
}

}  // namespace vigil::app
