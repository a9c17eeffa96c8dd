// `vigil rules check PACK [--job JOB]` and `vigil rules test PACK`: what an
// officer runs after editing a pack, before anyone relies on it.
#include <iostream>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "app/commands.h"
#include "base/dates.h"
#include "base/did_you_mean.h"
#include "jobs/job_file.h"
#include "rules/evaluator.h"
#include "rules/pack_check.h"
#include "rules/pack_tests.h"
#include "rules/rule_pack.h"
#include "store/store.h"

namespace vigil::app {
namespace {

// A rule this slow on one entity takes minutes over a region's schools.
constexpr double kSlowRuleSeconds = 0.05;

std::string Plural(std::size_t n, const std::string& word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// Evaluates the pack on the job's stored data and reports what only real
// data shows: rules that fail on it, measures and attributes it lacks (unless
// reading the files already said so: `said`), rules near their instruction
// budget. Returns the number of errors.
int CheckOnData(rules::RulePack& pack, const jobs::JobSpec& job, store::Store& store, const std::string& as_of,
                const std::set<std::string>& said) {
  rules::Evaluator evaluator(pack, store.MeasureNames(), as_of);
  if (auto s = evaluator.Prepare(); !s.ok()) {
    std::cout << s.error().message << "\n";
    return 1;
  }
  std::vector<rules::RuleFailure> failures;
  std::size_t total = 0, assessed = 0, left_out = 0;
  std::set<std::string> failed;
  auto sources = job.SourceNames();
  pack.sandbox().StartBudget(job.pack_seconds);  // as a run would
  Status status = store.ForEachEntity(pack.kind(), [&](const store::EntityWithHistory& e) -> Status {
    ++total;
    auto outcome = evaluator.Evaluate(e, failures);
    if (!outcome) failed.insert(e.entity.key);
    else if (*outcome) ++assessed;
    else ++left_out;
    if (!failures.empty() && failures.back().fatal) return Fail(ErrorCode::kRuleFailure, "stopped");
    return Status::Ok();
  }, &sources);
  // A store error (not a rule stopping the pass) must not pass for a clean check.
  if (!status.ok() && failures.empty()) {
    std::cout << "vigil: " << status.error().message << "\n";
    return 1;
  }
  int errors = 0;
  if (!failures.empty()) {
    std::cout << "Errors on the job's data:\n  " << rules::SummariseFailures(failures) << "\n";
    ++errors;
  }
  for (const auto& gap : evaluator.DataGaps(fmt::format("job '{}'", job.name))) {
    if (said.count(gap)) continue;
    std::cout << gap << "\n";
    ++errors;
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
                               indicator, seconds, pack.kind(), seconds * static_cast<double>(total), total,
                               job.pack_seconds);
  }
  std::string of = fmt::format("of job '{}' as of {}", job.name, as_of);
  if (failed.empty())
    std::cout << fmt::format("Evaluated {} {}: {} assessed, {} left out by pack.lua's applies.\n",
                             Plural(total, pack.kind()), of, assessed, left_out);
  else
    std::cout << fmt::format("Of {} {}, {} failed and {} {} evaluated without error ({} left out by pack.lua's "
                             "applies).\n", Plural(total, pack.kind()), of, failed.size(), assessed,
                             assessed == 1 ? "was" : "were", left_out);
  return errors;
}

// Overrides as of the date the job assesses (today without a job): which
// have lapsed, and (with the job's data) which name no entity at all.
int CheckOverrides(const rules::RulePack& pack, const std::string& as_of, const std::string& as_of_from,
                   store::Store* store, const jobs::JobSpec* job) {
  int errors = 0;
  for (const auto& o : pack.overrides()) {
    if (o.expires < as_of)
      std::cout << fmt::format("note: {}:{}: the override of {} to {} expired on {}, before {} ({}): it no longer "
                               "applies\n", o.file, o.line, o.key, pack.CategoryLabel(o.category), o.expires,
                               as_of, as_of_from);
    if (store == nullptr) continue;
    auto found = store->LoadEntity(pack.kind(), o.key);
    if (found && !*found) {
      std::cout << fmt::format("{}:{}: the override names {} '{}', which job '{}' does not have: it would never "
                               "apply (a typo in the key?)\n", o.file, o.line, pack.kind(), o.key, job->name);
      ++errors;
    }
  }
  return errors;
}

}  // namespace

int RulesCheckCommand(const std::string& folder, const std::string& job_file) {
  std::optional<jobs::JobSpec> job;
  if (!job_file.empty()) {
    auto parsed = jobs::LoadJob(job_file);
    if (!parsed) return ReportError(parsed.error());
    job = std::move(*parsed);
  }
  // With a job, its [limits] are the ceilings the pack is checked against.
  auto loaded = rules::RulePack::Load(folder, job ? job->limits : rules::Limits{});
  if (!loaded) {
    std::cerr << loaded.error().message << "\n";
    return kExitFindings;
  }
  rules::RulePack& p = **loaded;
  std::optional<store::Store> store;
  if (job) {
    std::error_code ec;
    if (std::filesystem::exists(job->store, ec)) {  // a job never run has no data to check on yet
      auto opened = OpenExistingStore(*job, std::nullopt);
      if (!opened) return ReportError(opened.error());
      store.emplace(std::move(*opened));
    }
  }
  std::string as_of = job ? job->as_of.value_or(Today().Iso()) : Today().Iso();
  std::string as_of_from = job ? fmt::format("the date job '{}' assesses", job->name) : "today";

  std::cout << fmt::format("Rule pack '{}' ({}) assesses '{}' entities: {} indicators, {} categories.\n",
                           p.name(), p.title(), p.kind(), p.indicators().size(), p.categories().size());
  for (const auto& c : p.categories())
    std::cout << fmt::format("  category {:<14} from score {}\n", c.id, c.min_score);
  for (const auto& i : p.indicators())
    std::cout << fmt::format("  indicator {:<28} {}:{}\n", i.id, i.file, i.line);

  // What the data provides: the job's store when given, else what pack.lua declares.
  rules::KnownNames known;
  if (store) {
    std::vector<std::string> measures;
    for (const auto& m : store->MeasureNames())
      if (!m.empty()) measures.push_back(m);
    known.measures = std::move(measures);
    known.measures_missing = fmt::format("no source of job '{}' provides", job->name);
    if (auto attributes = store->AttributeNames(p.kind()); attributes && !attributes->empty()) {
      known.attributes = std::move(*attributes);
      known.attributes_missing = fmt::format("no {} of job '{}' has", p.kind(), job->name);
    }
  } else if (!p.declared_measures().empty()) {
    known.measures = p.declared_measures();
    known.measures_missing = "pack.lua's measures = { ... } does not list (add it there if a source provides it)";
  }

  std::vector<rules::Finding> findings = rules::CheckPackText(p, known);
  // The made-up entities take their attributes from the pack's own tests.
  std::vector<store::Attributes> attribute_sets;
  if (auto tests = rules::LoadPackTests(p, as_of)) {
    for (const auto& t : *tests)
      if (std::find(attribute_sets.begin(), attribute_sets.end(), t.entity.entity.attributes) == attribute_sets.end())
        attribute_sets.push_back(t.entity.entity.attributes);
  }
  auto made_up = rules::CheckOnMadeUpEntities(p, known, as_of, std::move(attribute_sets), findings);
  findings.insert(findings.end(), made_up.begin(), made_up.end());
  int errors = 0;
  std::set<std::string> said;
  for (const auto& f : findings) {
    std::cout << (f.error ? "" : "warning: ") << f.message << "\n";
    errors += f.error ? 1 : 0;
    said.insert(f.message);
  }
  errors += CheckOverrides(p, as_of, as_of_from, store ? &*store : nullptr, job ? &*job : nullptr);
  if (job && store) errors += CheckOnData(p, *job, *store, as_of, said);
  if (job && !store)
    // Not a failure: the pack is checked on its own; what needs data waits for it.
    std::cout << fmt::format(
        "Job '{}' has not run yet (no store at {}), so the pack was checked on its own (against the measures "
        "pack.lua declares, if any). After `vigil run {}`, this command also evaluates the pack on the job's "
        "data: measures no source provides, and rules near their instruction budget.\n",
        job->name, job->store.string(), job_file);
  if (errors == 0) {
    std::cout << "No errors.\n";
    return kExitOk;
  }
  std::cout << Plural(static_cast<std::size_t>(errors), "error") << ".\n";
  return kExitFindings;
}

int RulesTestCommand(const std::string& folder, const std::string& pattern, bool coverage) {
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
  if (!pattern.empty()) {
    std::regex wanted;
    try {
      wanted = std::regex(pattern, std::regex::icase);
    } catch (const std::regex_error& e) {
      std::cerr << fmt::format("vigil: -r \"{}\" is not a pattern: {}\n", pattern, e.what());
      return kExitUsage;
    }
    std::vector<rules::PackTest> chosen;
    std::vector<std::string> names;
    for (auto& t : *tests) {
      names.push_back(t.name);
      if (std::regex_search(t.name, wanted)) chosen.push_back(std::move(t));
    }
    if (chosen.empty()) {
      std::cout << fmt::format("No test of rule pack '{}' has a name matching \"{}\"{}.\n", (*loaded)->name(),
                               pattern, DidYouMean(pattern, names));
      return kExitFindings;
    }
    *tests = std::move(chosen);
  }
  int passed = 0, failed = 0;
  auto results = rules::RunPackTests(**loaded, *tests);
  for (const auto& r : results) {
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
  if (coverage) {
    auto gaps = rules::CoverageGaps(**loaded, results);
    std::cout << fmt::format("\nCoverage: {}\n", gaps.empty() ? "every indicator, at every level it can give, is "
                                                                 "reached by a test"
                                                               : fmt::format("what no test{} reaches", pattern.empty()
                                                                                 ? "" : " run here"));
    for (const auto& g : gaps) std::cout << "  " << g << "\n";
  }
  return failed ? kExitFindings : kExitOk;
}

}  // namespace vigil::app
