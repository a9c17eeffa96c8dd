// Small inline SVG charts for report pages: the count in each category
// across periods, a measure's history with its thresholds as lines, and a
// timeline of dated events. Each has a text alternative (title and desc)
// and a caption that says in words what it shows.
#pragma once

#include <string>
#include <vector>

#include "reports/report_model.h"

namespace vigil::reports::html {

// The count in each category per period, oldest first; `points` includes
// this run's. A <figure>, or "" with fewer than two points.
std::string TrendChart(const PackReport& pack, const std::vector<TrendPoint>& points, const std::string& id);

// A horizontal line drawn across a measure chart.
struct ChartRule {
  std::string label;  // "watch 25%" is made from it and the value
  double value = 0;
};

// One measure's history (and comparators drawn beside it) with `rules` as
// dashed lines. A <figure>, or "" when the measure has no points.
std::string MeasureChart(const rules::Chart& chart, const EntityHistory& history,
                         const std::vector<ChartRule>& rules, const std::string& id);

// The dated values of the timeline's measure as events on a line, named by
// its `values`, with a list of them in words. "" when there are none.
std::string TimelineChart(const rules::Timeline& timeline, const EntityHistory& history, const std::string& as_of,
                          const std::string& id);

// A value with the chart's unit: "65%", "£-12,000" -> "−£12,000", "0.25".
std::string WithUnit(double value, const std::string& unit);

}  // namespace vigil::reports::html
