#include "base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>
#include <openssl/evp.h>

namespace vigil {
namespace fs = std::filesystem;

Status SyncFileSystem(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail(ErrorCode::kIo, fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  int result = ::syncfs(fd);
  int err = errno;
  ::close(fd);
  if (result != 0) return Fail(ErrorCode::kIo, fmt::format("cannot flush {}: {}", path.string(), std::strerror(err)));
  return Status::Ok();
}

Status WriteFileAtomically(const fs::path& path, std::string_view content, bool sync) {
  const fs::path temp = path.string() + ".tmp-" + std::to_string(::getpid());
  // A new file, never one that is there already (nor a link someone put in
  // its place): a stale one from a crashed process is removed first.
  ::unlink(temp.c_str());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0)
    return Fail(ErrorCode::kIo, fmt::format("cannot create {}: {}", temp.string(), std::strerror(errno)));
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      return Fail(ErrorCode::kIo, fmt::format("cannot write {}: {}", temp.string(), std::strerror(err)));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  // fsync before rename: otherwise a crash can leave a renamed, empty file.
  if ((sync && ::fsync(fd) != 0) || ::close(fd) != 0) {
    ::unlink(temp.c_str());
    return Fail(ErrorCode::kIo, fmt::format("cannot flush {}: {}", temp.string(), std::strerror(errno)));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    return Fail(ErrorCode::kIo, fmt::format("cannot rename {} to {}: {}", temp.string(),
                                            path.string(), std::strerror(err)));
  }
  return Status::Ok();
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Fail(ErrorCode::kIo, fmt::format("cannot read {}", path.string()));
  return content;
}

std::string OpenedPath(int fd) {
  std::array<char, 4096> buffer{};
  std::string link = "/proc/self/fd/" + std::to_string(fd);
  ssize_t n = ::readlink(link.c_str(), buffer.data(), buffer.size() - 1);
  return n > 0 ? std::string(buffer.data(), static_cast<std::size_t>(n)) : std::string();
}

Result<std::string> ReadRegularFile(const fs::path& path, std::uintmax_t max_bytes, const fs::path& inside) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return Fail(ErrorCode::kNotFound, fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Fail(ErrorCode::kInvalidInput, fmt::format("{}: not a regular file", path.string()));
  }
  if (!inside.empty()) {
    std::string opened = OpenedPath(fd);
    if (opened.empty() || !IsInside(opened, inside)) {
      ::close(fd);
      return Fail(ErrorCode::kInvalidInput, fmt::format("{}: is a link to a file outside {}", path.string(),
                                                        inside.string()));
    }
  }
  if (static_cast<std::uintmax_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return Fail(ErrorCode::kInvalidInput, fmt::format("{}: {} bytes; at most {} are read", path.string(),
                                                      st.st_size, max_bytes));
  }
  std::string content;
  char buffer[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return Fail(ErrorCode::kIo, fmt::format("cannot read {}: {}", path.string(), std::strerror(err)));
    }
    if (n == 0) break;
    content.append(buffer, static_cast<std::size_t>(n));
    if (content.size() > max_bytes) {  // it grew while being read
      ::close(fd);
      return Fail(ErrorCode::kInvalidInput, fmt::format("{}: more than {} bytes", path.string(), max_bytes));
    }
  }
  ::close(fd);
  return content;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr);
}
Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256::Update(std::string_view data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
}

std::string Sha256::HexDigest() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), digest.data(), &size);
  std::string hex;
  hex.reserve(size * 2);
  for (unsigned i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

Result<std::string> Sha256File(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  Sha256 hash;
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    hash.Update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) return Fail(ErrorCode::kIo, fmt::format("cannot read {}", path.string()));
  return hash.HexDigest();
}

bool IsInside(const fs::path& path, const fs::path& folder) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  if (ec) return false;
  fs::path f = fs::weakly_canonical(folder, ec);
  if (ec) return false;
  auto [fend, pit] = std::mismatch(f.begin(), f.end(), p.begin(), p.end());
  // A trailing empty element comes from a folder written with a final '/'.
  return fend == f.end() || (std::next(fend) == f.end() && fend->empty());
}

fs::path WithoutTrailingSlash(const fs::path& path) {
  fs::path normal = path.lexically_normal();
  // "a/b/" normalises to "a/b/" (an empty last element); its parent is "a/b".
  while (!normal.has_filename() && normal.has_relative_path()) normal = normal.parent_path();
  return normal;
}

}  // namespace vigil
