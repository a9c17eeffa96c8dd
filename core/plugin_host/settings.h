// Checks a job's settings for one source against the plugin's declared
// settings and turns them into the strings the C ABI passes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <vigil/plugin.h>

#include "base/status.h"

namespace vigil::plugin_host {

// A setting as the job gave it: a scalar (one item) or a list.
struct SettingInput {
  std::string name;
  std::vector<std::string> items;
  bool is_list = false;
};

// Where PATH settings may point: relative paths resolve against base_folder
// and must end up inside one of allowed_folders.
struct PathPolicy {
  std::filesystem::path base_folder;
  std::vector<std::filesystem::path> allowed_folders;
};

struct ResolvedSetting {
  std::string name;
  std::string value;
};

// Validates `inputs` against the plugin's declarations: unknown names,
// missing required ones, wrong types and paths outside the allowed folders
// are errors naming the source, the setting and the value. Declared
// defaults fill the gaps.
Result<std::vector<ResolvedSetting>> ResolveSettings(const vigil_plugin_descriptor& plugin,
                                                     const std::string& source_name,
                                                     const std::vector<SettingInput>& inputs,
                                                     const PathPolicy& paths);

const char* SettingTypeName(vigil_setting_type type);

}  // namespace vigil::plugin_host
