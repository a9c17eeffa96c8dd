#include "plugin_host/settings.h"

#include <charconv>

#include <fmt/format.h>

#include "base/files.h"

namespace vigil::plugin_host {
namespace fs = std::filesystem;

const char* SettingTypeName(vigil_setting_type type) {
  switch (type) {
    case VIGIL_SETTING_STRING: return "string";
    case VIGIL_SETTING_INTEGER: return "integer";
    case VIGIL_SETTING_BOOLEAN: return "boolean";
    case VIGIL_SETTING_PATH: return "path";
    case VIGIL_SETTING_LIST: return "list";
  }
  return "unknown";
}

namespace {

const vigil_setting_decl* FindDecl(const vigil_plugin_descriptor& plugin, const std::string& name) {
  for (std::size_t i = 0; i < plugin.setting_count; ++i)
    if (name == plugin.settings[i].name) return &plugin.settings[i];
  return nullptr;
}

Result<std::string> CheckPath(const std::string& value, const PathPolicy& paths,
                              const std::string& where) {
  fs::path path(value);
  if (path.is_relative()) path = paths.base_folder / path;
  path = path.lexically_normal();
  for (const auto& folder : paths.allowed_folders)
    if (IsInside(path, folder)) return path.string();
  std::string allowed;
  for (const auto& folder : paths.allowed_folders)
    allowed += (allowed.empty() ? "" : ", ") + folder.string();
  return Fail(ErrorCode::kInvalidInput,
              fmt::format("{}: path '{}' is outside the job's data folders ({}); add its folder "
                          "to data_folders in the job file",
                          where, value, allowed));
}

Result<std::string> CheckValue(const vigil_setting_decl& decl, const SettingInput& input,
                               const PathPolicy& paths, const std::string& where) {
  if (decl.type == VIGIL_SETTING_LIST) {
    std::string joined;
    for (const auto& item : input.items) {
      if (item.find('\n') != std::string::npos)
        return Fail(ErrorCode::kInvalidInput,
                    fmt::format("{}: list items cannot contain a line break", where));
      joined += (joined.empty() ? "" : "\n") + item;
    }
    return joined;
  }
  if (input.is_list)
    return Fail(ErrorCode::kInvalidInput,
                fmt::format("{}: expected a {}, got a list", where, SettingTypeName(decl.type)));
  const std::string& value = input.items.empty() ? std::string() : input.items.front();
  switch (decl.type) {
    case VIGIL_SETTING_INTEGER: {
      long long parsed = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
      if (ec != std::errc() || end != value.data() + value.size())
        return Fail(ErrorCode::kInvalidInput,
                    fmt::format("{}: expected an integer, got '{}'", where, value));
      return value;
    }
    case VIGIL_SETTING_BOOLEAN:
      if (value != "true" && value != "false")
        return Fail(ErrorCode::kInvalidInput,
                    fmt::format("{}: expected true or false, got '{}'", where, value));
      return value;
    case VIGIL_SETTING_PATH:
      return CheckPath(value, paths, where);
    default:
      return value;
  }
}

}  // namespace

Result<std::vector<ResolvedSetting>> ResolveSettings(const vigil_plugin_descriptor& plugin,
                                                     const std::string& source_name,
                                                     const std::vector<SettingInput>& inputs,
                                                     const PathPolicy& paths) {
  std::vector<ResolvedSetting> resolved;
  for (const auto& input : inputs) {
    std::string where = fmt::format("source '{}' setting '{}'", source_name, input.name);
    const vigil_setting_decl* decl = FindDecl(plugin, input.name);
    if (decl == nullptr) {
      std::string known;
      for (std::size_t i = 0; i < plugin.setting_count; ++i)
        known += (i ? ", " : "") + std::string(plugin.settings[i].name);
      return Fail(ErrorCode::kInvalidInput,
                  fmt::format("{}: plugin '{}' has no such setting (it has: {})", where,
                              plugin.name, known));
    }
    VIGIL_ASSIGN_OR_RETURN(std::string value, CheckValue(*decl, input, paths, where));
    resolved.push_back({input.name, std::move(value)});
  }
  for (std::size_t i = 0; i < plugin.setting_count; ++i) {
    const vigil_setting_decl& decl = plugin.settings[i];
    bool given = false;
    for (const auto& r : resolved) given = given || r.name == decl.name;
    if (given) continue;
    if (decl.required)
      return Fail(ErrorCode::kInvalidInput,
                  fmt::format("source '{}': plugin '{}' needs setting '{}' ({}): {}", source_name,
                              plugin.name, decl.name, SettingTypeName(decl.type),
                              decl.help ? decl.help : ""));
    if (decl.default_value != nullptr) resolved.push_back({decl.name, decl.default_value});
  }
  return resolved;
}

}  // namespace vigil::plugin_host
