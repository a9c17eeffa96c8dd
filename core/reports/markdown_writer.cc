#include "reports/markdown_writer.h"

#include <cctype>
#include <cstdlib>

#include <fmt/format.h>

#include "base/text.h"
#include "reports/change_reasons.h"
#include "reports/levels.h"

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

// The override, then each raised indicator most serious first, by title.
std::string Reasons(const PackReport& pack, const rules::EntityOutcome& o) {
  std::string reasons;
  if (o.override_applied)
    reasons = fmt::format("Override by {} until {}: {} (the rules give {}).", o.override_applied->by,
                          o.override_applied->expires, o.override_applied->reason,
                          CategoryLabel(pack, o.computed_category));
  else if (o.override_lapsed)
    reasons = fmt::format("Override by {} lapsed on {}.", o.override_lapsed->by, o.override_lapsed->expires);
  for (const auto* i : BySeverity(o.indicators))
    if (i->level != "none")
      reasons += fmt::format("{}{}{} — {}: {} ({} points)", reasons.empty() ? "" : reasons.back() == '.' ? " " : "; ",
                             static_cast<char>(std::toupper(static_cast<unsigned char>(i->level[0]))),
                             i->level.substr(1), IndicatorTitle(pack, i->id), i->reason, FormatNumber(i->points));
  return reasons;
}

void Headline(std::string& md, const RunReport& r, const PackReport& pack) {
  std::size_t total = pack.outcomes.size();
  md += fmt::format("\n## {}\n\n{} {} assessed as of {}{}.\n\n", Cell(pack.title), FormatCount(total),
                    Cell(total == 1 ? pack.noun : pack.nouns), r.as_of,
                    pack.has_previous ? fmt::format(", compared with run {} ({})", pack.previous_run, pack.previous_as_of)
                                      : "");
  md += pack.has_previous ? fmt::format("| Category | Count | Since run {} |\n| --- | ---: | ---: |\n", pack.previous_run)
                          : "| Category | Count |\n| --- | ---: |\n";
  for (const auto& c : pack.categories) {
    std::size_t n = pack.counts.at(c.id);
    md += fmt::format("| {} | {} |", Cell(c.label), FormatCount(n));
    if (pack.has_previous) {
      auto it = pack.previous_counts.find(c.id);
      long change = static_cast<long>(n) - static_cast<long>(it == pack.previous_counts.end() ? 0 : it->second);
      md += change == 0 ? " no change |" : fmt::format(" {}{} |", change > 0 ? "+" : "−", std::labs(change));
    }
    md += "\n";
  }
  for (std::size_t i = 0; i < pack.summary.size(); ++i)
    md += fmt::format("| {} | {} |{}\n", Cell(pack.summary[i].title), Cell(GroupThousands(pack.summary_values.at(i))),
                      pack.has_previous ? " |" : "");
}

void CategoryList(std::string& md, const RunReport& r, const PackReport& pack, const rules::Category& category) {
  std::size_t n = pack.counts.at(category.id);
  md += fmt::format("\n### {} ({} {})\n\n", Cell(category.label), FormatCount(n), Cell(n == 1 ? pack.noun : pack.nouns));
  if (n == 0) {
    md += "None.\n";
    return;
  }
  if (!ListsEntities(r, pack)) {
    md += NotListedNote(r, pack, n) + "\n";
    return;
  }
  md += fmt::format("| {} | Name |", Cell(pack.key_title));
  for (const auto& c : pack.columns) md += fmt::format(" {} |", Cell(c.title));
  md += " Score | Reasons |\n| --- | --- |";
  for (std::size_t i = 0; i < pack.columns.size(); ++i) md += " --- |";
  md += " ---: | --- |\n";
  for (const auto& o : pack.outcomes) {
    if (o.category != category.id) continue;
    md += fmt::format("| {} | {} |", Cell(o.entity.key), Cell(o.entity.name));
    for (std::size_t i = 0; i < o.columns.size() && i < pack.columns.size(); ++i) {
      bool number = pack.columns[i].kind == "latest" || pack.columns[i].kind == "previous";
      md += fmt::format(" {} |", Cell(number ? GroupThousands(o.columns[i]) : o.columns[i]));
    }
    std::string reasons = Reasons(pack, o);
    md += fmt::format(" {} | {} |\n", FormatNumber(o.score), Cell(reasons.empty() ? "—" : reasons));
  }
}

void Changes(std::string& md, const PackReport& pack) {
  if (!pack.has_previous) {
    md += fmt::format("\n### Changes since the previous run\n\n{}\n", kNoPreviousRun);
    return;
  }
  md += fmt::format("\n### Changes since run {} ({})\n\n", pack.previous_run, pack.previous_as_of);
  if (pack.rules_changed) {
    std::string files;
    for (const auto& f : pack.changed_files) files += (files.empty() ? "" : ", ") + f;
    md += fmt::format("The rules of this pack changed since run {}{}.\n\n", pack.previous_run,
                      files.empty() ? "" : " (" + files + ")");
  }
  if (pack.changes.empty()) {
    md += fmt::format("No {} changed category.\n", pack.noun);
    return;
  }
  md += fmt::format("| {} | Name | Was | Now | Why |\n| --- | --- | --- | --- | --- |\n", Cell(pack.key_title));
  auto state = [&](const std::string& category, const std::optional<double>& score) {
    if (category.empty()) return std::string("not assessed");
    return Cell(CategoryLabel(pack, category)) + (score ? fmt::format(" ({})", FormatNumber(*score)) : "");
  };
  for (std::size_t i = 0; i < pack.changes.size() && i < kChangesShown; ++i) {
    const auto& c = pack.changes[i];
    md += fmt::format("| {} | {} | {} | {} | {} |\n", Cell(c.key), Cell(c.name), state(c.from, c.score_from),
                      state(c.to, c.score_to), Cell(WhyText(c)));
  }
  if (pack.changes.size() > kChangesShown)
    md += fmt::format("\n{} more changes are listed in report.json.\n", FormatCount(pack.changes.size() - kChangesShown));
}

// The sources read (every row of every file: read = stored + skipped +
// rejected), warnings and the rejected rows, in one place for additions.
void DataQuality(std::string& md, const RunReport& r) {
  md += "\n## Data quality\n\n| Source | Plugin | Dates | Rows | Entities | Values stored | Rejected values |\n"
        "| --- | --- | --- | --- | ---: | ---: | ---: |\n";
  for (const auto& s : r.sources) {
    std::string rows;  // per file: read = stored + skipped + rejected
    for (const auto& f : s.rows)
      rows += (rows.empty() ? "" : "; ") + (s.rows.size() > 1 ? f.file + ": " : "") + RowsText(f);
    md += fmt::format("| {} | {} {} | {} | {} | {} | {} | {}{} |\n", Cell(s.name), Cell(s.plugin),
                      Cell(s.plugin_version), s.first_date.empty() ? "—" : s.first_date + " to " + s.last_date,
                      Cell(rows.empty() ? "—" : rows), FormatCount(s.entities), FormatCount(s.observations),
                      FormatCount(s.rejections), s.skipped ? " (skipped: " + Cell(s.skip_reason) + ")" : "");
  }
  for (const auto& s : r.sources)
    for (const auto& w : s.warnings) md += fmt::format("\n**Warning, {}:** {}\n", Cell(s.name), Cell(w));
  if (!r.rule_warnings.empty()) {
    md += "\nWhat the rules read but the data lacks:\n\n";
    for (const auto& w : r.rule_warnings) md += "- " + Cell(w) + "\n";
  }
  md += r.rejection_count == 0
            ? "\nNo rows were rejected.\n"
            : fmt::format("\n{} values were rejected: see rejections.csv.\n", FormatCount(r.rejection_count));
}

}  // namespace

std::string RenderMarkdown(const RunReport& r) {
  std::string md = fmt::format("# {}\n\nAs of {} · run {} · job {}\n", Cell(r.title), r.as_of, r.run_id, Cell(r.job));
  for (const auto& pack : r.packs) {
    Headline(md, r, pack);
    for (const auto& category : pack.categories) CategoryList(md, r, pack, category);
    Changes(md, pack);
  }
  DataQuality(md, r);
  return md;
}

}  // namespace vigil::reports
