// `vigil explain JOB ENTITY`: one entity's assessment with its evidence, as
// the officer asked "why is this school flagged?" would want it: the verdict
// first, then what scored (highest first, with the threshold behind each
// number of points), then what did not. By default with the rules of the run
// the report in `latest` shows; with --rules, a pack on disk, compared with them.
#include <algorithm>
#include <iostream>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/rules_in_use.h"
#include "base/dates.h"
#include "base/files.h"
#include "base/text.h"
#include "jobs/job_file.h"
#include "jobs/report_history.h"
#include "jobs/run_support.h"
#include "jobs/stored_pack.h"
#include "reports/html_writer.h"
#include "rules/evaluator.h"
#include "rules/lua_scan.h"
#include "rules/rule_pack.h"
#include "store/store.h"

namespace vigil::app {
namespace {

std::string ShowObservation(const store::Observation& o) {
  std::string value = o.number ? FormatNumber(*o.number) : "";
  if (!o.text.empty()) value += (value.empty() ? "" : " ") + o.text;
  return fmt::format("{} on {}", value.empty() ? "(empty)" : value, o.as_of);
}

// The threshold whose value gave an indicator its points: the one passed as
// the points of a call of that level in the indicator's block, else the only
// threshold of that value the block reads. "" when reading cannot tell.
std::string PointsThreshold(const rules::RulePack& pack, const std::string& indicator, const std::string& level,
                            double points) {
  auto is_points = [&](const std::string& name) {
    auto it = pack.thresholds().find(name);
    return it != pack.thresholds().end() && it->second.type == "number" && it->second.number == points;
  };
  for (const auto& source : pack.sources()) {
    auto tokens = rules::TokenizeLua(source.text);
    for (const auto& block : rules::IndicatorBlocks(tokens)) {
      if (block.id != indicator) continue;
      std::set<std::string> named, read;
      for (const auto& call : block.level_calls)
        if (call.level == level && is_points(call.points_threshold)) named.insert(call.points_threshold);
      if (named.size() == 1) return *named.begin();
      for (const auto& use : rules::ThresholdUses(tokens))
        if (use.line >= block.first_line && use.line <= block.last_line && is_points(use.name)) read.insert(use.name);
      return read.size() == 1 ? *read.begin() : "";
    }
  }
  return "";
}

std::string Title(const rules::RulePack& pack, const std::string& id) {
  for (const auto& i : pack.indicators())
    if (i.id == id) return i.title.empty() || i.title == id ? id : fmt::format("{} ({})", i.title, id);
  return id;
}

void PrintEvidence(const rules::IndicatorOutcome& i, const store::EntityWithHistory& entity,
                   const std::vector<std::string>& measure_names) {
  for (const auto& measure : i.evidence) {
    std::string shown;
    int count = 0;
    for (auto it = entity.observations.rbegin(); it != entity.observations.rend(); ++it) {
      if (measure_names[it->measure] != measure) continue;
      if (++count > 3) { shown += ", …"; break; }
      shown += (shown.empty() ? "" : ", ") + ShowObservation(*it);
    }
    std::cout << fmt::format("        {}: {}\n", measure, shown.empty() ? "no observations" : shown);
  }
}

// The verdict line(s): category, score, and what decided it.
void PrintVerdict(const rules::RulePack& pack, const rules::EntityOutcome& r) {
  const rules::Category* category = pack.FindCategory(r.category);
  std::string label = Label(pack, r.category);
  if (r.override_applied) {
    const auto& o = *r.override_applied;
    std::cout << fmt::format("{} by override of {} until {}: {}\n  (the rules give {}, score {}; {}:{})\n", label,
                             o.by, o.expires, o.reason, Label(pack, r.computed_category), FormatNumber(r.score),
                             o.file, o.line);
    return;
  }
  if (!r.forced_by.empty())
    std::cout << fmt::format("{}: set by {}, whatever the score (score {})\n", label, Title(pack, r.forced_by),
                             FormatNumber(r.score));
  else
    std::cout << fmt::format("{}: score {} ({} from {})\n", label, FormatNumber(r.score), label,
                             category ? FormatNumber(category->min_score) : "?");
  if (r.override_lapsed) {
    const auto& o = *r.override_lapsed;
    std::cout << fmt::format("  The override to {} by {} lapsed on {} ({}:{}): the rules' category applies.\n",
                             Label(pack, o.category), o.by, o.expires, o.file, o.line);
  }
}

void PrintIndicators(const rules::RulePack& pack, const rules::EntityOutcome& r,
                     const store::EntityWithHistory& entity, const std::vector<std::string>& measure_names) {
  std::vector<const rules::IndicatorOutcome*> scored, zero;
  for (const auto& i : r.indicators) (i.points > 0 ? scored : zero).push_back(&i);
  std::stable_sort(scored.begin(), scored.end(), [](auto* a, auto* b) { return a->points > b->points; });
  if (!scored.empty()) std::cout << "\nScored, highest first:\n";
  for (const auto* i : scored) {
    std::string threshold = PointsThreshold(pack, i->id, i->level, i->points);
    std::cout << fmt::format("  {} points{}  {}  {}\n      {}\n", FormatNumber(i->points),
                             threshold.empty() ? "" : " (" + threshold + ")", i->level, Title(pack, i->id), i->reason);
    PrintEvidence(*i, entity, measure_names);
  }
  if (!zero.empty()) std::cout << "\nNo points:\n";
  for (const auto* i : zero) {
    std::cout << fmt::format("  {}  {}\n      {}\n", i->level, Title(pack, i->id), i->reason.empty() ? "(no reason given)" : i->reason);
    PrintEvidence(*i, entity, measure_names);
  }
  std::string not_applied;
  for (const auto& i : pack.indicators())
    if (std::none_of(r.indicators.begin(), r.indicators.end(), [&](const auto& o) { return o.id == i.id; }))
      not_applied += (not_applied.empty() ? "" : ", ") + Title(pack, i.id);
  if (!not_applied.empty())
    std::cout << fmt::format("\nDo not apply to this {}: {}\n", entity.entity.kind, not_applied);
}

// How `now` (the pack on disk) differs from `before` (the run's rules).
void PrintComparison(const rules::RulePack& pack, const rules::EntityOutcome& now,
                     const std::optional<rules::EntityOutcome>& before, const std::string& before_source) {
  if (!before) {
    std::cout << fmt::format("\nWith {} this {} was not assessed.\n", before_source, now.entity.kind);
    return;
  }
  std::vector<std::string> lines;
  if (before->category != now.category || before->score != now.score)
    lines.push_back(fmt::format("{} → {}, score {} → {}", Label(pack, before->category), Label(pack, now.category),
                                FormatNumber(before->score), FormatNumber(now.score)));
  auto find = [](const rules::EntityOutcome& o, const std::string& id) -> const rules::IndicatorOutcome* {
    for (const auto& i : o.indicators)
      if (i.id == id) return &i;
    return nullptr;
  };
  std::vector<std::string> ids;
  for (const auto& i : before->indicators) ids.push_back(i.id);
  for (const auto& i : now.indicators)
    if (std::find(ids.begin(), ids.end(), i.id) == ids.end()) ids.push_back(i.id);
  for (const auto& id : ids) {
    const auto* a = find(*before, id);
    const auto* b = find(now, id);
    auto show = [](const rules::IndicatorOutcome* i) {
      return i ? fmt::format("{} {}", i->level, FormatNumber(i->points)) : std::string("not applied");
    };
    if (a && b && a->level == b->level && a->points == b->points) continue;
    lines.push_back(fmt::format("{}: {} → {} points", Title(pack, id), show(a), show(b)));
  }
  if (lines.empty()) {
    std::cout << fmt::format("\nThe same result as with {}.\n", before_source);
    return;
  }
  std::cout << fmt::format("\nCompared with {}:\n", before_source);
  for (const auto& l : lines) std::cout << "  " << l << "\n";
}

Result<std::optional<rules::EntityOutcome>> EvaluateOne(rules::RulePack& pack, store::Store& store,
                                                        const store::EntityWithHistory& entity,
                                                        const std::string& as_of) {
  rules::Evaluator evaluator(pack, store.MeasureNames(), as_of);
  VIGIL_RETURN_IF_ERROR(evaluator.Prepare());
  std::vector<rules::RuleFailure> failures;
  auto outcome = evaluator.Evaluate(entity, failures);
  if (!outcome) return Fail(ErrorCode::kRuleFailure, rules::SummariseFailures(failures));
  return *outcome;
}

// The entity's page as a report would show it (its history from the
// store), standing alone, written to `path`.
Status WritePage(store::Store& store, const jobs::JobSpec& job, const rules::RulePack& pack,
                 const rules::EntityOutcome& outcome, const std::string& as_of, const std::string& path) {
  reports::RunReport report;
  report.job = job.name;
  report.title = job.title;
  report.as_of = as_of;
  report.run_id = 0;  // assessed now, by explain: not a run of the ledger
  report.vigil_version = VIGIL_VERSION;
  report.started_at = jobs::NowIso();
  reports::PackReport p = reports::DescribePack(pack);
  p.outcomes.push_back(outcome);
  reports::Finalise(p);
  report.packs.push_back(std::move(p));
  // Every recorded run up to and including `as_of`'s period is its history.
  VIGIL_RETURN_IF_ERROR(jobs::AddHistory(store, std::numeric_limits<std::int64_t>::max(), job.SourceNames(), report,
                                         /*same_period=*/true));
  return WriteFileAtomically(path, reports::RenderEntityPage(report, report.packs[0], report.packs[0].outcomes[0],
                                                             /*in_report=*/false));
}

}  // namespace

int ExplainCommand(const ExplainArgs& args) {
  auto job = jobs::LoadJob(args.job);
  if (!job) return ReportError(job.error());
  auto store = OpenExistingStore(*job, args.store);
  if (!store) return ReportError(store.error());
  auto run = jobs::RunShownInLatest(*store, *job);
  if (!run) return ReportError(run.error());

  // The rules to explain with, and (with --rules) the run's, to compare.
  std::vector<PackInUse> packs, run_packs;
  if (*run) {
    auto kept = PacksOfRun(*store, *job, **run);
    if (!kept) return ReportError(kept.error());
    run_packs = std::move(*kept);
  }
  if (args.rules) {
    auto on_disk = PackOnDisk(*args.rules);
    if (!on_disk) return ReportError(on_disk.error());
    packs.push_back(std::move(*on_disk));
  } else if (*run) {
    packs = std::move(run_packs);
  } else {
    for (const auto& folder : job->rule_packs) {
      auto on_disk = PackOnDisk(folder.string());
      if (!on_disk) return ReportError(on_disk.error());
      on_disk->source += " (the job has not run yet)";
      packs.push_back(std::move(*on_disk));
    }
  }
  std::string as_of = args.as_of.value_or(*run ? (*run)->as_of : job->as_of.value_or(Today().Iso()));
  auto sources = job->SourceNames();

  // The entity: by key, else by an unambiguous part of its name.
  std::string key = args.entity;
  bool found = false;
  for (auto& p : packs) {
    auto e = store->LoadEntity(p.pack->kind(), key, &sources);
    if (!e) return ReportError(e.error());
    found = found || e->has_value();
  }
  if (!found) {
    std::vector<std::pair<std::string, std::string>> matches;
    std::set<std::string> kinds;
    for (auto& p : packs) {
      if (!kinds.insert(p.pack->kind()).second) continue;
      auto named = store->FindByName(p.pack->kind(), args.entity, 11);
      if (!named) return ReportError(named.error());
      matches.insert(matches.end(), named->begin(), named->end());
    }
    if (matches.empty())
      return ReportError({ErrorCode::kNotFound, fmt::format("nothing in {} has the key '{}' or a name containing it, "
                                                            "for this job's rule packs", store->path(), args.entity)});
    if (matches.size() > 1) {
      std::cerr << fmt::format("vigil: {} names match '{}'; give the key or more of the name:\n",
                               matches.size() > 10 ? std::string("more than 10") : std::to_string(matches.size()),
                               args.entity);
      for (std::size_t i = 0; i < matches.size() && i < 10; ++i)
        std::cerr << fmt::format("  {}  {}\n", matches[i].first, matches[i].second);
      return kExitUsage;
    }
    key = matches[0].first;
  }

  for (auto& p : packs) {
    rules::RulePack& pack = *p.pack;
    auto entity = store->LoadEntity(pack.kind(), key, &sources);
    if (!entity) return ReportError(entity.error());
    if (!*entity) continue;
    const auto& e = (*entity)->entity;
    auto outcome = EvaluateOne(pack, *store, **entity, as_of);
    if (!outcome) {
      std::cerr << outcome.error().message << "\n";
      return kExitFailure;
    }
    std::cout << fmt::format("{} {} — {}\n", e.kind, e.key, e.name);
    if (!*outcome) {
      std::cout << fmt::format("Not assessed by rule pack '{}' ({}): its pack.lua applies() leaves it out.\n",
                               pack.name(), p.source);
      continue;
    }
    PrintVerdict(pack, **outcome);
    if (*run && !args.rules) {
      // A school that moved: what the previous period's run gave it, the run
      // the report's changes compare with.
      auto previous = store->PreviousPeriodRun(job->name, (*run)->as_of, (*run)->id);
      if (!previous) return ReportError(previous.error());
      if (*previous) {
        auto results = store->LoadResults((*previous)->id, pack.name());
        if (!results) return ReportError(results.error());
        auto it = results->find(key);
        if (it != results->end() && (it->second.category != (*outcome)->category || it->second.score != (*outcome)->score))
          std::cout << fmt::format("  In run {} (as of {}, the period before) it was {}, score {}.\n",
                                   (*previous)->id, (*previous)->as_of, Label(pack, it->second.category),
                                   FormatNumber(it->second.score));
      }
    }
    std::cout << fmt::format("Rules: {} (pack '{}'), as of {}.\n", p.source, pack.name(), as_of);
    PrintIndicators(pack, **outcome, **entity, store->MeasureNames());
    if (args.html) {
      Status written = WritePage(*store, *job, pack, **outcome, as_of, *args.html);
      if (!written.ok()) return ReportError(written.error());
      std::cout << fmt::format("\nPage: {}\n", *args.html);
    }
    if (args.rules) {
      for (auto& before : run_packs) {
        if (before.pack->name() != pack.name()) continue;
        auto then = EvaluateOne(*before.pack, *store, **entity, as_of);
        if (!then) {
          std::cerr << then.error().message << "\n";
          return kExitFailure;
        }
        PrintComparison(pack, **outcome, *then, before.source);
      }
    }
    if (args.show_attributes) {
      std::cout << "\nAttributes:\n";
      for (const auto& [name, value] : e.attributes) std::cout << fmt::format("  {}: {}\n", name, value);
    }
    std::cout << "\n";
  }
  return kExitOk;
}

}  // namespace vigil::app
