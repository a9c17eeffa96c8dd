// One loaded plugin library: the Boost.DLL handle and the descriptor it
// returned, checked against this host's ABI.
//
// A PluginLibrary must outlive every instance created from its descriptor;
// the registry keeps libraries for the life of the process for that reason.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <vigil/plugin.h>

#include "base/status.h"

namespace vigil::plugin_host {

class PluginLibrary {
 public:
  // Loads `path` (made absolute) with every symbol resolved now, finds the
  // entry symbol and checks the descriptor. Errors name the file and, for a
  // version mismatch, the ABI found and the ABI expected.
  static Result<std::shared_ptr<PluginLibrary>> Load(const std::filesystem::path& path);

  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  const vigil_plugin_descriptor& descriptor() const { return *descriptor_; }
  const std::filesystem::path& path() const { return path_; }
  std::string name() const { return descriptor_->name; }
  std::string version() const { return descriptor_->version; }
  // "1.0" as the plugin was built.
  std::string abi() const;

 private:
  struct Handle;
  PluginLibrary(std::unique_ptr<Handle> handle, const vigil_plugin_descriptor* descriptor,
                std::filesystem::path path);

  std::unique_ptr<Handle> handle_;
  const vigil_plugin_descriptor* descriptor_;
  std::filesystem::path path_;
};

}  // namespace vigil::plugin_host
