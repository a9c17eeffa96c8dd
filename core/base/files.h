// File helpers that keep the "nothing half-written" promise: content goes to
// a temporary file in the same folder and is renamed into place when whole.
#pragma once

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
