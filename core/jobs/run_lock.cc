#include "jobs/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/log.h"
#include "jobs/run_support.h"

namespace vigil::jobs {
namespace fs = std::filesystem;

Result<RunLock> RunLock::Acquire(const fs::path& store) {
  fs::path path = store.string() + ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return Fail(ErrorCode::kIo, fmt::format("cannot create lock file {}", path.string()));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Fail(ErrorCode::kBusy,
                fmt::format("another run is using the store {} (lock {} is held); wait for it "
                            "to finish", store.string(), path.string()));
  }
  return RunLock(fd);
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);
}

fs::path CallingMarker(const fs::path& store) { return store.string() + ".calling"; }
fs::path StoppedMarker(const fs::path& store) { return store.string() + ".stopped"; }

namespace {

// A field of a marker: these files sit beside the store, so a wrong type is
// treated as absent, never trusted.
std::string Text(const nlohmann::json& info, const char* key, std::string fallback) {
  auto it = info.find(key);
  return it != info.end() && it->is_string() ? it->get<std::string>() : fallback;
}
long long Number(const nlohmann::json& info, const char* key, long long fallback) {
  auto it = info.find(key);
  return it != info.end() && it->is_number_integer() ? it->get<long long>() : fallback;
}

// A marker's JSON object; {} when it is missing or unreadable.
nlohmann::json ReadMarker(const fs::path& marker) {
  auto text = ReadRegularFile(marker, 1u << 20);
  auto info = nlohmann::json::parse(text ? *text : std::string("{}"), nullptr, false);
  return info.is_discarded() || !info.is_object() ? nlohmann::json::object() : info;
}

// Records the run a marker describes as failed with `message`; true when done.
bool RecordFromMarker(store::Store& store, const nlohmann::json& info, const std::string& job,
                      const std::string& message) {
  Logger("run")->error("previous run failed: {}", message);
  store::RunRecord record;
  record.job = Text(info, "job", job);
  record.as_of = Text(info, "as_of", "");
  record.started_at = Text(info, "started_at", "");
  record.finished_at = NowIso();
  record.message = message;
  return store.RecordFailedRun(record).ok();
}

// A run that ended the process at once, recorded from its last words.
void RecordStopped(store::Store& store, const fs::path& store_path, const std::string& job) {
  fs::path marker = StoppedMarker(store_path);
  std::error_code ec;
  if (!fs::exists(marker, ec)) return;
  nlohmann::json info = ReadMarker(marker);
  std::string message = Text(info, "stage", "run") + ": " + Text(info, "reason", "the process was stopped");
  if (!RecordFromMarker(store, info, job, message)) return;
  fs::remove(marker, ec);
  // The plugin marker of the same run, if any, says no more than this.
  if (Number(ReadMarker(CallingMarker(store_path)), "pid", 0) == Number(info, "pid", -1))
    fs::remove(CallingMarker(store_path), ec);
}

}  // namespace

Status RecordFailedRunLater(const fs::path& store_path, store::RunRecord record) {
  std::error_code ec;
  if (!fs::exists(store_path, ec)) return Status::Ok();  // the run never got as far as its store
  std::optional<RunLock> lock;
  for (int attempt = 0; attempt < 50 && !lock; ++attempt) {
    auto acquired = RunLock::Acquire(store_path);
    if (acquired) lock.emplace(std::move(acquired).value());
    else std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!lock) return Fail(ErrorCode::kBusy, fmt::format("the store {} stayed locked", store_path.string()));
  VIGIL_ASSIGN_OR_RETURN(store::Store store, store::Store::Open(store_path.string()));
  return store.RecordFailedRun(record);
}

void RecordEarlierCrash(store::Store& store, const fs::path& store_path, const std::string& job) {
  RecordStopped(store, store_path, job);
  fs::path marker = CallingMarker(store_path);
  std::error_code ec;
  if (!fs::exists(marker, ec)) return;
  nlohmann::json info = ReadMarker(marker);
  std::string message = fmt::format(
      "ingest: the process stopped while plugin '{}' was reading source '{}' (pid {}, started {}): the "
      "plugin crashed or the run was killed",
      Text(info, "plugin", "?"), Text(info, "source", "?"), Number(info, "pid", 0), Text(info, "started_at", "?"));
  if (RecordFromMarker(store, info, job, message)) fs::remove(marker, ec);
}

}  // namespace vigil::jobs
