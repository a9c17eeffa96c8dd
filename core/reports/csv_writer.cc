#include "reports/csv_writer.h"

#include <algorithm>
#include <set>
#include <vector>

#include "base/text.h"

namespace vigil::reports {
namespace {

void Row(std::string& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    out += CsvField(cells[i]);
  }
  out += "\r\n";  // RFC 4180 line ends
}

}  // namespace

std::map<std::string, std::string> RenderCsv(const RunReport& report) {
  std::map<std::string, std::string> files;

  // results.csv: one row per assessed entity, attributes as columns.
  std::set<std::string> attribute_names;
  std::vector<std::string> column_titles;  // the packs' report columns, in order of first use
  for (const auto& p : report.packs) {
    for (const auto& o : p.outcomes)
      for (const auto& [name, value] : o.entity.attributes) attribute_names.insert(name);
    for (const auto& c : p.columns)
      if (std::find(column_titles.begin(), column_titles.end(), c.title) == column_titles.end())
        column_titles.push_back(c.title);
  }
  std::string results;
  std::vector<std::string> header = {"pack", "kind", "key", "name", "category", "category_label",
                                     "score", "forced_by", "computed_category", "override_by",
                                     "override_reason", "override_expires"};
  header.insert(header.end(), column_titles.begin(), column_titles.end());
  header.insert(header.end(), attribute_names.begin(), attribute_names.end());
  Row(results, header);
  std::string indicators;
  Row(indicators, {"pack", "kind", "key", "name", "indicator", "level", "points", "reason",
                   "evidence"});
  for (const auto& p : report.packs) {
    for (const auto& o : p.outcomes) {
      std::string label = o.category;
      for (const auto& c : p.categories)
        if (c.id == o.category) label = c.label;
      std::vector<std::string> row = {p.name, o.entity.kind, o.entity.key, o.entity.name,
                                      o.category, label, FormatNumber(o.score), o.forced_by,
                                      o.computed_category};
      const auto* ov = o.override_applied ? &*o.override_applied : nullptr;
      row.push_back(ov ? ov->by : "");
      row.push_back(ov ? ov->reason : "");
      row.push_back(ov ? ov->expires : "");
      for (const auto& title : column_titles) {
        std::string value;
        for (std::size_t i = 0; i < p.columns.size() && i < o.columns.size(); ++i)
          if (p.columns[i].title == title) value = o.columns[i];
        row.push_back(value);
      }
      for (const auto& name : attribute_names) {
        std::string value;
        for (const auto& [n, v] : o.entity.attributes)
          if (n == name) value = v;
        row.push_back(value);
      }
      Row(results, row);
      for (const auto& i : o.indicators) {
        std::string evidence;
        for (const auto& m : i.evidence) evidence += (evidence.empty() ? "" : ";") + m;
        Row(indicators, {p.name, o.entity.kind, o.entity.key, o.entity.name, i.id, i.level,
                         FormatNumber(i.points), i.reason, evidence});
      }
    }
  }
  files["results.csv"] = std::move(results);
  files["indicators.csv"] = std::move(indicators);

  std::string rejections;
  Row(rejections, {"source", "file", "line", "field", "value", "reason"});
  for (const auto& r : report.rejections)
    Row(rejections, {r.source, r.file, std::to_string(r.line), r.field, r.value, r.reason});
  files["rejections.csv"] = std::move(rejections);

  // Where every row of every input file went: read = stored + skipped + rejected.
  std::string rows;
  Row(rows, {"source", "file", "read", "stored", "skipped", "skipped_by_reason", "rejected"});
  for (const auto& s : report.sources)
    for (const auto& f : s.rows)
      Row(rows, {s.name, f.file, f.counted ? std::to_string(f.read) : "", f.counted ? std::to_string(f.stored) : "",
                 std::to_string(f.Skipped()), SkippedText(f), std::to_string(f.rejected)});
  files["rows.csv"] = std::move(rows);
  return files;
}

}  // namespace vigil::reports
