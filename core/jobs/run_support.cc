#include "jobs/run_support.h"

#include <sys/resource.h>

#include <ctime>

#include <fmt/format.h>

namespace vigil::jobs {

std::string Timestamp(const char* format) {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, format, &local);
  return buffer;
}

std::string NowIso() { return Timestamp("%Y-%m-%dT%H:%M:%S%z"); }

long PeakMemoryMb() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

Status MakeFolder(const std::filesystem::path& folder) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec)
    return Fail(ErrorCode::kIo, fmt::format("cannot create folder {}: {}", folder.string(), ec.message()));
  return Status::Ok();
}

}  // namespace vigil::jobs
