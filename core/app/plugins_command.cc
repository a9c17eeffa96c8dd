// `vigil plugins` and `vigil plugins info NAME`: what the plugin host finds.
#include <iostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "jobs/job_file.h"
#include "plugin_host/plugin_registry.h"
#include "plugin_host/settings.h"

namespace vigil::app {

int PluginsCommand(const std::optional<std::string>& info, const std::string& job_file) {
  std::vector<std::filesystem::path> extra;
  if (!job_file.empty()) {
    auto job = jobs::LoadJob(job_file);
    if (!job) return ReportError(job.error());
    extra = job->plugin_folders;
  }
  plugin_host::PluginRegistry registry;
  auto folders = plugin_host::DefaultPluginFolders(extra);
  registry.Discover(folders);

  if (info) {
    auto plugin = registry.Find(*info);
    if (!plugin) return ReportError(plugin.error());
    const auto& d = (*plugin)->descriptor();
    std::cout << fmt::format("{} {} (plugin ABI {})\n  {}\n  emits: {}\n  file: {}\n\nSettings:\n",
                             d.name, d.version, (*plugin)->abi(), d.description ? d.description : "",
                             d.emits ? d.emits : "", (*plugin)->path().string());
    for (std::size_t i = 0; i < d.setting_count; ++i) {
      const auto& s = d.settings[i];
      std::string flags = s.required ? "required" : s.default_value ? fmt::format("default \"{}\"", s.default_value) : "optional";
      std::cout << fmt::format("  {:<16} {:<8} {}\n      {}\n", s.name, plugin_host::SettingTypeName(s.type),
                               flags, s.help ? s.help : "");
    }
    return kExitOk;
  }

  std::cout << "Plugin folders searched:\n";
  for (const auto& f : folders) std::cout << "  " << f.string() << "\n";
  std::cout << "\n";
  if (registry.plugins().empty()) std::cout << "No plugins found.\n";
  for (const auto& [name, plugin] : registry.plugins())
    std::cout << fmt::format("{:<16} {:<8} ABI {:<5} {}\n", name, plugin->version(), plugin->abi(),
                             plugin->path().string());
  if (!registry.problems().empty()) {
    std::cout << "\nProblems:\n";
    for (const auto& p : registry.problems()) std::cout << "  " << p.message << "\n";
    return kExitFindings;
  }
  return kExitOk;
}

}  // namespace vigil::app
