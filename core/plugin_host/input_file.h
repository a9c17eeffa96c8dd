// An input file opened once by the host for a plugin, so that what was
// checked is what is read and what is checksummed. Checking a path and
// letting the plugin open it later leaves a gap: a data folder writable by
// others can have a subfolder swapped for a link meanwhile. Instead the host
// opens the file, checks where the open file really is (its path as the
// kernel resolved it, not as it was spelt), checksums it through the same
// descriptor, and gives the plugin /proc/self/fd/N, which reopens that very
// file whatever happens to the path. After the plugin has read it, the file
// must still be unchanged (size, modification and change times), so the
// checksum describes the bytes that were read.
#pragma once

#include <sys/stat.h>

#include <string>

#include "base/status.h"
#include "plugin_host/settings.h"

namespace vigil::plugin_host {

class InputFile {
 public:
  // Opens `path` (absolute, already checked by ResolveSettings) without
  // blocking (a FIFO is refused, not waited on), and checks that it is a
  // regular file inside one of `paths.allowed_folders`. `where` names the
  // source and setting in errors.
  static Result<InputFile> Open(const std::string& path, const PathPolicy& paths, const std::string& where);

  InputFile(InputFile&& other) noexcept;
  InputFile& operator=(InputFile&& other) noexcept;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile();

  const std::string& path() const { return path_; }          // as resolved by the host
  std::string fd_path() const;                                 // "/proc/self/fd/N", for the plugin
  const std::string& sha256() const { return sha256_; }
  // An error naming the file if it changed since it was checksummed.
  Status CheckUnchanged() const;

 private:
  InputFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Status Checksum(const std::string& where);

  int fd_ = -1;
  std::string path_;
  std::string sha256_;
  struct stat stat_ {};
};

}  // namespace vigil::plugin_host
