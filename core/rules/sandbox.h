// The Lua sandbox rule packs run in: one lua_State per pack, Lua 5.4 built
// as C++ (Debian's lua5.4-c++), so Lua errors unwind C++ destructors.
//
// What rules can reach: base functions that cannot touch the outside world
// (pairs, type, tostring, pcall, …), copies of string, table, math and utf8,
// and Vigil's helpers. What they cannot: io, os, package, require, debug,
// load/loadfile/dofile, string.dump, collectgarbage, print, math.random —
// each replaced by a stub whose error names it. Text chunks only (mode
// "t"), never bytecode. Each file gets its own environment, frozen after it
// loads, so rules cannot leave state behind or reach another file's names;
// reading an unknown name is an error (catches typos).
//
// Limits, over the whole life of the state (loading, every call, closing):
// every protected call has an instruction budget enforced by a count hook
// that keeps firing once exceeded (a rule's own pcall cannot swallow it);
// the state has a memory cap enforced by its allocator; a watchdog thread
// bounds each call's wall-clock time and, when one is set, the pack's whole
// evaluation (a budget), and stops a call when the run is cancelled. Lua
// code is stopped by the hook with an error naming its file and line; code
// stuck inside a C function of the string library cannot be interrupted, so
// then the watchdog ends the process (exit 3) after saying what ran. Rules
// cannot set finalizers (__gc), which would run where no hook can reach.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <lua.hpp>

#include "base/status.h"

namespace vigil::rules {

class Watchdog;

struct Limits {
  std::size_t memory_bytes = 256u << 20;      // the whole pack's state
  std::uint64_t instructions = 10'000'000;    // one rule on one entity
  // Wall-clock limit of one call, for what the instruction count cannot see:
  // a C function of the string library (a backtracking pattern) runs no Lua
  // instructions. Past it Lua code is stopped with an error; code inside a C
  // function stops the process with exit code 3, before anything is committed.
  int seconds = 10;
  // The host's ceilings: the most a pack may ask for with memory_limit_mb
  // and instruction_limit in pack.lua (set by the job's [limits] or the
  // command line, never by the pack).
  std::size_t max_memory_bytes = 1024u << 20;
  std::uint64_t max_instructions = 100'000'000;
};

// Why the watchdog stopped a call.
enum class StopReason { kNone, kCallTime, kBudget, kCancelled };

class Sandbox {
 public:
  static Result<std::unique_ptr<Sandbox>> Create(const Limits& limits);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  lua_State* L() const { return L_; }
  const Limits& limits() const { return limits_; }
  // A pack may set its own budget and cap in pack.lua (instruction_limit,
  // memory_limit_mb); a lower cap than memory in use fails the next allocation.
  void SetLimits(const Limits& limits);

  // Loads and runs `text` as a rule file in a fresh environment, then
  // freezes that environment. On success the file's return value is left
  // on the stack; on error nothing is. `display_name` is the path shown in
  // errors ("rules/schools/thresholds.lua:3: …").
  // With `share`, the names the file defines at its top level are then
  // visible to every file loaded after it (a pack's lib/ files), read-only.
  Status LoadFile(const std::string& text, const std::string& display_name, bool share = false);

  // Calls the function below `nargs` arguments on the stack with a fresh
  // instruction budget, under the watchdog. On error, returns the Lua
  // message (file:line: message; one line, cleaned, at most 2,000 bytes) and
  // leaves nothing on the stack; on success leaves `nresults` results.
  Status Call(int nargs, int nresults);

  // Sets a name visible to every file (e.g. as_of), popping its value.
  Status SetShared(const char* name);
  // Calls a function of the prelude's API (e.g. "set_thresholds") with the
  // `nargs` values on top of the stack.
  Status CallApi(const char* function, int nargs, int nresults);
  // Pushes the table filled by pack{}, categories{} and indicator{}.
  void PushRegistry();
  // Pushes the set of threshold names read since it was last emptied
  // (name -> true); the evaluator empties it before each indicator.
  void PushThresholdReads();

  // While on, Call notes the last line run in a rule file, so an error raised
  // where Lua gives no line of the rule's own (a tail call, a bad return
  // value) can name the line that caused it. Off by default: it costs a hook
  // call per instruction.
  void TraceLines(bool on) { trace_lines_ = on; traced_file_.clear(); traced_line_ = 0; }
  const std::string& traced_file() const { return traced_file_; }
  int traced_line() const { return traced_line_; }

  // Why the last failed Call stopped, for errors that must not be swallowed.
  bool budget_exceeded() const { return budget_exceeded_; }
  bool memory_exceeded() const { return memory_exceeded_; }
  StopReason stopped() const { return stopped_; }
  // Over a limit or stopped: the evaluation cannot go on.
  bool fatal() const { return budget_exceeded_ || memory_exceeded_ || stopped_ != StopReason::kNone; }

  // A wall-clock budget for everything the pack runs from now on (a run's
  // evaluation of one pack); 0 ends it. Calls that pass it stop with an error.
  void StartBudget(int seconds);
  // Calls stop with an error soon after `*cancel` becomes true (SIGTERM).
  // The flag must outlive the sandbox or be reset with nullptr.
  void SetCancel(const std::atomic<bool>* cancel);
  // Wall time of the last Call, in seconds.
  double last_call_seconds() const { return last_call_seconds_; }
  std::size_t memory_used() const { return memory_used_; }
  std::uint64_t instructions_used() const { return instructions_; }

  // Registers a C++ function callable from Lua: exceptions it throws become
  // Lua errors (one trampoline for every binding).
  template <int (*F)(lua_State*)>
  static int Guarded(lua_State* L) {
    std::string message;
    try {
      return F(L);
    } catch (const std::exception& e) {  // never catch(...): it would eat Lua's own errors
      message = e.what();
    }
    return luaL_error(L, "%s", message.c_str());
  }

  static Sandbox& From(lua_State* L);
  // "rules/x.lua:3: " for the innermost Lua function on the stack, or "".
  static std::string Where(lua_State* L);

  // What is running, for the watchdog's message ("indicator 'x' on 103456").
  void SetActivity(std::string activity);
  // The same, described only if the watchdog fires: cheap enough to call
  // before every rule. What `describe` refers to must outlive the call.
  void SetActivity(std::function<std::string()> describe);

 private:
  explicit Sandbox(const Limits& limits);
  static void* Allocate(void* ud, void* ptr, std::size_t old_size, std::size_t new_size) noexcept;
  static void Hook(lua_State* L, lua_Debug* ar);
  Status Prepare();
  void ArmBudget();

  Limits limits_;
  lua_State* L_ = nullptr;
  std::size_t memory_used_ = 0;
  std::uint64_t instructions_ = 0;
  bool budget_exceeded_ = false;
  bool memory_exceeded_ = false;
  StopReason stopped_ = StopReason::kNone;
  double last_call_seconds_ = 0;
  int base_ref_ = LUA_NOREF;  // the shared, read-only table of allowed names
  bool trace_lines_ = false;
  std::string traced_file_;
  int traced_line_ = 0;
  std::unique_ptr<Watchdog> watchdog_;
};

}  // namespace vigil::rules
