// Opening the database file the host checksummed, read-only, creating
// nothing beside it; and refusing a file whose latest changes live outside
// it (an un-checkpointed -wal, an interrupted write's -journal), which the
// host's checksum would not see.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

namespace vigil::sqlite_plugin {

struct DatabaseCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using Database = std::unique_ptr<sqlite3, DatabaseCloser>;

// Opens `path` (the host gives /proc/self/fd/N, its open descriptor of the
// checksummed file) as an immutable database: mode=ro&immutable=1, so SQLite
// takes no locks and never opens or creates -wal, -shm or -journal files; and
// through a VFS that opens the name as given and reads it with pread(), where
// SQLite's own would follow /proc/self/fd/N to the file's name, which could
// by then be another file. Throws
// vigil::sdk::Error naming `path` when it cannot be opened, is not that
// descriptor, or has changes outside the file (see CheckNothingOutside).
Database OpenImmutable(const std::string& path);

// Throws when the -wal file beside the database holds committed pages that
// differ from the database file's (changes not yet checkpointed), or the
// -journal file beside it is hot (a write was interrupted). `path` may be a
// /proc/self/fd/N link: the files beside it are looked for beside the name
// it links to, and the database's pages are read through `path`.
void CheckNothingOutside(const std::string& path);

}  // namespace vigil::sqlite_plugin
