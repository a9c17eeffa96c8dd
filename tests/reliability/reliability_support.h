// Helpers for the reliability tests: a job folder built from the fixtures,
// the built `vigil` binary started as a child process (so it can be timed,
// measured and killed), and read-only SQL on a store.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.h"

namespace vigil::reliability {

namespace fs = std::filesystem;
using vigil::testing::ReadText;
using vigil::testing::TempDir;
using vigil::testing::WriteText;

// A job folder in a temp dir: <tmp>/job/job.toml with one csv source called
// "register" reading `file` with the given settings, and the mini rule pack
// at <tmp>/rules/mini. The store is job/out/job.sqlite, reports job/out/reports.
class JobFolder {
 public:
  JobFolder() {
    vigil::testing::CopyTree(fs::path(VIGIL_TEST_DATA) / "rules", dir_ / "rules");
    fs::create_directories(folder());
  }
  const fs::path& root() const { return dir_.path(); }
  fs::path folder() const { return dir_ / "job"; }
  fs::path job_file() const { return folder() / "job.toml"; }
  fs::path store() const { return folder() / "out" / "job.sqlite"; }
  fs::path reports() const { return folder() / "out" / "reports"; }
  fs::path latest() const { return reports() / "latest"; }

  // Copies a file of tests/data/bad into the job folder.
  void AddBadFile(const std::string& name) const {
    fs::copy_file(fs::path(VIGIL_TEST_DATA) / "bad" / name, folder() / name,
                  fs::copy_options::overwrite_existing);
  }

  // The standard register source on `file`: URN, Name, Status, Pupils,
  // Census date. `settings` replaces the [source.settings] lines after
  // `file`; `source_extra` goes into [[source]] (on_reject, on_error).
  void WriteJob(const std::string& file, const std::string& settings = kSchoolSettings,
                const std::string& source_extra = "", const std::string& more_sources = "") const {
    std::string text =
        "plugin_folders = [\"" + std::string(VIGIL_PLUGIN_DIR) + "\"]\n"
        "name = \"reliability\"\n"
        "title = \"Reliability\"\n"
        "as_of = \"2024-11-30\"\n"
        "store = \"out/job.sqlite\"\n"
        "data_folders = [\".\"]\n\n"
        "[output]\nfolder = \"out/reports\"\nformats = [\"html\", \"csv\", \"json\"]\n\n"
        "[[rules]]\npack = \"../rules/mini\"\n\n"
        "[[source]]\nname = \"register\"\nplugin = \"csv\"\n" + source_extra +
        "[source.settings]\nfile = \"" + file + "\"\n" + settings + more_sources;
    WriteText(job_file(), text);
  }

  static constexpr const char* kSchoolSettings =
      "kind = \"school\"\n"
      "key_column = \"URN\"\n"
      "name_column = \"Name\"\n"
      "attributes = [\"status = Status\"]\n"
      "measures = [\"pupils = Pupils\"]\n"
      "date_column = \"Census date\"\n";

 private:
  TempDir dir_;
};

// A finished child process.
struct Finished {
  int exit_code = -1;   // -1 when it did not exit normally
  int signal = 0;       // the signal that ended it, if any
  long max_rss_kb = 0;  // peak resident set size (ru_maxrss)
  double seconds = 0;   // wall clock
  std::string output;   // stdout and stderr
};

// `vigil ARGS...` started in `cwd` with stdout and stderr going to a file,
// so it can be killed or measured.
class VigilProcess {
 public:
  VigilProcess(const fs::path& cwd, const std::vector<std::string>& args, mode_t umask_value = 022)
      : output_(cwd.parent_path() / (".vigil-out-" + std::to_string(counter_++))) {
    // Everything the child needs is prepared before fork().
    std::string binary = VIGIL_BINARY;
    std::vector<std::string> copies(args);
    std::vector<char*> argv;
    argv.push_back(binary.data());
    for (auto& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string dir = cwd.string(), out = output_.string();
    start_ = std::chrono::steady_clock::now();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::umask(umask_value);
      int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        ::close(fd);
      }
      if (::chdir(dir.c_str()) != 0) ::_exit(127);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
  }
  VigilProcess(const VigilProcess&) = delete;
  VigilProcess& operator=(const VigilProcess&) = delete;
  ~VigilProcess() {
    if (pid_ > 0 && !finished_) {
      ::kill(pid_, SIGKILL);
      Wait();
    }
    std::error_code ec;
    fs::remove(output_, ec);
  }

  pid_t pid() const { return pid_; }
  void Kill() { ::kill(pid_, SIGKILL); }

  // Waits for the child; with `limit`, a child still running then is
  // killed and the test fails (a hang guard, not a timing assertion).
  Finished Wait(std::chrono::seconds limit = std::chrono::seconds(0)) {
    Finished f;
    int status = 0;
    struct rusage usage {};
    if (limit.count() > 0) {
      while (::wait4(pid_, &status, WNOHANG, &usage) == 0) {
        if (std::chrono::steady_clock::now() - start_ > limit) {
          ADD_FAILURE() << "vigil was still running after " << limit.count() << " s: it hung";
          ::kill(pid_, SIGKILL);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    } else {
      while (::wait4(pid_, &status, 0, &usage) < 0 && errno == EINTR) {
      }
    }
    finished_ = true;
    f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (WIFEXITED(status)) f.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) f.signal = WTERMSIG(status);
    f.max_rss_kb = usage.ru_maxrss;
    f.output = ReadText(output_);
    return f;
  }

 private:
  static inline int counter_ = 0;
  fs::path output_;
  pid_t pid_ = -1;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
};

inline Finished RunVigil(const fs::path& cwd, const std::vector<std::string>& args,
                         mode_t umask_value = 022) {
  VigilProcess p(cwd, args, umask_value);
  return p.Wait();
}

// Read-only SQL on a store, through SQLite's C API (not Vigil's code).
class StoreReader {
 public:
  explicit StoreReader(const fs::path& path) {
    // Read-write open: after a crash SQLite may need to recover the WAL.
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      error_ = db_ ? sqlite3_errmsg(db_) : "cannot open";
      sqlite3_close(db_);
      db_ = nullptr;
    } else {
      sqlite3_busy_timeout(db_, 5000);
    }
  }
  ~StoreReader() { sqlite3_close(db_); }
  StoreReader(const StoreReader&) = delete;
  StoreReader& operator=(const StoreReader&) = delete;

  bool ok() const { return db_ != nullptr; }
  const std::string& error() const { return error_; }

  // Every row of `sql`, each column as text ("NULL" for NULL).
  std::vector<std::vector<std::string>> Rows(const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    sqlite3_stmt* stmt = nullptr;
    if (db_ == nullptr || sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot prepare " << sql << ": " << (db_ ? sqlite3_errmsg(db_) : error_);
      return rows;
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        row.emplace_back(text ? reinterpret_cast<const char*>(text) : "NULL",
                         text ? static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)) : 4u);
      }
      rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    return rows;
  }
  // The first column of the first row, or "" when there is none.
  std::string One(const std::string& sql) {
    auto rows = Rows(sql);
    return rows.empty() || rows[0].empty() ? std::string() : rows[0][0];
  }
  std::int64_t Count(const std::string& sql) {
    std::string v = One(sql);
    return v.empty() ? -1 : std::stoll(v);
  }

 private:
  sqlite3* db_ = nullptr;
  std::string error_;
};

// Tests that show a known bug skip themselves (GTEST_SKIP with "BUG: ...")
// until it is fixed; VIGIL_RUN_KNOWN_BUGS=1 runs them, to watch them fail
// or to check a fix.
inline bool RunKnownBugs() {
  const char* v = std::getenv("VIGIL_RUN_KNOWN_BUGS");
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace vigil::reliability
