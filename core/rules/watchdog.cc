#include "rules/watchdog.h"

#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "base/last_words.h"
#include "base/text.h"

namespace vigil::rules {
namespace {

// How long the watchdog waits for the hook to stop a call it asked to stop;
// past that the call is inside a C function that cannot be interrupted.
constexpr std::int64_t kGraceMs = 1000;

}  // namespace

std::int64_t NowMs() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
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

Watchdog::Watchdog(lua_State* L, const Limits& limits) : L_(L), limits_(limits), thread_([this] { Watch(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Watchdog::SetLimits(const Limits& limits) {
  std::lock_guard lock(mutex_);
  limits_ = limits;
}

void Watchdog::SetActivity(std::function<std::string()> describe) {
  std::lock_guard lock(mutex_);
  describe_ = std::move(describe);
}

void Watchdog::Watch() {
  std::unique_lock lock(mutex_);
  std::int64_t asked_at = 0;
  std::uint64_t asked_generation = 0;
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::milliseconds(100));
    if (stop_) break;
    std::int64_t now = NowMs(), deadline = deadline_.load(), budget = budget_.load();
    StopReason reason = StopReason::kNone;
    if (deadline != 0) {  // a call is running
      if (cancelled()) reason = StopReason::kCancelled;
      else if (budget != 0 && now >= budget) reason = StopReason::kBudget;
      else if (now >= deadline) reason = StopReason::kCallTime;
    }
    std::uint64_t generation = generation_.load();
    if (reason == StopReason::kNone) {
      asked_at = 0;
      continue;
    }
    // Ask (again, when another call has started or the last request was
    // answered), then wait for the hook to answer.
    if (asked_at == 0 || generation != asked_generation || request_.load() == StopReason::kNone) {
      request_.store(reason);
      asked_at = now;
      asked_generation = generation;
      continue;
    }
    if (now - asked_at >= kGraceMs) EndProcess(reason);
  }
}

// The call did not answer: it is inside a C function, so the main thread is
// not changing its Lua stack, which can be read to say where it is.
void Watchdog::EndProcess(StopReason reason) {
  std::string where, inside;
  lua_Debug ar;
  if (lua_getstack(L_, 0, &ar) && lua_getinfo(L_, "Sn", &ar) && ar.what != nullptr && std::strcmp(ar.what, "C") == 0)
    inside = ar.name != nullptr ? fmt::format(" inside '{}'", ar.name) : " inside a library function";
  for (int level = 0; level < 8 && where.empty() && lua_getstack(L_, level, &ar); ++level)
    if (lua_getinfo(L_, "Sl", &ar) && ar.currentline > 0) where = fmt::format(" (at {}:{})", ar.short_src, ar.currentline);
  bool pattern = false;
  for (const char* name : {"'find'", "'match'", "'gmatch'", "'gsub'"})
    pattern = pattern || inside.find(name) != std::string::npos;
  std::string limit = reason == StopReason::kBudget     ? fmt::format(" of {} s", budget_seconds_.load())
                      : reason == StopReason::kCallTime ? fmt::format(" of {} s for one call", limits_.seconds)
                                                        : "";
  std::string reason_text = Printable(fmt::format(
      "{} {}{}{}{}{}; the run was stopped and nothing was written", describe_ ? describe_() : std::string("a rule"),
      StopText(reason), limit, inside, where, pattern ? " (a string pattern that backtracks without end?)" : ""));
  WriteLastWords(reason_text);
  std::string message = "vigil: " + reason_text + "\n";
  ssize_t ignored = ::write(STDERR_FILENO, message.data(), message.size());
  (void)ignored;
  ::_exit(3);
}

}  // namespace vigil::rules
