// The CLI's commands. Each returns the process exit code:
// 0 ok, 1 findings (check failures, rejected rows), 2 usage or configuration
// error, 3 runtime failure.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "jobs/job_file.h"
#include "store/store.h"

namespace vigil::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitFailure = 3;

// Prints "vigil: <message>" to stderr and returns the exit code for it.
int ReportError(const Error& error);

// The store a job has already written (`path` overrides the job's); an
// error saying to run the job first when there is none yet. Never creates one.
Result<store::Store> OpenExistingStore(const jobs::JobSpec& job, const std::optional<std::string>& path);

struct RunArgs {
  std::string job;
  std::optional<std::string> as_of;
  std::optional<std::string> out;
  std::optional<std::string> store;
  bool rerun = false;
  std::optional<std::size_t> memory_limit_mb;      // ceilings for the packs, over the job's [limits]
  std::optional<std::uint64_t> instruction_limit;
};
int RunCommand(const RunArgs& args, const std::atomic<bool>& cancel);
int SourcesCheckCommand(const std::string& job);
int ScheduleCommand(const std::vector<std::string>& jobs, int max_runs, const std::atomic<bool>& stop);
int PluginsCommand(const std::optional<std::string>& info, const std::string& job);
int RulesCheckCommand(const std::string& pack, const std::string& job);
int RulesTestCommand(const std::string& pack, const std::string& pattern, bool coverage);
struct DiffArgs {
  std::string job;
  std::vector<std::string> packs;  // none: the job's packs on disk against the last run's; one: NEW; two: OLD NEW
  std::optional<std::string> as_of;
  std::optional<std::string> store;
  std::optional<std::string> csv;   // also write the changes as CSV here
  std::optional<std::string> html;  // and as a self-contained HTML page
};
int DiffCommand(const DiffArgs& args);
int RunsCommand(const std::string& job, const std::optional<std::string>& store,
                std::optional<long long> show, bool as_json, int limit);
struct ReportArgs {
  std::string job;
  std::optional<long long> run;  // default: the job's latest succeeded run
  std::optional<std::string> out;
  std::optional<std::string> store;
};
int ReportCommand(const ReportArgs& args);
struct ExplainArgs {
  std::string job;
  std::string entity;  // a key, or an unambiguous part of a name
  std::optional<std::string> as_of;
  std::optional<std::string> store;
  std::optional<std::string> rules;  // a pack folder on disk instead of the run's rules
  bool show_attributes = false;      // -v
  // Also write the entity's page (as a report's entity page, standing
  // alone) to this file: for packs too large to have a page per entity.
  std::optional<std::string> html;
};
int ExplainCommand(const ExplainArgs& args);

}  // namespace vigil::app
