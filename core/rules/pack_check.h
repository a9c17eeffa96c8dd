// The checks `vigil rules check` makes before any data: reading the pack's
// files (thresholds that do not exist, points given as text, evaluate
// returning something that is not a level, measures the pack does not
// provide) and running every indicator on made-up entities, so that a type
// mistake surfaces on the officer's desk, not in the first scheduled run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rules/rule_pack.h"
#include "store/store.h"

namespace vigil::rules {

struct Finding {
  std::string message;  // "file:line: what is wrong (did you mean …?)"
  bool error = true;    // false: a warning, which does not fail the check
};

// Names the data provides, when known, and how to say that a name is not
// among them ("pack.lua's measures do not list", "no source of job 'demo' provides").
struct KnownNames {
  std::optional<std::vector<std::string>> measures;
  std::string measures_missing;  // completes "reads measure 'x', which …"
  std::optional<std::vector<std::string>> attributes;
  std::string attributes_missing;  // completes "reads attribute 'x', which …"
};

// Reads every file of the pack; needs no data and runs no rule.
std::vector<Finding> CheckPackText(const RulePack& pack, const KnownNames& known);

// Runs every indicator on made-up entities (`attribute_sets`, e.g. those of
// the pack's own tests, each with no data and with rising, falling, small and
// suppressed figures for every measure the pack reads) as of `as_of`, and
// reports what fails there: errors for mistakes that would fail on any data,
// warnings for what fails only on an entity with no data. Findings already at
// a line of `already` are left out.
std::vector<Finding> CheckOnMadeUpEntities(RulePack& pack, const KnownNames& known, const std::string& as_of,
                                           std::vector<store::Attributes> attribute_sets,
                                           const std::vector<Finding>& already);

}  // namespace vigil::rules
