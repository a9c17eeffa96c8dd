// Where a run may write (the store and the reports), checked before it
// creates anything: a copied or mistyped job must not leave a lock file in a
// shared data folder, write reports over data or rules, or treat a data file
// as its store.
#include <sys/stat.h>

#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "base/files.h"
#include "base/text.h"
#include "jobs/job_file.h"

namespace vigil::jobs {
namespace fs = std::filesystem;

namespace {

struct Folder {
  fs::path path;
  const char* what;
};

// The folders a run only reads: its inputs and its code. The job's own
// folder is its data folder when it names none, and stays the job's place
// for its store and reports.
std::vector<Folder> ReadOnlyFolders(const JobSpec& job) {
  std::vector<Folder> folders;
  std::error_code ec;
  fs::path own = fs::weakly_canonical(job.folder, ec);
  for (const auto& f : job.data_folders)
    if (fs::weakly_canonical(f, ec) != own) folders.push_back({f, "data folder"});
  for (const auto& f : job.rule_packs) folders.push_back({f, "rule pack"});
  for (const auto& f : job.plugin_folders) folders.push_back({f, "plugin folder"});
  return folders;
}

bool IsSqliteFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char header[16] = {};
  in.read(header, sizeof header);
  return in.gcount() == sizeof header && std::memcmp(header, "SQLite format 3", 16) == 0;
}

}  // namespace

Status CheckWritePlaces(const JobSpec& job, const fs::path& store, const fs::path& output) {
  auto refuse = [&](const std::string& message) {
    return Status(Fail(ErrorCode::kInvalidInput, fmt::format("{}: {}", job.file.string(), Printable(message))));
  };
  for (const auto& [folder, what] : ReadOnlyFolders(job)) {
    if (IsInside(store, folder))
      return refuse(fmt::format("store {} is inside the {} {}; a run writes its store, lock and journal "
                                "there: put the store elsewhere", store.string(), what, folder.string()));
    if (IsInside(output, folder))
      return refuse(fmt::format("the output folder {} is inside the {} {}; reports must go to a folder "
                                "a run may write", output.string(), what, folder.string()));
  }
  struct stat st {};
  if (::lstat(store.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode))
      return refuse(fmt::format("store {} is a symbolic link; name the store file itself", store.string()));
    if (!S_ISREG(st.st_mode))
      return refuse(fmt::format("store {} is not a file", store.string()));
    if (st.st_size > 0 && !IsSqliteFile(store))
      return refuse(fmt::format("store {} exists and is not an SQLite database (a data file?); store = "
                                "names the file where Vigil keeps its runs", store.string()));
  }
  if (::lstat(output.c_str(), &st) == 0 && !S_ISDIR(st.st_mode))
    return refuse(fmt::format("the output folder {} is not a folder", output.string()));
  fs::path latest = output / "latest";
  if (::lstat(latest.c_str(), &st) == 0 && !S_ISLNK(st.st_mode))
    return refuse(fmt::format("{} exists and is not the link Vigil keeps to the latest report; the output "
                              "folder must be Vigil's own", latest.string()));
  return Status::Ok();
}

}  // namespace vigil::jobs
