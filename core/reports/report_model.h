// What a run's reports show, independent of format: every writer renders
// this model and nothing else, so HTML, CSV and JSON always agree.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/evaluator.h"
#include "rules/rule_pack.h"
#include "store/store.h"

namespace vigil::reports {

struct IndicatorInfo {
  std::string id;
  std::string title;
  std::string file;
  int line = 0;
};

// An entity whose category differs from the previous run's.
struct CategoryChange {
  std::string key;
  std::string name;
  std::string from;  // empty: not assessed last time
  std::string to;    // empty: not assessed this time
  std::optional<double> score_from;
  std::optional<double> score_to;
  std::string group;  // the entity's split_by value, for the per-value pages
  // Why, one plain sentence per cause (see change_reasons.h): indicators
  // whose level or points moved, an override begun or ended, the rules.
  std::vector<std::string> why;
};

// The causes of a change as one line: "…; …".
std::string WhyText(const CategoryChange& change);

// How many entities each category held in one earlier period (the run
// ledger: that period's latest succeeded run).
struct TrendPoint {
  std::string as_of;
  std::int64_t run_id = 0;
  std::map<std::string, std::size_t> counts;  // category -> entities
};

// One dated value of a measure, for an entity page's charts and timeline.
struct SeriesPoint {
  std::string date;
  std::optional<double> value;
  std::string text;  // a textual value, or why the number is missing
};

// What an entity's page shows beyond its outcome: the history of the
// measures the pack charts, and its category in earlier periods.
struct EntityHistory {
  std::map<std::string, std::vector<SeriesPoint>> series;  // measure -> points, oldest first
  std::vector<store::PastCategory> past;                   // earlier periods, oldest first
};

struct PackReport {
  std::string name;
  std::string title;
  std::string kind;
  std::string noun = "entity";     // one entity, as the pack calls it ("school", "KPI")
  std::string nouns = "entities";  // several ("schools", "KPIs")
  std::string key_title = "Key";   // the key column's heading ("URN")
  std::string hash;
  std::vector<rules::Category> categories;  // most serious first
  std::vector<IndicatorInfo> indicators;
  std::vector<rules::Column> columns;  // extra table columns the pack asks for
  std::string group_by;                // a column title; rows are grouped by its value
  std::optional<rules::Heatmap> heatmap;
  std::vector<std::vector<std::size_t>> heatmap_counts;  // [y-1][x-1], filled by Finalise
  std::vector<rules::SummaryFigure> summary;
  std::vector<std::string> summary_values;               // one per figure, filled by Finalise
  std::vector<rules::EntityOutcome> outcomes;  // most serious category first, then score
  std::map<std::string, std::size_t> counts;   // category id -> entities
  bool has_previous = false;                    // a previous run to compare with
  std::int64_t previous_run = 0;
  std::string previous_as_of;                   // the period of previous_run
  bool rules_changed = false;                   // the pack's files differ from the previous run's
  std::vector<std::string> changed_files;       // which (empty when the previous run kept none)
  std::vector<CategoryChange> changes;
  std::map<std::string, std::size_t> previous_counts;  // category -> entities in the previous run
  // By value of the job's split_by, for its per-value pages: the previous
  // run's counts and the earlier periods' counts of that value's entities.
  std::map<std::string, std::map<std::string, std::size_t>> previous_group_counts;
  std::map<std::string, std::vector<TrendPoint>> group_trend;
  std::vector<TrendPoint> trend;  // earlier periods, oldest first; this run is not in it

  // Entity pages (a page per entity, linked from every list).
  bool entity_pages = false;  // written for this pack (up to kEntityPagesLimit entities)
  std::vector<rules::Chart> charts;
  std::optional<rules::Timeline> timeline;
  std::map<std::string, rules::Threshold> thresholds;  // the pack's thresholds.lua
  std::map<std::string, EntityHistory> histories;           // by entity key
};

// Where every data row of one input file went: stored, skipped (valid but
// not used) by reason, or rejected; read = stored + skipped + rejected.
struct FileRows {
  std::string file;             // as shown in rejections (relative to the job)
  bool counted = false;         // the plugin said how many rows it read (ABI 1.2)
  std::uint64_t read = 0;
  std::uint64_t stored = 0;
  std::uint64_t rejected = 0;   // rows with at least one rejected value
  std::vector<std::pair<std::string, std::uint64_t>> skipped;  // reason, rows
  std::uint64_t Skipped() const {
    std::uint64_t n = 0;
    for (const auto& [reason, count] : skipped) n += count;
    return n;
  }
};

struct SourceReport {
  std::string name;
  std::string plugin;
  std::string plugin_version;
  std::vector<std::pair<std::string, std::string>> files;  // path, sha256
  std::uint64_t entities = 0;
  std::uint64_t observations = 0;
  std::uint64_t rejections = 0;     // rejected values (a row may have several)
  std::vector<FileRows> rows;       // per file read, in the order read
  std::uint64_t lost_values = 0;    // values naming entities no source registered
  std::vector<std::string> warnings;  // data lost or unused, with the fix
  std::string first_date;  // the range of the observations' dates
  std::string last_date;
  bool skipped = false;
  std::string skip_reason;
};

using RejectedRow = store::RejectedRow;  // as the store keeps it

struct RunReport {
  std::string job;
  std::string title;
  std::int64_t run_id = 0;
  std::string as_of;
  std::string started_at;
  std::string vigil_version;
  std::vector<SourceReport> sources;
  std::vector<RejectedRow> rejections;  // the first ones; total in rejection_count
  std::uint64_t rejection_count = 0;
  std::vector<PackReport> packs;
  // What the rules read that the data does not have (a measure no source of
  // the job provides, an attribute no entity has), each a sentence with the
  // rule's file:line and a "did you mean". Shown in the data-quality section.
  std::vector<std::string> rule_warnings;
  std::string lists = "auto";  // entity lists on the page: auto, all, none (see ListsEntities)
  std::string split_by;        // the attribute of the per-value pages, if any
  std::string part;            // on a per-value page, its value ("Ladywood"); "" on the main page
};

// "190 outside the register, 2 not applicable"; "" when none was skipped.
std::string SkippedText(const FileRows& rows);
// A file's rows in one line: "400 read: 208 stored, 192 skipped (190 outside
// the register, 2 not applicable), 0 rejected"; without a count from the
// plugin, "rows not counted, 3 rejected".
std::string RowsText(const FileRows& rows);

// Pages list a pack's entities one by one up to this many ("auto"); beyond it
// they summarise, and the lists are in the per-value pages and results.csv.
inline constexpr std::size_t kAutoListLimit = 2000;
// Rows of a breakdown table (e.g. by ward) a page shows; past it, a note.
inline constexpr std::size_t kBreakdownRowsShown = 200;
// Changes since the previous run shown on a page; all are in report.json.
inline constexpr std::size_t kChangesShown = 1000;
// A pack with up to this many entities gets a page per entity; past it,
// `vigil explain --html` writes one on demand.
inline constexpr std::size_t kEntityPagesLimit = 2000;

// Where a rejected row is: "file:line", "file" when the line is unknown, ""
// when neither is (a record a plugin emitted without saying where it read it).
std::string RowLocation(std::string_view file, std::uint64_t line);

// The run a pack's changes compare with, as pages name it: "run 3 (as of 2023-10-31)".
std::string PreviousRunName(const PackReport& pack);
// What a page says when there is none.
inline constexpr const char* kNoPreviousRun = "No succeeded run of an earlier period to compare with.";

// Whether a page lists each of the pack's entities.
bool ListsEntities(const RunReport& report, const PackReport& pack);
// What a page says instead of the list, for `count` entities of a category.
std::string NotListedNote(const RunReport& report, const PackReport& pack, std::size_t count);

// A pack's report before evaluation: its names, categories, indicators,
// columns, charts and thresholds, from the loaded rules.
PackReport DescribePack(const rules::RulePack& pack);

// Orders outcomes (most serious category first, then the group_by column,
// then score, then key) and fills the counts, heat map and summary figures;
// call once the outcomes are in.
void Finalise(PackReport& pack);

// The measures an entity page charts: each chart's measure and comparators,
// and the timeline's.
std::vector<std::string> ChartedMeasures(const PackReport& pack);

// The entity page's file, relative to the report's folder:
// "<pack>/<key>.html" with the key kept to letters, digits, '-' and '_'
// (other bytes as _XX), so any key makes one safe, unique name.
std::string EntityPagePath(const std::string& pack, const std::string& key);
// The id of an entity's row on a page, and its anchor: "<kind>-<key>" kept likewise.
std::string EntityAnchor(const std::string& kind, const std::string& key);

// The value of column `title` for one outcome, or "".
std::string ColumnValue(const PackReport& pack, const rules::EntityOutcome& o, const std::string& title);

}  // namespace vigil::reports
