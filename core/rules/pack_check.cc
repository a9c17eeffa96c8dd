#include "rules/pack_check.h"

#include <algorithm>
#include <chrono>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "base/dates.h"
#include "base/did_you_mean.h"
#include "rules/evaluator.h"
#include "rules/lua_scan.h"

namespace vigil::rules {
namespace {

std::vector<std::string> ThresholdNames(const RulePack& pack) {
  std::vector<std::string> names;
  for (const auto& [name, value] : pack.thresholds()) names.push_back(name);
  return names;
}

std::string TypeInWords(const std::string& type) {
  if (type == "string") return "text";
  if (type == "boolean") return "true or false";
  if (type == "table") return "a list";
  return type;
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Whether the data provides `measure`, or the pack reads it only when it does
// (pack.lua's optional_measures): either way, reading it is no mistake.
bool KnownMeasure(const RulePack& pack, const KnownNames& known, const std::string& measure) {
  return Contains(*known.measures, measure) || Contains(pack.optional_measures(), measure);
}

// "rules/x/indicators/roll.lua:9" from "rules/x/indicators/roll.lua:9: …", or "".
std::string Location(const std::string& message) {
  static const std::regex kLocation(R"(^(.*?\.lua:\d+):)");
  std::smatch m;
  return std::regex_search(message, m, kLocation) ? m[1].str() : "";
}

// Figures of every measure on a made-up entity, oldest first.
struct Profile {
  const char* description;
  std::vector<std::optional<double>> values;
};

const std::vector<Profile>& Profiles() {
  static const std::vector<Profile> profiles = {
      {"with no data at all", {}},
      {"whose figures fell from 90 to 60 to 30", {90.0, 60.0, 30.0}},
      {"whose figures rose from 10 to 25 to 45", {10.0, 25.0, 45.0}},
      {"whose figures rose from 1 to 2 to 4", {1.0, 2.0, 4.0}},
      {"whose figures fell from 4 to 3 to 1", {4.0, 3.0, 1.0}},
      {"whose figures are all 0", {0.0, 0.0, 0.0}},
      {"whose latest figures are suppressed", {50.0, 40.0, std::nullopt}},
  };
  return profiles;
}

// `as_of` moved back by `days`, as an ISO date.
std::string DaysBefore(const std::string& as_of, int days) {
  using namespace std::chrono;
  auto date = ParseIsoDate(as_of).value_or(Date{2024, 1, 1});
  sys_days day = sys_days(year{date.year} / month{static_cast<unsigned>(date.month)} /
                          std::chrono::day{static_cast<unsigned>(date.day)}) - std::chrono::days{days};
  year_month_day ymd{day};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))}.Iso();
}

store::EntityWithHistory MadeUp(const RulePack& pack, const store::Attributes& attributes,
                                const Profile& profile, std::size_t measures, const std::string& as_of) {
  store::EntityWithHistory e;
  e.entity.kind = pack.kind();
  e.entity.key = "made-up";
  e.entity.name = "a made-up " + pack.kind();
  e.entity.attributes = attributes;
  std::sort(e.entity.attributes.begin(), e.entity.attributes.end());
  static const int kDaysBack[] = {730, 365, 30};
  for (std::uint32_t m = 1; m <= measures; ++m) {
    for (std::size_t i = 0; i < profile.values.size() && i < 3; ++i) {
      store::Observation o;
      o.measure = m;
      o.as_of = DaysBefore(as_of, kDaysBack[i]);
      o.number = profile.values[i];
      if (!o.number) o.text = "c: confidential";
      e.observations.push_back(std::move(o));
    }
  }
  return e;
}

std::string Describe(const store::Attributes& attributes) {
  std::string text;
  for (const auto& [name, value] : attributes) text += fmt::format("{}{} = {}", text.empty() ? "" : ", ", name, value);
  return text.empty() ? "" : " (" + text + ")";
}

}  // namespace

std::vector<Finding> CheckPackText(const RulePack& pack, const KnownNames& known) {
  std::vector<Finding> findings;
  const std::vector<std::string> thresholds = ThresholdNames(pack);
  for (const auto& source : pack.sources()) {
    const std::string shown = DisplayPath(pack.folder() / source.path, pack.folder());
    const std::vector<LuaToken> tokens = TokenizeLua(source.text);
    const std::vector<IndicatorText> blocks = IndicatorBlocks(tokens);
    auto who = [&](int line) -> std::string {
      for (const auto& b : blocks)
        if (line >= b.first_line && line <= b.last_line && !b.id.empty()) return fmt::format("indicator '{}'", b.id);
      return "the rules";
    };
    auto error = [&](int line, const std::string& what) {
      findings.push_back({fmt::format("{}:{}: {}", shown, line, what), true});
    };
    for (const auto& use : ThresholdUses(tokens))
      if (!pack.thresholds().count(use.name))
        error(use.line, fmt::format("threshold '{}' is not in thresholds.lua{}", use.name,
                                    DidYouMean(use.name, thresholds)));
    for (const auto& call : LevelCalls(tokens)) {
      if (call.points_is_text) {
        error(call.line, fmt::format("{0}(points, reason) is given a text first: the points come first, then the "
                                     "reason, as in {0}(threshold.some_points, \"why\")", call.level));
        continue;
      }
      auto it = pack.thresholds().find(call.points_threshold);
      if (it != pack.thresholds().end() && it->second.type != "number")
        error(call.line, fmt::format("{}(threshold.{}, …) gives threshold '{}' as the points, but it is {}, "
                                     "not a number", call.level, call.points_threshold, call.points_threshold,
                                     TypeInWords(it->second.type)));
    }
    for (const auto& block : blocks)
      for (const auto& bad : block.bad_returns)
        error(bad.line, fmt::format("indicator '{}': evaluate returns {}; it must return none(reason), "
                                    "watch(points, reason), concern(points, reason) or serious(points, reason) "
                                    "(or nothing, for none)", block.id, bad.name));
    if (known.measures)
      for (const auto& use : MeasureUses(tokens))
        if (!KnownMeasure(pack, known, use.name))
          error(use.line, fmt::format("{} reads measure '{}', which {}{}", who(use.line), use.name,
                                      known.measures_missing, DidYouMean(use.name, *known.measures)));
    if (known.attributes)
      for (const auto& use : AttributeUses(tokens))
        if (!Contains(*known.attributes, use.name))
          error(use.line, fmt::format("{} reads attribute '{}', which {}{}", who(use.line), use.name,
                                      known.attributes_missing, DidYouMean(use.name, *known.attributes)));
  }
  // Report columns that show a measure: a misspelt one shows an empty column.
  if (known.measures) {
    const std::string* text = pack.SourceText("pack.lua");
    std::vector<LuaToken> tokens = text ? TokenizeLua(*text) : std::vector<LuaToken>();
    for (const auto& c : pack.columns()) {
      if (c.kind != "latest" && c.kind != "previous" && c.kind != "latest_date") continue;
      if (KnownMeasure(pack, known, c.source)) continue;
      int line = 0;
      for (const auto& t : tokens)
        if (t.kind == LuaToken::kString && t.text == c.source && line == 0) line = t.line;
      findings.push_back({fmt::format("{}:{}: column '{}' shows measure '{}', which {}{}",
                                      DisplayPath(pack.folder() / "pack.lua", pack.folder()), line, c.title, c.source,
                                      known.measures_missing, DidYouMean(c.source, *known.measures)),
                          true});
    }
  }
  return findings;
}

std::vector<Finding> CheckOnMadeUpEntities(RulePack& pack, const KnownNames& known, const std::string& as_of,
                                           std::vector<store::Attributes> attribute_sets,
                                           const std::vector<Finding>& already) {
  std::set<std::string> reported;  // file:line already named
  for (const auto& f : already) reported.insert(Location(f.message));
  if (attribute_sets.empty()) attribute_sets.emplace_back();

  // The measures the rules read: those named in the files, those the pack
  // declares, and any a rule builds by name (found by running it).
  std::vector<std::string> names = {""};  // id 0 is unused
  auto add = [&](const std::string& m) {
    if (!Contains(names, m)) names.push_back(m);
  };
  for (const auto& m : pack.declared_measures()) add(m);
  for (const auto& m : pack.optional_measures()) add(m);
  for (const auto& source : pack.sources())
    for (const auto& use : MeasureUses(TokenizeLua(source.text))) add(use.name);

  std::vector<Finding> findings;
  std::map<std::string, std::string> dynamic_measures;  // measure -> where a rule asked for it
  struct MadeUpFailure {
    RuleFailure failure;
    const Profile* profile;
    std::string attributes;
  };
  std::vector<MadeUpFailure> failures;
  for (int pass = 0; pass < 3; ++pass) {
    failures.clear();
    Evaluator evaluator(pack, names, as_of);
    if (auto prepared = evaluator.Prepare(); !prepared.ok()) return {{prepared.error().message, true}};
    for (const auto& attributes : attribute_sets) {
      for (const auto& profile : Profiles()) {
        std::vector<RuleFailure> found;
        auto entity = MadeUp(pack, attributes, profile, names.size() - 1, as_of);
        (void)evaluator.Evaluate(entity, found);
        for (auto& f : found) failures.push_back({std::move(f), &profile, Describe(attributes)});
      }
    }
    bool added = false;
    for (const auto& [measure, users] : evaluator.unknown_measures()) {
      if (!users.empty()) dynamic_measures.emplace(measure, users.begin()->second);
      added = true;
      add(measure);
    }
    if (!added) break;
  }

  if (known.measures)
    for (const auto& [measure, where] : dynamic_measures)
      if (!KnownMeasure(pack, known, measure) && !reported.count(where))
        findings.push_back({fmt::format("{}: a rule reads measure '{}', which {}{}", where, measure,
                                        known.measures_missing, DidYouMean(measure, *known.measures)),
                            true});

  std::set<std::string> messages;
  for (const auto& [failure, profile, attributes] : failures) {
    const std::string& message = failure.message;
    if (reported.count(Location(message)) || !messages.insert(message).second) continue;
    bool about_nil = message.find("nil") != std::string::npos;
    bool no_data = profile->values.empty();
    bool for_lack_of_data = message.find("no value for this entity") != std::string::npos ||
                            message.find("give nil when there is no observation") != std::string::npos;
    std::string on = fmt::format("a made-up {} {}{}", pack.kind(), profile->description, attributes);
    if (!about_nil)
      findings.push_back({fmt::format("{}\n    (on {})", message, on), true});
    else if (no_data && for_lack_of_data)
      findings.push_back({fmt::format("{}\n    (on {}: a {} without this data would stop the run)", message, on,
                                      pack.kind()),
                          false});
  }
  return findings;
}

}  // namespace vigil::rules
