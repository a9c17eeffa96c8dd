// What changed since the previous run: each entity whose category moved,
// with its scores and why, one sentence per cause, across the table's width.
#include <fmt/format.h>

#include "base/text.h"
#include "reports/html_common.h"
#include "reports/html_sections.h"

namespace vigil::reports::html {

void Changes(std::string& out, const RunReport& report, const PackReport& pack) {
  std::string id = SectionId(pack, "changes");
  if (!pack.has_previous) {
    out += fmt::format("<section id=\"{}\"><h3>Changes since the previous run</h3>\n"
                       "<p class=\"empty\">{}</p>\n</section>\n", id, kNoPreviousRun);
    return;
  }
  out += fmt::format("<section id=\"{}\"><h3>Changes since run {} (<span class=\"date\">{}</span>)</h3>\n", id,
                     pack.previous_run, E(pack.previous_as_of));
  if (pack.rules_changed) {
    std::string files;
    for (const auto& f : pack.changed_files) files += (files.empty() ? "" : ", ") + f;
    out += fmt::format("<p class=\"note\">The rules of this pack changed since run {}{}: some changes below may "
                       "come from the rules rather than from new data.</p>\n",
                       pack.previous_run, files.empty() ? "" : " (" + E(files) + ")");
  }
  if (pack.changes.empty()) {
    out += fmt::format("<p class=\"empty\">No {} changed category.</p>\n</section>\n", E(pack.noun));
    return;
  }
  out += fmt::format("<p>{} {} changed category.</p>\n", FormatCount(pack.changes.size()),
                     E(pack.changes.size() == 1 ? pack.noun : pack.nouns));
  out += fmt::format("<table class=\"entities changes{}\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">Name"
                     "</th><th scope=\"col\">Was</th><th scope=\"col\">Now</th></tr></thead>\n",
                     pack.changes.size() > 10 ? " sortable filterable" : "", E(pack.key_title));
  auto state = [&](const std::string& category, const std::optional<double>& score) {
    if (category.empty()) return std::string("<span class=\"muted\">not assessed</span>");
    return Pill(pack, category) + (score ? fmt::format(" <span class=\"pts\">score {}</span>", E(FormatNumber(*score))) : "");
  };
  std::size_t shown = 0;
  for (const auto& c : pack.changes) {
    if (++shown > kChangesShown) break;
    std::string link = c.to.empty() ? "" : EntityLink(report, pack, c.key);
    std::string name = c.name.empty() ? "<span class=\"muted\">–</span>" : E(c.name);
    if (!link.empty()) name = fmt::format("<a href=\"{}\">{}</a>", E(link), name);
    std::string why;
    for (const auto& w : c.why) why += "<li>" + Text(w) + "</li>";
    out += fmt::format("<tbody class=\"entity\"><tr class=\"facts\"><td class=\"{}\">{}</td><th scope=\"row\">{}</th>"
                       "<td>{}</td><td>{}</td></tr><tr class=\"why\"><td colspan=\"4\"><ul class=\"reasons\">{}</ul>"
                       "</td></tr></tbody>\n",
                       KeyClass(c.key), Key(c.key), name, state(c.from, c.score_from), state(c.to, c.score_to), why);
  }
  out += "</table>\n";
  if (pack.changes.size() > kChangesShown)
    out += fmt::format("<p class=\"muted\">{} more changes are listed in report.json.</p>\n",
                       FormatCount(pack.changes.size() - kChangesShown));
  out += "</section>\n";
}

}  // namespace vigil::reports::html
