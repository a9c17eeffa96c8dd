// `vigil diff --csv FILE` and `--html FILE`: the comparison in files to share
// with colleagues. Every value is escaped (CSV cells cannot run as formulas).
#include <fmt/format.h>

#include "app/diff_model.h"
#include "base/text.h"

namespace vigil::app {

std::string PackDiff::Label(const std::string& category) const {
  if (category.empty()) return "(not assessed)";
  auto it = labels.find(category);
  return it == labels.end() || it->second.empty() ? category : it->second;
}

std::string DescribeChange(const IndicatorChange& change) {
  auto side = [](const std::optional<rules::IndicatorOutcome>& i) {
    return i ? fmt::format("{} {}", i->level, FormatNumber(i->points)) : std::string("not applied");
  };
  if (change.added) return fmt::format("{} points (a new indicator)", side(change.after));
  if (change.removed) return fmt::format("{} points (the indicator is removed)", side(change.before));
  return fmt::format("{} → {} points", side(change.before), side(change.after));
}

namespace {

std::string Score(const std::optional<double>& score) { return score ? FormatNumber(*score) : ""; }

}  // namespace

std::string RenderDiffCsv(const DiffReport& report) {
  std::string csv = "pack,key,name,change,old_category,new_category,old_score,new_score,indicator,"
                    "old_level,new_level,old_points,new_points,new_reason\r\n";
  auto row = [&](const PackDiff& pack, const EntityChange& c, const char* change, const IndicatorChange* i) {
    std::vector<std::string> cells = {pack.pack, c.key, c.name, change, pack.Label(c.from), pack.Label(c.to),
                                      Score(c.old_score), Score(c.new_score)};
    if (i != nullptr) {
      cells.insert(cells.end(), {i->id, i->before ? i->before->level : "not applied",
                                 i->after ? i->after->level : "not applied",
                                 i->before ? FormatNumber(i->before->points) : "",
                                 i->after ? FormatNumber(i->after->points) : "", i->after ? i->after->reason : ""});
    } else {
      cells.insert(cells.end(), 6, "");
    }
    std::string line;
    for (const auto& cell : cells) line += (line.empty() ? "" : ",") + CsvField(cell);
    csv += line + "\r\n";
  };
  for (const auto& pack : report.packs) {
    for (const auto* list : {&pack.category_changes, &pack.score_changes}) {
      const char* change = list == &pack.category_changes ? "category" : "score";
      for (const auto& c : *list) {
        if (c.indicators.empty()) row(pack, c, change, nullptr);
        for (const auto& i : c.indicators) row(pack, c, change, &i);
      }
    }
  }
  return csv;
}

std::string RenderDiffHtml(const DiffReport& report) {
  auto E = [](const std::string& s) { return HtmlEscape(s); };
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Vigil: rule changes for job {}</title>\n"
      "<style>body{{font-family:sans-serif;margin:2em;max-width:70em}}table{{border-collapse:collapse;margin:1em 0}}"
      "th,td{{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}}"
      ".num{{text-align:right}}.muted{{color:#666}}</style></head><body>\n"
      "<h1>What the new rules would change</h1>\n<p>Job {}, assessed as of {}.</p>\n",
      E(report.job), E(report.job), E(report.as_of));
  for (const auto& pack : report.packs) {
    html += fmt::format("<h2>Rule pack {}</h2>\n<p>Old: {}. New: {}.{}</p>\n", E(pack.pack), E(pack.old_source),
                        E(pack.new_source), pack.same_rules ? " The two are identical." : "");
    html += fmt::format("<p>{} of {} {}s change category; {} more change score within their category.</p>\n",
                        pack.category_changes.size(), pack.assessed_before, E(pack.kind), pack.score_changes.size());
    html += "<h3>Indicators</h3>\n<table><thead><tr><th>Indicator</th><th class=\"num\">Flags now</th>"
            "<th class=\"num\">Flagged before</th></tr></thead><tbody>\n";
    for (const auto& i : pack.indicators)
      html += fmt::format("<tr><td>{} <span class=\"muted\">{}</span></td><td class=\"num\">{}</td>"
                          "<td class=\"num\">{}</td></tr>\n", E(i.title), E(i.id),
                          i.after ? std::to_string(*i.after) : "removed", i.before ? std::to_string(*i.before) : "new");
    html += "</tbody></table>\n";
    for (const auto* list : {&pack.category_changes, &pack.score_changes}) {
      if (list->empty()) continue;
      html += list == &pack.category_changes ? "<h3>Category changes</h3>\n" : "<h3>Score changes within a category</h3>\n";
      html += "<table><thead><tr><th>Key</th><th>Name</th><th>Category</th><th class=\"num\">Score</th>"
              "<th>What changed</th></tr></thead><tbody>\n";
      for (const auto& c : *list) {
        std::string what;
        for (const auto& i : c.indicators)
          what += fmt::format("<li>{}: {}{}</li>", E(i.title), E(DescribeChange(i)),
                              i.after && !i.after->reason.empty() ? " — " + E(i.after->reason) : "");
        html += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                            E(c.key), E(c.name),
                            c.from == c.to ? E(pack.Label(c.to)) : E(pack.Label(c.from) + " → " + pack.Label(c.to)),
                            E(Score(c.old_score) + " → " + Score(c.new_score)),
                            what.empty() ? "<span class=\"muted\">the categories' scores changed</span>"
                                         : "<ul>" + what + "</ul>");
      }
      html += "</tbody></table>\n";
    }
  }
  return html + "</body></html>\n";
}

}  // namespace vigil::app
