#include "jobs/report_history.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "reports/change_reasons.h"

namespace vigil::jobs {
namespace {

std::string Attribute(const store::Entity& entity, const std::string& name) {
  if (name.empty()) return "";
  for (const auto& [n, v] : entity.attributes)
    if (n == name) return v;
  return "";
}

// The sha256 run `record` recorded for pack `name`, or "".
std::string RecordedPackHash(const store::RunRecord& record, const std::string& name) {
  auto packs = nlohmann::json::parse(record.rule_packs, nullptr, /*allow_exceptions=*/false);
  if (!packs.is_array()) return "";
  for (const auto& p : packs)
    if (p.is_object() && p.value("name", "") == name) return p.value("sha256", "");
  return "";
}

// The pack's files that differ between two runs (changed, added or removed),
// by path; empty when either run kept no copy.
Result<std::vector<std::string>> ChangedFiles(store::Store& store, std::int64_t before, std::int64_t now,
                                              const std::string& pack) {
  VIGIL_ASSIGN_OR_RETURN(auto old_files, store.LoadRunPackFiles(before, pack));
  VIGIL_ASSIGN_OR_RETURN(auto new_files, store.LoadRunPackFiles(now, pack));
  std::vector<std::string> changed;
  if (old_files.empty() || new_files.empty()) return changed;
  std::map<std::string, const std::string*> old_by_path;
  for (const auto& f : old_files) old_by_path[f.path] = &f.content;
  for (const auto& f : new_files) {
    auto it = old_by_path.find(f.path);
    if (it == old_by_path.end() || *it->second != f.content) changed.push_back(f.path);
    if (it != old_by_path.end()) old_by_path.erase(it);
  }
  for (const auto& [path, content] : old_by_path) changed.push_back(path + " (removed)");
  return changed;
}

Status ComparePack(store::Store& store, std::int64_t run_id, std::int64_t previous_run,
                   const store::RunRecord& previous, const std::string& split_by, reports::PackReport& pack) {
  pack.has_previous = true;
  pack.previous_run = previous_run;
  pack.previous_as_of = previous.as_of;
  pack.rules_changed = RecordedPackHash(previous, pack.name) != pack.hash;
  if (pack.rules_changed) {
    VIGIL_ASSIGN_OR_RETURN(pack.changed_files, ChangedFiles(store, previous_run, run_id, pack.name));
  }
  VIGIL_ASSIGN_OR_RETURN(auto before, store.LoadResults(previous_run, pack.name, split_by));
  for (const auto& [key, result] : before) {
    ++pack.previous_counts[result.category];
    // Entities without a value are the group "" (the "(no <split_by>)" page).
    if (!split_by.empty()) ++pack.previous_group_counts[result.group][result.category];
  }
  // Entity keys and indicator ids are compared, not whole rows, so a
  // reworded reason alone is not a change.
  for (const auto& o : pack.outcomes) {
    auto it = before.find(o.entity.key);
    const store::StoredResult* was = it == before.end() ? nullptr : &it->second;
    std::string from = was ? was->category : "";
    if (from != o.category) {
      reports::CategoryChange change;
      change.key = o.entity.key;
      change.name = o.entity.name;
      change.from = from;
      change.to = o.category;
      if (was) change.score_from = was->score;
      change.score_to = o.score;
      change.group = Attribute(o.entity, split_by);
      change.why = reports::ExplainChange(pack, was, &o);
      pack.changes.push_back(std::move(change));
    }
    if (was) before.erase(it);
  }
  for (const auto& [key, result] : before) {  // what is left was not assessed this time
    reports::CategoryChange change;
    change.key = key;
    change.from = result.category;
    change.score_from = result.score;
    change.group = result.group;
    change.why = reports::ExplainChange(pack, &result, nullptr);
    pack.changes.push_back(std::move(change));
  }
  // Most serious new category first (no longer assessed last), then by key.
  auto rank = [&](const std::string& id) {
    for (std::size_t i = 0; i < pack.categories.size(); ++i)
      if (pack.categories[i].id == id) return i;
    return pack.categories.size();
  };
  std::sort(pack.changes.begin(), pack.changes.end(), [&](const auto& a, const auto& b) {
    if (rank(a.to) != rank(b.to)) return rank(a.to) < rank(b.to);
    return a.key < b.key;
  });
  return Status::Ok();
}

// Rows of (period, run, category, count) as trend points, oldest first.
void AddPoint(std::vector<reports::TrendPoint>& trend, const store::PeriodCount& row) {
  if (trend.empty() || trend.back().run_id != row.run_id) trend.push_back({row.as_of, row.run_id, {}});
  trend.back().counts[row.category] += row.count;
}

Status AddEntityHistories(store::Store& store, const std::string& job, std::int64_t run_id,
                          const std::vector<std::string>& sources, const std::string& as_of,
                          const std::string& periods_before, reports::PackReport& pack) {
  std::unordered_set<std::string> keys;
  for (const auto& o : pack.outcomes) {
    keys.insert(o.entity.key);
    pack.histories[o.entity.key];  // every paged entity has a history, if only an empty one
  }
  VIGIL_ASSIGN_OR_RETURN(auto past, store.PastCategories(job, pack.name, run_id, periods_before));
  for (auto& p : past)
    if (keys.count(p.key)) pack.histories[p.key].past.push_back(std::move(p));
  std::vector<std::string> measures = reports::ChartedMeasures(pack);
  if (measures.empty()) return Status::Ok();
  const auto& names = store.MeasureNames();
  std::vector<bool> charted(names.size(), false);
  for (std::size_t id = 0; id < names.size(); ++id)
    charted[id] = std::find(measures.begin(), measures.end(), names[id]) != measures.end();
  auto add = [&](const store::EntityWithHistory& e) -> Status {
    if (!keys.count(e.entity.key)) return Status::Ok();
    auto& series = pack.histories[e.entity.key].series;
    for (const auto& o : e.observations) {
      if (o.measure >= charted.size() || !charted[o.measure] || o.as_of > as_of) continue;
      auto& points = series[names[o.measure]];
      // Two sources may give the same date: the one read last stands, as in the rules' view.
      if (!points.empty() && points.back().date == o.as_of) points.pop_back();
      points.push_back({o.as_of, o.number, o.text});
    }
    return Status::Ok();
  };
  if (pack.outcomes.size() == 1) {  // one entity (vigil explain --html): read it alone
    VIGIL_ASSIGN_OR_RETURN(auto one, store.LoadEntity(pack.kind, pack.outcomes[0].entity.key, &sources));
    return one ? add(*one) : Status::Ok();
  }
  return store.ForEachEntity(pack.kind, add, &sources);
}

}  // namespace

Status CompareWithRun(store::Store& store, std::int64_t run_id, std::int64_t previous_run,
                      reports::RunReport& report) {
  VIGIL_ASSIGN_OR_RETURN(auto previous, store.GetRun(previous_run));
  if (!previous) return Fail(ErrorCode::kNotFound, fmt::format("run {} is not in the store", previous_run));
  for (auto& pack : report.packs)
    VIGIL_RETURN_IF_ERROR(ComparePack(store, run_id, previous_run, *previous, report.split_by, pack));
  return Status::Ok();
}

Status AddHistory(store::Store& store, std::int64_t run_id, const std::vector<std::string>& sources,
                  reports::RunReport& report, bool same_period) {
  // ISO dates compare as text; "2023-11-30~" sorts after that day and
  // before the next, so "before it" includes the day itself.
  std::string before = same_period ? report.as_of + "~" : report.as_of;
  for (auto& pack : report.packs) {
    VIGIL_ASSIGN_OR_RETURN(auto rows, store.PeriodCounts(report.job, pack.name, run_id, before));
    for (const auto& row : rows) AddPoint(pack.trend, row);
    if (!report.split_by.empty()) {
      VIGIL_ASSIGN_OR_RETURN(auto by_group,
                             store.PeriodCounts(report.job, pack.name, run_id, before, report.split_by));
      for (const auto& row : by_group) AddPoint(pack.group_trend[row.group], row);
    }
    pack.entity_pages = !pack.outcomes.empty() && pack.outcomes.size() <= reports::kEntityPagesLimit;
    if (pack.entity_pages)
      VIGIL_RETURN_IF_ERROR(AddEntityHistories(store, report.job, run_id, sources, report.as_of, before, pack));
  }
  return Status::Ok();
}

}  // namespace vigil::jobs
