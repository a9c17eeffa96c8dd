#include "reports/json_writer.h"

#include <nlohmann/json.hpp>

namespace vigil::reports {

using nlohmann::ordered_json;

namespace {

// Text in the report is valid UTF-8 by the time it gets here (plugins' and
// rules' text is cleaned at the boundary); should anything slip through, a
// bad byte becomes U+FFFD instead of an exception that stops the run.
std::string Dump(const ordered_json& value) {
  return value.dump(2, ' ', false, ordered_json::error_handler_t::replace);
}

ordered_json Entity(const PackReport& pack, const rules::EntityOutcome& o) {
  ordered_json attributes = ordered_json::object();
  for (const auto& [name, value] : o.entity.attributes) attributes[name] = value;
  ordered_json indicators = ordered_json::array();
  for (const auto& i : o.indicators) {
    indicators.push_back({{"id", i.id},
                          {"level", i.level},
                          {"points", i.points},
                          {"reason", i.reason},
                          {"evidence", i.evidence},
                          {"thresholds", i.thresholds}});
  }
  ordered_json entity = {{"key", o.entity.key},
                         {"kind", o.entity.kind},
                         {"name", o.entity.name},
                         {"attributes", std::move(attributes)},
                         {"category", o.category},
                         {"score", o.score}};
  if (!o.forced_by.empty()) entity["forced_by"] = o.forced_by;
  if (o.override_applied) {
    const auto& ov = *o.override_applied;
    entity["override"] = {{"category", ov.category}, {"computed_category", o.computed_category},
                          {"reason", ov.reason}, {"by", ov.by}, {"expires", ov.expires}};
  }
  if (o.override_lapsed) {
    const auto& ov = *o.override_lapsed;
    entity["lapsed_override"] = {{"category", ov.category}, {"reason", ov.reason}, {"by", ov.by},
                                 {"expired", ov.expires}};
  }
  if (!pack.columns.empty()) {
    ordered_json columns = ordered_json::object();
    for (std::size_t i = 0; i < pack.columns.size() && i < o.columns.size(); ++i)
      columns[pack.columns[i].title] = o.columns[i];
    entity["columns"] = std::move(columns);
  }
  entity["indicators"] = std::move(indicators);
  return entity;
}

// Appends `lines` with each line after the first indented by `indent`
// spaces, and the first line too when it starts a line of `out`.
void AppendIndented(std::string& out, std::string_view lines, std::size_t indent) {
  std::size_t start = 0;
  bool first = true;
  while (start <= lines.size()) {
    std::size_t end = lines.find('\n', start);
    if (end == std::string_view::npos) end = lines.size();
    if (!first || out.empty() || out.back() == '\n') out.append(indent, ' ');
    out.append(lines, start, end - start);
    if (end == lines.size()) break;
    out += '\n';
    start = end + 1;
    first = false;
  }
}

}  // namespace

std::string RenderJson(const RunReport& report) {
  ordered_json doc;
  doc["format"] = "vigil-report/1";
  // Run identity and times sit together here, so two runs of the same
  // inputs differ only in this object.
  doc["run"] = {{"id", report.run_id}, {"started_at", report.started_at}};
  doc["job"] = report.job;
  doc["title"] = report.title;
  doc["as_of"] = report.as_of;
  doc["vigil_version"] = report.vigil_version;

  ordered_json sources = ordered_json::array();
  for (const auto& s : report.sources) {
    ordered_json files = ordered_json::array();
    for (const auto& [path, sha] : s.files) files.push_back({{"path", path}, {"sha256", sha}});
    ordered_json source = {{"name", s.name},         {"plugin", s.plugin},
                           {"plugin_version", s.plugin_version},
                           {"files", files},         {"entities", s.entities},
                           {"observations", s.observations},
                           {"rejected", s.rejections}};
    if (!s.first_date.empty()) source["dates"] = {{"first", s.first_date}, {"last", s.last_date}};
    if (s.skipped) source["skipped"] = s.skip_reason;
    ordered_json rows = ordered_json::array();  // per file: read = stored + skipped + rejected
    for (const auto& f : s.rows) {
      ordered_json skipped = ordered_json::object();
      for (const auto& [reason, count] : f.skipped) skipped[reason] = count;
      rows.push_back({{"file", f.file},
                      {"read", f.counted ? ordered_json(f.read) : ordered_json(nullptr)},
                      {"stored", f.counted ? ordered_json(f.stored) : ordered_json(nullptr)},
                      {"skipped", std::move(skipped)},
                      {"rejected", f.rejected}});
    }
    source["rows"] = std::move(rows);
    if (s.lost_values > 0) source["lost_values"] = s.lost_values;
    if (!s.warnings.empty()) source["warnings"] = s.warnings;
    sources.push_back(source);
  }
  doc["sources"] = std::move(sources);

  ordered_json rejections = ordered_json::array();
  for (const auto& r : report.rejections)
    rejections.push_back({{"source", r.source}, {"file", r.file}, {"line", r.line},
                          {"field", r.field}, {"value", r.value}, {"reason", r.reason}});
  if (!report.rule_warnings.empty()) doc["rule_warnings"] = report.rule_warnings;
  doc["rejections"] = {{"total", report.rejection_count}};
  doc["rejections"]["rows"] = std::move(rejections);

  // The packs are written entity by entity: a document object of every
  // entity at once would need several times the memory of the text.
  doc["packs"] = ordered_json::array();
  std::string text = Dump(doc);
  text.erase(text.rfind(']'));  // reopen the empty "packs" array
  text.erase(text.find_last_not_of(" \n") + 1);
  bool first_pack = true;
  for (const auto& p : report.packs) {
    ordered_json categories = ordered_json::array();
    for (const auto& c : p.categories)
      categories.push_back({{"id", c.id}, {"label", c.label}, {"min_score", c.min_score},
                            {"count", p.counts.at(c.id)}});
    ordered_json indicators = ordered_json::array();
    for (const auto& i : p.indicators)
      indicators.push_back({{"id", i.id}, {"title", i.title}, {"file", i.file}, {"line", i.line}});
    ordered_json changes = ordered_json::array();
    for (const auto& c : p.changes)
      changes.push_back({{"key", c.key}, {"name", c.name}, {"from", c.from}, {"to", c.to}, {"why", WhyText(c)},
                         {"reasons", c.why}});
    ordered_json pack = {{"name", p.name},
                         {"title", p.title},
                         {"kind", p.kind},
                         {"rules_sha256", p.hash},
                         {"categories", std::move(categories)},
                         {"indicators", std::move(indicators)},
                         {"counts", p.counts},
                         {"entities", ordered_json::array()}};
    if (!p.summary.empty()) {
      ordered_json summary = ordered_json::array();
      for (std::size_t i = 0; i < p.summary.size(); ++i)
        summary.push_back({{"title", p.summary[i].title}, {"value", p.summary_values.at(i)}});
      pack["summary"] = std::move(summary);
    }
    if (p.heatmap)
      pack["heatmap"] = {{"x", p.heatmap->x}, {"y", p.heatmap->y}, {"counts_by_y_then_x", p.heatmap_counts}};
    // Which run the changes compare with: the previous period's latest succeeded run.
    pack["previous_run"] = p.has_previous ? ordered_json{{"id", p.previous_run}, {"as_of", p.previous_as_of}}
                                          : ordered_json(nullptr);
    pack["changes_since_previous_run"] = p.has_previous ? ordered_json(std::move(changes)) : ordered_json(nullptr);
    // Write the pack around its empty "entities" array, and the entities into
    // it one small document at a time, indented as dump(2) would indent them:
    // the text is built once, never copied whole.
    std::string pack_text = Dump(pack);
    const std::string marker = "\"entities\": []";
    std::size_t at = pack_text.find(marker) + marker.size() - 1;  // just before the ']'
    text += first_pack ? "\n" : ",\n";
    first_pack = false;
    AppendIndented(text, std::string_view(pack_text).substr(0, at), 4);
    bool first_entity = true;
    for (const auto& o : p.outcomes) {
      text += first_entity ? "\n" : ",\n";
      first_entity = false;
      AppendIndented(text, Dump(Entity(p, o)), 8);
    }
    if (!first_entity) text += "\n      ";
    AppendIndented(text, std::string_view(pack_text).substr(at), 4);
  }
  text += first_pack ? "]\n}\n" : "\n  ]\n}\n";
  return text;
}

}  // namespace vigil::reports
