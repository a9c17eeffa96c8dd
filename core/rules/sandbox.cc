#include "rules/sandbox.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

#include <fmt/format.h>

#include "base/did_you_mean.h"
#include "base/text.h"
#include "rules/prelude.h"
#include "rules/watchdog.h"

namespace vigil::rules {
namespace {

// The count hook fires every kHookInterval instructions: cheap (LIMITS.md:
// +15 ns per call) yet fine-grained enough to stop a loop within microseconds.
constexpr int kHookInterval = 1000;

// The longest error message kept from Lua: a rule's error() of 50 MB must
// not reach the run history or the terminal whole.
constexpr std::size_t kMaxMessageBytes = 2000;

// Registry slots for the prelude's API table.
constexpr const char* kApiKey = "vigil.sandbox.api";

// The error object as text. A rule may raise anything; its metamethods are
// never run here (a __tostring could loop or raise again), and a value that
// is not text is described with the place it was raised.
int MessageHandler(lua_State* L) {
  if (lua_type(L, 1) == LUA_TSTRING) return 1;
  const char* type = luaL_typename(L, 1);
  std::string value;
  if (lua_type(L, 1) == LUA_TNUMBER) {
    lua_pushvalue(L, 1);  // tostring on a copy: it converts numbers in place
    value = fmt::format(" ({})", lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  std::string where = Sandbox::Where(L);
  lua_pushfstring(L, "%serror() was given a %s%s instead of a message: give it text, e.g. error(\"...\")",
                  where.c_str(), type, value.c_str());
  return 1;
}

// suggest(word, names): " (did you mean x?)" or "", for the prelude's messages.
int Suggest(lua_State* L) {
  std::string word = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  std::vector<std::string> names;
  for (lua_Integer i = 1, n = luaL_len(L, 2); i <= n; ++i) {
    if (lua_rawgeti(L, 2, i) == LUA_TSTRING) names.emplace_back(lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  std::string hint = DidYouMean(word, names);
  lua_pushlstring(L, hint.data(), hint.size());
  return 1;
}

}  // namespace

Sandbox::Sandbox(const Limits& limits) : limits_(limits) {}

void Sandbox::SetActivity(std::string activity) {
  if (watchdog_) watchdog_->SetActivity([activity = std::move(activity)] { return activity; });
}

void Sandbox::SetActivity(std::function<std::string()> describe) {
  if (watchdog_) watchdog_->SetActivity(std::move(describe));
}

void Sandbox::SetLimits(const Limits& limits) {
  limits_ = limits;
  if (watchdog_) watchdog_->SetLimits(limits);
}

void Sandbox::StartBudget(int seconds) {
  if (watchdog_) watchdog_->SetBudget(seconds > 0 ? NowMs() + seconds * 1000L : 0, seconds);
}

void Sandbox::SetCancel(const std::atomic<bool>* cancel) {
  if (watchdog_) watchdog_->SetCancel(cancel);
}

Sandbox& Sandbox::From(lua_State* L) { return **static_cast<Sandbox**>(lua_getextraspace(L)); }

void* Sandbox::Allocate(void* ud, void* ptr, std::size_t old_size, std::size_t new_size) noexcept {
  auto* self = static_cast<Sandbox*>(ud);
  std::size_t old = ptr != nullptr ? old_size : 0;  // for new blocks old_size is a type tag
  if (new_size == 0) {
    std::free(ptr);
    self->memory_used_ -= old;
    return nullptr;
  }
  if (new_size > old && self->memory_used_ + (new_size - old) > self->limits_.memory_bytes) {
    self->memory_exceeded_ = true;
    return nullptr;  // Lua raises "not enough memory"
  }
  void* block = std::realloc(ptr, new_size);
  if (block == nullptr) return nullptr;
  self->memory_used_ = self->memory_used_ - old + new_size;
  return block;
}

std::string Sandbox::Where(lua_State* L) {
  lua_Debug ar;
  for (int level = 0; level < 4 && lua_getstack(L, level, &ar); ++level)
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) return fmt::format("{}:{}: ", ar.short_src, ar.currentline);
  return "";
}

void Sandbox::Hook(lua_State* L, lua_Debug* hooked) {
  Sandbox& self = From(L);
  if (self.trace_lines_) {
    // Fires before every instruction while tracing: note where a rule file
    // ('@' chunk, not the sandbox's own prelude) ran last.
    if (lua_getinfo(L, "Sl", hooked) && hooked->source != nullptr && hooked->source[0] == '@' &&
        hooked->currentline > 0) {
      self.traced_file_ = hooked->short_src;
      self.traced_line_ = hooked->currentline;
    }
  }
  self.instructions_ += self.trace_lines_ ? 1 : kHookInterval;
  StopReason asked = self.watchdog_ ? self.watchdog_->request() : StopReason::kNone;
  if (self.instructions_ <= self.limits_.instructions && asked == StopReason::kNone) return;
  // From now on fire after every instruction: a rule that catches this
  // error with pcall and carries on is stopped again straight away.
  if (!self.budget_exceeded_ && self.stopped_ == StopReason::kNone) lua_sethook(L, &Sandbox::Hook, LUA_MASKCOUNT, 1);
  std::string where = Where(L);
  if (asked != StopReason::kNone) {
    self.stopped_ = asked;
    std::string limit = asked == StopReason::kCallTime ? fmt::format(" of {} s for one call", self.limits_.seconds)
                        : asked == StopReason::kBudget
                            ? fmt::format(" of {} s", self.watchdog_->budget_seconds())
                            : "";
    lua_pushfstring(L, "%sthe rule %s%s", where.c_str(), StopText(asked), limit.c_str());
  } else {
    self.budget_exceeded_ = true;
    lua_pushfstring(L, "%sinstruction budget of %I exceeded (an endless loop?)", where.c_str(),
                    static_cast<lua_Integer>(self.limits_.instructions));
  }
  lua_error(L);
}

Result<std::unique_ptr<Sandbox>> Sandbox::Create(const Limits& limits) {
  std::unique_ptr<Sandbox> sandbox(new Sandbox(limits));
  sandbox->L_ = lua_newstate(&Sandbox::Allocate, sandbox.get());
  if (sandbox->L_ == nullptr) return Fail(ErrorCode::kRuleFailure, "cannot create a Lua state");
  *static_cast<Sandbox**>(lua_getextraspace(sandbox->L_)) = sandbox.get();
  if (limits.seconds > 0) sandbox->watchdog_ = std::make_unique<Watchdog>(sandbox->L_, limits);
  VIGIL_RETURN_IF_ERROR(sandbox->Prepare());
  return sandbox;
}

Sandbox::~Sandbox() {
  // Closing runs no rule code (rules cannot set finalizers), but it stays
  // under the watchdog all the same: nothing a pack does may hang a process.
  if (L_ != nullptr) {
    if (watchdog_) {
      watchdog_->SetActivity([] { return std::string("closing a rule pack's Lua state"); });
      watchdog_->Arm(NowMs() + limits_.seconds * 1000L);
    }
    lua_close(L_);
  }
  watchdog_.reset();
}

Status Sandbox::Prepare() {
  lua_State* L = L_;
  // Only these libraries are opened; debug is opened solely so the prelude
  // can take debug.getinfo (for file:line of registrations) before it is
  // hidden behind a stub.
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
  luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
  luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
  luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
  lua_settop(L, 0);

  // Lock the metatable shared by all strings, so a rule cannot change how
  // another rule's strings behave.
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_settop(L, 0);

  if (luaL_loadbufferx(L, kPrelude, std::strlen(kPrelude), "=[vigil sandbox]", "t") != LUA_OK)
    return Fail(ErrorCode::kInternal, fmt::format("sandbox prelude: {}", lua_tostring(L, -1)));
  lua_pushglobaltable(L);
  luaL_requiref(L, LUA_DBLIBNAME, luaopen_debug, 0);
  lua_getfield(L, -1, "getinfo");
  lua_remove(L, -2);
  if (lua_pcall(L, 2, 1, 0) != LUA_OK)
    return Fail(ErrorCode::kInternal, fmt::format("sandbox prelude: {}", lua_tostring(L, -1)));
  lua_getfield(L, -1, "set_suggest");
  lua_pushcfunction(L, &Sandbox::Guarded<&Suggest>);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK)
    return Fail(ErrorCode::kInternal, fmt::format("sandbox prelude: {}", lua_tostring(L, -1)));
  lua_setfield(L, LUA_REGISTRYINDEX, kApiKey);
  // Remove the debug library from everything a script could reach.
  lua_pushnil(L);
  lua_setfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushnil(L);
  lua_setglobal(L, LUA_DBLIBNAME);
  lua_sethook(L, &Sandbox::Hook, LUA_MASKCOUNT, kHookInterval);
  return Status::Ok();
}

void Sandbox::ArmBudget() {
  instructions_ = 0;
  budget_exceeded_ = false;
  lua_sethook(L_, &Sandbox::Hook, LUA_MASKCOUNT, trace_lines_ ? 1 : kHookInterval);
}

Status Sandbox::Call(int nargs, int nresults) {
  lua_State* L = L_;
  int function_index = lua_gettop(L) - nargs;
  memory_exceeded_ = false;
  stopped_ = StopReason::kNone;
  std::int64_t now = NowMs();
  if (watchdog_ && (watchdog_->cancelled() || (watchdog_->budget() != 0 && now >= watchdog_->budget()))) {
    // Not started at all: cancelled, or the pack's time is up.
    stopped_ = watchdog_->cancelled() ? StopReason::kCancelled : StopReason::kBudget;
    lua_settop(L, function_index - 1);
    return Fail(ErrorCode::kRuleFailure,
                stopped_ == StopReason::kBudget
                    ? fmt::format("the pack's time budget of {} s ran out", watchdog_->budget_seconds())
                    : std::string("stopped: the run was cancelled (SIGTERM or Ctrl-C)"));
  }
  lua_pushcfunction(L, MessageHandler);
  lua_insert(L, function_index);
  ArmBudget();
  // A request the watchdog made as the last call ended is not for this one
  // (it asks again within 100 ms while its reason holds).
  if (watchdog_) watchdog_->ClearRequest();
  std::int64_t outer = watchdog_ ? watchdog_->Arm(now + limits_.seconds * 1000L) : 0;
  int rc = lua_pcall(L, nargs, nresults, function_index);
  std::int64_t end = NowMs();
  last_call_seconds_ = static_cast<double>(end - now) / 1000.0;
  if (watchdog_) {
    watchdog_->Arm(outer);
    watchdog_->ClearRequest();
  }
  lua_remove(L, function_index);
  if (rc == LUA_OK && !budget_exceeded_ && !memory_exceeded_ && stopped_ == StopReason::kNone) return Status::Ok();
  std::string message;
  if (rc != LUA_OK) {
    std::size_t length = 0;
    const char* text = lua_tolstring(L, -1, &length);
    // Only the first part is ever read: a 50 MB message is not copied whole.
    message = text ? CleanText(std::string_view(text, length), kMaxMessageBytes)
                   : "(error without a message)";
    lua_pop(L, 1);
  } else {
    lua_pop(L, nresults);
  }
  if (stopped_ != StopReason::kNone && message.find(StopText(stopped_)) == std::string::npos)
    message = fmt::format("the rule {} (it caught the error and carried on)", StopText(stopped_));
  else if (budget_exceeded_ && message.find("instruction budget") == std::string::npos)
    message = fmt::format("instruction budget of {} exceeded (the rule caught the error and "
                          "carried on)", limits_.instructions);
  else if (memory_exceeded_ && rc == LUA_OK)
    message = fmt::format("memory limit of {} MiB exceeded (the rule caught the error and "
                          "carried on)", limits_.memory_bytes >> 20);
  else if (memory_exceeded_)
    message = fmt::format("{} (memory limit of {} MiB exceeded)", message, limits_.memory_bytes >> 20);
  return Fail(ErrorCode::kRuleFailure, message);
}

Status Sandbox::LoadFile(const std::string& text, const std::string& display_name, bool share) {
  lua_State* L = L_;
  SetActivity("loading " + display_name);
  std::string chunk_name = "@" + display_name;  // '@': errors read file:line
  // Editors on Windows save "UTF-8 with BOM"; Lua itself would stop at the
  // mark's first byte. It is no code, so it is read past (lines stay the same).
  std::string_view code = text;
  if (code.substr(0, 3) == "\xEF\xBB\xBF") code.remove_prefix(3);
  if (luaL_loadbufferx(L, code.data(), code.size(), chunk_name.c_str(), "t") != LUA_OK) {
    std::size_t length = 0;
    const char* raw = lua_tolstring(L, -1, &length);
    std::string message = CleanText(std::string_view(raw, length), kMaxMessageBytes);
    lua_pop(L, 1);
    return Fail(ErrorCode::kInvalidInput, message);
  }
  lua_getfield(L, LUA_REGISTRYINDEX, kApiKey);
  lua_getfield(L, -1, "new_env");
  lua_remove(L, -2);
  VIGIL_RETURN_IF_ERROR(Call(0, 2));       // chunk env freeze
  lua_pushvalue(L, -2);                    // chunk env freeze env
  if (lua_setupvalue(L, -4, 1) == nullptr) {  // _ENV is a main chunk's first upvalue
    lua_pop(L, 3);
    return Fail(ErrorCode::kInternal, "rule chunk has no _ENV upvalue");
  }
  lua_rotate(L, -3, 1);                    // freeze chunk env
  lua_insert(L, -2);                       // freeze env chunk
  Status status = Call(0, 1);              // freeze env result
  if (!status.ok()) {
    lua_pop(L, 2);
    return status;
  }
  lua_rotate(L, -3, -1);                   // env result freeze
  VIGIL_RETURN_IF_ERROR(Call(0, share ? 1 : 0));  // env result [names]
  if (share) {
    lua_pushstring(L, display_name.c_str());     // env result names file
    Status shared = CallApi("share_names", 2, 0);
    if (!shared.ok()) {
      lua_pop(L, 2);
      return shared;
    }
  }
  lua_remove(L, -2);                       // result
  return Status::Ok();
}

Status Sandbox::SetShared(const char* name) {
  lua_getfield(L_, LUA_REGISTRYINDEX, kApiKey);
  lua_getfield(L_, -1, "set_shared");
  lua_remove(L_, -2);
  lua_pushstring(L_, name);
  lua_rotate(L_, -3, -1);  // set_shared name value
  return Call(2, 0);
}

Status Sandbox::CallApi(const char* function, int nargs, int nresults) {
  lua_getfield(L_, LUA_REGISTRYINDEX, kApiKey);
  lua_getfield(L_, -1, function);
  lua_remove(L_, -2);
  lua_insert(L_, -(nargs + 1));
  return Call(nargs, nresults);
}

void Sandbox::PushRegistry() {
  lua_getfield(L_, LUA_REGISTRYINDEX, kApiKey);
  lua_getfield(L_, -1, "registry");
  lua_remove(L_, -2);
}

void Sandbox::PushThresholdReads() {
  lua_getfield(L_, LUA_REGISTRYINDEX, kApiKey);
  lua_getfield(L_, -1, "threshold_reads");
  lua_remove(L_, -2);
}

}  // namespace vigil::rules
