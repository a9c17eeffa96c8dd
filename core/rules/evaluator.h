// Evaluates a rule pack on entities: builds each entity's Lua view once and
// runs every indicator on it before moving on (LIMITS.md: ~50 ns a call
// this way, against ~900 ns rebuilding a table per rule), sums points and
// picks the category.
#pragma once

#include <cstdint>
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "base/string_hash.h"
#include "base/text.h"
#include "rules/rule_pack.h"
#include "store/store.h"

namespace vigil::rules {

struct IndicatorOutcome {
  std::string id;
  std::string level;  // none | watch | concern | serious
  double points = 0;
  std::string reason;
  std::vector<std::string> evidence;  // measures the rule read
  std::string show;                   // a short value for report columns (opts.show)
  std::vector<std::string> thresholds;  // names in thresholds.lua the rule read, sorted
};

struct EntityOutcome {
  store::Entity entity;
  double score = 0;
  std::string category;   // the final category (an override's, if one is in force)
  std::string forced_by;  // indicator id that forced the category, or empty
  std::optional<Override> override_applied;
  std::optional<Override> override_lapsed;  // one that no longer applies (expired before as_of)
  std::string computed_category;  // what the rules gave, before any override
  std::vector<std::string> columns;  // values of the pack's report columns, in order
  std::vector<IndicatorOutcome> indicators;  // those that applied, in pack order
};

// A rule that failed on one entity.
struct RuleFailure {
  std::string indicator;
  std::string message;  // file:line: what went wrong (plus a hint)
  std::string entity_key;
  std::string entity_name;
  bool fatal = false;   // over a budget or a broken sandbox: stop the run
};

class Evaluator {
 public:
  // `measure_names` maps measure ids of observations to names (Store::MeasureNames()).
  Evaluator(RulePack& pack, const std::vector<std::string>& measure_names, std::string as_of);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // Sets the shared names (as_of); call once before Evaluate().
  Status Prepare();

  // Runs every indicator on one entity; nullopt when the pack's applies()
  // leaves it out. A rule failure is appended to `failures` and returned as
  // an error; the caller decides whether to go on to other entities.
  Result<std::optional<EntityOutcome>> Evaluate(const store::EntityWithHistory& entity,
                                                std::vector<RuleFailure>& failures);
  // Why the pack's applies() left the last entity evaluated out, when it said
  // (its second result: `return false, "an independent school"`); else empty.
  const std::string& left_out_because() const;

  // Looked up by std::string_view or const char* without building a string.
  using MeasureIds = std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>>;
  const MeasureIds& measure_ids() const { return measure_ids_; }
  const std::string& measure_name(std::uint32_t id) const;
  const std::string& as_of() const { return as_of_; }

  // What a run and `vigil rules check` report after evaluating: measures a
  // rule asked for that the store has no name for (often a typo), with where
  // the rule asked ("rules/x/indicators/roll.lua:6"); attributes a rule read
  // that no entity evaluated has; the most instructions and wall time each
  // indicator used on one entity.
  using NameUses = std::map<std::string, std::map<std::string, std::string>, std::less<>>;  // name -> user -> file:line
  const NameUses& unknown_measures() const { return unknown_measures_; }
  NameUses UnknownAttributes() const;
  // One sentence per measure and attribute the rules read that the data
  // lacks, with where they read it and a "did you mean": a run's warnings
  // and `rules check --job`'s findings. `data` names what was evaluated
  // ("job 'demo'").
  std::vector<std::string> DataGaps(std::string_view data) const;
  const std::map<std::string, std::uint64_t>& peak_instructions() const { return peak_instructions_; }
  const std::map<std::string, double>& peak_seconds() const { return peak_seconds_; }
  // `where` is called only the first time a user asks for the name. Each
  // remembers at most kMaxNotedNames names of at most kMaxNotedNameBytes
  // (cleaned): a rule asking for a million made-up names, or one of 64 MiB,
  // costs the host nothing.
  template <typename Where>
  void NoteUnknownMeasure(const std::string& user, std::string_view measure, Where where) {
    NoteName(unknown_measures_, user, measure, where);
  }
  template <typename Where>
  void NoteMissingAttribute(const std::string& user, std::string_view attribute, Where where) {
    NoteName(missing_attributes_, user, attribute, where);
  }
  void NoteSeconds(const std::string& indicator, double seconds) {
    auto& peak = peak_seconds_[indicator];
    peak = std::max(peak, seconds);
  }
  void NoteInstructions(const std::string& indicator, std::uint64_t used) {
    auto& peak = peak_instructions_[indicator];
    peak = std::max(peak, used);
  }

  struct Context;  // shared with the Lua bindings

  static constexpr std::size_t kMaxNotedNames = 200;
  static constexpr std::size_t kMaxNotedNameBytes = 200;

 private:
  template <typename Where>
  static void NoteName(NameUses& names, const std::string& user, std::string_view name, Where where) {
    if (name.size() > kMaxNotedNameBytes) return;  // no real measure or attribute is named so
    auto it = names.find(name);
    if (it == names.end()) {
      if (names.size() >= kMaxNotedNames) return;
      it = names.emplace(CleanText(name, kMaxNotedNameBytes), std::map<std::string, std::string>()).first;
    }
    if (it->second.find(user) == it->second.end()) it->second.emplace(user, where());
  }

  // The Lua closure that runs every indicator on the current entity, and
  // the context its bindings read: made once, reused for every entity.
  void MakeClosure();

  RulePack& pack_;
  const std::vector<std::string>& measure_names_;
  MeasureIds measure_ids_;
  std::unique_ptr<Context> ctx_;
  int closure_ref_ = LUA_NOREF;
  int threshold_reads_ref_ = LUA_NOREF;  // prelude.lua's set of threshold names read
  std::string as_of_;
  NameUses unknown_measures_;
  // Attributes read where an entity had none, and every attribute name seen.
  NameUses missing_attributes_;
  std::set<std::string, std::less<>> seen_attributes_;
  std::map<std::string, std::uint64_t> peak_instructions_;
  std::map<std::string, double> peak_seconds_;
};

// Groups failures that share an indicator and message, for a report that
// says "12 schools, e.g. 103456 (Example Primary), …" instead of 12 lines.
std::string SummariseFailures(const std::vector<RuleFailure>& failures, std::size_t examples = 3);

}  // namespace vigil::rules
