// The sandbox's watchdog: a thread that bounds each call's wall-clock time
// and a pack's whole evaluation (its budget), and stops calls when the run
// is cancelled. It only asks: the sandbox's count hook sees the request
// within microseconds and raises an error at the rule's line. A call that
// does not answer within a second is inside a C library function (a
// backtracking pattern), which cannot be interrupted safely, so the only
// sound answer is to end the process: nothing was committed, the store rolls
// back, the previous reports stay, and the run is recorded as failed from
// the last words it leaves (base/last_words.h).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "rules/sandbox.h"

namespace vigil::rules {

// Milliseconds on a cheap monotonic clock (a few ns a read; 4 ms resolution
// is plenty for limits counted in seconds).
std::int64_t NowMs();

// "ran past its time limit", … : how a stop is worded in messages.
const char* StopText(StopReason reason);

class Watchdog {
 public:
  Watchdog(lua_State* L, const Limits& limits);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Arms the deadline of the call starting now (0 disarms); returns the
  // previous one, to be armed again when a nested call returns.
  std::int64_t Arm(std::int64_t deadline) {
    generation_.fetch_add(1, std::memory_order_relaxed);
    return deadline_.exchange(deadline);
  }
  void SetLimits(const Limits& limits);
  // The pack's budget: a deadline for every call from now on (0: none).
  void SetBudget(std::int64_t deadline, int seconds) {
    budget_seconds_.store(seconds);
    budget_.store(deadline);
  }
  std::int64_t budget() const { return budget_.load(); }
  int budget_seconds() const { return budget_seconds_.load(); }
  void SetCancel(const std::atomic<bool>* cancel) { cancel_.store(cancel); }
  bool cancelled() const {
    const std::atomic<bool>* cancel = cancel_.load(std::memory_order_relaxed);
    return cancel != nullptr && cancel->load(std::memory_order_relaxed);
  }
  // What the hook should do: kNone, or stop the running call for a reason.
  StopReason request() const { return request_.load(std::memory_order_relaxed); }
  void ClearRequest() { request_.store(StopReason::kNone); }
  // Describes what is running, for the message if the process must end;
  // what it refers to must stay valid while the call runs.
  void SetActivity(std::function<std::string()> describe);

 private:
  void Watch();
  [[noreturn]] void EndProcess(StopReason reason);

  lua_State* L_;
  Limits limits_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::function<std::string()> describe_;
  std::atomic<std::int64_t> deadline_{0};
  std::atomic<std::int64_t> budget_{0};
  std::atomic<int> budget_seconds_{0};
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<StopReason> request_{StopReason::kNone};
  std::atomic<const std::atomic<bool>*> cancel_{nullptr};
  std::thread thread_;  // last: it starts once everything above is ready
};

}  // namespace vigil::rules
