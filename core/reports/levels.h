// Indicator levels in order of severity, shared by every writer: a
// school's reasons are listed serious first, then concern, then watch.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "rules/evaluator.h"

namespace vigil::reports {

// serious 3, concern 2, watch 1, none 0; anything else (not applied) -1.
inline int LevelRank(const std::string& level) {
  if (level == "serious") return 3;
  if (level == "concern") return 2;
  if (level == "watch") return 1;
  if (level == "none") return 0;
  return -1;
}

// The indicators most serious first; the pack's order within a level.
inline std::vector<const rules::IndicatorOutcome*> BySeverity(const std::vector<rules::IndicatorOutcome>& indicators) {
  std::vector<const rules::IndicatorOutcome*> sorted;
  for (const auto& i : indicators) sorted.push_back(&i);
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
    return LevelRank(a->level) > LevelRank(b->level);
  });
  return sorted;
}

}  // namespace vigil::reports
