#include "plugin_host/input_file.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "base/files.h"

namespace vigil::plugin_host {
namespace fs = std::filesystem;

namespace {

bool SameContent(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec &&
         a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

}  // namespace

Result<InputFile> InputFile::Open(const std::string& path, const PathPolicy& paths, const std::string& where) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    return Fail(ErrorCode::kNotFound, fmt::format("{}: cannot open {}: {}", where, path, std::strerror(errno)));
  InputFile file(fd, path);
  if (::fstat(fd, &file.stat_) != 0 || !S_ISREG(file.stat_.st_mode))
    return Fail(ErrorCode::kInvalidInput, fmt::format("{}: {} is not a regular file", where, path));
  std::string real = OpenedPath(fd);
  bool inside = false;
  for (const auto& folder : paths.allowed_folders) inside = inside || (!real.empty() && IsInside(real, folder));
  if (!inside)
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}: path '{}' is outside the job's data folders (it was opened as {}); the "
                            "file or a folder on its way was replaced by a link while the run started",
                            where, path, real.empty() ? "an unknown file" : real));
  VIGIL_RETURN_IF_ERROR(file.Checksum(where));
  return file;
}

Status InputFile::Checksum(const std::string& where) {
  // A change lands in the change time only at the clock's tick (a few ms):
  // a file changed within the last tick could change again unseen, so wait
  // out the tick before reading.
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME_COARSE, &now);
  auto age_ns = (static_cast<long long>(now.tv_sec) - stat_.st_ctim.tv_sec) * 1'000'000'000LL +
                (now.tv_nsec - stat_.st_ctim.tv_nsec);
  if (age_ns < 50'000'000) {
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    if (::fstat(fd_, &stat_) != 0) return Fail(ErrorCode::kIo, fmt::format("{}: cannot read {}", where, path_));
  }
  Sha256 hash;
  std::array<char, 1 << 16> buffer{};
  off_t offset = 0;
  while (true) {
    ssize_t n = ::pread(fd_, buffer.data(), buffer.size(), offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return Fail(ErrorCode::kIo, fmt::format("{}: cannot read {}: {}", where, path_, std::strerror(errno)));
    if (n == 0) break;
    hash.Update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    offset += n;
  }
  sha256_ = hash.HexDigest();
  return CheckUnchanged();
}

Status InputFile::CheckUnchanged() const {
  struct stat now {};
  if (::fstat(fd_, &now) != 0 || !SameContent(now, stat_))
    return Fail(ErrorCode::kIo, fmt::format("{} changed while the run was reading it; its checksum would not "
                                            "describe what was read: run again once it is complete", path_));
  return Status::Ok();
}

std::string InputFile::fd_path() const { return fmt::format("/proc/self/fd/{}", fd_); }

InputFile::InputFile(InputFile&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)), sha256_(std::move(other.sha256_)), stat_(other.stat_) {
  other.fd_ = -1;
}

InputFile& InputFile::operator=(InputFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    sha256_ = std::move(other.sha256_);
    stat_ = other.stat_;
    other.fd_ = -1;
  }
  return *this;
}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace vigil::plugin_host
