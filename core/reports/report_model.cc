#include "reports/report_model.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "base/files.h"
#include "base/text.h"

namespace vigil::reports {

std::string WhyText(const CategoryChange& change) {
  std::string text;
  for (const auto& w : change.why) text += (text.empty() ? "" : "; ") + w;
  return text;
}

std::vector<std::string> ChartedMeasures(const PackReport& pack) {
  std::vector<std::string> measures;
  auto add = [&](const std::string& m) {
    if (std::find(measures.begin(), measures.end(), m) == measures.end()) measures.push_back(m);
  };
  for (const auto& c : pack.charts) {
    add(c.measure);
    for (const auto& m : c.compare) add(m);
  }
  if (pack.timeline) add(pack.timeline->measure);
  return measures;
}

namespace {

std::string SafeName(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-') out += static_cast<char>(c);
    else out += fmt::format("_{:02X}", c);
  }
  // A file name may be 255 bytes: a longer one keeps its start and a
  // checksum of the whole, so names stay distinct and stable.
  constexpr std::size_t kMaxName = 120;
  if (out.size() > kMaxName) {
    Sha256 sha;
    sha.Update(text);
    out = out.substr(0, kMaxName - 17) + "-" + sha.HexDigest().substr(0, 16);
  }
  return out.empty() ? "_" : out;
}

}  // namespace

std::string EntityPagePath(const std::string& pack, const std::string& key) {
  return SafeName(pack) + "/" + SafeName(key) + ".html";
}

std::string EntityAnchor(const std::string& kind, const std::string& key) {
  return SafeName(kind) + "-" + SafeName(key);
}

std::string ColumnValue(const PackReport& pack, const rules::EntityOutcome& o, const std::string& title) {
  for (std::size_t i = 0; i < pack.columns.size() && i < o.columns.size(); ++i)
    if (pack.columns[i].title == title) return o.columns[i];
  return "";
}

namespace {

std::optional<double> Number(const std::string& text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  // "nan" and "inf" (what some exports write for a missing value) are not figures.
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string SummaryValue(const PackReport& pack, const rules::SummaryFigure& f) {
  if (f.aggregate == "count") {
    std::size_t n = 0;
    for (const auto& o : pack.outcomes) {
      std::string value = ColumnValue(pack, o, f.column);
      n += (f.starts_with.empty() ? value == f.equals : value.starts_with(f.starts_with)) ? 1 : 0;
    }
    return std::to_string(n);
  }
  std::vector<double> values;
  for (const auto& o : pack.outcomes)
    if (auto v = Number(ColumnValue(pack, o, f.column))) values.push_back(*v);
  if (values.empty()) return "no data";
  double result = 0;
  if (f.aggregate == "min") result = *std::min_element(values.begin(), values.end());
  else if (f.aggregate == "max") result = *std::max_element(values.begin(), values.end());
  else {
    for (double v : values) result += v;
    if (f.aggregate == "mean") result /= static_cast<double>(values.size());
  }
  if (!std::isfinite(result)) return "too large to show";
  return FormatNumber(std::round(result * 10) / 10) + f.unit;
}

}  // namespace

PackReport DescribePack(const rules::RulePack& pack) {
  PackReport report;
  report.name = pack.name();
  report.title = pack.title();
  report.kind = pack.kind();
  report.noun = pack.Noun(1);
  report.nouns = pack.Noun(2);
  if (!pack.key_title().empty()) report.key_title = pack.key_title();
  report.hash = pack.hash();
  report.categories = pack.categories();
  report.columns = pack.columns();
  report.group_by = pack.group_by();
  report.heatmap = pack.heatmap();
  report.summary = pack.summary();
  report.charts = pack.charts();
  report.timeline = pack.timeline();
  report.thresholds = pack.thresholds();
  for (const auto& i : pack.indicators()) report.indicators.push_back({i.id, i.title, i.file, i.line});
  return report;
}

void Finalise(PackReport& pack) {
  auto rank = [&](const std::string& id) {
    for (std::size_t i = 0; i < pack.categories.size(); ++i)
      if (pack.categories[i].id == id) return i;
    return pack.categories.size();
  };
  std::stable_sort(pack.outcomes.begin(), pack.outcomes.end(),
                   [&](const rules::EntityOutcome& a, const rules::EntityOutcome& b) {
                     auto ra = rank(a.category), rb = rank(b.category);
                     if (ra != rb) return ra < rb;
                     if (!pack.group_by.empty()) {
                       auto ga = ColumnValue(pack, a, pack.group_by), gb = ColumnValue(pack, b, pack.group_by);
                       if (ga != gb) return ga < gb;
                     }
                     if (a.score != b.score) return a.score > b.score;
                     return a.entity.key < b.entity.key;
                   });
  pack.counts.clear();
  for (const auto& c : pack.categories) pack.counts[c.id] = 0;
  for (const auto& o : pack.outcomes) ++pack.counts[o.category];
  if (pack.heatmap) {
    auto size = static_cast<std::size_t>(pack.heatmap->max);
    pack.heatmap_counts.assign(size, std::vector<std::size_t>(size, 0));
    for (const auto& o : pack.outcomes) {
      auto x = Number(ColumnValue(pack, o, pack.heatmap->x));
      auto y = Number(ColumnValue(pack, o, pack.heatmap->y));
      if (!x || !y || *x < 1 || *y < 1 || *x > static_cast<double>(size) || *y > static_cast<double>(size)) continue;
      ++pack.heatmap_counts[static_cast<std::size_t>(*y) - 1][static_cast<std::size_t>(*x) - 1];
    }
  }
  pack.summary_values.clear();
  for (const auto& f : pack.summary) pack.summary_values.push_back(SummaryValue(pack, f));
}

std::string RowLocation(std::string_view file, std::uint64_t line) {
  if (file.empty()) return "";
  return line == 0 ? std::string(file) : fmt::format("{}:{}", file, line);
}

std::string PreviousRunName(const PackReport& pack) {
  return fmt::format("run {} (as of {})", pack.previous_run, pack.previous_as_of);
}

bool ListsEntities(const RunReport& report, const PackReport& pack) {
  if (report.lists == "all") return true;
  if (report.lists == "none") return false;
  return pack.outcomes.size() <= kAutoListLimit;
}

std::string NotListedNote(const RunReport& report, const PackReport& pack, std::size_t count) {
  std::string where = report.split_by.empty()
                          ? "results.csv"
                          : fmt::format("the by-{} pages and results.csv", report.split_by);
  std::string why = report.lists == "none"
                        ? "the job sets [output] lists = \"none\""
                        : fmt::format("this page lists {} only when there are up to {} ({} here; "
                                      "[output] lists = \"all\" lists them all)",
                                      pack.nouns, FormatCount(kAutoListLimit), FormatCount(pack.outcomes.size()));
  return fmt::format("{} {} not listed here: {}. They are in {}.", FormatCount(count),
                     count == 1 ? pack.noun : pack.nouns, why, where);
}

std::string SkippedText(const FileRows& rows) {
  std::string out;
  for (const auto& [reason, count] : rows.skipped)
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", count, reason);
  return out;
}

std::string RowsText(const FileRows& rows) {
  if (!rows.counted) return fmt::format("rows not counted, {} rejected", rows.rejected);
  std::string skipped = SkippedText(rows);
  return fmt::format("{} read: {} stored, {} skipped{}, {} rejected", rows.read, rows.stored, rows.Skipped(),
                     skipped.empty() ? "" : " (" + skipped + ")", rows.rejected);
}

}  // namespace vigil::reports
