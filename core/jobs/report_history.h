// What a run's report says about earlier runs, read from the store: the
// comparison with a previous run (counts overall and per split_by value, the
// changes and why), the trend across periods from the run ledger, and each
// entity's history for its page. A live run calls these before its reports
// render; a report rendered again from the store calls the same functions,
// so both say the same.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "reports/report_model.h"
#include "store/store.h"

namespace vigil::jobs {

// Compares every pack of `report` (the report of run `run_id`, with its
// outcomes, job, as_of and split_by set) with run `previous_run`: counts
// before, per split_by value too, which entities changed category and why,
// and whether the pack's rules changed. Reads only.
Status CompareWithRun(store::Store& store, std::int64_t run_id, std::int64_t previous_run,
                      reports::RunReport& report);

// Adds to every pack of `report` (run `run_id`) the count in each category
// in each earlier period (overall and per split_by value) and, when the pack
// gets entity pages, each entity's category in earlier periods and the
// history of the measures its page charts (from the job's `sources`, dated
// up to the report's as_of). Reads only.
// With `same_period` the periods up to and including the report's own count
// as earlier (`vigil explain --html`: an assessment made now, beside the
// recorded runs of its period).
Status AddHistory(store::Store& store, std::int64_t run_id, const std::vector<std::string>& sources,
                  reports::RunReport& report, bool same_period = false);

}  // namespace vigil::jobs
