// "did you mean …?" for names an officer types: thresholds, measures,
// attributes, indicator and category ids. The nearest known name by edit
// distance (a swapped pair of letters counts as one edit), if it is near
// enough to be the likely intent.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// The candidate closest to `word`, or nullopt when none is close: at most one
// edit for short names, two for names of six letters or more, a third of the
// word's length at most. Ties go to the first candidate given.
std::optional<std::string> ClosestName(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean absence_enrolments?)", or "" when no candidate is close.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace vigil
