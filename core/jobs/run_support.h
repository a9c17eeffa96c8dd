// Small helpers a run's stages share: time stamps, a stopwatch for stage
// timings, the process's peak memory and making folders with a clear error.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace vigil::jobs {

// The local time formatted by strftime(`format`).
std::string Timestamp(const char* format);
// The local time as ISO 8601 with its offset, "2023-11-30T06:00:00+0000".
std::string NowIso();

// One line of JSON for the store; a byte that is not UTF-8 becomes U+FFFD
// instead of an exception that would stop the run.
inline std::string JsonLine(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The process's peak resident memory so far, in MB.
long PeakMemoryMb();

// Creates `folder` and its parents; the error names the folder.
Status MakeFolder(const std::filesystem::path& folder);

// Seconds since the last call (or construction): times a run's stages in turn.
class Stopwatch {
 public:
  double Lap() {
    auto now = std::chrono::steady_clock::now();
    double seconds = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    return seconds;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace vigil::jobs
