// `vigil diff JOB --rules OLD --rules NEW`: evaluate two versions of a rule
// pack on the same stored data and list the entities whose category would
// change, most serious moves first, before anyone adopts the new rules.
#include <algorithm>
#include <iostream>
#include <map>

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

std::string Reasons(const rules::EntityOutcome& o) {
  std::string text = fmt::format("score {}: ", FormatNumber(o.score));
  for (const auto& i : o.indicators)
    if (i.level != "none") text += fmt::format("{}{} {}: {}", text.back() == ' ' ? "" : "; ", i.level, i.id, i.reason);
  return o.indicators.empty() || text.back() == ' ' ? text + "no indicator raised" : text;
}

Result<std::map<std::string, rules::EntityOutcome>> EvaluateAll(rules::RulePack& pack, store::Store& store,
                                                                const std::string& as_of,
                                                                const std::vector<std::string>& sources) {
  std::map<std::string, rules::EntityOutcome> outcomes;
  rules::Evaluator evaluator(pack, store.MeasureNames(), as_of);
  VIGIL_RETURN_IF_ERROR(evaluator.Prepare());
  std::vector<rules::RuleFailure> failures;
  VIGIL_RETURN_IF_ERROR(store.ForEachEntity(pack.kind(), [&](const store::EntityWithHistory& e) -> Status {
    auto outcome = evaluator.Evaluate(e, failures);
    if (outcome && *outcome) outcomes.emplace((*outcome)->entity.key, std::move(**outcome));
    return Status::Ok();
  }, &sources));
  if (!failures.empty())
    return Fail(ErrorCode::kRuleFailure, fmt::format("rule pack {} failed:\n  {}", pack.folder().string(),
                                                     rules::SummariseFailures(failures)));
  return outcomes;
}

}  // namespace

int DiffCommand(const std::string& job_file, const std::vector<std::string>& packs,
                const std::optional<std::string>& as_of_arg, const std::optional<std::string>& store_path) {
  auto job = jobs::LoadJob(job_file);
  if (!job) return ReportError(job.error());
  std::vector<std::string> folders = packs;
  if (folders.size() == 1) folders.insert(folders.begin(), job->rule_packs.at(0).string());
  if (folders.size() != 2) {
    std::cerr << "vigil: diff needs --rules OLD --rules NEW (or one --rules NEW to compare with the job's pack)\n";
    return kExitUsage;
  }
  auto store = OpenExistingStore(*job, store_path);
  if (!store) return ReportError(store.error());
  std::string as_of = as_of_arg.value_or(job->as_of.value_or(Today().Iso()));

  auto old_pack = rules::RulePack::Load(folders[0], job->limits);
  if (!old_pack) return ReportError(old_pack.error());
  auto new_pack = rules::RulePack::Load(folders[1], job->limits);
  if (!new_pack) return ReportError(new_pack.error());
  auto sources = job->SourceNames();
  auto before = EvaluateAll(**old_pack, *store, as_of, sources);
  if (!before) return ReportError(before.error());
  auto after = EvaluateAll(**new_pack, *store, as_of, sources);
  if (!after) return ReportError(after.error());

  struct Change {
    std::string key, name, from, to, old_reasons, new_reasons;
    long movement;  // > 0: towards a more serious category in the new pack
  };
  std::vector<Change> changes;
  auto rank = [](rules::RulePack& p, const std::string& id) { return static_cast<long>(p.Rank(id)); };
  for (const auto& [key, b] : *before) {
    auto it = after->find(key);
    std::string to = it == after->end() ? "" : it->second.category;
    if (to == b.category) continue;
    long movement = it == after->end() ? 0 : rank(**old_pack, b.category) - rank(**new_pack, to);
    changes.push_back({key, b.entity.name, b.category, to.empty() ? "(not assessed)" : to, Reasons(b),
                       it == after->end() ? "" : Reasons(it->second), movement});
  }
  for (const auto& [key, a] : *after)
    if (!before->count(key))
      changes.push_back({key, a.entity.name, "(not assessed)", a.category, "", Reasons(a), 0});
  std::stable_sort(changes.begin(), changes.end(), [](const Change& x, const Change& y) {
    return x.movement != y.movement ? x.movement > y.movement : x.key < y.key;
  });

  std::cout << fmt::format("Comparing {} (old) with {} (new) on job '{}' as of {}: {} of {} {}s change category.\n",
                           folders[0], folders[1], job->name, as_of, changes.size(), before->size(),
                           (*old_pack)->kind());
  std::map<std::string, long> moved;
  for (const auto& c : changes) ++moved[c.from + " -> " + c.to];
  for (const auto& [move, n] : moved) std::cout << fmt::format("  {:>4}  {}\n", n, move);
  for (const auto& c : changes) {
    std::cout << fmt::format("\n{} {}: {} -> {}\n  old: {}\n  new: {}\n", c.key, c.name, c.from, c.to,
                             c.old_reasons, c.new_reasons);
  }
  return kExitOk;
}

}  // namespace vigil::app
