#include "lua_baseline.h"

#include <chrono>

#include <fmt/format.h>

#include "base/dates.h"
#include "rules/evaluator.h"
#include "rules/rule_pack.h"
#include "store/store.h"

namespace vigil::bench {
namespace {

// The entity methods in plain Lua over prebuilt histories, and the loop.
constexpr const char* kHarness = R"lua(
local EMPTY = {}
local methods = {}
function methods.history(self, m) return self.obs[m] or EMPTY end
function methods.latest(self, m) local h = self.obs[m] return h and h[#h] end
function methods.previous(self, m) local h = self.obs[m] return h and h[#h - 1] end
function methods.value(self, m)
  local h = self.obs[m]
  local o = h and h[#h]
  return o and o.value
end
local meta = { __index = methods }
local function run(entities, pack_applies, indicators)
  local n = 0
  for i = 1, #entities do
    local e = entities[i]
    if pack_applies == nil or pack_applies(e) then
      for j = 1, #indicators do
        local ind = indicators[j]
        if ind.applies == nil or ind.applies(e) then
          ind.evaluate(e)
          n = n + 1
        end
      end
    end
  end
  return n
end
return meta, run
)lua";

constexpr std::size_t kChunk = 1000;

void SetField(lua_State* L, const char* name, const std::string& value) {
  lua_pushlstring(L, value.data(), value.size());
  lua_setfield(L, -2, name);
}

// Pushes the entity as a table with its history up to `as_of`, by measure name.
void PushEntity(lua_State* L, const store::EntityWithHistory& e, const std::vector<std::string>& names,
                const std::string& as_of, int meta) {
  lua_createtable(L, 0, 5);
  SetField(L, "key", e.entity.key);
  SetField(L, "kind", e.entity.kind);
  SetField(L, "name", e.entity.name);
  lua_createtable(L, 0, static_cast<int>(e.entity.attributes.size()));
  for (const auto& [name, value] : e.entity.attributes) SetField(L, name.c_str(), value);
  lua_setfield(L, -2, "attr");
  lua_newtable(L);  // obs
  std::uint32_t current = 0;
  lua_Integer n = 0;
  bool open = false;
  for (const auto& o : e.observations) {
    if (o.as_of > as_of) continue;
    if (!open || o.measure != current) {
      if (open) lua_setfield(L, -2, names[current].c_str());
      lua_newtable(L);
      current = o.measure;
      n = 0;
      open = true;
    }
    lua_createtable(L, 0, 3);
    if (o.number) {
      lua_pushnumber(L, *o.number);
      lua_setfield(L, -2, "value");
    }
    if (!o.text.empty()) SetField(L, "text", o.text);
    SetField(L, "date", o.as_of);
    lua_rawseti(L, -2, ++n);
  }
  if (open) lua_setfield(L, -2, names[current].c_str());
  lua_setfield(L, -2, "obs");
  lua_pushvalue(L, meta);
  lua_setmetatable(L, -2);
}

}  // namespace

Result<LuaBaseline> RunRulesOverLuaTables(const jobs::JobSpec& job, const std::filesystem::path& store_path) {
  if (job.rule_packs.empty()) return Fail(ErrorCode::kInvalidInput, "the job has no rule pack");
  VIGIL_ASSIGN_OR_RETURN(auto pack, rules::RulePack::Load(job.rule_packs.front()));
  VIGIL_ASSIGN_OR_RETURN(store::Store store, store::Store::Open(store_path.string()));
  std::string as_of = job.as_of.value_or(Today().Iso());
  rules::Evaluator evaluator(*pack, store.MeasureNames(), as_of);
  VIGIL_RETURN_IF_ERROR(evaluator.Prepare());  // the rules' `as_of`
  lua_State* L = pack->sandbox().L();
  lua_sethook(L, nullptr, 0, 0);  // no instruction budget: plain Lua

  if (luaL_loadstring(L, kHarness) != LUA_OK || lua_pcall(L, 0, 2, 0) != LUA_OK)
    return Fail(ErrorCode::kInternal, fmt::format("baseline harness: {}", lua_tostring(L, -1)));
  const int meta = lua_gettop(L) - 1, run = lua_gettop(L);
  if (pack->applies_ref() == LUA_NOREF) lua_pushnil(L);
  else lua_rawgeti(L, LUA_REGISTRYINDEX, pack->applies_ref());
  const int pack_applies = lua_gettop(L);
  lua_newtable(L);
  const int indicators = lua_gettop(L);
  lua_Integer i = 0;
  for (const auto& indicator : pack->indicators()) {
    lua_newtable(L);
    if (indicator.applies_ref != LUA_NOREF) {
      lua_rawgeti(L, LUA_REGISTRYINDEX, indicator.applies_ref);
      lua_setfield(L, -2, "applies");
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, indicator.evaluate_ref);
    lua_setfield(L, -2, "evaluate");
    lua_rawseti(L, indicators, ++i);
  }

  LuaBaseline result;
  std::vector<store::EntityWithHistory> chunk;
  const std::vector<std::string>& names = store.MeasureNames();
  auto run_chunk = [&]() -> Status {
    lua_createtable(L, static_cast<int>(chunk.size()), 0);
    lua_Integer n = 0;
    for (const auto& e : chunk) {
      PushEntity(L, e, names, as_of, meta);
      lua_rawseti(L, -2, ++n);
    }
    const int entities = lua_gettop(L);
    lua_pushvalue(L, run);
    lua_pushvalue(L, entities);
    lua_pushvalue(L, pack_applies);
    lua_pushvalue(L, indicators);
    auto start = std::chrono::steady_clock::now();
    int status = lua_pcall(L, 3, 1, 0);
    result.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (status != LUA_OK) {
      std::string message = lua_tostring(L, -1);
      lua_settop(L, entities - 1);
      return Fail(ErrorCode::kRuleFailure, "baseline: " + message);
    }
    result.evaluations += static_cast<std::uint64_t>(lua_tointeger(L, -1));
    lua_settop(L, entities - 1);
    chunk.clear();
    lua_gc(L, LUA_GCCOLLECT);  // free this chunk's tables before the next (untimed)
    return Status::Ok();
  };
  std::vector<std::string> sources = job.SourceNames();
  VIGIL_RETURN_IF_ERROR(store.ForEachEntity(pack->kind(), [&](const store::EntityWithHistory& e) -> Status {
    chunk.push_back(e);
    return chunk.size() == kChunk ? run_chunk() : Status::Ok();
  }, &sources));
  if (!chunk.empty()) VIGIL_RETURN_IF_ERROR(run_chunk());
  lua_settop(L, 0);
  return result;
}

}  // namespace vigil::bench
