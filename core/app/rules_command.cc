// `vigil rules check PACK [--job JOB]` and `vigil rules test PACK`: what an
// officer runs after editing a pack, before anyone relies on it.
#include <iostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "base/dates.h"
#include "jobs/job_file.h"
#include "rules/evaluator.h"
#include "rules/pack_tests.h"
#include "rules/rule_pack.h"
#include "store/store.h"

namespace vigil::app {
namespace {

// A rule this slow on one entity takes minutes over a region's schools.
constexpr double kSlowRuleSeconds = 0.05;

// Evaluates the pack on the job's stored data and reports what only real
// data shows: unknown measures, rules near their instruction budget.
int CheckOnData(rules::RulePack& pack, const std::string& job_file, const std::string& as_of_arg) {
  auto job = jobs::LoadJob(job_file);
  if (!job) return ReportError(job.error());
  auto store = OpenExistingStore(*job, std::nullopt);
  if (!store) return ReportError(store.error());
  std::string as_of = as_of_arg.empty() ? job->as_of.value_or(Today().Iso()) : as_of_arg;
  rules::Evaluator evaluator(pack, store->MeasureNames(), as_of);
  if (auto s = evaluator.Prepare(); !s.ok()) return ReportError(s.error());
  std::vector<rules::RuleFailure> failures;
  std::size_t assessed = 0;
  auto sources = job->SourceNames();
  pack.sandbox().StartBudget(job->pack_seconds);
  Status status = store->ForEachEntity(pack.kind(), [&](const store::EntityWithHistory& e) -> Status {
    auto outcome = evaluator.Evaluate(e, failures);
    if (outcome && *outcome) ++assessed;
    if (!failures.empty() && failures.back().fatal) return Fail(ErrorCode::kRuleFailure, "stopped");
    return Status::Ok();
  }, &sources);
  // A store error (not a rule stopping the pass) must not pass for a clean check.
  if (!status.ok() && failures.empty()) return ReportError(status.error());
  int problems = 0;
  if (!failures.empty()) {
    std::cout << "Errors on the job's data:\n  " << rules::SummariseFailures(failures) << "\n";
    ++problems;
  }
  for (const auto& [indicator, measures] : evaluator.unknown_measures()) {
    for (const auto& m : measures) {
      std::cout << fmt::format("indicator '{}' reads measure '{}', which no source of job '{}' provides "
                               "(a typo, or a source missing from the job?)\n", indicator, m, job->name);
      ++problems;
    }
  }
  for (const auto& [indicator, used] : evaluator.peak_instructions()) {
    if (used * 2 > pack.sandbox().limits().instructions)
      std::cout << fmt::format("warning: indicator '{}' used {} of its {} instruction budget on one {}: "
                               "simplify it before the data grows\n",
                               indicator, used, pack.sandbox().limits().instructions, pack.kind());
  }
  // Slow rules, before a run meets its time budget: wall time on one entity.
  for (const auto& [indicator, seconds] : evaluator.peak_seconds()) {
    if (seconds >= kSlowRuleSeconds)
      std::cout << fmt::format("warning: indicator '{}' took {:.2f} s on one {} ({:.0f} s for {} of them; a run "
                               "stops a pack after [limits] pack_seconds = {}): make it faster\n",
                               indicator, seconds, pack.kind(), seconds * static_cast<double>(assessed), assessed,
                               job->pack_seconds);
  }
  std::cout << fmt::format("Evaluated on {} {}s of job '{}' as of {}.\n", assessed, pack.kind(), job->name, as_of);
  return problems ? kExitFindings : kExitOk;
}

}  // namespace

int RulesCheckCommand(const std::string& folder, const std::string& job_file) {
  // With a job, its [limits] are the ceilings the pack is checked against.
  rules::Limits limits;
  if (!job_file.empty()) {
    auto job = jobs::LoadJob(job_file);
    if (!job) return ReportError(job.error());
    limits = job->limits;
  }
  auto loaded = rules::RulePack::Load(folder, limits);
  if (!loaded) {
    std::cerr << loaded.error().message << "\n";
    return kExitFindings;
  }
  rules::RulePack& p = **loaded;
  std::cout << fmt::format("Rule pack '{}' ({}) assesses '{}' entities: {} indicators, {} categories.\n",
                           p.name(), p.title(), p.kind(), p.indicators().size(), p.categories().size());
  for (const auto& c : p.categories())
    std::cout << fmt::format("  category {:<14} from score {}\n", c.id, c.min_score);
  for (const auto& i : p.indicators())
    std::cout << fmt::format("  indicator {:<28} {}:{}\n", i.id, i.file, i.line);
  std::string today = Today().Iso();
  for (const auto& o : p.overrides()) {
    if (o.expires < today)
      std::cout << fmt::format("note: {}:{}: the override for '{}' expired on {} and no longer applies\n",
                               o.file, o.line, o.key, o.expires);
  }
  int code = job_file.empty() ? kExitOk : CheckOnData(p, job_file, "");
  if (code == kExitOk) std::cout << "No errors.\n";
  return code;
}

int RulesTestCommand(const std::string& folder) {
  auto loaded = rules::RulePack::Load(folder);
  if (!loaded) {
    std::cerr << loaded.error().message << "\n";
    return kExitFindings;
  }
  auto tests = rules::LoadPackTests(**loaded, Today().Iso());
  if (!tests) {
    std::cerr << tests.error().message << "\n";
    return kExitFindings;
  }
  if (tests->empty()) {
    std::cout << fmt::format("Rule pack '{}' has no tests (add tests/*.lua with test {{ ... }}).\n",
                             (*loaded)->name());
    return kExitFindings;
  }
  int passed = 0, failed = 0;
  for (const auto& r : rules::RunPackTests(**loaded, *tests)) {
    if (r.passed) {
      ++passed;
      std::cout << fmt::format("PASS {}\n", r.test->name);
      continue;
    }
    ++failed;
    std::cout << fmt::format("FAIL {}:{}: {}\n", r.test->file, r.test->line, r.test->name);
    for (const auto& p : r.problems) std::cout << "     " << p << "\n";
  }
  std::cout << fmt::format("{} passed, {} failed\n", passed, failed);
  return failed ? kExitFindings : kExitOk;
}

}  // namespace vigil::app
