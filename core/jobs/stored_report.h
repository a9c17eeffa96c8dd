// A past run's reports, rendered again from the store: the report model is
// rebuilt from what the run recorded (run_report.h) with the rule packs it
// kept (stored_pack.h), so its CSV and JSON come out byte for byte as they
// were written at the time, wherever and whenever they are rendered.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "base/status.h"
#include "reports/report_model.h"
#include "store/store.h"

namespace vigil::jobs {

struct StoredReport {
  reports::RunReport report;
  std::vector<std::string> formats;  // as the job asked for them then
};

// The report model of succeeded run `run_id`. kNotFound for a run the store
// does not have or that did not succeed; kInvalidInput for a run made by a
// Vigil that did not yet keep what its reports need.
Result<StoredReport> LoadRunReport(store::Store& store, std::int64_t run_id);

// Renders run `run_id`'s reports into a new folder `output`/run-<id>-<time>/
// and returns that folder. `output/latest` is left as it is.
Result<std::filesystem::path> RenderStoredRun(store::Store& store, std::int64_t run_id,
                                              const std::filesystem::path& output);

// `output/latest` pointed at run `run_id`'s reports: its folder in `output`
// if there is one, else its reports rendered again from the store (a new
// --out, or a deleted folder). What a run that has nothing to do shows.
struct ShownRun {
  std::filesystem::path folder;
  bool rendered = false;  // rendered again from the store just now
};
Result<ShownRun> ShowRunAsLatest(store::Store& store, std::int64_t run_id, const std::filesystem::path& output);

}  // namespace vigil::jobs
