// A rule pack: a folder of Lua files loaded into one sandbox.
//
//   pack.lua          pack { name = "schools", title = "…", kind = "school",
//                            applies = function(e) return e.attr.status ~= "Closed" end }
//   thresholds.lua    return { inspection_overdue_years = 5, … }   (officers edit)
//   categories.lua    categories { { id = "intensive", min_score = 60, … }, … }
//   indicators/*.lua  indicator { id = "…", applies = fn, evaluate = fn }
//   overrides.lua     overrides { { key = "…", category = "…", reason = "…", by = "…",
//                                   expires = "2024-03-31" } }        (optional)
//   lib/*.lua         functions and tables shared by the indicator files (optional):
//                     the names a lib file defines are visible, read-only, in every
//                     file loaded after it
//   tests/*.lua       test { … }   (loaded only by LoadTests, for `vigil rules test`)
//
// Load errors name the file and line. The pack's hash covers every file
// loaded, so each stored result can say which rules produced it.
#pragma once

#include <filesystem>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "rules/sandbox.h"

namespace vigil::rules {

struct Category {
  std::string id;
  std::string label;
  std::string description;
  double min_score = 0;
};

// An officer's decision that overrides the computed category until a date.
struct Override {
  std::string key;
  std::string category;
  std::string reason;
  std::string by;
  std::string expires;  // ISO date; the override applies while as_of <= expires
  std::string file;
  int line = 0;  // of the entry itself in overrides.lua
};

// A value of thresholds.lua, as the checks and `vigil explain` read it.
struct Threshold {
  std::string type;  // number | string | boolean | table
  double number = 0;
  std::string text;
};

// A column of the pack's report tables: pack { columns = { { "Latest", latest = "value" } } }.
struct Column {
  std::string title;
  std::string kind;    // attr | latest | previous | latest_date | level | shows
  std::string source;  // the attribute, measure or indicator it reads
  bool print = true;   // { ..., print = false }: left out when the report is printed on A4
  bool wide = false;   // { ..., wide = true }: long text, shown under the row across the list's width
};

// pack { heatmap = { x = "Likelihood", y = "Impact", max = 5 } }: counts of
// entities by the numeric values of two columns.
struct Heatmap {
  std::string x;
  std::string y;
  int max = 5;
};

// pack { summary = { { "Plan complete", column = "Progress", aggregate = "mean" } } }
struct SummaryFigure {
  std::string title;
  std::string column;
  std::string aggregate;  // mean | sum | count | min | max
  std::string equals;     // for count: the value counted
  std::string unit;
  std::string starts_with;  // for count: counts values that start with this text instead
  std::string ends_with;    // for count: counts values that end with this text instead
};

// A horizontal line on a chart: a threshold, a fixed value or an attribute
// of the entity (a KPI's target), optionally scaled by a number or by
// another threshold (a concern level at twice the watch level).
struct ChartLine {
  std::string label;
  std::string threshold;              // a name in thresholds.lua, or ""
  std::optional<double> value;        // a fixed value
  std::string attr;                   // an attribute of the entity holding a number, or ""
  double scale = 1;
  std::string scale_threshold;        // multiply by this threshold, or ""
};

// pack { charts = { { "Progress 8", measure = "ks4_progress8", lines = { ... } } } }: a
// chart of one measure's history on each entity's page, with lines drawn at the
// thresholds the entity's rules used (see docs/reports.md).
struct Chart {
  std::string title;
  std::string measure;
  std::string unit;                   // "%" after the value; "£" before it
  std::vector<std::string> compare;   // other measures drawn beside it (comparators)
  std::vector<ChartLine> lines;
};

// pack { timeline = { "Ofsted inspections", measure = "ofsted_overall", values = { ... } } }:
// the dated events of one measure on each entity's page; values[i] names the value i + 1.
struct Timeline {
  std::string title;
  std::string measure;
  std::vector<std::string> values;
};

// One file of a pack as it was loaded: its path relative to the pack's
// folder ("indicators/ofsted.lua") and its exact bytes.
struct PackSource {
  std::string path;
  std::string text;
};

struct Indicator {
  std::string id;
  std::string title;
  std::string file;  // as shown in messages
  int line = 0;
  int applies_ref = LUA_NOREF;   // registry refs into the pack's state
  int evaluate_ref = LUA_NOREF;
};

class RulePack {
 public:
  static Result<std::unique_ptr<RulePack>> Load(const std::filesystem::path& folder,
                                                const Limits& limits = {});
  // Loads a pack from files kept elsewhere (the store keeps each run's pack),
  // as if they were in `folder`: messages and file names read as they did.
  static Result<std::unique_ptr<RulePack>> LoadFromSources(const std::filesystem::path& folder,
                                                           std::vector<PackSource> sources,
                                                           const Limits& limits = {});

  const std::string& name() const { return name_; }
  const std::string& title() const { return title_; }
  const std::string& kind() const { return kind_; }
  const std::filesystem::path& folder() const { return folder_; }
  const std::string& hash() const { return hash_; }
  // Highest first, by min_score.
  const std::vector<Category>& categories() const { return categories_; }
  const std::vector<Indicator>& indicators() const { return indicators_; }
  const std::vector<std::string>& files() const { return files_; }
  // Every file loaded, with the bytes the hash covers, in load order.
  const std::vector<PackSource>& sources() const { return sources_; }
  const std::vector<Override>& overrides() const { return overrides_; }
  const std::map<std::string, Threshold>& thresholds() const { return thresholds_; }
  // pack { measures = { ... } }: the measures the pack says it reads (may be empty).
  const std::vector<std::string>& declared_measures() const { return declared_measures_; }
  // pack.lua's optional_measures: read only when a source provides them (a
  // fallback), so their absence is neither a check error nor a run warning.
  const std::vector<std::string>& optional_measures() const { return optional_measures_; }
  // The text of a loaded file by its path in the pack ("thresholds.lua"), or nullptr.
  const std::string* SourceText(const std::string& path) const;
  const std::vector<Column>& columns() const { return columns_; }
  const std::string& group_by() const { return group_by_; }
  const std::optional<Heatmap>& heatmap() const { return heatmap_; }
  const std::vector<SummaryFigure>& summary() const { return summary_; }
  // pack { noun = "KPI", nouns = "KPIs" }: what the report calls one entity and several
  // ("KPI"/"KPIs"); by default the kind with spaces, plus "s".
  std::string Noun(std::size_t count) const;
  // pack { key_title = "URN" }: the heading of the key column ("Key" by default).
  const std::string& key_title() const { return key_title_; }
  const std::vector<Chart>& charts() const { return charts_; }
  const std::optional<Timeline>& timeline() const { return timeline_; }
  // The override in force for `key` on `as_of`, if any.
  const Override* FindOverride(const std::string& key, const std::string& as_of) const;
  // The override for `key` that lapsed most recently before `as_of`, when none
  // is in force: the report and `vigil explain` say it no longer applies.
  const Override* FindLapsedOverride(const std::string& key, const std::string& as_of) const;
  // "Intensive support" for "intensive"; the id itself when it has no label.
  std::string CategoryLabel(const std::string& id) const;
  Sandbox& sandbox() { return *sandbox_; }
  // pack { applies = function(e) ... end }: which entities are assessed at all.
  int applies_ref() const { return applies_ref_; }

  const Category* FindCategory(const std::string& id) const;
  // The highest category whose min_score the score reaches (else the lowest).
  const Category& CategoryForScore(double score) const;
  // Position in categories(): 0 is the most serious.
  std::size_t Rank(const std::string& id) const;

 private:
  RulePack() = default;
  static int ReadRegistry(lua_State* L);
  // Loads `sources` (in order) into a new sandbox and reads what they declared.
  static Result<std::unique_ptr<RulePack>> Build(const std::filesystem::path& folder,
                                                 std::vector<PackSource> sources, const Limits& limits);
  Status CheckThresholdValues() const;
  // The categories in the order categories.lua lists them, highest min_score first.
  Status CheckCategoryOrder() const;
  void PlaceOverrideEntries();

  std::string name_, title_, kind_, hash_;
  std::filesystem::path folder_;
  std::vector<Category> categories_;
  std::vector<Indicator> indicators_;
  std::vector<std::string> files_;
  std::vector<PackSource> sources_;
  std::vector<Override> overrides_;
  std::map<std::string, Threshold> thresholds_;
  std::vector<std::string> declared_measures_;
  std::vector<std::string> optional_measures_;
  std::vector<Column> columns_;
  std::string group_by_;
  std::uint64_t instruction_limit_ = 0;  // 0: the default
  std::size_t memory_limit_mb_ = 0;
  std::optional<Heatmap> heatmap_;
  std::vector<SummaryFigure> summary_;
  std::string noun_, nouns_, key_title_;
  std::vector<Chart> charts_;
  std::optional<Timeline> timeline_;
  std::unique_ptr<Sandbox> sandbox_;
  int applies_ref_ = LUA_NOREF;
};

// How a path is shown in messages: relative to the current folder when it
// is below it, else from the pack's parent folder ("rules/schools/…").
std::string DisplayPath(const std::filesystem::path& path,
                        const std::filesystem::path& pack_folder = {});

}  // namespace vigil::rules
