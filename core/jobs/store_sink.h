// The RecordSink that writes what a plugin emits into the store (entities at
// once, observations through the run's batch), and keeps the run's account of
// it (counts, rejected rows) for the reports.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "jobs/job_file.h"
#include "plugin_host/source_session.h"
#include "reports/report_model.h"
#include "store/observation_batch.h"
#include "store/store.h"

namespace vigil::jobs {

// Rejected rows kept in memory for the reports; all are in the store.
inline constexpr std::size_t kRejectionsInReport = 100000;

// Records a rejected row in the store and the run's account; fails when the
// source's on_reject says so.
Status RecordRejection(store::Store& store, std::int64_t run_id, const SourceSpec& source,
                       const reports::RejectedRow& row, std::vector<reports::RejectedRow>& rejections,
                       std::uint64_t& rejection_count);

class StoreSink : public plugin_host::RecordSink {
 public:
  // Rejected rows' file paths are shown relative to `job_folder`, so
  // reports do not depend on where the job's folder happens to be.
  // Entity ids by "kind\0key", shared by a run's sinks so that a source
  // keyed by another's entities looks each up once (clear it after a rollback).
  using EntityIds = std::unordered_map<std::string, std::int64_t>;

  // `on_batch_full` is called when the batch reaches its limit, to write it out.
  StoreSink(store::Store& store, store::ObservationBatch& batch, EntityIds& entity_ids,
            std::function<Status()> on_batch_full,
            std::int64_t run_id, const SourceSpec& source, std::filesystem::path job_folder,
            std::vector<reports::RejectedRow>& rejections, std::uint64_t& rejection_count,
            const std::atomic<bool>* cancel);

  Status OnEntity(const plugin_host::EntityRecord& entity) override;
  Status OnObservation(const plugin_host::ObservationRecord& observation) override;
  Status OnRejection(const plugin_host::RejectionRecord& rejection) override;
  void OnProgress(std::uint64_t done, std::uint64_t total) override;
  bool Cancelled() override;

  // Reports observations for entities no source registered (as one
  // rejection with a count and examples), so none disappear unnoticed.
  Status Finish();

  // The earliest and latest dates of the observations stored.
  const std::string& first_date() const { return first_date_; }
  const std::string& last_date() const { return last_date_; }

 private:
  Status Reject(const reports::RejectedRow& row);
  std::string Shown(std::string_view file) const;  // relative to the job's folder

  store::Store& store_;
  store::ObservationBatch& batch_;
  EntityIds& entity_ids_;
  std::string id_key_;  // scratch for lookups in entity_ids_
  std::function<Status()> on_batch_full_;
  std::int64_t run_id_;
  const SourceSpec& source_;
  std::filesystem::path job_folder_;
  std::vector<reports::RejectedRow>& rejections_;
  std::uint64_t& rejection_count_;
  const std::atomic<bool>* cancel_;
  std::string last_kind_, last_key_;
  std::int64_t last_id_ = 0;
  std::uint64_t unknown_count_ = 0;
  std::string first_date_, last_date_;
  std::string last_file_, last_file_shown_;
  std::vector<std::string> unknown_examples_;
  std::string unknown_file_;  // where the first observation of an unknown entity was read
  std::uint64_t unknown_line_ = 0;
  std::chrono::steady_clock::time_point last_progress_ = std::chrono::steady_clock::now();
};

}  // namespace vigil::jobs
