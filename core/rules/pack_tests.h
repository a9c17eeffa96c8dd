// A rule pack's own tests (tests/*.lua): small fixture entities and the
// level, score or category the officer expects, run by `vigil rules test`.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "rules/rule_pack.h"
#include "store/store.h"

namespace vigil::rules {

struct PackTest {
  std::string name;
  std::string file;
  int line = 0;
  std::string as_of;
  std::vector<std::string> measure_names;  // ids used by entity.observations
  store::EntityWithHistory entity;
  std::optional<std::string> expect_category;
  std::optional<double> expect_score;
  std::map<std::string, std::string> expect_levels;           // indicator -> level
  std::map<std::string, std::string> expect_reason_contains;  // indicator -> text
  // Mistakes in the test itself (an unknown key, indicator or category), each
  // "file:line: …": the test fails with them rather than check nothing.
  std::vector<std::string> mistakes;
};

struct TestResult {
  const PackTest* test = nullptr;
  bool passed = false;
  std::vector<std::string> problems;  // what differed, in plain words
  std::vector<std::pair<std::string, std::string>> reached;  // indicator id, level the test's entity got
};

// Loads every tests/*.lua file of the pack into its sandbox.
Result<std::vector<PackTest>> LoadPackTests(RulePack& pack, const std::string& default_as_of);

// Evaluates each test's entity and compares with what it expects.
std::vector<TestResult> RunPackTests(RulePack& pack, const std::vector<PackTest>& tests);

// What no test reaches: one line per indicator that no test's entity gets
// at all, or that never gets a level its file can give ("ks2_falling: watch").
std::vector<std::string> CoverageGaps(const RulePack& pack, const std::vector<TestResult>& results);

}  // namespace vigil::rules
