#include "rules/pack_tests.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "base/dates.h"
#include "base/did_you_mean.h"
#include "base/files.h"
#include "rules/evaluator.h"
#include "rules/lua_messages.h"
#include "rules/lua_scan.h"

namespace vigil::rules {
namespace fs = std::filesystem;

namespace {

struct ReadContext {
  std::vector<PackTest>* tests;
  std::string default_as_of;
  const RulePack* pack;
  std::map<std::string, std::vector<LuaToken>> tokens;  // by file as shown
  // Every name the pack's files could read a measure by: e:latest("x"), a
  // text handed to a helper (latest_result(e, "x")), a declared measure;
  // and texts the rules extend ("ks2_" .. subject), as prefixes.
  std::set<std::string> measure_names;
  std::vector<std::string> measure_prefixes;
};

// What the pack's files could read as a measure name (see ReadContext).
void CollectMeasureNames(const RulePack& pack, ReadContext& ctx) {
  static const std::regex kSnakeCase("^[a-z0-9_]+$");
  for (const auto& m : pack.declared_measures()) ctx.measure_names.insert(m);
  for (const auto& source : pack.sources()) {
    const std::vector<LuaToken> t = TokenizeLua(source.text);
    for (const auto& use : MeasureUses(t)) ctx.measure_names.insert(use.name);
    for (std::size_t i = 0; i < t.size(); ++i) {
      // Measure names are snake_case: reasons and labels are no candidates.
      if (t[i].kind != LuaToken::kString || !std::regex_match(t[i].text, kSnakeCase)) continue;
      ctx.measure_names.insert(t[i].text);
      if (i + 1 < t.size() && t[i + 1].kind == LuaToken::kSymbol && t[i + 1].text == "..")
        ctx.measure_prefixes.push_back(t[i].text);
    }
  }
}

bool ReadByThePack(const ReadContext& ctx, const std::string& measure) {
  if (ctx.measure_names.count(measure)) return true;
  return std::any_of(ctx.measure_prefixes.begin(), ctx.measure_prefixes.end(),
                     [&](const std::string& p) { return !p.empty() && measure.rfind(p, 0) == 0; });
}

// The line of the text "`text`" in `file` at or after `from`.
int TextLine(const ReadContext& ctx, const std::string& file, int from, const std::string& text) {
  auto it = ctx.tokens.find(file);
  if (it == ctx.tokens.end()) return from;
  for (const auto& t : it->second)
    if (t.line >= from && t.kind == LuaToken::kString && t.text == text) return t.line;
  return from;
}

// Why `text` is not a date a test can use, or nullopt when it is one. Tests
// write dates as the store keeps them (YYYY-MM-DD); a UK date or an
// impossible day would otherwise compare as text and test something else.
std::optional<std::string> DateMistake(const std::string& text) {
  if (ParseIsoDate(text)) return std::nullopt;
  static const std::regex kDayFirst(R"(^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$)");
  static const std::regex kIsoShape(R"(^\d{4}-\d{2}-\d{2}$)");
  std::smatch m;
  if (std::regex_match(text, m, kDayFirst)) {
    std::string iso = fmt::format("{}-{:0>2}-{:0>2}", m[3].str(), m[2].str(), m[1].str());
    if (ParseIsoDate(iso)) return fmt::format("is written day first: tests write dates as YYYY-MM-DD ({})", iso);
  }
  if (std::regex_match(text, kIsoShape)) return std::string("is not a day of the calendar (check the day and month)");
  return std::string("is not a date: tests write dates as YYYY-MM-DD, e.g. 2023-08-31");
}

// The line of `key = ` in `file` at or after `from`, for naming a mistake in a test.
int KeyLine(const ReadContext& ctx, const std::string& file, int from, const std::string& key) {
  auto it = ctx.tokens.find(file);
  if (it == ctx.tokens.end()) return from;
  const auto& t = it->second;
  for (std::size_t i = 0; i + 1 < t.size(); ++i)
    if (t[i].line >= from && t[i].text == key && t[i + 1].text == "=" &&
        (t[i].kind == LuaToken::kName || t[i].kind == LuaToken::kString))
      return t[i].line;
  return from;
}

// Notes every key of the table at `index` that is not in `allowed`.
void CheckKeys(lua_State* L, int index, const std::vector<std::string>& allowed, const std::string& where,
               const ReadContext& ctx, PackTest& test) {
  if (!lua_istable(L, index)) return;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    std::string key = lua_tostring(L, -1) ? lua_tostring(L, -1) : luaL_typename(L, -1);
    lua_pop(L, 1);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      test.mistakes.push_back(fmt::format("{}:{}: unknown key '{}' in {}{} ({} has {})", test.file,
                                          KeyLine(ctx, test.file, test.line, key), key, where,
                                          DidYouMean(key, allowed), where, list));
  }
}

// Notes expectations that name an indicator, level or category the pack does not have.
void CheckNames(const ReadContext& ctx, PackTest& test) {
  const RulePack& pack = *ctx.pack;
  std::vector<std::string> ids, categories;
  for (const auto& i : pack.indicators()) ids.push_back(i.id);
  for (const auto& c : pack.categories()) categories.push_back(c.id);
  auto check_ids = [&](const std::map<std::string, std::string>& expected, const char* what) {
    for (const auto& [id, value] : expected)
      if (std::find(ids.begin(), ids.end(), id) == ids.end())
        test.mistakes.push_back(fmt::format("{}:{}: expect.{} names indicator '{}', which the pack does not "
                                            "define{}", test.file, KeyLine(ctx, test.file, test.line, id), what,
                                            id, DidYouMean(id, ids)));
  };
  check_ids(test.expect_levels, "levels");
  check_ids(test.expect_reason_contains, "reasons");
  static const std::vector<std::string> kLevels = {"none", "watch", "concern", "serious"};
  for (const auto& [id, level] : test.expect_levels)
    if (std::find(kLevels.begin(), kLevels.end(), level) == kLevels.end())
      test.mistakes.push_back(fmt::format("{}:{}: expect.levels.{} is '{}', which is not a level (none, watch, "
                                          "concern or serious){}", test.file, KeyLine(ctx, test.file, test.line, id),
                                          id, level, DidYouMean(level, kLevels)));
  if (test.expect_category && !pack.FindCategory(*test.expect_category))
    test.mistakes.push_back(fmt::format("{}:{}: expect.category is '{}', which categories.lua does not define{}",
                                        test.file, KeyLine(ctx, test.file, test.line, "category"),
                                        *test.expect_category, DidYouMean(*test.expect_category, categories)));
}

std::string String(lua_State* L, int index, const char* field) {
  lua_getfield(L, index, field);
  std::string value;
  if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER) value = lua_tostring(L, -1);
  lua_pop(L, 1);
  return value;
}

// Reads a table of string -> string (e.g. attr, expect.levels) at the top.
std::map<std::string, std::string> StringMap(lua_State* L, int index, const char* field) {
  std::map<std::string, std::string> out;
  lua_getfield(L, index, field);
  if (lua_istable(L, -1)) {
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      if (lua_type(L, -2) == LUA_TSTRING && (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER)) {
        lua_pushvalue(L, -1);  // tostring on a copy: lua_tostring converts numbers in place
        out[lua_tostring(L, -3)] = lua_tostring(L, -1);
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  return out;
}

// Runs protected: converts registry.tests into PackTests.
int ReadTests(lua_State* L) {
  auto* ctx = static_cast<ReadContext*>(lua_touserdata(L, 1));
  Sandbox::From(L).PushRegistry();
  lua_getfield(L, -1, "tests");
  int tests = lua_gettop(L);
  for (lua_Integer i = 1, n = luaL_len(L, tests); i <= n; ++i) {
    lua_rawgeti(L, tests, i);
    int t = lua_gettop(L);
    PackTest test;
    test.name = String(L, t, "name");
    test.file = String(L, t, "file");
    lua_getfield(L, t, "line");
    test.line = static_cast<int>(lua_tointeger(L, -1));
    lua_pop(L, 1);
    lua_getfield(L, t, "given");  // the table as the officer wrote it
    CheckKeys(L, lua_gettop(L), {"name", "as_of", "entity", "expect"}, "test", *ctx, test);
    lua_pop(L, 1);
    test.as_of = String(L, t, "as_of");
    if (test.as_of.empty()) test.as_of = ctx->default_as_of;
    else if (auto why = DateMistake(test.as_of))
      test.mistakes.push_back(fmt::format("{}:{}: as_of '{}' {}", test.file,
                                          KeyLine(*ctx, test.file, test.line, "as_of"), test.as_of, *why));

    lua_getfield(L, t, "entity");
    int e = lua_gettop(L);
    CheckKeys(L, e, {"key", "name", "kind", "attr", "observations"}, "entity", *ctx, test);
    store::Entity& entity = test.entity.entity;
    entity.key = String(L, e, "key");
    if (entity.key.empty()) entity.key = "test";
    entity.name = String(L, e, "name");
    entity.kind = String(L, e, "kind");
    for (auto& [k, v] : StringMap(L, e, "attr")) entity.attributes.emplace_back(k, v);
    test.measure_names.push_back("");
    lua_getfield(L, e, "observations");
    if (lua_istable(L, -1)) {
      lua_pushnil(L);
      while (lua_next(L, -2) != 0) {  // measure -> list of { date, value, text }
        if (lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1)) {
          auto id = static_cast<std::uint32_t>(test.measure_names.size());
          const std::string measure = lua_tostring(L, -2);
          test.measure_names.push_back(measure);
          const int measure_line = KeyLine(*ctx, test.file, test.line, measure);
          if (!ReadByThePack(*ctx, measure)) {
            std::vector<std::string> read(ctx->measure_names.begin(), ctx->measure_names.end());
            test.mistakes.push_back(fmt::format("{}:{}: the entity has observations of measure '{}', which no "
                                                "indicator reads{}", test.file, measure_line, measure,
                                                DidYouMean(measure, read)));
          }
          for (lua_Integer j = 1, m = luaL_len(L, -1); j <= m; ++j) {
            lua_rawgeti(L, -1, j);
            store::Observation o;
            o.measure = id;
            o.as_of = String(L, -1, "date");
            if (o.as_of.empty())
              test.mistakes.push_back(fmt::format("{}:{}: an observation of '{}' has no date (write date = "
                                                  "\"YYYY-MM-DD\")", test.file, measure_line, measure));
            else if (auto why = DateMistake(o.as_of))
              test.mistakes.push_back(fmt::format("{}:{}: the date '{}' of an observation of '{}' {}", test.file,
                                                  TextLine(*ctx, test.file, measure_line, o.as_of), o.as_of,
                                                  measure, *why));
            lua_getfield(L, -1, "value");
            if (lua_isnumber(L, -1)) o.number = lua_tonumber(L, -1);
            lua_pop(L, 1);
            o.text = String(L, -1, "text");
            lua_pop(L, 1);
            test.entity.observations.push_back(std::move(o));
          }
        }
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 2);  // observations, entity
    std::stable_sort(test.entity.observations.begin(), test.entity.observations.end(),
                     [](const store::Observation& a, const store::Observation& b) {
                       return a.measure != b.measure ? a.measure < b.measure : a.as_of < b.as_of;
                     });

    lua_getfield(L, t, "expect");
    int x = lua_gettop(L);
    CheckKeys(L, x, {"category", "score", "levels", "reasons"}, "expect", *ctx, test);
    std::string category = String(L, x, "category");
    if (!category.empty()) test.expect_category = category;
    lua_getfield(L, x, "score");
    if (lua_isnumber(L, -1)) test.expect_score = lua_tonumber(L, -1);
    lua_pop(L, 1);
    test.expect_levels = StringMap(L, x, "levels");
    test.expect_reason_contains = StringMap(L, x, "reasons");
    lua_pop(L, 2);  // expect, test
    CheckNames(*ctx, test);
    ctx->tests->push_back(std::move(test));
  }
  return 0;
}

}  // namespace

Result<std::vector<PackTest>> LoadPackTests(RulePack& pack, const std::string& default_as_of) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(pack.folder() / "tests", ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && it->path().extension() == ".lua") files.push_back(it->path().string());
  std::sort(files.begin(), files.end());
  Sandbox& sandbox = pack.sandbox();
  std::vector<PackTest> tests;
  ReadContext ctx{&tests, default_as_of, &pack, {}, {}, {}};
  CollectMeasureNames(pack, ctx);
  for (const auto& file : files) {
    // As the pack's own files: regular, bounded, inside the pack.
    VIGIL_ASSIGN_OR_RETURN(std::string text, ReadRegularFile(file, 4u << 20, pack.folder()));
    std::string shown = DisplayPath(file, pack.folder());
    Status loaded = sandbox.LoadFile(text, shown);
    if (!loaded.ok()) {
      const std::string& m = loaded.error().message;
      std::string first = m.substr(0, m.find("\nstack traceback:"));
      return Fail(ErrorCode::kInvalidInput, loaded.error().code == ErrorCode::kInvalidInput
                                                ? ExplainSyntaxError(first, text, shown) : first);
    }
    lua_pop(sandbox.L(), 1);
    ctx.tokens[shown] = TokenizeLua(text);
  }
  lua_pushcfunction(sandbox.L(), &Sandbox::Guarded<&ReadTests>);
  lua_pushlightuserdata(sandbox.L(), &ctx);
  VIGIL_RETURN_IF_ERROR(sandbox.Call(1, 0));
  for (auto& t : tests)
    if (t.entity.entity.kind.empty()) t.entity.entity.kind = pack.kind();
  return tests;
}

std::vector<TestResult> RunPackTests(RulePack& pack, const std::vector<PackTest>& tests) {
  std::vector<TestResult> results;
  for (const auto& test : tests) {
    TestResult result;
    result.test = &test;
    result.problems = test.mistakes;
    Evaluator evaluator(pack, test.measure_names, test.as_of);
    std::vector<RuleFailure> failures;
    Status prepared = evaluator.Prepare();
    auto outcome = prepared.ok() ? evaluator.Evaluate(test.entity, failures)
                                 : Result<std::optional<EntityOutcome>>(Unexpected(prepared.error()));
    if (!outcome) {
      result.problems.push_back(failures.empty() ? outcome.error().message : failures.back().message);
    } else if (!*outcome) {
      if (test.expect_category || !test.expect_levels.empty())
        result.problems.push_back("the entity is not assessed: pack.lua's applies() leaves it out");
    } else {
      const EntityOutcome& o = **outcome;
      for (const auto& i : o.indicators) result.reached.emplace_back(i.id, i.level);
      if (test.expect_category && *test.expect_category != o.category)
        result.problems.push_back(fmt::format("expected category {}, got {} (score {})",
                                              *test.expect_category, o.category, o.score));
      if (test.expect_score && std::fabs(*test.expect_score - o.score) > 1e-9) {
        // Which points made the score, so a changed threshold is easy to see.
        std::string parts;
        for (const auto& i : o.indicators)
          if (i.points != 0) parts += fmt::format("{}{} {} {}", parts.empty() ? "" : ", ", i.id, i.level, i.points);
        result.problems.push_back(fmt::format("expected score {}, got {}{}", *test.expect_score, o.score,
                                              parts.empty() ? "" : " (" + parts + ")"));
      }
      // The indicator's outcome by id (a function, not a lambda capturing a
      // structured binding, which clang before 16 cannot compile).
      auto find = [&o](const std::string& wanted) {
        return std::find_if(o.indicators.begin(), o.indicators.end(),
                            [&wanted](const IndicatorOutcome& i) { return i.id == wanted; });
      };
      auto defined = [&pack](const std::string& id) {
        return std::any_of(pack.indicators().begin(), pack.indicators().end(),
                           [&id](const Indicator& i) { return i.id == id; });
      };
      for (const auto& [id, level] : test.expect_levels) {
        if (!defined(id)) continue;  // a mistake in the test, already said
        auto it = find(id);
        std::string got = it == o.indicators.end() ? "not applied" : it->level;
        if (got != level)
          result.problems.push_back(fmt::format("expected {} to be {}, got {}{}", id, level, got,
                                                it == o.indicators.end() || it->reason.empty()
                                                    ? "" : " (\"" + it->reason + "\")"));
      }
      for (const auto& [id, text] : test.expect_reason_contains) {
        if (!defined(id)) continue;
        auto it = find(id);
        if (it == o.indicators.end() || it->reason.find(text) == std::string::npos)
          result.problems.push_back(fmt::format("expected the reason of {} to contain \"{}\", got \"{}\"",
                                                id, text, it == o.indicators.end() ? "" : it->reason));
      }
    }
    result.passed = result.problems.empty();
    results.push_back(std::move(result));
  }
  return results;
}

std::vector<std::string> CoverageGaps(const RulePack& pack, const std::vector<TestResult>& results) {
  // The levels each indicator can give, by reading its block (or, when the
  // block calls no level function itself, its whole file's helpers).
  std::map<std::string, std::set<std::string>> possible;
  for (const auto& source : pack.sources()) {
    auto tokens = TokenizeLua(source.text);
    std::set<std::string> in_file = {"none"};
    for (const auto& call : LevelCalls(tokens)) in_file.insert(call.level);
    for (const auto& block : IndicatorBlocks(tokens)) {
      std::set<std::string> levels = {"none"};
      for (const auto& call : block.level_calls) levels.insert(call.level);
      possible[block.id] = block.level_calls.empty() ? in_file : levels;
    }
  }
  std::map<std::string, std::set<std::string>> reached;
  for (const auto& r : results)
    for (const auto& [id, level] : r.reached) reached[id].insert(level);
  std::vector<std::string> gaps;
  static const char* kOrder[] = {"serious", "concern", "watch", "none"};
  for (const auto& i : pack.indicators()) {
    auto it = reached.find(i.id);
    if (it == reached.end()) {
      gaps.push_back(fmt::format("{}: no test reaches it ({}:{})", i.id, i.file, i.line));
      continue;
    }
    std::string missing;
    for (const char* level : kOrder)
      if (possible[i.id].count(level) && !it->second.count(level)) missing += (missing.empty() ? "" : ", ") + std::string(level);
    if (!missing.empty()) gaps.push_back(fmt::format("{}: no test reaches {}", i.id, missing));
  }
  return gaps;
}

}  // namespace vigil::rules
