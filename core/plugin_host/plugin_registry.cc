#include "plugin_host/plugin_registry.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "base/log.h"

#ifndef VIGIL_INSTALLED_PLUGIN_DIR
#define VIGIL_INSTALLED_PLUGIN_DIR "/usr/local/lib/vigil/plugins"
#endif
#ifndef VIGIL_RELATIVE_PLUGIN_DIR
#define VIGIL_RELATIVE_PLUGIN_DIR "lib/vigil/plugins"
#endif

namespace vigil::plugin_host {
namespace fs = std::filesystem;

void PluginRegistry::Discover(const std::vector<fs::path>& folders) {
  auto log = Logger("plugins");
  for (const auto& folder : folders) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(folder, ec);
    if (ec || !fs::is_directory(canonical, ec)) {
      log->debug("folder={} skipped=not a folder", folder.string());
      continue;
    }
    if (std::find(scanned_.begin(), scanned_.end(), canonical) != scanned_.end()) continue;
    scanned_.push_back(canonical);
    std::vector<fs::path> files;
    for (fs::directory_iterator it(canonical, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".so") files.push_back(it->path());
    }
    if (ec) {
      problems_.push_back({canonical, fmt::format("cannot list folder: {}", ec.message())});
      continue;
    }
    std::sort(files.begin(), files.end());  // deterministic: the same winner every time
    for (const auto& file : files) Add(file);
  }
}

void PluginRegistry::Add(const fs::path& file) {
  auto log = Logger("plugins");
  auto loaded = PluginLibrary::Load(file);
  if (!loaded) {
    log->debug("file={} error=\"{}\"", file.string(), loaded.error().message);
    problems_.push_back({file, loaded.error().message});
    return;
  }
  auto library = std::move(loaded).value();
  auto [it, inserted] = plugins_.emplace(library->name(), library);
  if (!inserted) {
    problems_.push_back(
        {file, fmt::format("plugin {}: duplicate plugin name '{}', already provided by {}; "
                           "this copy is ignored",
                           file.string(), library->name(), it->second->path().string())});
    return;
  }
  log->debug("plugin={} version={} abi={} file={}", library->name(), library->version(),
             library->abi(), file.string());
}

Result<std::shared_ptr<PluginLibrary>> PluginRegistry::Find(const std::string& name) const {
  if (auto it = plugins_.find(name); it != plugins_.end()) return it->second;
  std::string known;
  for (const auto& [n, lib] : plugins_) known += (known.empty() ? "" : ", ") + n;
  std::string message = fmt::format("no plugin named '{}' (found: {})", name,
                                    known.empty() ? "none" : known);
  for (const auto& problem : ProblemsFor(name)) message += fmt::format("; {}", problem.message);
  if (scanned_.empty()) message += "; no plugin folder exists (set VIGIL_PLUGIN_PATH)";
  return Fail(ErrorCode::kPluginFailure, message);
}

std::vector<PluginProblem> PluginRegistry::ProblemsFor(const std::string& name) const {
  std::vector<PluginProblem> found;
  for (const auto& problem : problems_) {
    std::string stem = problem.file.stem().string();  // "libvigil_csv"
    for (std::string_view prefix : {"lib", "vigil_"})
      if (stem.rfind(prefix, 0) == 0) stem.erase(0, prefix.size());
    if (stem == name) found.push_back(problem);
  }
  return found;
}

std::vector<fs::path> DefaultPluginFolders(const std::vector<fs::path>& extra) {
  std::vector<fs::path> folders = extra;
  if (const char* env = std::getenv("VIGIL_PLUGIN_PATH"); env != nullptr) {
    std::string_view rest(env);
    while (!rest.empty()) {
      auto colon = rest.find(':');
      auto item = rest.substr(0, colon);
      if (!item.empty()) folders.emplace_back(std::string(item));
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  // The build tree (build/vigil next to build/plugins) and an installed
  // tree wherever it is (prefix/bin/vigil and prefix/<libdir>/vigil/plugins,
  // also a package unpacked into another root).
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    folders.push_back(exe.parent_path() / "plugins");
    folders.push_back(exe.parent_path().parent_path() / VIGIL_RELATIVE_PLUGIN_DIR);
  }
  folders.emplace_back(VIGIL_INSTALLED_PLUGIN_DIR);
  return folders;
}

}  // namespace vigil::plugin_host
