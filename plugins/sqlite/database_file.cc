#include "database_file.h"

#include <vigil/plugin.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace vigil::sqlite_plugin {
namespace {

using vigil::sdk::Error;

constexpr std::string_view kFdPrefix = "/proc/self/fd/";
constexpr char kVfsName[] = "vigil-descriptor";

bool IsDescriptorPath(std::string_view path) {
  return path.size() > kFdPrefix.size() && path.substr(0, kFdPrefix.size()) == kFdPrefix &&
         path.find_first_not_of("0123456789", kFdPrefix.size()) == std::string_view::npos;
}

// SQLite's unix VFS resolves symbolic links in a database's name and opens
// it with O_NOFOLLOW, and /proc/self/fd/N is a link: it would open the file
// again by the name the link shows, which may by then be another file than
// the one the host checksummed. This VFS is the default one except that a
// database is opened with a plain open() of the name as given (through the
// kernel's link, the very same file for /proc/self/fd/N) and read with
// pread(): it is immutable, so nothing but reading is needed, and nothing is
// locked or written. Other files (temporary ones for sorting) are the
// default VFS's.
sqlite3_vfs* base_vfs = nullptr;

struct DescriptorFile {
  sqlite3_file base;  // first: SQLite sees a sqlite3_file*
  int fd;
};

int FileClose(sqlite3_file* file) {
  close(reinterpret_cast<DescriptorFile*>(file)->fd);
  return SQLITE_OK;
}

int FileRead(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  const int fd = reinterpret_cast<DescriptorFile*>(file)->fd;
  auto* to = static_cast<char*>(out);
  std::size_t done = 0;
  const auto want = static_cast<std::size_t>(amount);
  while (done < want) {
    const ssize_t n = pread(fd, to + done, want - done, static_cast<off_t>(offset) + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return SQLITE_IOERR_READ;
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  if (done == want) return SQLITE_OK;
  std::memset(to + done, 0, want - done);  // SQLite's rule for a read past the end
  return SQLITE_IOERR_SHORT_READ;
}

int FileReadOnly(sqlite3_file*, const void*, int, sqlite3_int64) { return SQLITE_READONLY; }
int FileTruncate(sqlite3_file*, sqlite3_int64) { return SQLITE_READONLY; }
int FileSync(sqlite3_file*, int) { return SQLITE_OK; }

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  struct stat st {};
  if (fstat(reinterpret_cast<DescriptorFile*>(file)->fd, &st) != 0) return SQLITE_IOERR_FSTAT;
  *size = static_cast<sqlite3_int64>(st.st_size);
  return SQLITE_OK;
}

int FileLock(sqlite3_file*, int) { return SQLITE_OK; }  // immutable: no locks
int FileCheckReservedLock(sqlite3_file*, int* reserved) {
  *reserved = 0;
  return SQLITE_OK;
}
int FileControl(sqlite3_file*, int, void*) { return SQLITE_NOTFOUND; }
int FileSectorSize(sqlite3_file*) { return 4096; }
int FileCharacteristics(sqlite3_file*) { return SQLITE_IOCAP_IMMUTABLE; }

constexpr sqlite3_io_methods kDescriptorMethods = {
    1,           FileClose, FileRead,  FileReadOnly,          FileTruncate,   FileSync,
    FileSize,    FileLock,  FileLock,  FileCheckReservedLock, FileControl,    FileSectorSize,
    FileCharacteristics,
    nullptr,     nullptr,   nullptr,   nullptr,               nullptr,        nullptr};

int OpenFile(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  if ((flags & SQLITE_OPEN_MAIN_DB) == 0 || name == nullptr)
    return base_vfs->xOpen(base_vfs, name, file, flags, out_flags);
  (void)vfs;
  file->pMethods = nullptr;  // SQLite calls no method of a file that failed to open
  if ((flags & SQLITE_OPEN_READONLY) == 0) return SQLITE_CANTOPEN;
  const int fd = open(name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return SQLITE_CANTOPEN;
  auto* own = reinterpret_cast<DescriptorFile*>(file);
  own->fd = fd;
  own->base.pMethods = &kDescriptorMethods;
  if (out_flags != nullptr) *out_flags = SQLITE_OPEN_READONLY;
  return SQLITE_OK;
}

int KeepDescriptorName(sqlite3_vfs*, const char* name, int size, char* out) {
  const std::string_view given = name != nullptr ? name : "";
  if (!IsDescriptorPath(given)) return base_vfs->xFullPathname(base_vfs, name, size, out);
  if (given.size() + 1 > static_cast<std::size_t>(size)) return SQLITE_CANTOPEN;
  std::memcpy(out, given.data(), given.size());
  out[given.size()] = '\0';
  return SQLITE_OK;
}

const char* DescriptorVfs() {
  static const bool registered = [] {
    static sqlite3_vfs vfs;
    base_vfs = sqlite3_vfs_find(nullptr);
    if (base_vfs == nullptr) return false;
    vfs = *base_vfs;  // the same methods and private data for everything else
    vfs.zName = kVfsName;
    vfs.pNext = nullptr;
    vfs.szOsFile = std::max(base_vfs->szOsFile, static_cast<int>(sizeof(DescriptorFile)));
    vfs.xOpen = &OpenFile;
    vfs.xFullPathname = &KeepDescriptorName;
    return sqlite3_vfs_register(&vfs, 0) == SQLITE_OK;
  }();
  if (!registered) throw Error("cannot set up SQLite to read through the host's descriptor");
  return kVfsName;
}

// `path` as a SQLite URI file name: only %, ? and # need escaping.
std::string UriOf(std::string_view path) {
  std::string uri = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
      uri += kHex[static_cast<unsigned char>(c) & 0xF];
    } else {
      uri += c;
    }
  }
  return uri + "?mode=ro&immutable=1";
}

// The name beside which SQLite keeps -wal and -journal files: the link's
// target for a descriptor path; empty when the file has been deleted.
std::string NameOnDisk(const std::string& path) {
  if (!IsDescriptorPath(path)) return path;
  std::error_code ec;
  std::string target = std::filesystem::read_symlink(path, ec).string();
  if (ec) throw Error(path + ": cannot tell which file it is: " + ec.message());
  constexpr std::string_view kDeleted = " (deleted)";
  if (target.size() >= kDeleted.size() &&
      target.compare(target.size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0)
    return {};
  return target;
}

std::uint32_t BigEndian32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

// True when the write-ahead log at `wal` holds a committed page that the
// database read through `database` does not: changes not yet checkpointed.
// The log's layout is SQLite's documented WAL format: a 32-byte header, then
// frames of a 24-byte header and one page; a frame belongs to the log while
// its salts equal the header's, and a frame with a non-zero "database size"
// ends a committed transaction.
bool HoldsUncheckpointedPages(const std::string& wal, const std::string& database) {
  std::ifstream log(wal, std::ios::binary);
  if (!log) return false;
  std::array<unsigned char, 32> header{};
  if (!log.read(reinterpret_cast<char*>(header.data()), header.size())) return false;
  const std::uint32_t magic = BigEndian32(header.data());
  if (magic != 0x377f0682 && magic != 0x377f0683) return false;  // SQLite ignores it too
  const std::uint32_t page_size = BigEndian32(header.data() + 8);
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0) return false;

  std::vector<std::pair<std::uint32_t, std::uint64_t>> frames;  // page number, offset of its image
  std::size_t committed_frames = 0;
  std::array<unsigned char, 24> frame{};
  std::uint64_t offset = header.size();
  while (log.read(reinterpret_cast<char*>(frame.data()), frame.size())) {
    if (std::memcmp(frame.data() + 8, header.data() + 16, 8) != 0) break;  // an older log's frame
    frames.emplace_back(BigEndian32(frame.data()), offset + frame.size());
    if (BigEndian32(frame.data() + 4) != 0) committed_frames = frames.size();
    if (!log.seekg(page_size, std::ios::cur)) break;
    offset += frame.size() + page_size;
  }
  std::map<std::uint32_t, std::uint64_t> committed;  // each page's latest committed image
  for (std::size_t i = 0; i < committed_frames; ++i) committed[frames[i].first] = frames[i].second;
  if (committed.empty()) return false;

  log.clear();
  std::ifstream file(database, std::ios::binary);
  std::vector<char> logged(page_size), stored(page_size);
  for (const auto& [page, at] : committed) {
    log.seekg(static_cast<std::streamoff>(at));
    if (!log.read(logged.data(), page_size)) return true;  // torn: not provably in the file
    file.clear();
    file.seekg(static_cast<std::streamoff>(std::uint64_t{page - 1} * page_size));
    if (!file.read(stored.data(), page_size) || stored != logged) return true;
  }
  return false;
}

// True when `journal` is a rollback journal whose header is intact: another
// program is writing the database, or a write was interrupted and the file
// is half-changed until SQLite rolls it back.
bool IsHotJournal(const std::string& journal) {
  static constexpr unsigned char kMagic[8] = {0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7};
  std::ifstream in(journal, std::ios::binary);
  char head[8] = {};
  return in.read(head, sizeof head) && std::memcmp(head, kMagic, sizeof kMagic) == 0;
}

}  // namespace

void CheckNothingOutside(const std::string& path) {
  const std::string name = NameOnDisk(path);
  if (name.empty()) return;  // deleted since the host opened it: nothing can be beside it
  if (HoldsUncheckpointedPages(name + "-wal", path))
    throw Error(path + ": the database has changes not yet written into it: they are still in " +
                name + "-wal (SQLite's write-ahead log), which is not part of the file read and "
                "checksummed. Write them into the database, when no program is changing it, with: "
                "sqlite3 " + path + " \"PRAGMA wal_checkpoint(TRUNCATE)\" and run again");
  if (IsHotJournal(name + "-journal"))
    throw Error(path + ": the database is being changed or a change was interrupted (" + name +
                "-journal holds the pages it would restore): wait for the program writing it to "
                "finish, or open it once with sqlite3 to roll the interrupted change back, and run "
                "again");
}

Database OpenImmutable(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw Error(path + ": cannot open: no such file (the database is opened read-only "
                       "and never created)");
  if (std::filesystem::is_directory(path, ec))
    throw Error(path + ": cannot open: it is a folder, not a database file");
  CheckNothingOutside(path);

  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(UriOf(path).c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
                                 DescriptorVfs());
  Database db(raw);
  if (rc != SQLITE_OK)
    throw Error(path + ": cannot open: " + (db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc)));
  if (IsDescriptorPath(path)) {
    const char* opened = sqlite3_db_filename(db.get(), "main");
    if (opened == nullptr || path != opened)
      throw Error(path + ": SQLite would read " + (opened != nullptr ? opened : "another file") +
                  " instead of the file the host checksummed; refusing to read it");
  }
  return db;
}

}  // namespace vigil::sqlite_plugin
