// Keeping runs on one store apart, and naming a crash after the fact: the
// store's lock file, and the "<store>.calling" marker that says which plugin
// a run was inside when the process died.
#pragma once

#include <filesystem>
#include <string>

#include "base/status.h"
#include "store/store.h"

namespace vigil::jobs {

// An exclusive lock on "<store>.lock" for the whole run; released when the
// process ends, however it ends.
class RunLock {
 public:
  static Result<RunLock> Acquire(const std::filesystem::path& store);
  RunLock(RunLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  RunLock& operator=(RunLock&&) = delete;
  RunLock(const RunLock&) = delete;
  ~RunLock();

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_;
};

// "<store>.calling" names the plugin being called while a run is inside it.
// A plugin that crashes the process leaves it behind, so the next start can
// say which plugin it was instead of the failure staying anonymous. (The
// store itself is locked by the run's open transaction, hence a side file.)
std::filesystem::path CallingMarker(const std::filesystem::path& store);

// "<store>.stopped" holds a run's last words (base/last_words.h): why the
// process had to end at once (the rules' watchdog, a second SIGTERM, an
// uncaught exception), with the run's job, period and start time.
std::filesystem::path StoppedMarker(const std::filesystem::path& store);

// Reports and records a crash or stop that the previous run could not
// record itself (from the markers above). Call with the store's lock held.
void RecordEarlierCrash(store::Store& store, const std::filesystem::path& store_path, const std::string& job);

// Records `record` as a failed run after the run itself is gone (its
// transaction rolled back): takes the store's lock, waiting a little for
// the process that held it. An error if the store cannot be opened.
Status RecordFailedRunLater(const std::filesystem::path& store_path, store::RunRecord record);

}  // namespace vigil::jobs
