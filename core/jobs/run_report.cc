#include "jobs/run_report.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "jobs/data_losses.h"
#include "jobs/run_support.h"

#ifndef VIGIL_VERSION
#define VIGIL_VERSION "0.0.0"
#endif

namespace vigil::jobs {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The pack's name for an indicator's file, as "rules/schools/indicators/x.lua":
// the file an indicator reports is shown relative to the current folder
// (messages read best that way), and a report must not depend on where it
// was run from. Lua shortens long names from the front ("...tail").
std::string IndicatorFile(const rules::RulePack& pack, const std::string& shown) {
  std::string_view tail = shown;
  bool shortened = tail.starts_with("...");
  if (shortened) tail.remove_prefix(3);
  fs::path folder = pack.folder();
  if (folder.filename().empty()) folder = folder.parent_path();
  for (const auto& source : pack.sources()) {
    std::string display = rules::DisplayPath(pack.folder() / source.path, pack.folder());
    if (display == shown || (shortened && display.ends_with(tail)))
      return (folder.parent_path().filename() / folder.filename() / source.path).generic_string();
  }
  return shown;
}

std::string Text(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::uint64_t Count(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

}  // namespace

json JobSettings(const JobSpec& job) {
  json sources = json::array();
  for (const auto& s : job.sources) {
    json settings = json::object();
    for (const auto& input : s.settings)
      settings[input.name] = input.is_list ? json(input.items)
                                           : json(input.items.empty() ? std::string() : input.items.front());
    sources.push_back({{"name", s.name},
                       {"plugin", s.plugin},
                       {"on_reject", s.on_reject == OnReject::kFail ? "fail" : "report"},
                       {"on_error", s.on_error == OnError::kSkip ? "skip" : "fail"},
                       {"on_loss", s.on_loss == OnLoss::kWarn ? "warn" : "fail"},
                       {"settings", std::move(settings)}});
  }
  return {{"title", job.title},
          {"output", {{"formats", job.formats}, {"split_by", job.split_by}, {"lists", job.lists}}},
          {"sources", std::move(sources)},
          {"vigil_version", VIGIL_VERSION}};
}

std::vector<std::string> SettingsSources(const json& settings) {
  std::vector<std::string> names;
  if (auto sources = settings.find("sources"); sources != settings.end() && sources->is_array())
    for (const auto& s : *sources)
      if (s.is_object()) names.push_back(Text(s, "name"));
  return names;
}

std::vector<std::string> SettingsFormats(const json& settings) {
  std::vector<std::string> formats;
  if (auto output = settings.find("output"); output != settings.end() && output->is_object())
    if (auto list = output->find("formats"); list != output->end() && list->is_array())
      for (const auto& f : *list)
        if (f.is_string()) formats.push_back(f.get<std::string>());
  return formats;
}

std::string SettingsSplitBy(const json& settings) {
  auto output = settings.find("output");
  return output != settings.end() && output->is_object() ? Text(*output, "split_by") : std::string();
}

void DescribeRun(reports::RunReport& report, const std::string& job, const json& settings, std::int64_t run_id,
                 const std::string& as_of, const std::string& started_at) {
  report.job = job;
  report.title = Text(settings, "title");
  report.run_id = run_id;
  report.as_of = as_of;
  report.started_at = started_at;
  report.vigil_version = Text(settings, "vigil_version");
  report.split_by = SettingsSplitBy(settings);
  auto output = settings.find("output");
  std::string lists = output != settings.end() && output->is_object() ? Text(*output, "lists") : "";
  report.lists = lists.empty() ? "auto" : lists;
}

reports::PackReport DescribePack(const rules::RulePack& pack) {
  reports::PackReport report = reports::DescribePack(pack);
  for (auto& i : report.indicators) i.file = IndicatorFile(pack, i.file);
  return report;
}

json SourceJson(const reports::SourceReport& source, const SourcePlan* plan) {
  json files = json::array();
  for (const auto& [path, sha] : source.files) {
    json file = {{"path", path}, {"sha256", sha}};
    if (plan)
      for (const auto& planned : plan->files)
        if (planned.path == path) file["size"] = planned.size;
    files.push_back(std::move(file));
  }
  json entry = {{"source", source.name}, {"plugin", source.plugin}, {"plugin_version", source.plugin_version}};
  if (plan && plan->plugin) entry["plugin_abi"] = plan->plugin->abi();
  entry["files"] = std::move(files);
  entry["entities"] = source.entities;
  entry["observations"] = source.observations;
  entry["rejected"] = source.rejections;
  entry["rows"] = RowsJson(source.rows);
  entry["lost_values"] = source.lost_values;
  entry["warnings"] = source.warnings;
  if (!source.first_date.empty()) entry["dates"] = {{"first", source.first_date}, {"last", source.last_date}};
  if (source.skipped) entry["skipped"] = source.skip_reason;
  return entry;
}

reports::SourceReport SourceFromJson(const json& entry) {
  reports::SourceReport source;
  if (!entry.is_object()) return source;
  source.name = Text(entry, "source");
  source.plugin = Text(entry, "plugin");
  source.plugin_version = Text(entry, "plugin_version");
  if (auto files = entry.find("files"); files != entry.end() && files->is_array())
    for (const auto& f : *files)
      if (f.is_object()) source.files.emplace_back(Text(f, "path"), Text(f, "sha256"));
  source.entities = Count(entry, "entities");
  source.observations = Count(entry, "observations");
  source.rejections = Count(entry, "rejected");
  if (auto rows = entry.find("rows"); rows != entry.end()) source.rows = RowsFromJson(*rows);
  source.lost_values = Count(entry, "lost_values");
  if (auto warnings = entry.find("warnings"); warnings != entry.end() && warnings->is_array())
    for (const auto& w : *warnings)
      if (w.is_string()) source.warnings.push_back(w.get<std::string>());
  if (auto dates = entry.find("dates"); dates != entry.end() && dates->is_object()) {
    source.first_date = Text(*dates, "first");
    source.last_date = Text(*dates, "last");
  }
  if (entry.contains("skipped")) {
    source.skipped = true;
    source.skip_reason = Text(entry, "skipped");
  }
  return source;
}

std::string ShownJson(const rules::EntityOutcome& o) {
  json attributes = json::array();
  for (const auto& [name, value] : o.entity.attributes) attributes.push_back({name, value});
  return JsonLine(json{{"name", o.entity.name}, {"attributes", std::move(attributes)}, {"columns", o.columns}});
}

std::string OverrideJson(const rules::EntityOutcome& o) {
  if (!o.override_applied) return "";
  const auto& ov = *o.override_applied;
  return JsonLine(json{{"category", ov.category}, {"reason", ov.reason}, {"by", ov.by},
              {"expires", ov.expires}, {"file", ov.file}, {"line", ov.line}});
}

rules::EntityOutcome OutcomeFromStore(const store::StoredOutcome& stored, const reports::PackReport& pack) {
  rules::EntityOutcome o;
  o.entity.kind = pack.kind;
  o.entity.key = stored.key;
  json shown = json::parse(stored.shown, nullptr, false);
  if (shown.is_object()) {
    o.entity.name = Text(shown, "name");
    if (auto attributes = shown.find("attributes"); attributes != shown.end() && attributes->is_array())
      for (const auto& pair : *attributes)
        if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string())
          o.entity.attributes.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
    if (auto columns = shown.find("columns"); columns != shown.end() && columns->is_array())
      for (const auto& c : *columns) o.columns.push_back(c.is_string() ? c.get<std::string>() : c.dump());
  }
  o.score = stored.score;
  o.category = stored.category;
  o.forced_by = stored.forced_by;
  o.computed_category = stored.computed_category;
  json ov = json::parse(stored.override_json, nullptr, false);
  if (ov.is_object()) {
    rules::Override applied;
    applied.key = stored.key;
    applied.category = Text(ov, "category");
    applied.reason = Text(ov, "reason");
    applied.by = Text(ov, "by");
    applied.expires = Text(ov, "expires");
    applied.file = Text(ov, "file");
    applied.line = static_cast<int>(Count(ov, "line"));
    o.override_applied = std::move(applied);
  }
  // The indicators that applied, in the pack's order as the run had them.
  auto position = [&](const std::string& id) {
    for (std::size_t i = 0; i < pack.indicators.size(); ++i)
      if (pack.indicators[i].id == id) return i;
    return pack.indicators.size();
  };
  for (const auto& i : stored.indicators) {
    rules::IndicatorOutcome indicator;
    indicator.id = i.id;
    indicator.level = i.level;
    indicator.points = i.points;
    indicator.reason = i.reason;
    json evidence = json::parse(i.evidence_json, nullptr, false);
    if (evidence.is_array())
      for (const auto& m : evidence)
        if (m.is_string()) indicator.evidence.push_back(m.get<std::string>());
    json thresholds = json::parse(i.thresholds_json, nullptr, false);
    if (thresholds.is_array())
      for (const auto& t : thresholds)
        if (t.is_string()) indicator.thresholds.push_back(t.get<std::string>());
    o.indicators.push_back(std::move(indicator));
  }
  std::stable_sort(o.indicators.begin(), o.indicators.end(),
                   [&](const auto& a, const auto& b) { return position(a.id) < position(b.id); });
  return o;
}


}  // namespace vigil::jobs
