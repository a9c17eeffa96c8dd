// What each source of a job will read, worked out before a run starts: its
// plugin, checked settings and input files with their checksums; and the
// fingerprint of a run's inputs, so an unchanged period is recognised
// without reading anything.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "jobs/job_file.h"
#include "plugin_host/input_file.h"
#include "plugin_host/plugin_registry.h"
#include "plugin_host/settings.h"
#include "rules/rule_pack.h"

namespace vigil::jobs {

struct PlannedFile {
  std::string path;    // as shown: relative to the job's folder
  std::string sha256;
  std::uint64_t size = 0;
  // Of a non-empty "<file>-wal" beside it (an SQLite database's changes not
  // yet in the file): "" when there is none. The plugin refuses to read such
  // a database; the fingerprint covers it, so "nothing to do" is never said
  // of changes made only there.
  std::string wal_sha256;
};

struct SourcePlan {
  std::shared_ptr<plugin_host::PluginLibrary> plugin;
  std::vector<plugin_host::ResolvedSetting> settings;  // paths as the job resolves them
  std::vector<PlannedFile> files;
  // The input files, opened and checksummed when the run is planned; the
  // plugin reads them through their descriptors.
  std::vector<std::pair<std::string, plugin_host::InputFile>> inputs;  // setting name, file
  Status status;  // why it cannot run, if so

  // The settings as the plugin gets them: each input file as /proc/self/fd/N.
  std::vector<plugin_host::ResolvedSetting> PluginSettings() const;
  // What the plugin may say in place of a file's path: /proc/self/fd/N -> the path.
  std::vector<std::pair<std::string, std::string>> PathAliases() const;
  // An error if an input file changed since it was checksummed.
  Status CheckInputsUnchanged() const;
};

// A path setting naming a file that does not exist is a configuration error
// (the job's), found here whichever plugin would have read it.
SourcePlan PlanSource(const JobSpec& job, const plugin_host::PluginRegistry& registry, const SourceSpec& source);

// Identifies a run's inputs: the period, the job settings that shape the
// output (run_report.h: JobSettings), the rules, and every source's plugin,
// resolved settings and file contents. Equal fingerprints give equal reports.
std::string Fingerprint(const std::string& as_of, const std::string& job_settings,
                        const std::vector<std::unique_ptr<rules::RulePack>>& packs,
                        const std::vector<SourcePlan>& plans);

}  // namespace vigil::jobs
