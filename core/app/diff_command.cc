// `vigil diff JOB [--rules OLD] [--rules NEW]`: evaluate two versions of the
// rules on the same stored data and show what would change, before anyone
// adopts the new rules. Without OLD, the old rules are the last run's (the
// store keeps them), so an officer edits the pack in place and diffs.
#include <algorithm>
#include <iostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/diff_model.h"
#include "app/rules_in_use.h"
#include "base/dates.h"
#include "base/files.h"
#include "base/text.h"
#include "jobs/job_file.h"
#include "jobs/stored_pack.h"
#include "store/store.h"

namespace vigil::app {
namespace {

const rules::IndicatorOutcome* Find(const rules::EntityOutcome* o, const std::string& id) {
  if (o == nullptr) return nullptr;
  for (const auto& i : o->indicators)
    if (i.id == id) return &i;
  return nullptr;
}

bool Flags(const rules::IndicatorOutcome* i) { return i != nullptr && i->level != "none"; }

std::string IndicatorTitle(const rules::RulePack& old_pack, const rules::RulePack& new_pack, const std::string& id) {
  for (const auto* pack : {&new_pack, &old_pack})
    for (const auto& i : pack->indicators())
      if (i.id == id) return i.title.empty() ? id : i.title;
  return id;
}

PackDiff Compare(const PackInUse& old_rules, const PackInUse& new_rules,
                 const std::map<std::string, rules::EntityOutcome>& before,
                 const std::map<std::string, rules::EntityOutcome>& after) {
  const rules::RulePack& old_pack = *old_rules.pack;
  const rules::RulePack& new_pack = *new_rules.pack;
  PackDiff diff;
  diff.pack = new_pack.name();
  diff.kind = new_pack.kind();
  diff.old_source = old_rules.source;
  diff.new_source = new_rules.source;
  diff.same_rules = old_pack.hash() == new_pack.hash();
  diff.assessed_before = before.size();
  diff.assessed_after = after.size();
  for (const auto* pack : {&old_pack, &new_pack})
    for (const auto& c : pack->categories()) diff.labels[c.id] = c.label;

  // Every indicator of either version, new order first.
  std::vector<std::string> ids;
  for (const auto* pack : {&new_pack, &old_pack})
    for (const auto& i : pack->indicators())
      if (std::find(ids.begin(), ids.end(), i.id) == ids.end()) ids.push_back(i.id);
  auto defines = [](const rules::RulePack& pack, const std::string& id) {
    return std::any_of(pack.indicators().begin(), pack.indicators().end(),
                       [&id](const rules::Indicator& i) { return i.id == id; });
  };
  for (const auto& id : ids) {
    IndicatorCount count{id, IndicatorTitle(old_pack, new_pack, id), std::nullopt, std::nullopt};
    if (defines(old_pack, id)) {
      count.before = 0;
      for (const auto& [key, o] : before) *count.before += Flags(Find(&o, id)) ? 1 : 0;
    }
    if (defines(new_pack, id)) {
      count.after = 0;
      for (const auto& [key, o] : after) *count.after += Flags(Find(&o, id)) ? 1 : 0;
    }
    diff.indicators.push_back(std::move(count));
  }

  std::vector<std::string> keys;
  for (const auto& [key, o] : before) keys.push_back(key);
  for (const auto& [key, o] : after)
    if (!before.count(key)) keys.push_back(key);
  for (const auto& key : keys) {
    auto b = before.find(key);
    auto a = after.find(key);
    const rules::EntityOutcome* was = b == before.end() ? nullptr : &b->second;
    const rules::EntityOutcome* now = a == after.end() ? nullptr : &a->second;
    EntityChange change;
    change.key = key;
    change.name = (now ? now : was)->entity.name;
    change.from = was ? was->category : "";
    change.to = now ? now->category : "";
    if (was) change.old_score = was->score;
    if (now) change.new_score = now->score;
    for (const auto& id : ids) {
      const auto* i = Find(was, id);
      const auto* j = Find(now, id);
      // Not applied and "none" with no points say the same to the reader: not a change.
      auto level = [](const rules::IndicatorOutcome* o) { return o ? o->level : std::string("none"); };
      auto points = [](const rules::IndicatorOutcome* o) { return o ? o->points : 0.0; };
      if (level(i) == level(j) && points(i) == points(j)) continue;
      IndicatorChange c{id, IndicatorTitle(old_pack, new_pack, id), std::nullopt, std::nullopt,
                        !defines(old_pack, id), !defines(new_pack, id)};
      if (i) c.before = *i;
      if (j) c.after = *j;
      change.indicators.push_back(std::move(c));
    }
    if (change.from != change.to) {
      long from = was ? static_cast<long>(old_pack.Rank(change.from)) : static_cast<long>(old_pack.categories().size());
      long to = now ? static_cast<long>(new_pack.Rank(change.to)) : static_cast<long>(new_pack.categories().size());
      change.movement = from - to;
      diff.category_changes.push_back(std::move(change));
    } else if (change.old_score != change.new_score || !change.indicators.empty()) {
      diff.score_changes.push_back(std::move(change));
    }
  }
  std::stable_sort(diff.category_changes.begin(), diff.category_changes.end(),
                   [](const EntityChange& x, const EntityChange& y) { return x.movement > y.movement; });
  return diff;
}

void PrintEntity(const PackDiff& pack, const EntityChange& c) {
  auto score = [](const std::optional<double>& s) { return s ? FormatNumber(*s) : std::string("—"); };
  if (c.from != c.to)
    std::cout << fmt::format("  {} {}: {} → {} (score {} → {})\n", c.key, c.name, pack.Label(c.from),
                             pack.Label(c.to), score(c.old_score), score(c.new_score));
  else
    std::cout << fmt::format("  {} {}: {}, score {} → {}\n", c.key, c.name, pack.Label(c.to), score(c.old_score),
                             score(c.new_score));
  for (const auto& i : c.indicators)
    std::cout << fmt::format("      {}: {}{}\n", i.title, DescribeChange(i),
                             i.after && !i.after->reason.empty() ? ": " + i.after->reason : "");
  if (c.indicators.empty() && c.from != c.to)
    std::cout << "      (no indicator changed: the categories' scores did)\n";
}

void Print(const DiffReport& report) {
  for (const auto& pack : report.packs) {
    std::cout << fmt::format("Rule pack '{}': {} (old) → {} (new), job '{}' as of {}.\n", pack.pack, pack.old_source,
                             pack.new_source, report.job, report.as_of);
    if (pack.same_rules) {
      std::cout << "The two are identical: nothing changes.\n\n";
      continue;
    }
    std::cout << fmt::format("{} of {} {}s change category; {} more change score within their category.\n",
                             pack.category_changes.size(), std::max(pack.assessed_before, pack.assessed_after),
                             pack.kind, pack.score_changes.size());
    std::map<std::string, long> moves;
    for (const auto& c : pack.category_changes) ++moves[pack.Label(c.from) + " → " + pack.Label(c.to)];
    for (const auto& [move, n] : moves) std::cout << fmt::format("  {:>4}  {}\n", n, move);

    std::cout << fmt::format("\nIndicators ({}s each flags: watch, concern or serious):\n", pack.kind);
    auto entities = [&pack](std::size_t n) { return fmt::format("{} {}{}", n, pack.kind, n == 1 ? "" : "s"); };
    for (const auto& i : pack.indicators) {
      std::string counts;
      if (!i.before) counts = fmt::format("flags {} (a new indicator)", entities(*i.after));
      else if (!i.after) counts = fmt::format("flagged {} (removed)", entities(*i.before));
      else if (*i.before == *i.after) counts = fmt::format("flags {}, as before", entities(*i.after));
      else counts = fmt::format("now flags {}, was {}", entities(*i.after), *i.before);
      std::cout << fmt::format("  {:<28} {}\n", i.id, counts);
    }
    if (!pack.category_changes.empty()) std::cout << "\nCategory changes:\n";
    for (const auto& c : pack.category_changes) PrintEntity(pack, c);
    if (!pack.score_changes.empty()) std::cout << "\nScore changes within a category:\n";
    for (const auto& c : pack.score_changes) PrintEntity(pack, c);
    std::cout << "\n";
  }
}

}  // namespace

int DiffCommand(const DiffArgs& args) {
  auto job = jobs::LoadJob(args.job);
  if (!job) return ReportError(job.error());
  auto store = OpenExistingStore(*job, args.store);
  if (!store) return ReportError(store.error());
  auto run = jobs::RunShownInLatest(*store, *job);
  if (!run) return ReportError(run.error());

  // Pairs of (old, new) rules, matched by pack name.
  std::vector<std::pair<PackInUse, PackInUse>> pairs;
  if (args.packs.size() == 2) {
    auto old_pack = PackOnDisk(args.packs[0]);
    if (!old_pack) return ReportError(old_pack.error());
    auto new_pack = PackOnDisk(args.packs[1]);
    if (!new_pack) return ReportError(new_pack.error());
    pairs.emplace_back(std::move(*old_pack), std::move(*new_pack));
  } else {
    if (!*run)
      return ReportError({ErrorCode::kNotFound,
                          fmt::format("job '{}' has no run yet whose rules to compare with: run it first, or give "
                                      "--rules OLD --rules NEW", job->name)});
    auto run_packs = PacksOfRun(*store, *job, **run);
    if (!run_packs) return ReportError(run_packs.error());
    std::vector<PackInUse> news;
    if (args.packs.size() == 1) {
      auto new_pack = PackOnDisk(args.packs[0]);
      if (!new_pack) return ReportError(new_pack.error());
      news.push_back(std::move(*new_pack));
    } else {
      for (const auto& folder : job->rule_packs) {
        auto new_pack = PackOnDisk(folder.string());
        if (!new_pack) return ReportError(new_pack.error());
        news.push_back(std::move(*new_pack));
      }
    }
    for (auto& n : news) {
      auto old = std::find_if(run_packs->begin(), run_packs->end(),
                              [&](const PackInUse& p) { return p.pack->name() == n.pack->name(); });
      if (old == run_packs->end())
        return ReportError({ErrorCode::kNotFound,
                            fmt::format("run {} used no rule pack named '{}' to compare {} with; give --rules OLD "
                                        "--rules NEW", (*run)->id, n.pack->name(), n.source)});
      pairs.emplace_back(std::move(*old), std::move(n));
      run_packs->erase(old);
    }
  }

  DiffReport report;
  report.job = job->name;
  report.as_of = args.as_of.value_or(*run ? (*run)->as_of : job->as_of.value_or(Today().Iso()));
  auto sources = job->SourceNames();
  for (auto& [old_rules, new_rules] : pairs) {
    auto before = EvaluateAll(*old_rules.pack, *store, report.as_of, sources);
    if (!before) return ReportError(before.error());
    auto after = EvaluateAll(*new_rules.pack, *store, report.as_of, sources);
    if (!after) return ReportError(after.error());
    report.packs.push_back(Compare(old_rules, new_rules, *before, *after));
  }
  Print(report);
  for (const auto& [file, text] : {std::make_pair(args.csv, RenderDiffCsv(report)),
                                   std::make_pair(args.html, RenderDiffHtml(report))}) {
    if (!file) continue;
    Status written = WriteFileAtomically(*file, text);
    if (!written.ok()) return ReportError(written.error());
    std::cout << fmt::format("Written: {}\n", *file);
  }
  return kExitOk;
}

}  // namespace vigil::app
