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
};

struct TestResult {
  const PackTest* test = nullptr;
  bool passed = false;
  std::vector<std::string> problems;  // what differed, in plain words
};

// Loads every tests/*.lua file of the pack into its sandbox.
Result<std::vector<PackTest>> LoadPackTests(RulePack& pack, const std::string& default_as_of);

// Evaluates each test's entity and compares with what it expects.
std::vector<TestResult> RunPackTests(RulePack& pack, const std::vector<PackTest>& tests);

}  // namespace vigil::rules
