#include "reports/html_charts.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "base/dates.h"
#include "base/text.h"
#include "reports/html_common.h"

namespace vigil::reports::html {
namespace {

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// A number as a reader wants it on a chart: at most two decimals, grouped thousands.
std::string Short(double v) {
  double rounded = std::fabs(v) >= 100 ? std::round(v) : std::round(v * 100) / 100;
  if (rounded == 0) rounded = 0;  // no "-0"
  return GroupThousands(FormatNumber(rounded));
}

// A "nice" step (1, 2 or 5 times a power of ten) for about `ticks` intervals.
double NiceStep(double range, int ticks) {
  if (range <= 0) return 1;
  double raw = range / ticks;
  double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * power) return m * power;
  return 10 * power;
}

long Day(const std::string& iso) {
  auto d = ParseIsoDate(iso);
  return d ? d->DaysSinceEpoch() : 0;
}

// "Aug 2023", or "2023" when every date of the chart is in a different year.
std::string DateLabel(const std::string& iso, bool years_only) {
  auto d = ParseIsoDate(iso);
  if (!d) return iso;
  if (years_only) return std::to_string(d->year);
  return fmt::format("{} {}", kMonths[(d->month - 1) % 12], d->year);
}

bool OnePerYear(const std::vector<std::string>& dates) {
  std::set<std::string> years;
  for (const auto& d : dates) years.insert(d.substr(0, 4));
  return years.size() == dates.size();
}

// Which of `n` evenly spread x labels to draw so that at most about `most` show.
bool Labelled(std::size_t i, std::size_t n, std::size_t most) {
  if (n <= most) return true;
  std::size_t every = (n + most - 1) / most;
  return i == n - 1 || (i % every == 0 && n - 1 - i >= every / 2);
}

struct Frame {
  double width, height, left, right, top, bottom;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  double X(double x) const { return left + (x1 == x0 ? 0.5 : (x - x0) / (x1 - x0)) * (width - left - right); }
  double Y(double y) const { return top + (1 - (y - y0) / (y1 - y0)) * (height - top - bottom); }
};

// Y axis with gridlines over [lo, hi], widened to nice ticks; widens the
// frame's left margin to fit the longest tick label.
std::string YAxis(Frame& f, double lo, double hi, const std::string& unit) {
  if (lo == hi) {
    lo -= std::max(1.0, std::fabs(lo) * 0.1);
    hi += std::max(1.0, std::fabs(hi) * 0.1);
  }
  double step = NiceStep(hi - lo, 4);
  f.y0 = std::floor(lo / step) * step;
  f.y1 = std::ceil(hi / step) * step;
  std::vector<std::pair<double, std::string>> ticks;
  std::size_t longest = 0;
  for (int k = 0; f.y0 + k * step <= f.y1 + step / 2; ++k) {
    double v = f.y0 + k * step;  // by multiplication: adding steps drifts (0.1 + 0.2 …)
    ticks.emplace_back(v, WithUnit(v, unit));
    longest = std::max(longest, ticks.back().second.size());
  }
  f.left = std::max(f.left, 16 + 7.5 * static_cast<double>(longest));
  std::string svg;
  for (const auto& [v, label] : ticks) {
    double y = f.Y(v);
    svg += fmt::format("<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e3e6ec\"/>"
                       "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#555f6d\">{}</text>\n",
                       f.left, f.width - f.right, y, y, f.left - 6, y + 4, E(label));
  }
  return svg;
}

// Vertical positions for end labels wanted at `wanted` (text baselines),
// at least `gap` apart and inside [top, bottom]: overlapping labels are
// spread out, and pushed back up if they would leave the chart.
std::vector<double> SpreadLabels(const std::vector<double>& wanted, double gap, double top, double bottom) {
  std::vector<std::size_t> order(wanted.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return wanted[a] < wanted[b]; });
  std::vector<double> placed(wanted.size());
  double next = top;
  for (std::size_t i : order) {
    placed[i] = std::max(wanted[i], next);
    next = placed[i] + gap;
  }
  double limit = bottom;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    placed[*it] = std::min(placed[*it], limit);
    limit = placed[*it] - gap;
  }
  return placed;
}

// Room on the right for end labels of `chars` characters at 12 px: up to
// about 8 px a character in the system sans-serif (bold), with some to spare.
double LabelRoom(std::size_t chars) { return 16 + 8.5 * static_cast<double>(chars); }

// Characters of UTF-8 text, for sizing labels.
std::size_t Chars(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

std::string RuleColour(const std::string& label) {
  if (label.find("watch") != std::string::npos) return "#6b5900";
  if (label.find("concern") != std::string::npos) return "#a84d00";
  return "#a4161a";
}

}  // namespace

std::string WithUnit(double value, const std::string& unit) {
  std::string text = Short(std::fabs(value));
  bool negative = value < 0 && text != "0";  // -0.0000001 is "0", not "−0"
  if (unit == "£" || unit == "$" || unit == "€") return (negative ? "−" : "") + unit + text;
  return (negative ? "−" : "") + text + unit;
}

std::string TrendChart(const PackReport& pack, const std::vector<TrendPoint>& points, const std::string& id) {
  if (points.size() < 2) return "";
  std::size_t longest = 0;
  for (const auto& c : pack.categories) {
    auto last = points.back().counts.find(c.id);
    longest = std::max(longest, Chars(FormatCount(last == points.back().counts.end() ? 0 : last->second) + " " + c.label));
  }
  double right = LabelRoom(longest);
  Frame f{420 + right, 230, 30, right, 12, 30};
  f.x0 = 0;
  f.x1 = static_cast<double>(points.size() - 1);
  std::size_t most = 0;
  for (const auto& p : points)
    for (const auto& [c, n] : p.counts) most = std::max(most, n);
  std::string svg = YAxis(f, 0, static_cast<double>(std::max<std::size_t>(most, 1)), "");
  std::vector<std::string> dates;
  for (const auto& p : points) dates.push_back(p.as_of);
  bool years = OnePerYear(dates);
  for (std::size_t i = 0; i < points.size(); ++i)
    if (Labelled(i, points.size(), 6))
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#555f6d\">{}</text>",
                         f.X(static_cast<double>(i)), f.height - 10, E(DateLabel(points[i].as_of, years)));
  std::string desc;
  std::vector<double> label_y;   // end labels, wanted at their line's last point
  std::vector<std::string> labels;
  for (std::size_t c = 0; c < pack.categories.size(); ++c) {
    const auto& category = pack.categories[c];
    const char* colour = CategoryColour(c, pack.categories.size());
    std::string path, series;
    for (std::size_t i = 0; i < points.size(); ++i) {
      auto it = points[i].counts.find(category.id);
      double n = it == points[i].counts.end() ? 0 : static_cast<double>(it->second);
      path += fmt::format("{}{:.1f},{:.1f}", i ? " " : "", f.X(static_cast<double>(i)), f.Y(n));
      svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>", f.X(static_cast<double>(i)),
                         f.Y(n), colour);
      series += fmt::format("{}{} {}", i ? ", " : "", points[i].as_of, Short(n));
    }
    svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"/>\n", path, colour);
    auto last = points.back().counts.find(category.id);
    std::size_t n = last == points.back().counts.end() ? 0 : last->second;
    label_y.push_back(f.Y(static_cast<double>(n)) + 4);
    labels.push_back(fmt::format("fill=\"{}\" font-weight=\"600\">{} {}", colour, FormatCount(n), E(category.label)));
    desc += fmt::format("{}: {}. ", category.label, series);
  }
  auto placed = SpreadLabels(label_y, 14, f.top + 4, f.height - f.bottom + 4);
  for (std::size_t i = 0; i < labels.size(); ++i)
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" {}</text>\n", f.width - f.right + 8, placed[i], labels[i]);
  return fmt::format(
      "<figure id=\"{0}\"><svg viewBox=\"0 0 {1} {2}\" width=\"{1}\" height=\"{2}\" role=\"img\" "
      "aria-labelledby=\"{0}-t {0}-d\" font-size=\"12\"><title id=\"{0}-t\">{3} in each category, by period</title>"
      "<desc id=\"{0}-d\">{4}</desc>\n{5}</svg><figcaption>{3} in each category at the end of each period "
      "({6} to {7}): each period's latest successful run.</figcaption></figure>\n",
      E(id), f.width, f.height, E(Capitalised(pack.nouns)), E(desc), svg, E(points.front().as_of),
      E(points.back().as_of));
}

std::string MeasureChart(const rules::Chart& chart, const EntityHistory& history,
                         const std::vector<ChartRule>& rules, const std::string& id) {
  auto main = history.series.find(chart.measure);
  if (main == history.series.end() || main->second.empty()) return "";
  const auto& points = main->second;
  // The entity's own series first, then the comparators, named as readers
  // say them ("statistical_neighbours" -> "Statistical neighbours").
  std::vector<std::pair<std::string, const std::vector<SeriesPoint>*>> series{{"", &points}};
  for (const auto& m : chart.compare) {
    auto it = history.series.find(m);
    std::string name = Capitalised(m);
    std::replace(name.begin(), name.end(), '_', ' ');
    if (it != history.series.end() && !it->second.empty()) series.emplace_back(name, &it->second);
  }
  // End labels on the right: each line's, then each comparator's latest value.
  struct EndLabel {
    double y;
    std::string colour, text;
  };
  std::vector<EndLabel> ends;
  auto last_value = [](const std::vector<SeriesPoint>& values) -> std::optional<double> {
    for (auto it = values.rbegin(); it != values.rend(); ++it)
      if (it->value) return it->value;
    return std::nullopt;
  };
  for (const auto& r : rules) ends.push_back({r.value, RuleColour(r.label), r.label + " " + WithUnit(r.value, chart.unit)});
  for (std::size_t s = 1; s < series.size(); ++s)
    if (auto v = last_value(*series[s].second)) ends.push_back({*v, "#5b6475", series[s].first + " " + WithUnit(*v, chart.unit)});
  std::size_t longest = 6;
  for (const auto& e : ends) longest = std::max(longest, Chars(e.text));
  double right = LabelRoom(longest);
  Frame f{340 + right, 210, 30, right, 12, 30};
  std::vector<std::string> dates;
  double lo = 0, hi = 0;
  bool any = false;
  long first = Day(points.front().date), last = Day(points.back().date);
  for (const auto& [name, s] : series)
    for (const auto& p : *s) {
      first = std::min(first, Day(p.date));
      last = std::max(last, Day(p.date));
      if (!p.value) continue;
      lo = any ? std::min(lo, *p.value) : *p.value;
      hi = any ? std::max(hi, *p.value) : *p.value;
      any = true;
    }
  for (const auto& r : rules) {
    lo = any ? std::min(lo, r.value) : r.value;
    hi = any ? std::max(hi, r.value) : r.value;
    any = true;
  }
  if (first == last) {
    first -= 180;
    last += 180;
  }
  f.x0 = static_cast<double>(first);
  f.x1 = static_cast<double>(last);
  std::string svg = YAxis(f, lo, hi, chart.unit);
  for (const auto& p : points) dates.push_back(p.date);
  bool years = OnePerYear(dates);
  for (std::size_t i = 0; i < points.size(); ++i)
    if (Labelled(i, points.size(), 5))
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#555f6d\">{}</text>",
                         f.X(static_cast<double>(Day(points[i].date))), f.height - 10,
                         E(DateLabel(points[i].date, years)));
  std::string desc, rules_text, missing;
  for (const auto& r : rules) {
    double y = f.Y(r.value);
    svg += fmt::format("<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" "
                       "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
                       f.left, f.width - f.right, y, y, RuleColour(r.label));
    rules_text += fmt::format("{}{} at {}", rules_text.empty() ? "" : ", ", r.label, WithUnit(r.value, chart.unit));
  }
  std::vector<double> label_y;
  for (const auto& e : ends) label_y.push_back(f.Y(e.y) + 4);
  auto placed = SpreadLabels(label_y, 13, f.top + 4, f.height - f.bottom + 4);
  for (std::size_t i = 0; i < ends.size(); ++i)
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"{}\">{}</text>\n", f.width - f.right + 6, placed[i],
                       ends[i].colour, E(ends[i].text));
  for (std::size_t s = series.size(); s-- > 0;) {  // the entity's own series last, on top
    const auto& [name, values] = series[s];
    bool own = s == 0;
    std::string colour = own ? "#14365d" : "#8a93a3";
    std::string path, text;
    for (const auto& p : *values) {
      double x = f.X(static_cast<double>(Day(p.date)));
      if (!p.value) {
        if (own) {
          svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#555f6d\">×</text>", x,
                             f.height - f.bottom - 4);
          missing += fmt::format("{}{} ({})", missing.empty() ? "" : ", ", p.date, p.text.empty() ? "no value" : p.text);
        }
        continue;
      }
      path += fmt::format("{}{:.1f},{:.1f}", path.empty() ? "" : " ", x, f.Y(*p.value));
      if (own) svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3.5\" fill=\"{}\"/>", x, f.Y(*p.value), colour);
      text += fmt::format("{}{} {}", text.empty() ? "" : ", ", p.date, WithUnit(*p.value, chart.unit));
    }
    svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{}/>\n", path, colour,
                       own ? "2.5" : "1.5", own ? "" : " stroke-dasharray=\"2 3\"");
    desc = fmt::format("{}: {}. ", own ? chart.title : name, text.empty() ? "no values" : text) + desc;
  }
  // The latest value in words, where a reader looks first.
  std::string latest;
  for (auto it = points.rbegin(); it != points.rend(); ++it)
    if (it->value) {
      latest = fmt::format("Latest {} ({})", WithUnit(*it->value, chart.unit), it->date);
      break;
    }
  std::string caption = latest.empty() ? "No published value" : latest;
  if (!rules_text.empty()) caption += "; " + rules_text;
  if (chart.compare.size() && series.size() > 1) {
    std::string names;
    for (std::size_t s = 1; s < series.size(); ++s) names += (s > 1 ? ", " : "") + series[s].first;
    caption += "; dotted: " + names;
  }
  if (!missing.empty()) caption += "; × not published: " + missing;
  return fmt::format(
      "<figure id=\"{0}\"><h4>{1}</h4><svg viewBox=\"0 0 {2} {3}\" width=\"{2}\" height=\"{3}\" role=\"img\" "
      "aria-labelledby=\"{0}-t {0}-d\" font-size=\"12\"><title id=\"{0}-t\">{1}</title><desc id=\"{0}-d\">{4}{5}</desc>\n"
      "{6}</svg><figcaption>{7}.</figcaption></figure>\n",
      E(id), E(chart.title), f.width, f.height, E(desc), E(rules_text.empty() ? "" : "Lines: " + rules_text + "."),
      svg, Text(caption));
}

std::string TimelineChart(const rules::Timeline& timeline, const EntityHistory& history, const std::string& as_of,
                          const std::string& id) {
  auto it = history.series.find(timeline.measure);
  if (it == history.series.end() || it->second.empty()) return "";
  const auto& events = it->second;
  auto name = [&](const SeriesPoint& p) {
    if (p.value) {
      double v = std::round(*p.value);
      if (v >= 1 && v <= static_cast<double>(timeline.values.size()))
        return timeline.values[static_cast<std::size_t>(v) - 1];
      return Short(*p.value);
    }
    return p.text.empty() ? std::string("no judgement") : p.text;
  };
  // Best (first value) to worst: green, blue, orange, red; more cycle.
  static const char* kColours[] = {"#2e7d32", "#1565c0", "#b54708", "#a4161a", "#6a1b9a", "#7a6000"};
  auto colour = [&](const SeriesPoint& p) {
    if (!p.value) return "#8a93a3";
    auto index = static_cast<std::size_t>(std::max(1.0, std::round(*p.value))) - 1;
    return kColours[index % 6];
  };
  Frame f{760, 96, 20, 20, 10, 10};
  long first = Day(events.front().date), end = std::max(Day(as_of), Day(events.back().date));
  if (first == end) first -= 365;
  f.x0 = static_cast<double>(first);
  f.x1 = static_cast<double>(end);
  double axis = 40;
  std::string svg = fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#8a93a3\" stroke-width=\"2\"/>",
                                f.left, f.width - f.right, axis, axis);
  std::string list;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& p = events[i];
    double x = f.X(static_cast<double>(Day(p.date)));
    bool above = i % 2 == 1;
    std::string anchor = x < 80 ? "start" : x > f.width - 80 ? "end" : "middle";
    svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{}\" r=\"7\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"2\"/>"
                       "<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"{}\" font-weight=\"600\">{}</text>"
                       "<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"{}\" fill=\"#555f6d\">{}</text>\n",
                       x, axis, colour(p), x, above ? 14 : 64, anchor, E(name(p)), x, above ? 26 : 78, anchor,
                       E(p.date));
    list += fmt::format("<li><span class=\"date\">{}</span>: {}</li>", E(p.date), E(name(p)));
  }
  return fmt::format(
      "<figure id=\"{0}\"><svg viewBox=\"0 0 {1} {2}\" width=\"{1}\" height=\"{2}\" role=\"img\" "
      "aria-labelledby=\"{0}-t\" font-size=\"12\"><title id=\"{0}-t\">{3}: {4} on record, the latest on {5}</title>\n"
      "{6}</svg><figcaption><ol class=\"events\">{7}</ol></figcaption></figure>\n",
      E(id), f.width, f.height, E(timeline.title), events.size(), E(events.back().date), svg, list);
}

}  // namespace vigil::reports::html
