// Writing a run's reports: every format into a folder, one page per value of
// `split_by` (each compared with the same value's earlier figures), a page
// per entity, and the `latest` link swapped to a finished run's folder.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "reports/report_model.h"
#include "store/store.h"

namespace vigil::jobs {

// "Sutton Coldfield" -> "sutton-coldfield": a file name that is safe anywhere.
std::string Slug(const std::string& text);

// Page names for split_by values, distinct even where slugs meet ("Hall
// Green" / "Hall-Green", "North" / "north"): value -> name without ".html".
std::map<std::string, std::string> PageNames(const std::vector<std::string>& values);

// Writes every format into `folder` (with HTML, a page per entity in
// "<pack>/" for packs that have them) and returns [{path, sha256}], one
// entry per file and one per folder of entity pages ({path, pages, sha256}).
Result<nlohmann::json> WriteReports(const reports::RunReport& report, const std::vector<std::string>& formats,
                                    const std::string& split_by, const std::filesystem::path& folder);

// Points `output/latest` at the run folder, replacing the old link at once.
Status UpdateLatest(const std::filesystem::path& output, const std::filesystem::path& run_folder);

// A run's report folder while it is written: `.run-<id>-<time>.partial` in
// the output folder, renamed to `run-<id>-<time>` by Publish(), removed if
// never published. Begin() first removes partial folders a killed run left:
// the caller holds the store's lock, so any such folder is stale.
class RunFolder {
 public:
  static Result<RunFolder> Begin(const std::filesystem::path& output, std::int64_t run_id);
  RunFolder(RunFolder&& other) noexcept;
  RunFolder& operator=(RunFolder&&) = delete;
  RunFolder(const RunFolder&) = delete;
  ~RunFolder();

  const std::filesystem::path& partial() const { return partial_; }
  // The folder's name once published.
  const std::filesystem::path& final_path() const { return final_; }
  Status Publish();

 private:
  RunFolder(std::filesystem::path partial, std::filesystem::path final_path)
      : partial_(std::move(partial)), final_(std::move(final_path)) {}
  std::filesystem::path partial_;
  std::filesystem::path final_;
};

// Whether `folder` holds `run`'s reports (its first recorded file's checksum).
bool FolderHoldsRun(const std::filesystem::path& folder, const store::RunRecord& run);

// The newest published report folder of `run` in `output`, if any.
std::optional<std::filesystem::path> FindRunFolder(const std::filesystem::path& output, const store::RunRecord& run);

// Where `output/latest` points, as a folder name ("" when there is no link).
std::string LatestTarget(const std::filesystem::path& output);

}  // namespace vigil::jobs
