// Job files (TOML): which sources to read with which plugin settings, which
// rule packs to apply, where the store and the reports go. Relative paths
// are relative to the job file's folder, so a job runs the same from cron
// (which starts in /) as from a terminal.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "plugin_host/settings.h"
#include "rules/sandbox.h"

namespace vigil::jobs {

enum class OnReject { kReport, kFail };
enum class OnError { kFail, kSkip };
// When a source's data goes nowhere: it stored nothing for a kind of entity
// a rule pack assesses, or values named entities no source registered.
enum class OnLoss { kFail, kWarn };

struct SourceSpec {
  std::string name;
  std::string plugin;
  OnReject on_reject = OnReject::kReport;
  OnError on_error = OnError::kFail;
  OnLoss on_loss = OnLoss::kFail;
  std::vector<plugin_host::SettingInput> settings;
  int line = 0;  // where the [[source]] table starts, for messages
};

struct JobSpec {
  std::filesystem::path file;    // absolute
  std::filesystem::path folder;  // the job file's folder
  std::string name;
  std::string title;
  std::optional<std::string> as_of;  // ISO date; default today
  std::filesystem::path store;
  std::filesystem::path output;
  std::vector<std::string> formats;  // html, csv, json, markdown
  std::string split_by;              // an attribute: also one HTML report per value (e.g. district)
  std::string lists = "auto";        // entity lists in HTML/Markdown: auto (up to 2,000), all, none
  std::vector<std::filesystem::path> rule_packs;
  std::vector<std::filesystem::path> plugin_folders;
  std::vector<std::filesystem::path> data_folders;
  std::vector<SourceSpec> sources;
  std::string schedule;             // cron syntax, for `vigil schedule`
  int retries = 0;                  // extra attempts after a failed scheduled run
  long retry_delay_seconds = 300;
  std::string on_failure;           // a shell command run after a scheduled run finally fails
  // [limits]: the ceilings a rule pack may raise its own budget and memory
  // cap to, and each rule call's wall-clock limit; and the wall-clock budget
  // of one pack's whole evaluation in a run.
  rules::Limits limits;
  int pack_seconds = kDefaultPackSeconds;
  static constexpr int kDefaultPackSeconds = 600;

  // The names of the job's sources: what its evaluations may read.
  std::vector<std::string> SourceNames() const {
    std::vector<std::string> names;
    for (const auto& s : sources) names.push_back(s.name);
    return names;
  }
};

// Parses and checks a job file. Every error names the file and line.
Result<JobSpec> LoadJob(const std::filesystem::path& path);

// Is `name` fit to name a job or a source: 1 to 64 letters, digits, spaces,
// '_', '.' or '-', starting with a letter or digit (it reaches file names,
// logs and terminals).
bool IsSafeName(std::string_view name);

// Where a run may write: the store and the output folder may not be inside
// a data folder (other than the job's own folder), rule pack or plugin
// folder; an existing store must be an SQLite file, not a link; an existing
// `latest` in the output folder must be the link Vigil made. Errors name
// the job file and the path.
Status CheckWritePlaces(const JobSpec& job, const std::filesystem::path& store,
                        const std::filesystem::path& output);

}  // namespace vigil::jobs
