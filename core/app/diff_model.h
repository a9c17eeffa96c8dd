// What `vigil diff` found, independent of how it is shown: the terminal,
// `--csv FILE` and `--html FILE` all render this.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rules/evaluator.h"

namespace vigil::app {

// One indicator of one entity whose level or points differ.
struct IndicatorChange {
  std::string id;
  std::string title;
  std::optional<rules::IndicatorOutcome> before;  // nullopt: did not apply (or did not exist)
  std::optional<rules::IndicatorOutcome> after;
  bool added = false;    // the old rules have no such indicator
  bool removed = false;  // the new rules have none
};

struct EntityChange {
  std::string key;
  std::string name;
  std::string from;  // category ids; "" when not assessed
  std::string to;
  std::optional<double> old_score;
  std::optional<double> new_score;
  std::vector<IndicatorChange> indicators;
  long movement = 0;  // > 0: towards a more serious category
};

// How many entities an indicator flags (watch, concern or serious) under each rule set.
struct IndicatorCount {
  std::string id;
  std::string title;
  std::optional<std::size_t> before;  // nullopt: not in the old rules
  std::optional<std::size_t> after;   // nullopt: not in the new rules
};

struct PackDiff {
  std::string pack;
  std::string kind;
  std::string old_source;  // "the rules of run 3"
  std::string new_source;  // "rules/schools on disk"
  bool same_rules = false;  // identical files: nothing can change
  std::size_t assessed_before = 0;
  std::size_t assessed_after = 0;
  std::map<std::string, std::string> labels;  // category id -> label, old and new
  std::vector<EntityChange> category_changes;  // most serious moves first
  std::vector<EntityChange> score_changes;     // same category, another score
  std::vector<IndicatorCount> indicators;

  std::string Label(const std::string& category) const;
};

struct DiffReport {
  std::string job;
  std::string as_of;
  std::vector<PackDiff> packs;
};

// "none 0 → concern 25 points" style text of one indicator's change.
std::string DescribeChange(const IndicatorChange& change);

std::string RenderDiffCsv(const DiffReport& report);
std::string RenderDiffHtml(const DiffReport& report);

}  // namespace vigil::app
