#include "rules/evaluator.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "base/did_you_mean.h"
#include "base/text.h"

namespace vigil::rules {
namespace {

// Bounds on text a rule hands to the host (docs/reliability.md): what the
// host keeps for a rule must be bounded by the host, since Lua's memory cap
// does not count it.
constexpr std::size_t kMaxReasonBytes = 4000;
constexpr std::size_t kMaxShowBytes = 200;
constexpr std::size_t kMaxMeasureNameBytes = 200;
// Measures without a value remembered per call for the hint in an error.
constexpr std::size_t kMaxEmptyMeasures = 16;

}  // namespace

// What the entity view's methods read: the entity being evaluated now.
struct Evaluator::Context {
  Evaluator* evaluator = nullptr;
  const store::EntityWithHistory* entity = nullptr;
  std::vector<std::uint32_t> used;  // measures read by the current indicator
  std::vector<std::string> empty;   // measures it read that have no value for this entity
  std::vector<RuleFailure>* failures = nullptr;
  EntityOutcome* outcome = nullptr;
  const std::string* indicator = nullptr;  // the indicator running now
  bool assessed = true;  // false when the pack's applies() left the entity out
  int threshold_reads_ref = LUA_NOREF;  // the set of threshold names read (prelude.lua)
};

namespace {

Evaluator::Context& ContextOf(lua_State* L) {
  return *static_cast<Evaluator::Context*>(lua_touserdata(L, lua_upvalueindex(1)));
}

// Who is reading: the indicator running now, or the pack's applies().
const std::string& Reader(const Evaluator::Context& ctx) {
  static const std::string kPackApplies = "pack.applies";
  return ctx.indicator != nullptr ? *ctx.indicator : kPackApplies;
}

// "rules/x/indicators/roll.lua:6": the rule line that called the C function running now.
std::string CallerLocation(lua_State* L) {
  lua_Debug ar;
  if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0)
    return fmt::format("{}:{}", ar.short_src, ar.currentline);
  return "";
}

// e.attr's __index: reading an attribute the entity lacks gives nil, as
// documented; the name is noted so a run can say when no entity has it at all.
int MissingAttribute(lua_State* L) {
  Evaluator::Context& ctx = ContextOf(L);
  if (lua_type(L, 2) == LUA_TSTRING) {
    std::size_t length = 0;
    const char* name = lua_tolstring(L, 2, &length);
    ctx.evaluator->NoteMissingAttribute(Reader(ctx), std::string_view(name, length), [L] { return CallerLocation(L); });
  }
  lua_pushnil(L);
  return 1;
}

// The observations of `measure` (oldest first) for the current entity.
std::pair<const store::Observation*, const store::Observation*> Range(
    Evaluator::Context& ctx, lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  std::size_t length = 0;
  const char* text = luaL_checklstring(L, 2, &length);
  if (length > kMaxMeasureNameBytes)
    luaL_error(L, "a measure name is at most %d bytes; this one is %I", static_cast<int>(kMaxMeasureNameBytes),
               static_cast<lua_Integer>(length));
  std::string_view name(text, length);
  const auto& ids = ctx.evaluator->measure_ids();
  auto it = ids.find(name);
  const auto& obs = ctx.entity->observations;
  auto note_empty = [&] {
    if (ctx.empty.size() < kMaxEmptyMeasures && std::find(ctx.empty.begin(), ctx.empty.end(), name) == ctx.empty.end())
      ctx.empty.emplace_back(CleanText(name, kMaxMeasureNameBytes));
  };
  if (it == ids.end()) {
    ctx.evaluator->NoteUnknownMeasure(Reader(ctx), name, [L] { return CallerLocation(L); });
    note_empty();
    return {obs.data(), obs.data()};
  }
  std::uint32_t id = it->second;
  if (std::find(ctx.used.begin(), ctx.used.end(), id) == ctx.used.end()) ctx.used.push_back(id);
  auto lo = std::lower_bound(obs.begin(), obs.end(), id,
                             [](const store::Observation& o, std::uint32_t m) { return o.measure < m; });
  auto hi = std::upper_bound(lo, obs.end(), id,
                             [](std::uint32_t m, const store::Observation& o) { return m < o.measure; });
  // Facts dated after the assessment date do not exist yet for the rules:
  // an assessment "as of 2019-11-30" must read as it would have then.
  const std::string& as_of = ctx.evaluator->as_of();
  hi = std::upper_bound(lo, hi, as_of,
                        [](const std::string& date, const store::Observation& o) { return date < o.as_of; });
  if (lo == hi || !(hi - 1)->number) note_empty();
  return {obs.data() + (lo - obs.begin()), obs.data() + (hi - obs.begin())};
}

void PushObservation(lua_State* L, const store::Observation& o) {
  lua_createtable(L, 0, 3);
  if (o.number) {
    lua_pushnumber(L, *o.number);
    lua_setfield(L, -2, "value");
  }
  if (!o.text.empty()) {
    lua_pushlstring(L, o.text.data(), o.text.size());
    lua_setfield(L, -2, "text");
  }
  lua_pushlstring(L, o.as_of.data(), o.as_of.size());
  lua_setfield(L, -2, "date");
}

int Latest(lua_State* L) {
  auto [first, last] = Range(ContextOf(L), L);
  if (first == last) lua_pushnil(L); else PushObservation(L, *(last - 1));
  return 1;
}

int Previous(lua_State* L) {
  auto [first, last] = Range(ContextOf(L), L);
  if (last - first < 2) lua_pushnil(L); else PushObservation(L, *(last - 2));
  return 1;
}

int History(lua_State* L) {
  auto [first, last] = Range(ContextOf(L), L);
  lua_createtable(L, static_cast<int>(last - first), 0);
  lua_Integer i = 1;
  for (auto* o = first; o != last; ++o, ++i) {
    PushObservation(L, *o);
    lua_rawseti(L, -2, i);
  }
  return 1;
}

int Value(lua_State* L) {
  auto [first, last] = Range(ContextOf(L), L);
  if (first == last || !(last - 1)->number) lua_pushnil(L);
  else lua_pushnumber(L, *(last - 1)->number);
  return 1;
}

void SetString(lua_State* L, const char* field, const std::string& value) {
  lua_pushlstring(L, value.data(), value.size());
  lua_setfield(L, -2, field);
}

// Builds the entity view: fields key, kind, name, attr, and methods.
void PushEntityView(lua_State* L, Evaluator::Context& ctx) {
  const store::Entity& e = ctx.entity->entity;
  lua_createtable(L, 0, 4);
  SetString(L, "key", e.key);
  SetString(L, "kind", e.kind);
  SetString(L, "name", e.name);
  lua_createtable(L, 0, static_cast<int>(e.attributes.size()));
  for (const auto& [name, value] : e.attributes) SetString(L, name.c_str(), value);
  lua_pushvalue(L, lua_upvalueindex(4));  // notes reads of absent attributes
  lua_setmetatable(L, -2);
  lua_setfield(L, -2, "attr");
  lua_pushvalue(L, lua_upvalueindex(2));  // the shared metatable with the methods
  lua_setmetatable(L, -2);
}

std::string Hint(const std::string& message, const std::vector<std::string>& empty) {
  std::string which;
  for (const auto& m : empty)
    if (which.find("'" + m + "'") == std::string::npos) which += (which.empty() ? "" : ", ") + ("'" + m + "'");
  if (message.find("attempt to compare") != std::string::npos &&
      message.find("nil") != std::string::npos)
    return which.empty()
               ? " (a measure has no value for this entity: e:value() and e:latest() give nil "
                 "then; guard it with 'if v then … end')"
               : fmt::format(" (measure {} has no value for this entity: e:value() and e:latest() "
                             "give nil then; guard it with 'if v then … end')", which);
  if (message.find("attempt to index a nil value") != std::string::npos ||
      message.find("attempt to perform arithmetic on a nil value") != std::string::npos)
    return " (e:latest() and e:previous() give nil when there is no observation; check "
           "before using .value or .date)";
  return "";
}

// Turns what evaluate() returned (on the stack top) into an outcome.
std::string ReadOutcome(lua_State* L, const RulePack& pack, IndicatorOutcome& out,
                        std::string& force) {
  int t = lua_gettop(L);
  if (lua_isnil(L, t)) {
    out.level = "none";
    return "";
  }
  if (!lua_istable(L, t))
    return fmt::format("evaluate returned a {}; expected none(...), watch(...), concern(...) "
                       "or serious(...)", luaL_typename(L, t));
  lua_getfield(L, t, "level");
  const char* level = lua_tostring(L, -1);
  out.level = level ? level : "";
  lua_pop(L, 1);
  if (out.level != "none" && out.level != "watch" && out.level != "concern" && out.level != "serious")
    return fmt::format("evaluate returned level '{}'; expected none, watch, concern or serious",
                       out.level);
  lua_getfield(L, t, "points");
  int is_number = 0;
  out.points = lua_tonumberx(L, -1, &is_number);
  lua_pop(L, 1);
  if (!is_number) out.points = 0;
  if (!std::isfinite(out.points) || out.points < 0)
    return fmt::format("points must be a finite number of 0 or more, got {}", out.points);
  lua_getfield(L, t, "reason");
  std::size_t length = 0;
  const char* reason = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &length) : nullptr;
  if (reason != nullptr && length <= kMaxReasonBytes) out.reason = CleanText(std::string_view(reason, length), kMaxReasonBytes);
  lua_pop(L, 1);
  if (length > kMaxReasonBytes)
    return fmt::format("the reason is {} bytes long; a reason must be under {} bytes", length, kMaxReasonBytes);
  lua_getfield(L, t, "force");
  if (!lua_isnil(L, -1)) {
    const char* id = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : nullptr;
    if (id == nullptr || pack.FindCategory(id) == nullptr) {
      std::string known;
      std::vector<std::string> ids;
      for (const auto& c : pack.categories()) {
        known += (known.empty() ? "" : ", ") + c.id;
        ids.push_back(c.id);
      }
      std::string given = id ? CleanText(id, 64) : luaL_typename(L, -1);
      lua_pop(L, 1);
      return fmt::format("force = '{}' is not a category (categories: {}){}", given, known, DidYouMean(given, ids));
    }
    force = id;
  }
  lua_pop(L, 1);
  lua_getfield(L, t, "show");
  if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER) {
    lua_pushvalue(L, -1);  // tolstring on a copy: it converts numbers in place
    const char* show = lua_tolstring(L, -1, &length);
    lua_pop(L, 1);
    if (length > kMaxShowBytes) {
      lua_pop(L, 1);
      return fmt::format("the show value is {} bytes long; a value for a report column must be under {} bytes",
                         length, kMaxShowBytes);
    }
    out.show = CleanText(std::string_view(show, length), kMaxShowBytes);
  }
  lua_pop(L, 1);
  return "";
}

// Moves the names in the set of thresholds read into `names` (sorted) and
// empties the set for the next indicator. Setting fields to nil while
// traversing a table is allowed by lua_next's contract.
void TakeThresholdReads(lua_State* L, int set_ref, std::vector<std::string>* names) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, set_ref);
  int set = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, set) != 0) {
    lua_pop(L, 1);
    if (names != nullptr && lua_type(L, -1) == LUA_TSTRING) names->emplace_back(lua_tostring(L, -1));
    lua_pushvalue(L, -1);
    lua_pushnil(L);
    lua_rawset(L, set);
  }
  lua_pop(L, 1);
  if (names != nullptr) std::sort(names->begin(), names->end());
}

std::string ShowObservation(const store::Observation& o) {
  if (o.number) return FormatNumber(*o.number);
  return o.text;
}

// The values of the pack's report columns for one evaluated entity.
std::vector<std::string> ColumnValues(const RulePack& pack, const Evaluator& evaluator,
                                      const store::EntityWithHistory& e, const EntityOutcome& outcome) {
  std::vector<std::string> values;
  for (const auto& c : pack.columns()) {
    std::string value;
    if (c.kind == "attr") {
      for (const auto& [name, v] : e.entity.attributes)
        if (name == c.source) value = v;
    } else if (c.kind == "level" || c.kind == "shows") {
      for (const auto& i : outcome.indicators)
        if (i.id == c.source) value = c.kind == "level" ? i.level : i.show;
    } else {
      // latest / previous / latest_date of a measure, as the rules saw it.
      std::vector<const store::Observation*> seen;
      auto id = evaluator.measure_ids().find(c.source);
      if (id != evaluator.measure_ids().end())
        for (const auto& o : e.observations)
          if (o.measure == id->second && o.as_of <= evaluator.as_of()) seen.push_back(&o);
      std::size_t back = c.kind == "previous" ? 2 : 1;
      if (seen.size() >= back) {
        const store::Observation& o = *seen[seen.size() - back];
        value = c.kind == "latest_date" ? o.as_of : ShowObservation(o);
      }
    }
    values.push_back(std::move(value));
  }
  return values;
}

// Runs all indicators on ctx.entity. Called under lua_pcall, so a memory
// error while building the view cannot abort the process.
int EvaluateAll(lua_State* L) {
  Evaluator::Context& ctx = ContextOf(L);
  RulePack& pack = *static_cast<RulePack*>(lua_touserdata(L, lua_upvalueindex(3)));
  Sandbox& sandbox = pack.sandbox();
  PushEntityView(L, ctx);
  int view = lua_gettop(L);
  EntityOutcome& outcome = *ctx.outcome;
  if (pack.applies_ref() != LUA_NOREF) {
    sandbox.SetActivity([&outcome] {
      return fmt::format("pack.applies on {} {}", outcome.entity.kind, outcome.entity.key);
    });
    lua_rawgeti(L, LUA_REGISTRYINDEX, pack.applies_ref());
    lua_pushvalue(L, view);
    Status s = sandbox.Call(1, 1);
    if (!s.ok()) {
      const std::string& m = s.error().message;
      ctx.failures->push_back({"pack.applies", m,
                               outcome.entity.key, outcome.entity.name,
                               sandbox.fatal()});
      return 0;
    }
    ctx.assessed = lua_toboolean(L, -1);
    lua_pop(L, 1);
    if (!ctx.assessed) return 0;
  }
  std::string forced_category;
  for (const Indicator& indicator : pack.indicators()) {
    // Where Lua names no line of the rule's own (a rule that ends with
    // `return watch(...)` tail-calls, so an error inside the helper has none;
    // a wrong return value has none either), evaluate runs again, tracing
    // lines, to find the rule line it stopped on: the `return`.
    auto rule_line = [&](int function_ref) -> std::string {
      std::vector<std::string> empty = ctx.empty;  // the re-run must not change the hint's measures
      lua_settop(L, view);
      lua_rawgeti(L, LUA_REGISTRYINDEX, function_ref);
      lua_pushvalue(L, view);
      sandbox.TraceLines(true);
      (void)sandbox.Call(1, 1);  // fails or returns the same bad value again: only the line matters
      std::string where = sandbox.traced_line() > 0
                              ? fmt::format("{}:{}", sandbox.traced_file(), sandbox.traced_line())
                              : fmt::format("{}:{}", indicator.file, indicator.line);
      sandbox.TraceLines(false);
      lua_settop(L, view);
      ctx.empty = std::move(empty);
      return where;
    };
    auto fail = [&](const std::string& message, bool fatal, int function_ref) {
      std::string first_line = message;
      if (first_line.find(".lua:") == std::string::npos)
        first_line = fmt::format("{}: indicator '{}': {}", fatal ? fmt::format("{}:{}", indicator.file, indicator.line)
                                                                 : rule_line(function_ref),
                                 indicator.id, first_line);
      ctx.failures->push_back({indicator.id, first_line + Hint(first_line, ctx.empty),
                               outcome.entity.key, outcome.entity.name, fatal});
    };
    ctx.indicator = &indicator.id;
    TakeThresholdReads(L, ctx.threshold_reads_ref, nullptr);  // what earlier code read is not this rule's
    sandbox.SetActivity([&indicator, &outcome] {
      return fmt::format("{}:{}: indicator '{}' on {} {}", indicator.file, indicator.line, indicator.id,
                         outcome.entity.kind, outcome.entity.key);
    });
    if (indicator.applies_ref != LUA_NOREF) {
      lua_rawgeti(L, LUA_REGISTRYINDEX, indicator.applies_ref);
      lua_pushvalue(L, view);
      Status s = sandbox.Call(1, 1);
      if (!s.ok()) {
        fail(s.error().message, sandbox.fatal(), indicator.applies_ref);
        if (ctx.failures->back().fatal) return 0;
        continue;
      }
      bool applies = lua_toboolean(L, -1);
      lua_pop(L, 1);
      if (!applies) continue;
    }
    ctx.used.clear();
    ctx.empty.clear();
    lua_rawgeti(L, LUA_REGISTRYINDEX, indicator.evaluate_ref);
    lua_pushvalue(L, view);
    Status s = sandbox.Call(1, 1);
    ctx.evaluator->NoteInstructions(indicator.id, sandbox.instructions_used());
    ctx.evaluator->NoteSeconds(indicator.id, sandbox.last_call_seconds());
    if (!s.ok()) {
      fail(s.error().message, sandbox.fatal(), indicator.evaluate_ref);
      if (ctx.failures->back().fatal) return 0;
      continue;
    }
    IndicatorOutcome result;
    result.id = indicator.id;
    std::string force;
    std::string problem = ReadOutcome(L, pack, result, force);
    lua_settop(L, view);
    if (!problem.empty()) {
      fail(problem, false, indicator.evaluate_ref);
      continue;
    }
    for (std::uint32_t id : ctx.used) result.evidence.push_back(ctx.evaluator->measure_name(id));
    TakeThresholdReads(L, ctx.threshold_reads_ref, &result.thresholds);
    if (!std::isfinite(outcome.score + result.points)) {  // each is finite; the sum may not be
      fail(fmt::format("{}:{}: indicator '{}': its {} points take the score past the largest number a score "
                       "can hold",
                       indicator.file, indicator.line, indicator.id, result.points),
           false, indicator.evaluate_ref);
      continue;
    }
    outcome.score += result.points;
    if (!force.empty() &&
        (forced_category.empty() || pack.Rank(force) < pack.Rank(forced_category))) {
      forced_category = force;
      outcome.forced_by = indicator.id;
    }
    outcome.indicators.push_back(std::move(result));
  }
  ctx.indicator = nullptr;
  const Category& by_score = pack.CategoryForScore(outcome.score);
  outcome.category = by_score.id;
  if (!forced_category.empty() && pack.Rank(forced_category) < pack.Rank(by_score.id))
    outcome.category = forced_category;
  else
    outcome.forced_by.clear();
  outcome.computed_category = outcome.category;
  if (const Override* o = pack.FindOverride(outcome.entity.key, ctx.evaluator->as_of())) {
    outcome.override_applied = *o;
    outcome.category = o->category;
  } else if (const Override* lapsed = pack.FindLapsedOverride(outcome.entity.key, ctx.evaluator->as_of())) {
    outcome.override_lapsed = *lapsed;
  }
  return 0;
}

}  // namespace

Evaluator::Evaluator(RulePack& pack, const std::vector<std::string>& measure_names,
                     std::string as_of)
    : pack_(pack), measure_names_(measure_names), as_of_(std::move(as_of)) {
  for (std::size_t i = 0; i < measure_names_.size(); ++i)
    if (!measure_names_[i].empty()) measure_ids_.emplace(measure_names_[i], static_cast<std::uint32_t>(i));
}

const std::string& Evaluator::measure_name(std::uint32_t id) const { return measure_names_[id]; }


Status Evaluator::Prepare() {
  lua_State* L = pack_.sandbox().L();
  lua_pushlstring(L, as_of_.data(), as_of_.size());
  return pack_.sandbox().SetShared("as_of");
}

Evaluator::~Evaluator() {
  if (closure_ref_ != LUA_NOREF) luaL_unref(pack_.sandbox().L(), LUA_REGISTRYINDEX, closure_ref_);
  if (threshold_reads_ref_ != LUA_NOREF) luaL_unref(pack_.sandbox().L(), LUA_REGISTRYINDEX, threshold_reads_ref_);
}

void Evaluator::MakeClosure() {
  lua_State* L = pack_.sandbox().L();
  ctx_ = std::make_unique<Context>();
  ctx_->evaluator = this;
  pack_.sandbox().PushThresholdReads();
  threshold_reads_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
  ctx_->threshold_reads_ref = threshold_reads_ref_;
  // The closure's upvalues: the context, the view's metatable, the pack.
  lua_pushlightuserdata(L, ctx_.get());
  lua_createtable(L, 0, 2);  // metatable
  lua_createtable(L, 0, 4);  // methods
  const luaL_Reg methods[] = {{"latest", &Sandbox::Guarded<&Latest>},
                              {"previous", &Sandbox::Guarded<&Previous>},
                              {"history", &Sandbox::Guarded<&History>},
                              {"value", &Sandbox::Guarded<&Value>},
                              {nullptr, nullptr}};
  lua_pushlightuserdata(L, ctx_.get());
  luaL_setfuncs(L, methods, 1);
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pushlightuserdata(L, &pack_);
  lua_createtable(L, 0, 2);  // e.attr's metatable
  lua_pushlightuserdata(L, ctx_.get());
  lua_pushcclosure(L, &Sandbox::Guarded<&MissingAttribute>, 1);
  lua_setfield(L, -2, "__index");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pushcclosure(L, &Sandbox::Guarded<&EvaluateAll>, 4);
  closure_ref_ = luaL_ref(L, LUA_REGISTRYINDEX);
}

Result<std::optional<EntityOutcome>> Evaluator::Evaluate(const store::EntityWithHistory& entity,
                                                         std::vector<RuleFailure>& failures) {
  Sandbox& sandbox = pack_.sandbox();
  lua_State* L = sandbox.L();
  if (closure_ref_ == LUA_NOREF) MakeClosure();
  EntityOutcome outcome;
  outcome.entity = entity.entity;
  Context& ctx = *ctx_;
  ctx.used.clear();
  ctx.empty.clear();
  ctx.indicator = nullptr;
  ctx.assessed = true;
  ctx.entity = &entity;
  ctx.failures = &failures;
  for (const auto& [name, value] : entity.entity.attributes)
    if (seen_attributes_.find(name) == seen_attributes_.end()) seen_attributes_.insert(name);
  ctx.outcome = &outcome;
  std::size_t failures_before = failures.size();

  lua_rawgeti(L, LUA_REGISTRYINDEX, closure_ref_);
  Status status = sandbox.Call(0, 0);
  // An indicator's own failure is already recorded; only a failure outside
  // the indicators (building the view) is new here.
  if (!status.ok() && failures.size() == failures_before) {
    failures.push_back({"", status.error().message, entity.entity.key, entity.entity.name,
                        sandbox.fatal()});
  }
  ctx.entity = nullptr;
  ctx.outcome = nullptr;
  sandbox.SetActivity(std::function<std::string()>());  // it described this entity, now gone
  if (failures.size() > failures_before)
    return Fail(ErrorCode::kRuleFailure, failures.back().message);
  if (!ctx.assessed) return std::optional<EntityOutcome>();
  outcome.columns = ColumnValues(pack_, *this, entity, outcome);
  return std::optional<EntityOutcome>(std::move(outcome));
}

Evaluator::NameUses Evaluator::UnknownAttributes() const {
  NameUses unknown;
  for (const auto& [name, users] : missing_attributes_)
    if (seen_attributes_.find(name) == seen_attributes_.end()) unknown.emplace(name, users);
  return unknown;
}

std::vector<std::string> Evaluator::DataGaps(std::string_view data) const {
  std::vector<std::string> gaps;
  auto who = [](const std::string& user) {
    return user == "pack.applies" ? std::string("pack.lua's applies") : fmt::format("indicator '{}'", user);
  };
  std::vector<std::string> measures;
  for (const auto& [name, id] : measure_ids_) measures.push_back(name);
  std::sort(measures.begin(), measures.end());
  for (const auto& [measure, users] : unknown_measures_)
    for (const auto& [user, where] : users)
      gaps.push_back(fmt::format("{}{}{} reads measure '{}', which no source of {} provides{}", where,
                                 where.empty() ? "" : ": ", who(user), measure, data,
                                 DidYouMean(measure, measures)));
  if (seen_attributes_.empty()) return gaps;  // nothing was evaluated: no evidence either way
  std::vector<std::string> attributes(seen_attributes_.begin(), seen_attributes_.end());
  for (const auto& [attribute, users] : UnknownAttributes())
    for (const auto& [user, where] : users)
      gaps.push_back(fmt::format("{}{}{} reads attribute '{}', which no {} of {} has{}", where,
                                 where.empty() ? "" : ": ", who(user), attribute, pack_.kind(), data,
                                 DidYouMean(attribute, attributes)));
  return gaps;
}

std::string SummariseFailures(const std::vector<RuleFailure>& failures, std::size_t examples) {
  // Same indicator and message: one line with a count and a few examples.
  std::map<std::pair<std::string, std::string>, std::vector<const RuleFailure*>> groups;
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& f : failures) {
    auto key = std::make_pair(f.indicator, f.message);
    auto& group = groups[key];
    if (group.empty()) order.push_back(key);
    group.push_back(&f);
  }
  // A rule failing in many different ways says so in its first problems.
  constexpr std::size_t kGroupsShown = 20;
  std::string text;
  for (std::size_t shown = 0; shown < order.size(); ++shown) {
    const auto& key = order[shown];
    if (shown == kGroupsShown) {
      text += fmt::format("\n… and {} more different problems", order.size() - kGroupsShown);
      break;
    }
    const auto& group = groups[key];
    std::string names;
    // Keys and names come from the data: shown with any control character escaped.
    for (std::size_t i = 0; i < group.size() && i < examples; ++i)
      names += fmt::format("{}{} ({})", i ? ", " : "", Printable(group[i]->entity_key),
                           Printable(group[i]->entity_name));
    if (group.size() > examples) names += ", …";
    text += fmt::format("{}{}\n    for {} {}: {}", text.empty() ? "" : "\n", key.second,
                        group.size(), group.size() == 1 ? "entity" : "entities", names);
  }
  return text;
}

}  // namespace vigil::rules
