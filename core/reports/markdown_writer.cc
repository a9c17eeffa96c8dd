#include "reports/markdown_writer.h"

#include <fmt/format.h>

#include "base/text.h"

namespace vigil::reports {
namespace {

// Text from data and rules, shown as itself wherever it lands (a table
// cell, a heading): line breaks would end the table and are spaces; '<', '>'
// and '&' are entities so a renderer that allows HTML shows them as text;
// every character that starts Markdown syntax (links, images, emphasis,
// code, headings, tables) is escaped with a backslash; and "://", "www."
// and '@' are broken up so no renderer turns them into links.
std::string Cell(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n' || c == '\r') out += ' ';
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (std::string_view("\\`*_[]#!|~@").find(c) != std::string_view::npos ||
             (c == ':' && text.substr(i + 1, 2) == "//") ||
             (c == '.' && i >= 3 && (text.substr(i - 3, 3) == "www" || text.substr(i - 3, 3) == "WWW"))) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string Label(const PackReport& pack, const std::string& id) {
  for (const auto& c : pack.categories)
    if (c.id == id) return c.label;
  return id;
}

}  // namespace

std::string RenderMarkdown(const RunReport& r) {
  std::string md = fmt::format("# {}\n\nAs of {} · run {} · job {}\n", Cell(r.title), r.as_of, r.run_id, Cell(r.job));
  for (const auto& pack : r.packs) {
    md += fmt::format("\n## {}\n\n{} {}s assessed.\n\n| Category | Count |\n| --- | ---: |\n", Cell(pack.title),
                      pack.outcomes.size(), Cell(pack.kind));
    for (const auto& c : pack.categories) md += fmt::format("| {} | {} |\n", Cell(c.label), pack.counts.at(c.id));
    for (std::size_t i = 0; i < pack.summary.size(); ++i)
      md += fmt::format("| {} | {} |\n", Cell(pack.summary[i].title), Cell(pack.summary_values.at(i)));
    md += "\n### Changes since the previous run\n\n";
    if (!pack.has_previous) md += "No previous run of this job to compare with.\n";
    else if (pack.changes.empty()) md += fmt::format("No change of category since run {}.\n", pack.previous_run);
    else {
      md += "| Key | Name | Was | Now | Why |\n| --- | --- | --- | --- | --- |\n";
      for (std::size_t i = 0; i < pack.changes.size() && i < kChangesShown; ++i) {
        const auto& c = pack.changes[i];
        md += fmt::format("| {} | {} | {} | {} | {} |\n", Cell(c.key), Cell(c.name),
                          c.from.empty() ? "not assessed" : Cell(Label(pack, c.from)),
                          c.to.empty() ? "not assessed" : Cell(Label(pack, c.to)), Cell(c.why));
      }
      if (pack.changes.size() > kChangesShown)
        md += fmt::format("\n{} more changes are listed in report.json.\n", pack.changes.size() - kChangesShown);
    }
    for (const auto& category : pack.categories) {
      md += fmt::format("\n### {} ({})\n\n", Cell(category.label), pack.counts.at(category.id));
      if (pack.counts.at(category.id) == 0) {
        md += "None.\n";
        continue;
      }
      if (!ListsEntities(r, pack)) {
        md += NotListedNote(r, pack, pack.counts.at(category.id)) + "\n";
        continue;
      }
      md += "| Key | Name |";
      for (const auto& c : pack.columns) md += fmt::format(" {} |", Cell(c.title));
      md += " Score | Reasons |\n| --- | --- |";
      for (std::size_t i = 0; i < pack.columns.size(); ++i) md += " --- |";
      md += " ---: | --- |\n";
      for (const auto& o : pack.outcomes) {
        if (o.category != category.id) continue;
        std::string reasons;
        if (o.override_applied)
          reasons = fmt::format("Override by {} until {}: {}. ", o.override_applied->by,
                                o.override_applied->expires, o.override_applied->reason);
        else if (o.override_lapsed)
          reasons = fmt::format("Override by {} lapsed on {}. ", o.override_lapsed->by, o.override_lapsed->expires);
        for (const auto& i : o.indicators)
          if (i.level != "none") reasons += fmt::format("{}{}: {}", reasons.empty() || reasons.back() == ' ' ? "" : "; ", i.level, i.reason);
        md += fmt::format("| {} | {} |", Cell(o.entity.key), Cell(o.entity.name));
        for (const auto& v : o.columns) md += fmt::format(" {} |", Cell(v));
        md += fmt::format(" {} | {} |\n", FormatNumber(o.score), Cell(reasons.empty() ? "—" : reasons));
      }
    }
  }
  md += "\n## Data quality\n\n| Source | Plugin | Dates | Rows | Entities | Values stored | Rejected values |\n"
        "| --- | --- | --- | --- | ---: | ---: | ---: |\n";
  for (const auto& s : r.sources) {
    std::string rows;  // per file: read = stored + skipped + rejected
    for (const auto& f : s.rows)
      rows += (rows.empty() ? "" : "; ") + (s.rows.size() > 1 ? f.file + ": " : "") + RowsText(f);
    md += fmt::format("| {} | {} {} | {} | {} | {} | {} | {}{} |\n", Cell(s.name), Cell(s.plugin), Cell(s.plugin_version),
                      s.first_date.empty() ? "—" : s.first_date + " to " + s.last_date, Cell(rows.empty() ? "—" : rows),
                      s.entities, s.observations, s.rejections, s.skipped ? " (skipped: " + Cell(s.skip_reason) + ")" : "");
  }
  for (const auto& s : r.sources)
    for (const auto& w : s.warnings) md += fmt::format("\n**Warning, {}:** {}\n", Cell(s.name), Cell(w));
  if (!r.rule_warnings.empty()) {
    md += "\nWhat the rules read but the data lacks:\n\n";
    for (const auto& w : r.rule_warnings) md += "- " + Cell(w) + "\n";
  }
  md += r.rejection_count == 0 ? "\nNo rows were rejected.\n"
                               : fmt::format("\n{} values were rejected: see rejections.csv.\n", r.rejection_count);
  return md;
}

}  // namespace vigil::reports
