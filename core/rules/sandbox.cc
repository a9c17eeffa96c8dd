#include "rules/sandbox.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "base/did_you_mean.h"
#include "rules/prelude.h"

namespace vigil::rules {
namespace {

// The count hook fires every kHookInterval instructions: cheap (LIMITS.md:
// +15 ns per call) yet fine-grained enough to stop a loop within microseconds.
constexpr int kHookInterval = 1000;

// Registry slots for the prelude's API table.
constexpr const char* kApiKey = "vigil.sandbox.api";

int MessageHandler(lua_State* L) {
  const char* message = lua_tostring(L, 1);
  if (message == nullptr) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    message = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, message, 1);
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

// Stops the process when one call outlives its wall-clock limit. The count
// hook cannot stop code inside a C library function, and such code cannot be
// interrupted safely, so the only sound answer is to end the run: nothing
// was committed, the store rolls back, the previous reports stay.
class Sandbox::Watchdog {
 public:
  Watchdog() : thread_([this] { Watch(); }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  // Arms for `seconds` from now (0 disarms); returns the previous deadline.
  std::int64_t Arm(std::int64_t deadline) { return deadline_.exchange(deadline); }
  void SetActivity(std::function<std::string()> describe) {
    std::lock_guard lock(mutex_);
    describe_ = std::move(describe);
  }
  static std::int64_t Now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch()).count();
  }

 private:
  void Watch() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
      wake_.wait_for(lock, std::chrono::milliseconds(200));
      std::int64_t deadline = deadline_.load();
      if (stop_ || deadline == 0 || Now() < deadline) continue;
      std::string message = "vigil: " + (describe_ ? describe_() : std::string("a rule")) +
                            " ran past its time limit inside one call (a string pattern that "
                            "backtracks without end?); the run was stopped and nothing was written\n";
      ssize_t ignored = ::write(STDERR_FILENO, message.data(), message.size());
      (void)ignored;
      ::_exit(3);
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  // Describes what is running; called only when the limit is passed (the
  // main thread is then stuck in the call, so what it points at is stable).
  std::function<std::string()> describe_;
  std::atomic<std::int64_t> deadline_{0};
  std::thread thread_;
};

Sandbox::Sandbox(const Limits& limits) : limits_(limits) {}

void Sandbox::SetActivity(std::string activity) {
  if (watchdog_) watchdog_->SetActivity([activity = std::move(activity)] { return activity; });
}

void Sandbox::SetActivity(std::function<std::string()> describe) {
  if (watchdog_) watchdog_->SetActivity(std::move(describe));
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
  if (self.instructions_ <= self.limits_.instructions) return;
  if (!self.budget_exceeded_) {
    self.budget_exceeded_ = true;
    // From now on fire after every instruction: a rule that catches this
    // error with pcall and carries on is stopped again straight away.
    lua_sethook(L, &Sandbox::Hook, LUA_MASKCOUNT, 1);
  }
  lua_Debug ar;
  std::string where;
  if (lua_getstack(L, 0, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0)
    where = fmt::format("{}:{}: ", ar.short_src, ar.currentline);
  lua_pushfstring(L, "%sinstruction budget of %I exceeded (an endless loop?)", where.c_str(),
                  static_cast<lua_Integer>(self.limits_.instructions));
  lua_error(L);
}

Result<std::unique_ptr<Sandbox>> Sandbox::Create(const Limits& limits) {
  std::unique_ptr<Sandbox> sandbox(new Sandbox(limits));
  sandbox->L_ = lua_newstate(&Sandbox::Allocate, sandbox.get());
  if (sandbox->L_ == nullptr) return Fail(ErrorCode::kRuleFailure, "cannot create a Lua state");
  *static_cast<Sandbox**>(lua_getextraspace(sandbox->L_)) = sandbox.get();
  if (limits.seconds > 0) sandbox->watchdog_ = std::make_unique<Watchdog>();
  VIGIL_RETURN_IF_ERROR(sandbox->Prepare());
  return sandbox;
}

Sandbox::~Sandbox() {
  watchdog_.reset();
  if (L_ != nullptr) lua_close(L_);
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
  lua_pushcfunction(L, MessageHandler);
  lua_insert(L, function_index);
  ArmBudget();
  memory_exceeded_ = false;
  std::int64_t outer = watchdog_ ? watchdog_->Arm(Watchdog::Now() + limits_.seconds * 1000L) : 0;
  int rc = lua_pcall(L, nargs, nresults, function_index);
  if (watchdog_) watchdog_->Arm(outer);
  lua_remove(L, function_index);
  if (rc == LUA_OK && !budget_exceeded_ && !memory_exceeded_) return Status::Ok();
  std::string message;
  if (rc != LUA_OK) {
    const char* text = lua_tostring(L, -1);
    message = text ? text : "(error without a message)";
    lua_pop(L, 1);
  } else {
    lua_pop(L, nresults);
  }
  if (budget_exceeded_ && message.find("instruction budget") == std::string::npos)
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
  if (luaL_loadbufferx(L, text.data(), text.size(), chunk_name.c_str(), "t") != LUA_OK) {
    std::string message = lua_tostring(L, -1);
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
