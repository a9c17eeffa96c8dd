#include "rules/pack_tests.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "base/files.h"
#include "rules/evaluator.h"

namespace vigil::rules {
namespace fs = std::filesystem;

namespace {

struct ReadContext {
  std::vector<PackTest>* tests;
  std::string default_as_of;
};

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
    test.as_of = String(L, t, "as_of");
    if (test.as_of.empty()) test.as_of = ctx->default_as_of;

    lua_getfield(L, t, "entity");
    int e = lua_gettop(L);
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
          test.measure_names.emplace_back(lua_tostring(L, -2));
          for (lua_Integer j = 1, m = luaL_len(L, -1); j <= m; ++j) {
            lua_rawgeti(L, -1, j);
            store::Observation o;
            o.measure = id;
            o.as_of = String(L, -1, "date");
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
    std::string category = String(L, x, "category");
    if (!category.empty()) test.expect_category = category;
    lua_getfield(L, x, "score");
    if (lua_isnumber(L, -1)) test.expect_score = lua_tonumber(L, -1);
    lua_pop(L, 1);
    test.expect_levels = StringMap(L, x, "levels");
    test.expect_reason_contains = StringMap(L, x, "reasons");
    lua_pop(L, 2);  // expect, test
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
  for (const auto& file : files) {
    // As the pack's own files: regular, bounded, inside the pack.
    VIGIL_ASSIGN_OR_RETURN(std::string text, ReadRegularFile(file, 4u << 20, pack.folder()));
    Status loaded = sandbox.LoadFile(text, DisplayPath(file, pack.folder()));
    if (!loaded.ok()) {
      const std::string& m = loaded.error().message;
      return Fail(ErrorCode::kInvalidInput, m.substr(0, m.find("\nstack traceback:")));
    }
    lua_pop(sandbox.L(), 1);
  }
  std::vector<PackTest> tests;
  ReadContext ctx{&tests, default_as_of};
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
      if (test.expect_category && *test.expect_category != o.category)
        result.problems.push_back(fmt::format("expected category {}, got {} (score {})",
                                              *test.expect_category, o.category, o.score));
      if (test.expect_score && std::fabs(*test.expect_score - o.score) > 1e-9)
        result.problems.push_back(fmt::format("expected score {}, got {}", *test.expect_score, o.score));
      // The indicator's outcome by id (a function, not a lambda capturing a
      // structured binding, which clang before 16 cannot compile).
      auto find = [&o](const std::string& wanted) {
        return std::find_if(o.indicators.begin(), o.indicators.end(),
                            [&wanted](const IndicatorOutcome& i) { return i.id == wanted; });
      };
      for (const auto& [id, level] : test.expect_levels) {
        auto it = find(id);
        std::string got = it == o.indicators.end() ? "not applied" : it->level;
        if (got != level)
          result.problems.push_back(fmt::format("expected {} to be {}, got {}{}", id, level, got,
                                                it == o.indicators.end() || it->reason.empty()
                                                    ? "" : " (\"" + it->reason + "\")"));
      }
      for (const auto& [id, text] : test.expect_reason_contains) {
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

}  // namespace vigil::rules
