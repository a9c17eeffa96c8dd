// File helpers that keep the "nothing half-written" promise: content goes to
// a temporary file in the same folder and is renamed into place when whole.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/status.h"

namespace vigil {

// Writes `content` to `path` atomically (temp file, fsync, rename). With
// `sync` false the fsync is left to one SyncFileSystem() after many files
// (hundreds of small pages would otherwise cost a flush each).
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view content, bool sync = true);

// Flushes everything written to the file system holding `path` (syncfs).
Status SyncFileSystem(const std::filesystem::path& path);

Result<std::string> ReadFile(const std::filesystem::path& path);

// Reads a file a user names (a job file, a rule file): it must be a regular
// file (a FIFO or a device would block or never end) of at most `max_bytes`;
// errors name the file. With `inside`, the file as opened (not as spelt:
// a link or a folder swapped meanwhile counts) must be inside that folder.
Result<std::string> ReadRegularFile(const std::filesystem::path& path, std::uintmax_t max_bytes,
                                    const std::filesystem::path& inside = {});

// The path of the file an open descriptor refers to, as the kernel resolved
// it (/proc/self/fd), or "" when it cannot be told.
std::string OpenedPath(int fd);

// SHA-256 of a file's bytes, as 64 lowercase hex digits.
Result<std::string> Sha256File(const std::filesystem::path& path);

// Incremental SHA-256 for hashing several files or strings together.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  std::string HexDigest();

 private:
  void* ctx_;  // EVP_MD_CTX*, kept opaque so OpenSSL stays out of headers
};

// Is `path` inside `folder` (after resolving "..", symlinks and case as the
// file system sees them)? Both must exist or be resolvable lexically.
bool IsInside(const std::filesystem::path& path, const std::filesystem::path& folder);

// `path` made lexically normal and without a final '/': "rules/kpis/" and
// "rules/kpis" (what tab completion types, and what people type) name the same folder.
std::filesystem::path WithoutTrailingSlash(const std::filesystem::path& path);

}  // namespace vigil
