#include "jobs/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/log.h"
#include "jobs/run_support.h"

namespace vigil::jobs {
namespace fs = std::filesystem;

Result<RunLock> RunLock::Acquire(const fs::path& store) {
  fs::path path = store.string() + ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
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

void RecordEarlierCrash(store::Store& store, const fs::path& store_path, const std::string& job) {
  fs::path marker = CallingMarker(store_path);
  std::error_code ec;
  if (!fs::exists(marker, ec)) return;
  auto text = ReadFile(marker);
  auto info = nlohmann::json::parse(text ? *text : std::string("{}"), nullptr, false);
  std::string message = fmt::format(
      "the process stopped while plugin '{}' was reading source '{}' (pid {}, started {}): the "
      "plugin crashed or the run was killed",
      info.value("plugin", std::string("?")), info.value("source", std::string("?")),
      info.value("pid", 0), info.value("started_at", std::string("?")));
  Logger("run")->error("previous run failed: {}", message);
  store::RunRecord record;
  record.job = info.value("job", job);
  record.as_of = info.value("as_of", std::string());
  record.started_at = info.value("started_at", std::string());
  record.finished_at = NowIso();
  record.message = "ingest: " + message;
  if (store.RecordFailedRun(record).ok()) fs::remove(marker, ec);
}

}  // namespace vigil::jobs
