// What a run says when a source's data went nowhere: values that named
// entities no source registered, or a source that stored nothing at all.
// Each message names the source, the counts and the fix that fits the
// source's plugin (only settings the plugin has are suggested).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "jobs/job_file.h"
#include "plugin_host/plugin_library.h"
#include "plugin_host/settings.h"
#include "reports/report_model.h"

namespace vigil::jobs {

std::string LostValuesWarning(const SourceSpec& source, const plugin_host::PluginLibrary& plugin,
                              std::uint64_t values, const std::string& kind,
                              const std::vector<std::string>& examples);

// `kind` may be empty (unknown); `rows` says where the rows went. With
// `loss_accepted` (on_loss = "warn") it does not suggest accepting it.
std::string NothingStoredWarning(const std::string& kind, const std::vector<reports::FileRows>& rows,
                                 bool loss_accepted);

// The value of setting `name`, or "".
std::string SettingValue(const std::vector<plugin_host::ResolvedSetting>& settings, const std::string& name);

// Rows per file as recorded with a run's inputs (and read back by reports):
// [{"file", "read", "stored", "skipped": {reason: rows}, "rejected"}];
// "read" and "stored" are null when the plugin did not count its rows.
nlohmann::json RowsJson(const std::vector<reports::FileRows>& rows);
// And back, for a past run's reports rendered again.
std::vector<reports::FileRows> RowsFromJson(const nlohmann::json& json);

}  // namespace vigil::jobs
