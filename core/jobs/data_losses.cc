#include "jobs/data_losses.h"

#include <fmt/format.h>

#include "base/text.h"

namespace vigil::jobs {
namespace {

bool Declares(const plugin_host::PluginLibrary& plugin, const char* setting) {
  const vigil_plugin_descriptor& d = plugin.descriptor();
  for (std::size_t i = 0; i < d.setting_count; ++i)
    if (std::string_view(d.settings[i].name) == setting) return true;
  return false;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

std::string SettingValue(const std::vector<plugin_host::ResolvedSetting>& settings, const std::string& name) {
  for (const auto& s : settings)
    if (s.name == name) return s.value;
  return "";
}

std::string LostValuesWarning(const SourceSpec& source, const plugin_host::PluginLibrary& plugin,
                              std::uint64_t values, const std::string& kind,
                              const std::vector<std::string>& examples) {
  std::vector<std::string> fixes;
  const std::string kinds = KindPlural(kind);
  fixes.push_back(fmt::format("add the source that registers these {} (for schools, a gias register "
                              "with their local authority) before '{}' in the job",
                              kinds, source.name));
  if (Declares(plugin, "emit_entities"))
    fixes.push_back("set emit_entities = true to create them from this file");
  for (const char* filter : {"where", "filters", "la_filter", "la_codes"})
    if (Declares(plugin, filter))
      fixes.push_back(fmt::format("keep only the rows of registered {} with '{}'", kinds, filter));
  std::string how;
  for (std::size_t i = 0; i < fixes.size(); ++i)
    how += (i == 0 ? "" : i + 1 == fixes.size() ? ", or " : ", ") + fixes[i];
  return fmt::format("{} {} named {} that no source registered (e.g. {}), so {} stored. To fix "
                     "it, {}; or set on_loss = \"warn\" on the source to accept the loss.",
                     values, values == 1 ? "value" : "values", kinds, Joined(examples),
                     values == 1 ? "it was not" : "none was", how);
}

std::string NothingStoredWarning(const std::string& kind,
                                 const std::vector<reports::FileRows>& rows) {
  std::string where;
  for (const auto& file : rows) {
    if (!file.counted) continue;
    std::string skipped;
    for (const auto& [reason, count] : file.skipped)
      skipped += fmt::format("{}{} {}", skipped.empty() ? "" : ", ", count, reason);
    where += fmt::format("{}{}: {} rows read, {} rejected{}", where.empty() ? " (" : "; ", file.file,
                         file.read, file.rejected, skipped.empty() ? "" : ", skipped: " + skipped);
  }
  if (!where.empty()) where += ")";
  return fmt::format("stored nothing{}{}. Check its file and settings (filters, "
                     "geographic level, local authority codes) against the data; or set on_loss = "
                     "\"warn\" on the source if an empty source is expected.",
                     kind.empty() ? "" : " for the " + KindPlural(kind) + " the rules assess", where);
}

nlohmann::json RowsJson(const std::vector<reports::FileRows>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& file : rows) {
    nlohmann::json skipped = nlohmann::json::object();
    for (const auto& [reason, count] : file.skipped) skipped[reason] = count;
    nlohmann::json entry = {{"file", file.file}};
    entry["read"] = file.counted ? nlohmann::json(file.read) : nlohmann::json(nullptr);
    entry["stored"] = file.counted ? nlohmann::json(file.stored) : nlohmann::json(nullptr);
    entry["skipped"] = std::move(skipped);
    entry["rejected"] = file.rejected;
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace vigil::jobs
