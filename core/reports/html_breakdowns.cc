// Breakdowns of a pack's entities by district, ward, phase, type and sector
// (the groupings of the council's own reports): counts by category with a bar.
#include <map>

#include <fmt/format.h>

#include "base/text.h"
#include "reports/html_common.h"
#include "reports/html_sections.h"

namespace vigil::reports::html {
namespace {

std::string Attribute(const rules::EntityOutcome& o, const std::string& name) {
  for (const auto& [n, v] : o.entity.attributes)
    if (n == name) return v;
  return "";
}

std::string Bar(const PackReport& pack, const std::map<std::string, std::size_t>& counts, std::size_t total) {
  constexpr double kWidth = 160;
  std::string label;
  std::string svg;
  double x = 0;
  for (std::size_t i = 0; i < pack.categories.size(); ++i) {
    auto it = counts.find(pack.categories[i].id);
    if (it == counts.end() || total == 0) continue;
    double w = kWidth * static_cast<double>(it->second) / static_cast<double>(total);
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"0\" width=\"{:.1f}\" height=\"14\" fill=\"{}\"/>", x, w,
                       CategoryColour(i, pack.categories.size()));
    label += fmt::format("{}{} {}", label.empty() ? "" : ", ", it->second, pack.categories[i].label);
    x += w;
  }
  return fmt::format("<svg width=\"{}\" height=\"14\" viewBox=\"0 0 {} 14\" role=\"img\" aria-label=\"{}\">{}</svg>",
                     kWidth, kWidth, E(label), svg);
}

}  // namespace

std::vector<std::string> BreakdownAttributes(const PackReport& pack) {
  std::vector<std::string> found;
  for (const char* attribute : {"district", "ward", "phase", "type", "sector"}) {
    for (const auto& o : pack.outcomes)
      if (!Attribute(o, attribute).empty()) {
        found.emplace_back(attribute);
        break;
      }
  }
  return found;
}

void Breakdown(std::string& out, const RunReport& report, const PackReport& pack, const std::string& attribute) {
  std::map<std::string, std::map<std::string, std::size_t>> grid;
  for (const auto& o : pack.outcomes) {
    std::string value = Attribute(o, attribute);
    if (!value.empty()) ++grid[value][o.category];
  }
  if (grid.empty()) return;
  out += fmt::format("<section id=\"{}\"><h3>By {}</h3>\n", SectionId(pack, "by-" + attribute), E(attribute));
  if (grid.size() > kBreakdownRowsShown) {
    // Thousands of wards across England make a table nobody reads here;
    // each per-value page has its own, short one.
    out += fmt::format("<p class=\"muted\">{} different values: too many for one table. {}</p>\n</section>\n",
                       FormatCount(grid.size()),
                       report.split_by.empty()
                           ? "results.csv has each entity's value."
                           : E(fmt::format("Each by-{} page has this table for its own entities.", report.split_by)));
    return;
  }
  out += fmt::format("<table class=\"breakdown{}\"><thead><tr><th scope=\"col\">{}</th>",
                     grid.size() > 10 ? " sortable" : "", E(Capitalised(attribute)));
  for (const auto& c : pack.categories) out += fmt::format("<th scope=\"col\" class=\"num\">{}</th>", E(c.label));
  out += "<th scope=\"col\" class=\"num\">Total</th><th scope=\"col\" class=\"noprint\">Share</th></tr></thead><tbody>\n";
  for (const auto& [value, counts] : grid) {
    std::size_t row_total = 0;
    for (const auto& [c, n] : counts) row_total += n;
    out += fmt::format("<tr><th scope=\"row\">{}</th>", E(value));
    for (const auto& c : pack.categories) {
      auto it = counts.find(c.id);
      out += fmt::format("<td class=\"num\">{}</td>", FormatCount(it == counts.end() ? 0 : it->second));
    }
    out += fmt::format("<td class=\"num\">{}</td><td class=\"noprint\">{}</td></tr>\n", FormatCount(row_total),
                       Bar(pack, counts, row_total));
  }
  out += "</tbody></table>\n</section>\n";
}

}  // namespace vigil::reports::html
