#include "rules/sandbox.h"

#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "base/last_words.h"
#include "base/text.h"
#include "rules/prelude.h"

namespace vigil::rules {
namespace {

// The count hook fires every kHookInterval instructions: cheap (LIMITS.md:
// +15 ns per call) yet fine-grained enough to stop a loop within microseconds.
constexpr int kHookInterval = 1000;

// How long the watchdog waits for the hook to stop a call it asked to stop;
// past that the call is inside a C function that cannot be interrupted.
constexpr std::int64_t kGraceMs = 1000;

// The longest error message kept from Lua: a rule's error() of 50 MB must
// not reach the run history or the terminal whole.
constexpr std::size_t kMaxMessageBytes = 2000;

// Registry slots for the prelude's API table.
constexpr const char* kApiKey = "vigil.sandbox.api";

// Milliseconds on a cheap monotonic clock (a few ns a read; 4 ms resolution
// is plenty for limits counted in seconds).
std::int64_t NowMs() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

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
  std::string where;
  lua_Debug ar;
  for (int level = 1; level < 4 && where.empty() && lua_getstack(L, level, &ar); ++level)
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) where = fmt::format("{}:{}: ", ar.short_src, ar.currentline);
  lua_pushfstring(L, "%serror() was given a %s%s instead of a message: give it text, e.g. error(\"...\")",
                  where.c_str(), type, value.c_str());
  return 1;
}

const char* StopText(StopReason reason) {
  switch (reason) {
    case StopReason::kCallTime: return "ran past its time limit";
    case StopReason::kBudget: return "ran past the pack's time budget";
    case StopReason::kCancelled: return "was stopped because the run was cancelled (SIGTERM or Ctrl-C)";
    case StopReason::kNone: break;
  }
  return "was stopped";
}

}  // namespace

// Bounds every call's wall-clock time, the pack's budget, and stops calls
// when the run is cancelled. It only asks: the count hook sees the request
// within microseconds and raises an error at the rule's line. A call that
// does not answer within kGraceMs is inside a C library function (a
// backtracking pattern), which cannot be interrupted safely, so the only
// sound answer is to end the process: nothing was committed, the store rolls
// back, the previous reports stay, and the run is recorded as failed from
// the last words it leaves.
class Sandbox::Watchdog {
 public:
  Watchdog(lua_State* L, const Limits& limits) : L_(L), limits_(limits), thread_([this] { Watch(); }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  // Arms the call deadline (0 disarms); returns the previous one.
  std::int64_t Arm(std::int64_t deadline) {
    generation_.fetch_add(1, std::memory_order_relaxed);
    return deadline_.exchange(deadline);
  }
  void SetLimits(const Limits& limits) {
    std::lock_guard lock(mutex_);
    limits_ = limits;
  }
  void SetBudget(std::int64_t deadline, int seconds) {
    budget_seconds_ = seconds;
    budget_.store(deadline);
  }
  std::int64_t budget() const { return budget_.load(); }
  int budget_seconds() const { return budget_seconds_; }
  void SetCancel(const std::atomic<bool>* cancel) { cancel_.store(cancel); }
  bool cancelled() const {
    const std::atomic<bool>* cancel = cancel_.load(std::memory_order_relaxed);
    return cancel != nullptr && cancel->load(std::memory_order_relaxed);
  }
  // What the hook should do: kNone, or stop the running call for a reason.
  StopReason request() const { return request_.load(std::memory_order_relaxed); }
  void ClearRequest() { request_.store(StopReason::kNone); }
  void SetActivity(std::function<std::string()> describe) {
    std::lock_guard lock(mutex_);
    describe_ = std::move(describe);
  }

 private:
  void Watch() {
    std::unique_lock lock(mutex_);
    std::int64_t asked_at = 0;
    std::uint64_t asked_generation = 0;
    while (!stop_) {
      wake_.wait_for(lock, std::chrono::milliseconds(100));
      if (stop_) break;
      std::int64_t now = NowMs(), deadline = deadline_.load(), budget = budget_.load();
      StopReason reason = StopReason::kNone;
      if (deadline != 0) {
        if (cancelled()) reason = StopReason::kCancelled;
        else if (budget != 0 && now >= budget) reason = StopReason::kBudget;
        else if (now >= deadline) reason = StopReason::kCallTime;
      }
      std::uint64_t generation = generation_.load();
      if (reason == StopReason::kNone) {
        asked_at = 0;
        continue;
      }
      if (asked_at == 0 || generation != asked_generation || request_.load() == StopReason::kNone) {
        request_.store(reason);
        asked_at = now;
        asked_generation = generation;
        continue;
      }
      if (now - asked_at < kGraceMs) continue;
      EndProcess(reason);
    }
  }

  // The call did not answer: it is inside a C function, so the main thread
  // is not changing its Lua stack, which can be read to say where it is.
  [[noreturn]] void EndProcess(StopReason reason) {
    std::string where, inside;
    lua_Debug ar;
    if (lua_getstack(L_, 0, &ar) && lua_getinfo(L_, "Sn", &ar) && ar.what != nullptr &&
        std::strcmp(ar.what, "C") == 0)
      inside = ar.name != nullptr ? fmt::format(" inside '{}'", ar.name) : " inside a library function";
    for (int level = 0; level < 8 && where.empty() && lua_getstack(L_, level, &ar); ++level)
      if (lua_getinfo(L_, "Sl", &ar) && ar.currentline > 0)
        where = fmt::format(" (at {}:{})", ar.short_src, ar.currentline);
    bool pattern = inside.find("'find'") != std::string::npos || inside.find("'match'") != std::string::npos ||
                   inside.find("'gmatch'") != std::string::npos || inside.find("'gsub'") != std::string::npos;
    std::string limit = reason == StopReason::kBudget
                            ? fmt::format(" of {} s", budget_seconds_)
                            : reason == StopReason::kCallTime ? fmt::format(" of {} s for one call", limits_.seconds) : "";
    std::string reason_text = fmt::format(
        "{} {}{}{}{}{}; the run was stopped and nothing was written",
        describe_ ? describe_() : std::string("a rule"), StopText(reason), limit, inside, where,
        pattern ? " (a string pattern that backtracks without end?)" : "");
    reason_text = Printable(reason_text);
    std::string message = "vigil: " + reason_text + "\n";
    WriteLastWords(reason_text);
    ssize_t ignored = ::write(STDERR_FILENO, message.data(), message.size());
    (void)ignored;
    ::_exit(3);
  }

  lua_State* L_;
  Limits limits_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  // Describes what is running; called only when the process must end (the
  // main thread is then stuck in the call, so what it points at is stable).
  std::function<std::string()> describe_;
  std::atomic<std::int64_t> deadline_{0};
  std::atomic<std::int64_t> budget_{0};
  int budget_seconds_ = 0;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<StopReason> request_{StopReason::kNone};
  std::atomic<const std::atomic<bool>*> cancel_{nullptr};
  std::thread thread_;
};

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

void Sandbox::Hook(lua_State* L, lua_Debug*) {
  Sandbox& self = From(L);
  self.instructions_ += kHookInterval;
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
  lua_sethook(L_, &Sandbox::Hook, LUA_MASKCOUNT, kHookInterval);
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
  std::int64_t outer = watchdog_ ? watchdog_->Arm(now + limits_.seconds * 1000L) : 0;
  int rc = lua_pcall(L, nargs, nresults, function_index);
  std::int64_t end = NowMs();
  last_call_seconds_ = static_cast<double>(end - now) / 1000.0;
  if (watchdog_) {
    watchdog_->Arm(outer);
    if (stopped_ != StopReason::kNone) watchdog_->ClearRequest();
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

Status Sandbox::LoadFile(const std::string& text, const std::string& display_name) {
  lua_State* L = L_;
  SetActivity("loading " + display_name);
  std::string chunk_name = "@" + display_name;  // '@': errors read file:line
  if (luaL_loadbufferx(L, text.data(), text.size(), chunk_name.c_str(), "t") != LUA_OK) {
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
  VIGIL_RETURN_IF_ERROR(Call(0, 0));       // env result
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

}  // namespace vigil::rules
