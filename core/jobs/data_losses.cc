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
  // With on_loss = "warn" the loss is accepted already: only the fixes are advice.
  bool accepted = source.on_loss == OnLoss::kWarn;
  return fmt::format("{} {} named {} that no source registered (e.g. {}), so {} stored. To fix "
                     "it, {}{}.",
                     values, values == 1 ? "value" : "values", kinds, Joined(examples),
                     values == 1 ? "it was not" : "none was", how,
                     accepted ? "" : "; or set on_loss = \"warn\" on the source to accept the loss");
}

std::string NothingStoredWarning(const std::string& kind, const std::vector<reports::FileRows>& rows,
                                 bool loss_accepted) {
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
                     "geographic level, local authority codes) against the data{}.",
                     kind.empty() ? "" : " for the " + KindPlural(kind) + " the rules assess", where,
                     loss_accepted ? ""
                                   : "; or set on_loss = \"warn\" on the source if an empty source is expected");
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

std::vector<reports::FileRows> RowsFromJson(const nlohmann::json& json) {
  std::vector<reports::FileRows> rows;
  if (!json.is_array()) return rows;
  for (const auto& entry : json) {
    if (!entry.is_object()) continue;
    reports::FileRows file;
    file.file = entry.value("file", std::string());
    file.counted = entry.contains("read") && entry["read"].is_number_unsigned();
    if (file.counted) {
      file.read = entry["read"].get<std::uint64_t>();
      file.stored = entry.value("stored", std::uint64_t{0});
    }
    file.rejected = entry.value("rejected", std::uint64_t{0});
    if (auto skipped = entry.find("skipped"); skipped != entry.end() && skipped->is_object())
      for (const auto& [reason, count] : skipped->items())
        if (count.is_number_unsigned()) file.skipped.emplace_back(reason, count.get<std::uint64_t>());
    rows.push_back(std::move(file));
  }
  return rows;
}

}  // namespace vigil::jobs
