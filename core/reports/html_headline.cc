// The headline of a pack: counts by category (with the change since the
// previous run), the pack's summary figures, its heat map and the trend.
#include <cmath>

#include <fmt/format.h>

#include "base/text.h"
#include "reports/html_charts.h"
#include "reports/html_common.h"
#include "reports/html_sections.h"

namespace vigil::reports::html {
namespace {

// Black or white, whichever reads better on the colour (WCAG relative luminance).
const char* TextOn(int red, int green, int blue) {
  auto linear = [](int c) {
    double v = c / 255.0;
    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  double l = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue);
  return (1.05 / (l + 0.05)) >= 4.5 ? "#fff" : "#1d2433";
}

// Counts by two 1..max columns (e.g. likelihood x impact), as an SVG grid
// coloured from green (low product) to red (high).
void Heatmap(std::string& out, const PackReport& pack) {
  if (!pack.heatmap) return;
  const auto& h = *pack.heatmap;
  constexpr int kCell = 44, kLeft = 70, kTop = 10;
  int n = h.max;
  std::string desc;
  std::string svg;
  for (int y = n; y >= 1; --y) {
    for (int x = 1; x <= n; ++x) {
      double heat = static_cast<double>(x * y) / static_cast<double>(n * n);
      int red = static_cast<int>(60 + 180 * heat), green = static_cast<int>(170 - 120 * heat);
      int px = kLeft + (x - 1) * kCell, py = kTop + (n - y) * kCell;
      std::size_t count = pack.heatmap_counts[static_cast<std::size_t>(y - 1)][static_cast<std::size_t>(x - 1)];
      svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"rgb({},{},70)\" "
                         "fill-opacity=\"{}\" stroke=\"#fff\"/>",
                         px, py, kCell, kCell, red, green, count ? "0.95" : "0.25");
      if (count) {
        svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\" font-weight=\"700\">{}</text>",
                           px + kCell / 2, py + kCell / 2 + 5, TextOn(red, green, 70), count);
        desc += fmt::format("{} {}, {} {}: {}. ", h.y, y, h.x, x, count);
      }
    }
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", kLeft - 8,
                       kTop + (n - y) * kCell + kCell / 2 + 5, y);
  }
  for (int x = 1; x <= n; ++x)
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", kLeft + (x - 1) * kCell + kCell / 2,
                       kTop + n * kCell + 18, x);
  std::string id = SectionId(pack, "heatmap");
  int width = kLeft + n * kCell + 10, height = kTop + n * kCell + 44;
  out += fmt::format(
      "<figure id=\"{0}\"><h4>{1} × {2}</h4><svg viewBox=\"0 0 {3} {4}\" width=\"{3}\" height=\"{4}\" role=\"img\" "
      "aria-labelledby=\"{0}-t {0}-d\" font-size=\"13\"><title id=\"{0}-t\">Heat map: {5} by {6} and {7}</title>"
      "<desc id=\"{0}-d\">{8}</desc>\n{9}"
      "<text x=\"{10}\" y=\"{11}\" text-anchor=\"middle\">{2}</text>"
      "<text x=\"12\" y=\"{12}\" text-anchor=\"middle\" transform=\"rotate(-90 12 {12})\">{1}</text></svg></figure>\n",
      E(id), E(h.y), E(h.x), width, height, E(pack.nouns), E(h.y), E(h.x), E(desc), svg, kLeft + n * kCell / 2,
      kTop + n * kCell + 38, kTop + n * kCell / 2);
}

}  // namespace

void Headline(std::string& out, const RunReport& report, const PackReport& pack) {
  std::size_t total = pack.outcomes.size();
  out += fmt::format("<section id=\"{}\"><h3>Headline figures</h3>\n<p>{} {} assessed as of <span class=\"date\">{}"
                     "</span>{}.</p>\n<div class=\"cards\">\n",
                     SectionId(pack, "headline"), FormatCount(total), E(total == 1 ? pack.noun : pack.nouns),
                     E(report.as_of),
                     pack.has_previous ? fmt::format(", compared with run {} (<span class=\"date\">{}</span>)",
                                                     pack.previous_run, E(pack.previous_as_of))
                                       : "");
  for (std::size_t i = 0; i < pack.categories.size(); ++i) {
    const auto& c = pack.categories[i];
    std::size_t n = pack.counts.at(c.id);
    std::string delta;
    if (pack.has_previous) {
      auto it = pack.previous_counts.find(c.id);
      long change = static_cast<long>(n) - static_cast<long>(it == pack.previous_counts.end() ? 0 : it->second);
      delta = change == 0 ? fmt::format("<div class=\"d\">no change since run {}</div>", pack.previous_run)
                          : fmt::format("<div class=\"d\">{}{} since run {}</div>", change > 0 ? "+" : "−",
                                        FormatCount(static_cast<std::size_t>(change > 0 ? change : -change)),
                                        pack.previous_run);
    }
    out += fmt::format("<div class=\"card\" style=\"--c:{}\"><div class=\"n\">{}</div><div class=\"l\">"
                       "<a href=\"#{}\">{}</a> ({:.0f}%)</div>{}</div>\n",
                       CategoryColour(i, pack.categories.size()), FormatCount(n), SectionId(pack, c.id), E(c.label),
                       total ? 100.0 * static_cast<double>(n) / static_cast<double>(total) : 0.0, delta);
  }
  for (std::size_t i = 0; i < pack.summary.size(); ++i)
    out += fmt::format("<div class=\"card\" style=\"--c:#14365d\"><div class=\"n\">{}</div>"
                       "<div class=\"l\">{}</div></div>\n",
                       E(GroupThousands(pack.summary_values.at(i))), E(pack.summary[i].title));
  out += "</div>\n";
  Heatmap(out, pack);
  std::vector<TrendPoint> points = pack.trend;
  points.push_back({report.as_of, report.run_id, pack.counts});
  std::string trend = TrendChart(pack, points, SectionId(pack, "trend"));
  if (trend.empty())
    out += "<p class=\"muted\">The trend across periods is drawn here from the second period this job runs.</p>\n";
  else
    out += "<h4>Trend across periods</h4>\n" + trend;
  out += "</section>\n";
}

}  // namespace vigil::reports::html
