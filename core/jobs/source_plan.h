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
#include "plugin_host/plugin_registry.h"
#include "plugin_host/settings.h"
#include "rules/rule_pack.h"

namespace vigil::jobs {

struct PlannedFile {
  std::string path;    // as shown: relative to the job's folder
  std::string sha256;
  std::uint64_t size = 0;
};

struct SourcePlan {
  std::shared_ptr<plugin_host::PluginLibrary> plugin;
  std::vector<plugin_host::ResolvedSetting> settings;
  std::vector<PlannedFile> files;
  Status status;  // why it cannot run, if so
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
