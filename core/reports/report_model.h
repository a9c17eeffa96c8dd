// What a run's reports show, independent of format: every writer renders
// this model and nothing else, so HTML, CSV and JSON always agree.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rules/evaluator.h"
#include "rules/rule_pack.h"

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
  std::string why;   // the indicators that moved, by id: "ofsted_judgement none -> serious: …"
};

struct PackReport {
  std::string name;
  std::string title;
  std::string kind;
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
  std::vector<CategoryChange> changes;
  std::map<std::string, std::size_t> previous_counts;  // category -> entities in the previous run
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

struct RejectedRow {
  std::string source;
  std::string file;
  std::uint64_t line = 0;
  std::string field;
  std::string value;
  std::string reason;
};

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

// Whether a page lists each of the pack's entities.
bool ListsEntities(const RunReport& report, const PackReport& pack);
// What a page says instead of the list, for `count` entities of a category.
std::string NotListedNote(const RunReport& report, const PackReport& pack, std::size_t count);

// Orders outcomes (most serious category first, then the group_by column,
// then score, then key) and fills the counts, heat map and summary figures;
// call once the outcomes are in.
void Finalise(PackReport& pack);

// The value of column `title` for one outcome, or "".
std::string ColumnValue(const PackReport& pack, const rules::EntityOutcome& o, const std::string& title);

}  // namespace vigil::reports
