// The lists of entities by category. Each entity is one <tbody>: a row of
// facts, then its reasons across the whole width of the table, so a reason
// is never squeezed into a narrow column (on screen or on A4), and sorting
// or filtering moves facts and reasons together.
#include <fmt/format.h>

#include "base/text.h"
#include "reports/change_reasons.h"
#include "reports/html_common.h"
#include "reports/html_sections.h"
#include "reports/levels.h"

namespace vigil::reports::html {
namespace {

// The least serious category's list is folded away when longer than this:
// a head of service reads the schools that need help; the rest is a click away.
constexpr std::size_t kFoldAbove = 30;

std::string Attribute(const rules::EntityOutcome& o, const std::string& name) {
  for (const auto& [n, v] : o.entity.attributes)
    if (n == name) return v;
  return "";
}

// The override, then each raised indicator, most serious first, by title.
std::string Reasons(const PackReport& pack, const rules::EntityOutcome& o) {
  std::string items;
  for (const auto* i : BySeverity(o.indicators)) {
    if (i->level == "none") continue;
    items += fmt::format("<li class=\"level\">{}<span><strong>{}</strong>: {} <span class=\"pts\">({} points)</span>{}</span></li>",
                         LevelLabel(i->level), E(IndicatorTitle(pack, i->id)), Text(i->reason),
                         E(FormatNumber(i->points)),
                         o.forced_by == i->id ? " <strong>This sets the category whatever the score.</strong>" : "");
  }
  std::string html;
  if (o.override_applied) {
    const auto& ov = *o.override_applied;
    html += fmt::format("<p class=\"override\"><strong>Override</strong> by {} until <span class=\"date\">{}</span>: "
                        "{} (the rules give {})</p>",
                        E(ov.by), E(ov.expires), Text(ov.reason), Pill(pack, o.computed_category));
  } else if (o.override_lapsed) {
    html += LapsedOverride(*o.override_lapsed);
  }
  if (!items.empty()) html += "<ul class=\"reasons\">" + items + "</ul>";
  return html;
}

}  // namespace

std::string EntityLink(const RunReport& report, const PackReport& pack, const std::string& key) {
  if (!pack.entity_pages) return "";
  return (report.part.empty() ? "" : "../") + EntityPagePath(pack.name, key);
}

bool FoldsList(const PackReport& pack, std::size_t rank) {
  return pack.categories.size() > 1 && rank + 1 == pack.categories.size() &&
         pack.counts.at(pack.categories[rank].id) > kFoldAbove;
}

void CategoryList(std::string& out, const RunReport& report, const PackReport& pack, std::size_t rank) {
  const rules::Category& category = pack.categories[rank];
  std::size_t n = pack.counts.at(category.id);
  out += fmt::format("<section id=\"{}\"><h3>{} <span class=\"count\">{} {}</span></h3>\n",
                     SectionId(pack, category.id), Pill(pack, category.id), FormatCount(n),
                     E(n == 1 ? pack.noun : pack.nouns));
  if (!category.description.empty()) out += fmt::format("<p class=\"muted\">{}</p>\n", Text(category.description));
  if (n == 0) {
    out += "<p class=\"empty\">None.</p>\n</section>\n";
    return;
  }
  if (!ListsEntities(report, pack)) {
    out += fmt::format("<p class=\"muted\">{}</p>\n</section>\n", E(NotListedNote(report, pack, n)));
    return;
  }
  bool fold = FoldsList(pack, rank);
  if (fold)
    out += fmt::format("<p class=\"print-only muted\">The {} {} in {} are not printed: they are listed on screen and "
                       "in results.csv.</p>\n<details class=\"list\"><summary>Show the {} {} in {}</summary>\n",
                       FormatCount(n), E(pack.nouns), E(category.label), FormatCount(n), E(pack.nouns),
                       E(category.label));
  // Long lists sort and filter in the browser; grouped ones keep their groups.
  bool interactive = pack.group_by.empty() && n > 10;
  out += fmt::format("<table class=\"entities{}\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">Name</th>",
                     interactive ? " sortable filterable" : "", E(pack.key_title));
  if (pack.columns.empty()) out += "<th scope=\"col\">Details</th>";
  // The group_by column is the heading of each group: not repeated in the rows.
  // Wide columns (long text) go under the row with the reasons.
  auto shown = [&](const rules::Column& c) { return c.title != pack.group_by && !c.wide; };
  std::size_t width = 3 + (pack.columns.empty() ? 1 : 0);
  for (const auto& c : pack.columns) {
    if (!shown(c)) continue;
    out += fmt::format("<th scope=\"col\"{}>{}</th>", c.print ? "" : " class=\"noprint\"", E(c.title));
    ++width;
  }
  out += "<th scope=\"col\" class=\"num\">Score</th></tr></thead>\n";
  std::string group;
  bool first = true;
  for (const auto& o : pack.outcomes) {
    if (o.category != category.id) continue;
    if (!pack.group_by.empty()) {
      std::string value = ColumnValue(pack, o, pack.group_by);
      if (first || value != group)
        out += fmt::format("<tbody class=\"group\"><tr class=\"group\"><th colspan=\"{}\" scope=\"colgroup\">{}</th>"
                           "</tr></tbody>\n",
                           width, value.empty() ? "(none)" : E(value));
      group = value;
      first = false;
    }
    std::string details;
    if (pack.columns.empty()) {
      for (const char* a : {"phase", "type", "district", "ward"}) {
        std::string v = Attribute(o, a);
        if (!v.empty()) details += (details.empty() ? "" : "<br>") + E(v);
      }
      details = "<td>" + details + "</td>";
    }
    for (std::size_t i = 0; i < o.columns.size() && i < pack.columns.size(); ++i) {
      const auto& column = pack.columns[i];
      if (!shown(column)) continue;
      const std::string& value = o.columns[i];
      bool number = (column.kind == "latest" || column.kind == "previous") && IsNumber(value);
      std::string cls = std::string(number ? "num" : "") + (column.print ? "" : number ? " noprint" : "noprint");
      std::string attr = cls.empty() ? "" : " class=\"" + cls + "\"";
      details += value.empty() ? fmt::format("<td{}><span class=\"muted\">–</span></td>", attr)
                               : fmt::format("<td{}>{}</td>", attr, CellValue(value, number));
    }
    std::string wide;
    for (std::size_t i = 0; i < o.columns.size() && i < pack.columns.size(); ++i)
      if (pack.columns[i].wide && !o.columns[i].empty())
        wide += fmt::format("<p class=\"wide{}\"><span class=\"muted\">{}:</span> {}</p>",
                            pack.columns[i].print ? "" : " noprint", E(pack.columns[i].title), Text(o.columns[i]));
    std::string link = EntityLink(report, pack, o.entity.key);
    std::string name = link.empty() ? E(o.entity.name) : fmt::format("<a href=\"{}\">{}</a>", E(link), E(o.entity.name));
    std::string reasons = wide + Reasons(pack, o);
    out += fmt::format("<tbody class=\"entity\" id=\"{}\"><tr class=\"facts\"><td class=\"{}\">{}</td>"
                       "<th scope=\"row\">{}</th>{}<td class=\"num\">{}</td></tr>",
                       E(EntityAnchor(pack.kind, o.entity.key)), KeyClass(o.entity.key), Key(o.entity.key), name, details,
                       E(FormatNumber(o.score)));
    if (!reasons.empty()) out += fmt::format("<tr class=\"why\"><td colspan=\"{}\">{}</td></tr>", width, reasons);
    out += "</tbody>\n";
  }
  out += "</table>\n";
  if (fold) out += "</details>\n";
  out += "</section>\n";
}

}  // namespace vigil::reports::html
