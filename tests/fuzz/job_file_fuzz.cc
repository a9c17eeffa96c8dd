// Fuzz target: job files. The input is written to a file and parsed with
// vigil::jobs::LoadJob, as `vigil run` does.
//
// Beyond "no crash, no hang, no exception, no sanitizer report" it checks
// the parser's promises: every error names the job file (and is about
// invalid input, never an internal error), and a job that loads has a name,
// at least one rule pack and one source, uniquely named sources with a
// plugin, output formats that are names (html, csv, ...), and absolute paths.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "fuzz_check.h"
#include "jobs/job_file.h"

namespace {

namespace fs = std::filesystem;

// A private folder for this process (libFuzzer's -fork/-jobs run several),
// removed at exit. Allocated once and never freed: the exit handler runs
// after static objects are destroyed.
const fs::path& Folder() {
  static const fs::path* const folder = [] {
    auto* f = new fs::path(FuzzScratchFolder() / ("vigil-job-fuzz-" + std::to_string(::getpid())));
    fs::create_directories(*f);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(Folder(), ec);
    });
    return f;
  }();
  return *folder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fs::path file = Folder() / "job.toml";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    FUZZ_CHECK(out.good(), "cannot write %s", file.c_str());
  }
  auto job = vigil::jobs::LoadJob(file);
  if (!job) {
    const auto& error = job.error();
    FUZZ_CHECK(error.code == vigil::ErrorCode::kInvalidInput, "error code %d for: %s",
               static_cast<int>(error.code), error.message.c_str());
    FUZZ_CHECK(error.message.rfind(file.string(), 0) == 0, "the error does not name the file: %s",
               error.message.c_str());
    return 0;
  }
  FUZZ_CHECK(!job->name.empty(), "a job without a name");
  FUZZ_CHECK(!job->sources.empty(), "a job without sources");
  FUZZ_CHECK(!job->data_folders.empty(), "a job without data folders");
  FUZZ_CHECK(job->file == file, "job.file is %s", job->file.c_str());
  FUZZ_CHECK(job->retries >= 0 && job->retry_delay_seconds >= 0, "negative retries (%d) or delay (%ld)",
             job->retries, job->retry_delay_seconds);
  FUZZ_CHECK(job->store.is_absolute() && job->output.is_absolute(), "relative store or output");
  for (const auto& p : job->rule_packs) FUZZ_CHECK(p.is_absolute(), "relative rule pack path");
  for (const auto& p : job->data_folders) FUZZ_CHECK(p.is_absolute(), "relative data folder");
  for (const auto& p : job->plugin_folders) FUZZ_CHECK(p.is_absolute(), "relative plugin folder");
  for (const auto& f : job->formats) {
    // html, csv, json, markdown, ...: a known name, never arbitrary text.
    FUZZ_CHECK(!f.empty(), "an empty format");
    for (char c : f) FUZZ_CHECK(c >= 'a' && c <= 'z', "format '%s' is not a known name", f.c_str());
  }
  std::set<std::string> names;
  for (const auto& s : job->sources) {
    FUZZ_CHECK(!s.name.empty() && !s.plugin.empty(), "a source without a name or plugin");
    FUZZ_CHECK(names.insert(s.name).second, "source '%s' twice", s.name.c_str());
    for (const auto& setting : s.settings)
      FUZZ_CHECK(setting.is_list || setting.items.size() == 1, "a scalar setting with %zu items",
                 setting.items.size());
  }
  return 0;
}
