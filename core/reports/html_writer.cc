// The main report page: a contents list, then for each pack what its reader
// came for, in that order: headline figures, the entities that need help
// (most serious category first, with reasons), what changed since the
// previous run, the breakdowns; then data quality.
#include "reports/html_writer.h"

#include <fmt/format.h>

#include "base/text.h"
#include "reports/html_common.h"
#include "reports/html_sections.h"

namespace vigil::reports {
namespace {

using html::E;
using html::SectionId;

void Contents(std::string& out, const RunReport& r) {
  out += "<nav class=\"contents\" aria-label=\"Contents\"><h2>Contents</h2><ol>\n";
  for (const auto& pack : r.packs) {
    out += fmt::format("<li><a href=\"#{}\">{}</a>: <ul><li><a href=\"#{}\">Headline figures</a></li>",
                       E(SectionId(pack, "")), E(pack.title), E(SectionId(pack, "headline")));
    for (const auto& c : pack.categories)
      out += fmt::format("<li><a href=\"#{}\">{}</a> ({})</li>", E(SectionId(pack, c.id)), E(c.label),
                         FormatCount(pack.counts.at(c.id)));
    out += fmt::format("<li><a href=\"#{}\">Changes</a></li>", E(SectionId(pack, "changes")));
    for (const auto& a : html::BreakdownAttributes(pack))
      out += fmt::format("<li><a href=\"#{}\">By {}</a></li>", E(SectionId(pack, "by-" + a)), E(a));
    out += "</ul></li>\n";
  }
  out += "<li><a href=\"#data-quality\">Data quality</a></li>\n</ol></nav>\n";
}

}  // namespace

std::string RenderHtml(const RunReport& r) {
  std::string out;
  std::string subtitle = fmt::format("As of <span class=\"date\">{}</span> · run {} · job {}", E(r.as_of), r.run_id,
                                     E(r.job));
  std::string back = r.part.empty() ? "" : "<a class=\"back\" href=\"../report.html\">← The whole authority's report</a>";
  html::PageStart(out, fmt::format("{} — {}", r.title, r.as_of), E(r.title), subtitle, back);
  Contents(out, r);
  for (const auto& pack : r.packs) {
    out += fmt::format("<section id=\"{}\"><h2>{}</h2>\n", E(SectionId(pack, "")), E(pack.title));
    html::Headline(out, r, pack);
    for (std::size_t i = 0; i < pack.categories.size(); ++i) html::CategoryList(out, r, pack, i);
    html::Changes(out, r, pack);
    for (const auto& a : html::BreakdownAttributes(pack)) html::Breakdown(out, r, pack, a);
    out += "</section>\n";
  }
  html::DataQuality(out, r);
  html::PageEnd(out, r);
  return out;
}

}  // namespace vigil::reports
