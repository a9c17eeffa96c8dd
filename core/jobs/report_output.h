// Writing a run's reports: every format into a folder, one page per value of
// `split_by`, and the `latest` link swapped to a finished run's folder.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "reports/report_model.h"

namespace vigil::jobs {

// "Sutton Coldfield" -> "sutton-coldfield": a file name that is safe anywhere.
std::string Slug(const std::string& text);

// Page names for split_by values, distinct even where slugs meet ("Hall
// Green" / "Hall-Green", "North" / "north"): value -> name without ".html".
std::map<std::string, std::string> PageNames(const std::vector<std::string>& values);

// Writes every format into `folder` and returns [{path, sha256}].
Result<nlohmann::json> WriteReports(const reports::RunReport& report, const std::vector<std::string>& formats,
                                    const std::string& split_by, const std::filesystem::path& folder);

// Points `output/latest` at the run folder, replacing the old link at once.
Status UpdateLatest(const std::filesystem::path& output, const std::filesystem::path& run_folder);

}  // namespace vigil::jobs
