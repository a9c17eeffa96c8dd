#include "jobs/source_plan.h"

#include <filesystem>

#include <fmt/format.h>

#include "base/files.h"

namespace vigil::jobs {
namespace fs = std::filesystem;

SourcePlan PlanSource(const JobSpec& job, const plugin_host::PluginRegistry& registry, const SourceSpec& source) {
  SourcePlan plan;
  auto plugin = registry.Find(source.plugin);
  if (!plugin) {
    plan.status = Unexpected(plugin.error());
    return plan;
  }
  plan.plugin = *plugin;
  plugin_host::PathPolicy paths{job.folder, job.data_folders};
  auto settings = plugin_host::ResolveSettings(plan.plugin->descriptor(), source.name, source.settings, paths);
  if (!settings) {
    plan.status = Unexpected(settings.error());
    return plan;
  }
  plan.settings = std::move(settings).value();
  const auto& d = plan.plugin->descriptor();
  for (const auto& s : plan.settings) {
    for (std::size_t i = 0; i < d.setting_count; ++i) {
      if (s.name != d.settings[i].name || d.settings[i].type != VIGIL_SETTING_PATH) continue;
      std::error_code ec;
      std::string shown = fs::path(s.value).lexically_relative(job.folder).string();
      if (!fs::exists(fs::symlink_status(s.value, ec))) {
        plan.status = Fail(ErrorCode::kInvalidInput,
                           fmt::format("source '{}' setting '{}': {} does not exist ({})", source.name, s.name,
                                       shown.empty() ? s.value : shown, s.value));
        return plan;
      }
      if (fs::is_directory(s.value, ec)) continue;  // a folder: the plugin reads what is in it
      auto file = plugin_host::InputFile::Open(
          s.value, paths, fmt::format("source '{}' setting '{}'", source.name, s.name));
      if (!file) {
        plan.status = Unexpected(file.error());
        return plan;
      }
      PlannedFile planned{shown, file->sha256(), static_cast<std::uint64_t>(fs::file_size(s.value, ec)), ""};
      fs::path wal = s.value + "-wal";
      if (std::error_code wal_ec; fs::is_regular_file(fs::symlink_status(wal, wal_ec)) && fs::file_size(wal, wal_ec) > 0)
        if (auto wal_sha = Sha256File(wal)) planned.wal_sha256 = *wal_sha;
      plan.files.push_back(std::move(planned));
      plan.inputs.emplace_back(s.name, std::move(file).value());
    }
  }
  return plan;
}

std::vector<plugin_host::ResolvedSetting> SourcePlan::PluginSettings() const {
  std::vector<plugin_host::ResolvedSetting> out = settings;
  for (auto& s : out)
    for (const auto& [name, file] : inputs)
      if (s.name == name) s.value = file.fd_path();
  return out;
}

std::vector<std::pair<std::string, std::string>> SourcePlan::PathAliases() const {
  std::vector<std::pair<std::string, std::string>> aliases;
  for (const auto& [name, file] : inputs) aliases.emplace_back(file.fd_path(), file.path());
  return aliases;
}

Status SourcePlan::CheckInputsUnchanged() const {
  for (const auto& [name, file] : inputs) VIGIL_RETURN_IF_ERROR(file.CheckUnchanged());
  return Status::Ok();
}

std::string Fingerprint(const std::string& as_of, const std::string& job_settings,
                        const std::vector<std::unique_ptr<rules::RulePack>>& packs,
                        const std::vector<SourcePlan>& plans) {
  Sha256 hash;
  auto add = [&](std::string_view text) {
    hash.Update(text);
    hash.Update(std::string_view("\0", 1));
  };
  add(as_of);
  add(job_settings);
  for (const auto& p : packs) add(p->hash());
  for (const auto& plan : plans) {
    add(plan.plugin ? plan.plugin->name() + " " + plan.plugin->version() : "(no plugin)");
    for (const auto& s : plan.settings) add(s.name + "=" + s.value);
    for (const auto& file : plan.files) add(file.sha256 + file.wal_sha256);
  }
  return hash.HexDigest();
}

}  // namespace vigil::jobs
