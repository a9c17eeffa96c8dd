// Helpers shared by the fuzz targets.
//
// FUZZ_CHECK: an invariant of a fuzz target. When it does not hold, the
// target prints what failed and aborts, so both libFuzzer and the replay
// driver (fuzz_driver.cc) treat the input as a crash and save it.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#define FUZZ_CHECK(condition, ...)                                                   \
  do {                                                                               \
    if (!(condition)) {                                                              \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: ", __FILE__, __LINE__,     \
                   #condition);                                                      \
      std::fprintf(stderr, __VA_ARGS__);                                             \
      std::fputc('\n', stderr);                                                      \
      std::abort();                                                                  \
    }                                                                                \
  } while (false)

// Where targets write their per-input files: /dev/shm when there is one
// (a file rewritten thousands of times a second should not wait for a disk
// busy with other work), else the temp folder.
inline std::filesystem::path FuzzScratchFolder() {
  std::error_code ec;
  if (std::filesystem::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0)
    return "/dev/shm";
  return std::filesystem::temp_directory_path();
}
