// Finds plugins: every shared library in the given folders is loaded and
// checked. Broken files are kept as problems to report, so one bad library
// never hides the good ones; the first plugin with a name wins and later
// ones with the same name are reported as duplicates.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "plugin_host/plugin_library.h"

namespace vigil::plugin_host {

struct PluginProblem {
  std::filesystem::path file;
  std::string message;
};

class PluginRegistry {
 public:
  // Scans folders in order (missing folders are skipped).
  void Discover(const std::vector<std::filesystem::path>& folders);

  // The plugin called `name`, or an error listing what was found, and any
  // problem with a file that may have been meant to be it.
  Result<std::shared_ptr<PluginLibrary>> Find(const std::string& name) const;

  const std::map<std::string, std::shared_ptr<PluginLibrary>>& plugins() const { return plugins_; }
  const std::vector<PluginProblem>& problems() const { return problems_; }
  // The problems with files that may be the plugin called `name` (by file
  // name: libvigil_<name>.so, or a duplicate of it): what a run that uses
  // `name` should hear about, and no other.
  std::vector<PluginProblem> ProblemsFor(const std::string& name) const;

 private:
  void Add(const std::filesystem::path& file);

  std::map<std::string, std::shared_ptr<PluginLibrary>> plugins_;
  std::vector<PluginProblem> problems_;
  std::vector<std::filesystem::path> scanned_;
};

// The default search path: VIGIL_PLUGIN_PATH (':'-separated), then the
// folder `plugins` next to the running executable, then the installed
// plugin folder. `extra` (from a job) comes first.
std::vector<std::filesystem::path> DefaultPluginFolders(
    const std::vector<std::filesystem::path>& extra);

}  // namespace vigil::plugin_host
