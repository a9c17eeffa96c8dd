// The data-quality section: every source with its dates and where every row
// of its files went (read = stored + skipped + rejected), its plugin and
// files (with their checksums) under it; warnings of data lost or unused and
// of what the rules read but the data lacks; and the rejected rows. One
// function, so that additions to what a source reports land in one place.
#include <algorithm>

#include <fmt/format.h>

#include "base/text.h"
#include "reports/html_common.h"
#include "reports/html_sections.h"

namespace vigil::reports::html {

void DataQuality(std::string& out, const RunReport& report) {
  out += "<section id=\"data-quality\"><h2>Data quality</h2>\n"
         "<p class=\"muted\">Every row of every file: read = stored + skipped (valid but not used) + rejected.</p>\n"
         "<table class=\"sources\"><thead><tr><th scope=\"col\">Source</th><th scope=\"col\">Dates</th>"
         "<th scope=\"col\" class=\"num\">Rows read</th><th scope=\"col\" class=\"num\">Stored</th>"
         "<th scope=\"col\" class=\"num\">Skipped</th><th scope=\"col\" class=\"num\">Rejected rows</th>"
         "<th scope=\"col\" class=\"num\">Entities</th><th scope=\"col\" class=\"num\">Values stored</th>"
         "<th scope=\"col\" class=\"num\">Rejected values</th></tr></thead>\n";
  for (const auto& s : report.sources) {
    // The source's counts in a row; its plugin, files and, per file, where
    // the rows went (with the reasons rows were skipped) across the width under it.
    std::uint64_t read = 0, stored = 0, skipped = 0, rejected = 0;
    bool counted = !s.rows.empty();
    for (const auto& f : s.rows) {
      counted = counted && f.counted;
      read += f.read;
      stored += f.stored;
      skipped += f.Skipped();
      rejected += f.rejected;
    }
    std::string files;
    for (const auto& [path, sha] : s.files)
      files += fmt::format("{}<span class=\"path\">{}</span> <span class=\"muted\">sha256&nbsp;{}</span>",
                           files.empty() ? "" : "<br>", E(path), E(sha.substr(0, 12)));
    for (const auto& f : s.rows)
      if (s.rows.size() > 1 || f.Skipped() > 0 || !f.counted)
        files += fmt::format("{}<span class=\"path\">{}</span>: {}", files.empty() ? "" : "<br>", E(f.file),
                             Text(RowsText(f)));
    if (s.skipped) files += (files.empty() ? "" : "<br>") + std::string("<strong>Skipped:</strong> ") + Text(s.skip_reason);
    std::string dates = s.first_date.empty()        ? "<span class=\"muted\">no dated values</span>"
                        : s.first_date == s.last_date ? Text(s.first_date)
                                                      : Text(s.first_date) + " to " + Text(s.last_date);
    auto count = [&](std::uint64_t n) {
      return counted ? FormatCount(n) : std::string("<span class=\"muted\">not counted</span>");
    };
    out += fmt::format("<tbody class=\"entity\"><tr class=\"facts\"><th scope=\"row\">{}</th><td>{}</td>"
                       "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td></tr><tr class=\"why\"><td colspan=\"9\"><span class=\"muted\">{} {}:"
                       "</span> {}</td></tr></tbody>\n",
                       E(s.name), dates, count(read), count(stored), FormatCount(skipped), FormatCount(rejected),
                       FormatCount(s.entities), FormatCount(s.observations), FormatCount(s.rejections), E(s.plugin),
                       E(s.plugin_version), files);
  }
  out += "</table>\n";
  std::string warnings;
  for (const auto& s : report.sources)
    for (const auto& w : s.warnings) warnings += "<li><strong>" + E(s.name) + ":</strong> " + Text(w) + "</li>\n";
  if (!warnings.empty()) out += "<h3 id=\"data-warnings\">Warnings</h3>\n<ul class=\"warnings\">\n" + warnings + "</ul>\n";
  if (!report.rule_warnings.empty()) {
    out += "<h3 id=\"rule-warnings\">What the rules read but the data lacks</h3>\n<ul>\n";
    for (const auto& w : report.rule_warnings) out += "<li>" + Text(w) + "</li>\n";
    out += "</ul>\n";
  }
  out += "<h3 id=\"rejected-rows\">Rejected rows</h3>\n";
  if (report.rejection_count == 0) {
    out += "<p class=\"empty\">No rows were rejected.</p>\n</section>\n";
    return;
  }
  out += "<table class=\"rejections\"><thead><tr><th scope=\"col\">Source</th><th scope=\"col\">File:line</th>"
         "<th scope=\"col\">Field</th><th scope=\"col\">Value</th><th scope=\"col\">Reason</th></tr></thead><tbody>\n";
  constexpr std::size_t kShown = 200;  // the rest are in rejections.csv
  std::size_t shown = 0;
  for (const auto& r : report.rejections) {
    if (++shown > kShown) break;
    out += fmt::format("<tr><td>{}</td><td class=\"path\">{}</td><td class=\"value\">{}</td><td class=\"value\">{}"
                       "</td><td>{}</td></tr>\n",
                       E(r.source), E(RowLocation(r.file, r.line)), E(r.field), E(r.value), Text(r.reason));
  }
  out += "</tbody></table>\n";
  if (report.rejection_count > std::min(kShown, report.rejections.size()))
    out += fmt::format("<p>{} more rejected rows are listed in rejections.csv and the store.</p>\n",
                       FormatCount(report.rejection_count - std::min(kShown, report.rejections.size())));
  out += "</section>\n";
}

}  // namespace vigil::reports::html
