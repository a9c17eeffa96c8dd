// `vigil explain JOB ENTITY`: one entity's assessment with its evidence, as
// the officer asked "why is this school flagged?" would want it.
#include <iostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "base/dates.h"
#include "base/text.h"
#include "jobs/job_file.h"
#include "rules/evaluator.h"
#include "rules/rule_pack.h"
#include "store/store.h"

namespace vigil::app {
namespace {

std::string ShowObservation(const store::Observation& o) {
  std::string value = o.number ? FormatNumber(*o.number) : "";
  if (!o.text.empty()) value += (value.empty() ? "" : " ") + o.text;
  return fmt::format("{} on {}", value.empty() ? "(empty)" : value, o.as_of);
}

}  // namespace

int ExplainCommand(const std::string& job_file, const std::string& key,
                   const std::optional<std::string>& as_of_arg,
                   const std::optional<std::string>& store_path) {
  auto job = jobs::LoadJob(job_file);
  if (!job) return ReportError(job.error());
  auto store = OpenExistingStore(*job, store_path);
  if (!store) return ReportError(store.error());
  std::string as_of = as_of_arg.value_or(job->as_of.value_or(Today().Iso()));

  bool found = false;
  for (const auto& folder : job->rule_packs) {
    auto pack = rules::RulePack::Load(folder, job->limits);
    if (!pack) return ReportError(pack.error());
    auto sources = job->SourceNames();
    auto entity = store->LoadEntity((*pack)->kind(), key, &sources);
    if (!entity) return ReportError(entity.error());
    if (!*entity) continue;
    found = true;
    rules::Evaluator evaluator(**pack, store->MeasureNames(), as_of);
    if (auto s = evaluator.Prepare(); !s.ok()) return ReportError(s.error());
    std::vector<rules::RuleFailure> failures;
    auto outcome = evaluator.Evaluate(**entity, failures);
    if (!outcome) {
      std::cerr << rules::SummariseFailures(failures) << "\n";
      return kExitFailure;
    }
    const auto& e = (*entity)->entity;
    if (!*outcome) {
      std::cout << fmt::format("{} {} ({}) is not assessed by rule pack '{}': its pack.lua "
                               "applies() leaves it out.\n", e.kind, e.key, e.name, (*pack)->name());
      continue;
    }
    const rules::EntityOutcome& result = **outcome;
    std::cout << fmt::format("{} {} — {}\nRule pack '{}' as of {}\n", e.kind, e.key, e.name,
                             (*pack)->name(), as_of);
    for (const auto& [name, value] : e.attributes) std::cout << fmt::format("  {}: {}\n", name, value);
    std::cout << "\nIndicators:\n";
    for (const auto& i : result.indicators) {
      std::cout << fmt::format("  {:<28} {:<8} {:>5} points  {}\n", i.id, i.level, FormatNumber(i.points),
                               i.reason);
      for (const auto& measure : i.evidence) {
        std::string shown;
        int count = 0;
        for (auto it = (*entity)->observations.rbegin(); it != (*entity)->observations.rend(); ++it) {
          if (store->MeasureNames()[it->measure] != measure) continue;
          if (++count > 3) { shown += ", …"; break; }
          shown += (shown.empty() ? "" : ", ") + ShowObservation(*it);
        }
        std::cout << fmt::format("      {}: {}\n", measure, shown.empty() ? "no observations" : shown);
      }
    }
    for (const auto& i : (*pack)->indicators()) {
      bool applied = false;
      for (const auto& o : result.indicators) applied = applied || o.id == i.id;
      if (!applied) std::cout << fmt::format("  {:<28} does not apply to this {}\n", i.id, e.kind);
    }
    const rules::Category* category = (*pack)->FindCategory(result.category);
    std::cout << fmt::format("\nTotal score {}: category {}", FormatNumber(result.score),
                             category ? category->label : result.category);
    if (result.override_applied) {
      const auto& o = *result.override_applied;
      std::cout << fmt::format(" by override of {} until {}: {} (the rules gave {}; {}:{})\n", o.by, o.expires,
                               o.reason, result.computed_category, o.file, o.line);
    } else if (!result.forced_by.empty())
      std::cout << fmt::format(" (set by indicator '{}', whatever the score)\n", result.forced_by);
    else if (category)
      std::cout << fmt::format(" (score {} or more)\n", FormatNumber(category->min_score));
  }
  if (!found)
    return ReportError({ErrorCode::kNotFound, fmt::format("no entity with key '{}' in {} for this job's rule packs", key, store->path())});
  return kExitOk;
}

}  // namespace vigil::app
