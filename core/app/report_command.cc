// `vigil report JOB [--run N] [--out DIR]`: a past run's reports rendered
// again from the store (the results, the rule packs and the settings the run
// kept), byte for byte the CSV and JSON written at the time.
#include <iostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "jobs/job_file.h"
#include "jobs/run_lock.h"
#include "jobs/stored_report.h"
#include "store/store.h"

namespace vigil::app {

int ReportCommand(const ReportArgs& args) {
  auto job = jobs::LoadJob(args.job);
  if (!job) return ReportError(job.error());
  auto store = OpenExistingStore(*job, args.store);
  if (!store) return ReportError(store.error());
  // Held while writing into the output folder, as a run holds it: a run
  // starting meanwhile would take this render's partial folder for a stale one.
  auto lock = jobs::RunLock::Acquire(store->path());
  if (!lock) return ReportError(lock.error());

  std::int64_t id = 0;
  if (args.run) {
    id = *args.run;
  } else {
    auto latest = store->LatestSucceededRun(job->name);
    if (!latest) return ReportError(latest.error());
    if (!*latest)
      return ReportError({ErrorCode::kNotFound,
                          fmt::format("job '{}' has no succeeded run in {}", job->name, store->path())});
    id = **latest;
  }
  auto run = store->GetRun(id);
  if (!run) return ReportError(run.error());
  if (*run && (*run)->job != job->name)
    return ReportError({ErrorCode::kNotFound,
                        fmt::format("run {} in {} is a run of job '{}', not '{}'", id, store->path(),
                                    (*run)->job, job->name)});
  std::filesystem::path output = args.out ? std::filesystem::absolute(*args.out) : job->output;
  // The same places a run may write: not into a data folder or a rule pack.
  if (Status places = jobs::CheckWritePlaces(*job, store->path(), output); !places.ok())
    return ReportError(places.error());
  auto folder = jobs::RenderStoredRun(*store, id, output);
  if (!folder) return ReportError(folder.error());
  std::cout << fmt::format("Reports of run {} of job '{}' (as of {}) rendered again from the store: {}\n", id,
                           job->name, (*run)->as_of, folder->string());
  return kExitOk;
}

}  // namespace vigil::app
