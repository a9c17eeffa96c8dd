// One entity's page (a school's, a KPI's): its category and score, its
// category in each period, why, indicator by indicator with the thresholds
// used, and its history in pictures: the pack's charts with those
// thresholds as lines, and the timeline.
#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>

#include "base/text.h"
#include "reports/change_reasons.h"
#include "reports/html_charts.h"
#include "reports/html_common.h"
#include "reports/html_writer.h"
#include "reports/levels.h"

namespace vigil::reports {
namespace {

using html::E;
using html::Text;

std::optional<double> ParseNumber(const std::string& text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> ThresholdNumber(const PackReport& pack, const std::string& name) {
  auto it = pack.thresholds.find(name);
  if (it == pack.thresholds.end() || it->second.type != "number") return std::nullopt;
  return it->second.number;
}

// A threshold's value as thresholds.lua says it: 65, "Good", true, (a list).
std::string ThresholdText(const rules::Threshold& t) {
  if (t.type == "number") return GroupThousands(FormatNumber(t.number));
  if (t.type == "table") return "(a list)";
  return t.text;
}

// The lines of one chart for this entity: a threshold line only when one of
// the entity's indicators read that threshold (a primary school's absence
// chart shows the primary thresholds), fixed values always, attributes
// when the entity has a number there.
std::vector<html::ChartRule> RulesFor(const PackReport& pack, const rules::Chart& chart,
                                      const rules::EntityOutcome& o) {
  std::set<std::string> used;
  for (const auto& i : o.indicators) used.insert(i.thresholds.begin(), i.thresholds.end());
  std::vector<html::ChartRule> lines;
  for (const auto& line : chart.lines) {
    std::optional<double> value;
    if (!line.threshold.empty()) {
      if (used.count(line.threshold)) value = ThresholdNumber(pack, line.threshold);
    } else if (line.value) {
      value = line.value;
    } else if (!line.attr.empty()) {
      for (const auto& [name, v] : o.entity.attributes)
        if (name == line.attr) value = ParseNumber(v);
    }
    if (!value) continue;
    *value *= line.scale;
    if (!line.scale_threshold.empty()) {
      auto scale = ThresholdNumber(pack, line.scale_threshold);
      if (!scale) continue;
      *value *= *scale;
    }
    lines.push_back({line.label, *value});
  }
  return lines;
}

// "run 12", or what a page made by `vigil explain --html` is instead.
std::string RunName(const RunReport& r) {
  return r.run_id ? fmt::format("run {}", r.run_id) : "assessed now by vigil explain, not a recorded run";
}

void Assessment(std::string& out, const RunReport& r, const PackReport& pack, const rules::EntityOutcome& o) {
  out += fmt::format("<section id=\"assessment\"><h2>Assessment</h2>\n<p>{} with a score of {}", html::Pill(pack, o.category),
                     E(FormatNumber(o.score)));
  if (!o.forced_by.empty())
    out += fmt::format(", set by <strong>{}</strong> whatever the score", E(IndicatorTitle(pack, o.forced_by)));
  out += fmt::format(" (as of <span class=\"date\">{}</span>, {}).</p>\n", E(r.as_of), RunName(r));
  if (o.override_applied) {
    const auto& ov = *o.override_applied;
    out += fmt::format("<p class=\"override\"><strong>Override</strong> by {} until <span class=\"date\">{}</span>: {} "
                       "(the rules give {})</p>\n",
                       E(ov.by), E(ov.expires), Text(ov.reason), html::Pill(pack, o.computed_category));
  } else if (o.override_lapsed) {
    out += html::LapsedOverride(*o.override_lapsed) + "\n";
  }
  for (const auto& c : pack.categories)
    if (c.id == o.category && !c.description.empty()) out += fmt::format("<p class=\"muted\">{}</p>\n", Text(c.description));
  out += "<dl class=\"facts\">";
  if (pack.columns.empty()) {
    for (const auto& [name, value] : o.entity.attributes)
      out += fmt::format("<dt>{}</dt><dd>{}</dd>", E(html::Capitalised(name)), Text(value));
  }
  for (std::size_t i = 0; i < pack.columns.size() && i < o.columns.size(); ++i) {
    const auto& column = pack.columns[i];
    bool number = (column.kind == "latest" || column.kind == "previous") && html::IsNumber(o.columns[i]);
    out += fmt::format("<dt>{}</dt><dd>{}</dd>", E(column.title),
                       o.columns[i].empty() ? "<span class=\"muted\">–</span>" : html::CellValue(o.columns[i], number));
  }
  out += "</dl>\n</section>\n";
}

void Indicators(std::string& out, const PackReport& pack, const rules::EntityOutcome& o) {
  out += "<section id=\"indicators\"><h2>Indicators</h2>\n<p class=\"muted\">Every indicator that applies, most "
         "serious first: its level, points, reason and the thresholds (thresholds.lua) it used.</p>\n"
         "<table class=\"entities indicators\"><thead><tr><th scope=\"col\">Level</th><th scope=\"col\">Indicator</th>"
         "<th scope=\"col\" class=\"num\">Points</th></tr></thead>\n";
  for (const auto* i : BySeverity(o.indicators)) {
    std::string thresholds;
    for (const auto& name : i->thresholds) {
      auto it = pack.thresholds.find(name);
      if (it == pack.thresholds.end()) continue;
      thresholds += fmt::format("{}<code>{}</code>&nbsp;=&nbsp;{}", thresholds.empty() ? "" : ", ", E(name),
                                E(ThresholdText(it->second)));
    }
    out += fmt::format("<tbody class=\"entity\"><tr class=\"facts\"><td>{}</td><th scope=\"row\">{}{}</th>"
                       "<td class=\"num\">{}</td></tr><tr class=\"why\"><td colspan=\"3\">{}{}</td></tr></tbody>\n",
                       html::LevelLabel(i->level), E(IndicatorTitle(pack, i->id)),
                       o.forced_by == i->id ? " <span class=\"muted\">(sets the category)</span>" : "",
                       E(FormatNumber(i->points)), i->reason.empty() ? "<span class=\"muted\">No reason given</span>" : Text(i->reason),
                       thresholds.empty() ? "" : "<br><span class=\"muted\">Thresholds used:</span> " + thresholds);
  }
  out += "</table>\n";
  std::string skipped;
  for (const auto& i : pack.indicators) {
    bool applied = std::any_of(o.indicators.begin(), o.indicators.end(), [&](const auto& x) { return x.id == i.id; });
    if (!applied) skipped += (skipped.empty() ? "" : ", ") + E(i.title.empty() ? i.id : i.title);
  }
  if (!skipped.empty()) out += fmt::format("<p class=\"muted\">Does not apply to this {}: {}.</p>\n", E(pack.noun), skipped);
  out += "</section>\n";
}

void History(std::string& out, const PackReport& pack, const rules::EntityOutcome& o, const EntityHistory& history,
             const std::string& as_of) {
  std::string charts;
  for (std::size_t i = 0; i < pack.charts.size(); ++i)
    charts += html::MeasureChart(pack.charts[i], history, RulesFor(pack, pack.charts[i], o), fmt::format("chart-{}", i + 1));
  std::string timeline = pack.timeline ? html::TimelineChart(*pack.timeline, history, as_of, "timeline") : "";
  if (charts.empty() && timeline.empty()) return;
  out += "<section id=\"history\"><h2>History</h2>\n";
  if (!charts.empty())
    out += "<p class=\"muted\">Dashed lines mark the thresholds this " + E(pack.noun) +
           "'s rules used (and its target, where the pack draws one); dotted lines are comparators.</p>\n"
           "<div class=\"charts\">\n" + charts + "</div>\n";
  if (!timeline.empty()) out += fmt::format("<h3>{}</h3>\n{}", E(pack.timeline->title), timeline);
  out += "</section>\n";
}

void Categories(std::string& out, const RunReport& r, const PackReport& pack, const rules::EntityOutcome& o,
                const EntityHistory& history) {
  out += "<section id=\"periods\"><h2>Category in each period</h2>\n<table class=\"periods\"><thead><tr>"
         "<th scope=\"col\">Period</th><th scope=\"col\">Run</th><th scope=\"col\">Category</th>"
         "<th scope=\"col\" class=\"num\">Score</th></tr></thead><tbody>\n";
  for (const auto& p : history.past)
    out += fmt::format("<tr><th scope=\"row\" class=\"date\">{}</th><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>\n",
                       E(p.as_of), p.run_id, html::Pill(pack, p.category), E(FormatNumber(p.score)));
  out += fmt::format("<tr><th scope=\"row\" class=\"date\">{}</th><td>{}</td><td>{}</td>"
                     "<td class=\"num\">{}</td></tr>\n</tbody></table>\n",
                     E(r.as_of), r.run_id ? fmt::format("{} (this run)", r.run_id) : "now (vigil explain)",
                     html::Pill(pack, o.category), E(FormatNumber(o.score)));
  if (history.past.empty()) out += "<p class=\"muted\">No earlier period of this job assessed it.</p>\n";
  out += "</section>\n";
}

}  // namespace

std::string RenderEntityPage(const RunReport& r, const PackReport& pack, const rules::EntityOutcome& o, bool in_report) {
  static const EntityHistory kNone;
  auto found = pack.histories.find(o.entity.key);
  const EntityHistory& history = found == pack.histories.end() ? kNone : found->second;
  std::string out;
  std::string back =
      in_report ? fmt::format("<a class=\"back\" href=\"../report.html#{}\">← {}</a>",
                              E(EntityAnchor(pack.kind, o.entity.key)), E(r.title))
                : "";
  std::string subtitle = fmt::format("{} {} · {} · as of <span class=\"date\">{}</span> · {}",
                                     E(pack.key_title), E(o.entity.key), E(pack.title), E(r.as_of), RunName(r));
  html::PageStart(out, fmt::format("{} — {}", o.entity.name.empty() ? o.entity.key : o.entity.name, pack.title),
                  E(o.entity.name.empty() ? o.entity.key : o.entity.name), subtitle, back);
  Assessment(out, r, pack, o);
  Categories(out, r, pack, o, history);  // how long it has been so: context for everything below
  Indicators(out, pack, o);
  History(out, pack, o, history, r.as_of);
  html::PageEnd(out, r);
  return out;
}

}  // namespace vigil::reports
